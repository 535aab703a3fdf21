package review

import (
	"fmt"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
)

// dateWords writes a date for people: "20 November 2026".
func dateWords(t time.Time) string { return t.Format("2 January 2006") }

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
		it := Item{Area: AreaSender, TargetID: s.ID, Action: DeleteSender, Title: "Sender " + s.Email}
		switch {
		case recent && !ours:
			it.Verdict = Suspicious
			it.Explain = fmt.Sprintf("It was added on %s, after the leak started, and %s is not one of your domains. "+
				"Attackers add senders to send email that looks like it comes from you.", dateWords(s.CreatedAt), domain)
			it.Recommend = "Delete it, unless you added it."
		case recent:
			it.Verdict = Check
			it.Explain = fmt.Sprintf("It was added on %s, after the leak started.", dateWords(s.CreatedAt))
			it.Recommend = "Delete it if you did not add it."
		case !ours:
			it.Verdict = Check
			it.Explain = fmt.Sprintf("%s is not one of your domains.", domain)
			it.Recommend = "Delete it if you do not know it."
		default:
			fine++
			continue
		}
		items = append(items, it)
	}
	if fine > 0 {
		items = append(items, Item{Area: AreaSender, Verdict: OK,
			Title:     plural(fine, "sender address", "sender addresses") + " on your domains",
			Explain:   "They were there before the leak started.",
			Recommend: "Nothing to do."})
	}
	return items
}

// plural writes "1 key" or "3 keys".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
