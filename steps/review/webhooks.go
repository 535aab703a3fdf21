package review

import (
	"strconv"
	"strings"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// eventWords says what a webhook of each event type hands over.
func eventWords(eventType string) lang.Message {
	switch strings.ToLower(eventType) {
	case "sent":
		return lang.Msg("every email your account sends, with the recipient's address")
	case "open":
		return lang.Msg("every opening of your emails, with the reader's address")
	case "click":
		return lang.Msg("every click in your emails, with the reader's address")
	case "bounce":
		return lang.Msg("every bounced email, with the address")
	case "blocked":
		return lang.Msg("every blocked email, with the address")
	case "spam":
		return lang.Msg("every spam complaint, with the address")
	case "unsub":
		return lang.Msg("every unsubscribe, with the address")
	}
	return lang.Msg("events of your emails (%s)", eventType)
}

// ofKey adds the sub-account key a webhook or route belongs to, if any,
// to a title.
func ofKey(title lang.Message, keyName string) lang.Message {
	if keyName == "" {
		return title
	}
	return lang.Msg("%[1]s (key %[2]s)", title, keyName)
}

// webhookItem judges one event webhook.
func webhookItem(w mailjet.EventCallback, own []string, keyID int64, keyName string) Item {
	host := urlHost(w.URL)
	it := Item{Area: AreaWebhook, TargetID: w.ID, keyID: keyID}
	switch {
	case host == "":
		it.Verdict, it.Title = Check, ofKey(lang.Msg("Webhook with an unreadable address"), keyName)
		it.Explain = lang.Msg("Mailjet sends %[1]s to %[2]q, which is not a web address mjrecover understands.", eventWords(w.EventType), w.URL)
		it.Recommend, it.Action = lang.Msg("Delete it unless you know what it is for."), DeleteWebhook
	case isOwn(host, own):
		it.Verdict, it.Title = OK, ofKey(lang.Msg("Webhook to your site %s", host), keyName)
		it.Explain = lang.Msg("Mailjet sends %[1]s to %[2]s, one of your own sites.", eventWords(w.EventType), host)
		it.Recommend = lang.Msg("Nothing to do.")
	default:
		it.Verdict, it.Title = Suspicious, ofKey(lang.Msg("Webhook to %s", host), keyName)
		explain := lang.Msg("Mailjet sends %[1]s to %[2]s, which is not one of your sites. "+
			"Attackers add these to collect your contacts' addresses or to watch your email.", eventWords(w.EventType), host)
		if strings.HasPrefix(strings.ToLower(w.URL), "http://") {
			explain = lang.Msg("%[1]s %[2]s", explain, lang.Msg("It is even sent unencrypted."))
		}
		it.Explain = explain
		it.Recommend, it.Action = lang.Msg("Delete it, unless you set it up for a service you use."), DeleteWebhook
	}
	return it
}

// parseRouteItem judges one inbound parse route.
func parseRouteItem(r mailjet.ParseRoute, own []string, keyID int64, keyName string) Item {
	host := urlHost(r.URL)
	it := Item{Area: AreaParseRoute, TargetID: r.ID, keyID: keyID}
	switch {
	case host != "" && isOwn(host, own):
		it.Verdict, it.Title = OK, ofKey(lang.Msg("Parse route to your site %s", host), keyName)
		it.Explain = lang.Msg("Emails sent to %[1]s are passed to %[2]s, one of your own sites.", r.Email, host)
		it.Recommend = lang.Msg("Nothing to do.")
	default:
		shown := host
		if shown == "" {
			shown = strconv.Quote(r.URL)
		}
		it.Verdict, it.Title = Suspicious, ofKey(lang.Msg("Parse route to %s", shown), keyName)
		it.Explain = lang.Msg("Emails sent to %[1]s are passed to %[2]s, which is not one of your sites. "+
			"An attacker can use this to read the replies to your emails.", r.Email, shown)
		it.Recommend, it.Action = lang.Msg("Delete it, unless you set it up yourself."), DeleteParseRoute
	}
	return it
}
