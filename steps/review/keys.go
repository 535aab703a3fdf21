package review

import (
	"fmt"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
)

// A sub-account key counts as unused when it is older than minKeyAge and
// has sent nothing for idleAfter.
const (
	idleAfter = 90 * 24 * time.Hour
	minKeyAge = 30 * 24 * time.Hour
)

// keyFacts is what the review knows about the active sub-account keys.
type keyFacts struct {
	now, since   time.Time
	usage        map[string]KeyUsage // by public key
	replacedFrom map[string]string   // new key → the key it replaced
}

// keyItems judges the active sub-account keys: made since the leak by
// someone else, or not used for months.
func (f keyFacts) keyItems(keys []mailjet.APIKey) []Item {
	var items []Item
	fine := 0
	for _, k := range keys {
		if k.IsMaster || !k.IsActive {
			continue
		}
		if it, ok := f.keyItem(k); ok {
			items = append(items, it)
			continue
		}
		fine++
	}
	if fine > 0 {
		items = append(items, Item{Area: AreaAPIKey, Verdict: OK,
			Title:     plural(fine, "sub-account key", "sub-account keys") + " in use",
			Explain:   "They were made before the leak or replace a leaked key, and they are used.",
			Recommend: "Nothing to do."})
	}
	return items
}

func (f keyFacts) keyItem(k mailjet.APIKey) (Item, bool) {
	old, isReplacement := f.replacedFrom[k.APIKey]
	isReplacement = isReplacement || rotationName.MatchString(k.Name)
	it := Item{Area: AreaAPIKey, TargetID: k.ID, Action: DeactivateKey,
		Title: fmt.Sprintf("Sub-account key %q (%s)", k.Name, k.APIKey)}
	if !isReplacement && !k.CreatedAt.IsZero() && !k.CreatedAt.Before(f.since) {
		it.Verdict = Suspicious
		it.Explain = fmt.Sprintf("It was made on %s, after the leak started. Whoever made it can send email from your account with it.", dateWords(k.CreatedAt))
		it.Recommend = "Turn it off, unless you made it. (It can be turned back on at app.mailjet.com.)"
		return it, true
	}
	// Usage belongs to the key's job, not to one pair: for a replacement,
	// the replaced key's history tells whether the job still exists.
	u, known := f.usage[k.APIKey]
	if old != "" {
		u, known = f.usage[old]
	}
	if !known || !u.Known || u.CreatedAt.IsZero() || f.now.Sub(u.CreatedAt) < minKeyAge {
		return Item{}, false
	}
	if !u.LastActivity.IsZero() && f.now.Sub(u.LastActivity) < idleAfter {
		return Item{}, false
	}
	it.Verdict = Check
	idle := "has never sent an email"
	if !u.LastActivity.IsZero() {
		idle = "has sent nothing since " + dateWords(u.LastActivity)
	}
	if old != "" {
		it.Explain = fmt.Sprintf("It replaced the key %q, which %s. A key nobody uses is one more key that can leak.", u.Name, idle)
	} else {
		it.Explain = fmt.Sprintf("It %s. A key nobody uses is one more key that can leak.", idle)
	}
	it.Recommend = "Turn it off if no app or plugin uses it any more. (It can be turned back on at app.mailjet.com.)"
	return it, true
}
