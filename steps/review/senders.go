package review

import (
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// senderItems judges the sender addresses: one item per address added
// since the leak or on a domain that is not the customer's, and one
// summary for the rest.
func senderItems(senders []mailjet.Sender, own []string, since time.Time) []Item {
	var items []Item
	fine := 0
	for _, s := range senders {
		if strings.EqualFold(s.Status, "Deleted") {
			continue
		}
		domain := emailDomain(s.Email)
		ours := isOwn(domain, own)
		recent := !s.CreatedAt.IsZero() && !s.CreatedAt.Before(since)
		if !recent && ours {
			fine++
			continue
		}
		it := Item{Area: AreaSender, TargetID: s.ID, Action: DeleteSender, Title: lang.Msg("Sender %s", s.Email)}
		if recent {
			it.At = s.CreatedAt
		}
		switch {
		case recent && !ours:
			it.Verdict = Suspicious
			it.Explain = lang.Msg("It was added on %[1]s, after the leak started, and %[2]s is not one of your domains. "+
				"Attackers add senders to send email that looks like it comes from you.", lang.DateMsg(s.CreatedAt), domain)
			it.Recommend = lang.Msg("Delete it, unless you added it.")
		case recent:
			it.Verdict = Check
			it.Explain = lang.Msg("It was added on %s, after the leak started.", lang.DateMsg(s.CreatedAt))
			it.Recommend = lang.Msg("Delete it if you did not add it.")
		default:
			it.Verdict = Check
			it.Explain = lang.Msg("%s is not one of your domains.", domain)
			it.Recommend = lang.Msg("Delete it if you do not know it.")
		}
		items = append(items, it)
	}
	if fine > 0 {
		items = append(items, Item{Area: AreaSender, Verdict: OK,
			Title:     lang.Msg("%d sender address on your domains", fine),
			Explain:   lang.Msg("They were there before the leak started."),
			Recommend: lang.Msg("Nothing to do.")})
	}
	return items
}
