package review

import (
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// A sub-account key counts as unused when it is older than minKeyAge and
// has sent nothing for idleAfter.
const (
	idleAfter = 90 * 24 * time.Hour
	minKeyAge = 30 * 24 * time.Hour
)

// Unused reports whether a sub-account key's usage says nobody uses it
// any more (at now): it is older than minKeyAge and has sent nothing for
// idleAfter. A usage that could not be read is never unused. The
// rotation offers to switch such a key off instead of replacing it, and
// the review suggests switching it off: one rule for both.
func Unused(u KeyUsage, now time.Time) bool {
	if !u.Known || u.CreatedAt.IsZero() || now.Sub(u.CreatedAt) < minKeyAge {
		return false
	}
	return u.LastActivity.IsZero() || now.Sub(u.LastActivity) >= idleAfter
}

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
		if it, ok := f.judgeKey(k); ok {
			items = append(items, it)
			continue
		}
		fine++
	}
	if fine > 0 {
		items = append(items, Item{Area: AreaAPIKey, Verdict: OK,
			Title:     lang.Msg("%d sub-account key in use", fine),
			Explain:   lang.Msg("They were made before the leak or replace a leaked key, and they are used."),
			Recommend: lang.Msg("Nothing to do.")})
	}
	return items
}

func (f keyFacts) judgeKey(k mailjet.APIKey) (Item, bool) {
	old, isReplacement := f.replacedFrom[k.APIKey]
	isReplacement = isReplacement || rotationName.MatchString(k.Name)
	it := Item{Area: AreaAPIKey, TargetID: k.ID, Action: DeactivateKey,
		Title: lang.Msg("Sub-account key %[1]q (%[2]s)", k.Name, k.APIKey)}
	if !isReplacement && !k.CreatedAt.IsZero() && !k.CreatedAt.Before(f.since) {
		it.Verdict = Suspicious
		it.Explain = lang.Msg("It was made on %s, after the leak started. Whoever made it can send email from your account with it.", lang.DateMsg(k.CreatedAt))
		it.At = k.CreatedAt
		it.Recommend = lang.Msg("Turn it off, unless you made it. (It can be turned back on at app.mailjet.com.)")
		return it, true
	}
	// Usage belongs to the key's job, not to one pair: for a replacement,
	// the replaced key's history tells whether the job still exists.
	u, known := f.usage[k.APIKey]
	if old != "" {
		u, known = f.usage[old]
	}
	if !known || !Unused(u, f.now) {
		return Item{}, false
	}
	it.Verdict = Check
	switch {
	case old != "" && u.LastActivity.IsZero():
		it.Explain = lang.Msg("It replaced the key %q, which has never sent an email. A key nobody uses is one more key that can leak.", u.Name)
	case old != "":
		it.Explain = lang.Msg("It replaced the key %[1]q, which has sent nothing since %[2]s. A key nobody uses is one more key that can leak.",
			u.Name, lang.DateMsg(u.LastActivity))
	case u.LastActivity.IsZero():
		it.Explain = lang.Msg("It has never sent an email. A key nobody uses is one more key that can leak.")
	default:
		it.Explain = lang.Msg("It has sent nothing since %s. A key nobody uses is one more key that can leak.", lang.DateMsg(u.LastActivity))
	}
	it.Recommend = lang.Msg("Turn it off if no app or plugin uses it any more. (It can be turned back on at app.mailjet.com.)")
	return it, true
}
