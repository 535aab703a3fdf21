package review

import (
	"fmt"
	"strings"

	"github.com/mjrecover/mjrecover/api/mailjet"
)

// eventWords says what a webhook of each event type hands over.
func eventWords(eventType string) string {
	switch strings.ToLower(eventType) {
	case "sent":
		return "every email your account sends, with the recipient's address"
	case "open":
		return "every opening of your emails, with the reader's address"
	case "click":
		return "every click in your emails, with the reader's address"
	case "bounce":
		return "every bounced email, with the address"
	case "blocked":
		return "every blocked email, with the address"
	case "spam":
		return "every spam complaint, with the address"
	case "unsub":
		return "every unsubscribe, with the address"
	}
	return "events of your emails (" + eventType + ")"
}

// webhookItem judges one event webhook.
func webhookItem(w mailjet.EventCallback, own []string, keyID int64, keyName string) Item {
	host := urlHost(w.URL)
	it := Item{Area: AreaWebhook, TargetID: w.ID, keyID: keyID}
	on := ""
	if keyName != "" {
		on = " (key " + keyName + ")"
	}
	switch {
	case host == "":
		it.Verdict, it.Title = Check, "Webhook with an unreadable address"+on
		it.Explain = fmt.Sprintf("Mailjet sends %s to %q, which is not a web address mjrecover understands.", eventWords(w.EventType), w.URL)
		it.Recommend, it.Action = "Delete it unless you know what it is for.", DeleteWebhook
	case isOwn(host, own):
		it.Verdict, it.Title = OK, "Webhook to your site "+host+on
		it.Explain = fmt.Sprintf("Mailjet sends %s to %s, one of your own sites.", eventWords(w.EventType), host)
		it.Recommend = "Nothing to do."
	default:
		it.Verdict, it.Title = Suspicious, "Webhook to "+host+on
		it.Explain = fmt.Sprintf("Mailjet sends %s to %s, which is not one of your sites. "+
			"Attackers add these to collect your contacts' addresses or to watch your email.", eventWords(w.EventType), host)
		if strings.HasPrefix(strings.ToLower(w.URL), "http://") {
			it.Explain += " It is even sent unencrypted."
		}
		it.Recommend, it.Action = "Delete it, unless you set it up for a service you use.", DeleteWebhook
	}
	return it
}

// parseRouteItem judges one inbound parse route.
func parseRouteItem(r mailjet.ParseRoute, own []string, keyID int64, keyName string) Item {
	host := urlHost(r.URL)
	it := Item{Area: AreaParseRoute, TargetID: r.ID, keyID: keyID}
	on := ""
	if keyName != "" {
		on = " (key " + keyName + ")"
	}
	switch {
	case host != "" && isOwn(host, own):
		it.Verdict, it.Title = OK, "Parse route to your site "+host+on
		it.Explain = fmt.Sprintf("Emails sent to %s are passed to %s, one of your own sites.", r.Email, host)
		it.Recommend = "Nothing to do."
	default:
		shown := host
		if shown == "" {
			shown = fmt.Sprintf("%q", r.URL)
		}
		it.Verdict, it.Title = Suspicious, "Parse route to "+shown+on
		it.Explain = fmt.Sprintf("Emails sent to %s are passed to %s, which is not one of your sites. "+
			"An attacker can use this to read the replies to your emails.", r.Email, shown)
		it.Recommend, it.Action = "Delete it, unless you set it up yourself.", DeleteParseRoute
	}
	return it
}
