package review

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
)

// statsPeriod is how far back the review reads daily sending.
const statsPeriod = 60 * 24 * time.Hour

// spike is a run of days with far more email than usual.
type spike struct {
	from, to time.Time
	total    int64 // emails in the spike days
	refused  int64 // of which blocked, bounced or marked as spam
	usual    int64 // a usual day's emails
}

// findSpike looks for days since since with more than five times the
// usual sending (and at least 200 more). The usual is the median day
// before since (or of the whole period when too little came before).
func findSpike(days []mailjet.DayCounts, since time.Time) (spike, bool) {
	days = slices.Clone(days)
	slices.SortFunc(days, func(a, b mailjet.DayCounts) int { return a.Day.Compare(b.Day) })
	start := since.Truncate(24 * time.Hour)
	var before []int64
	for _, d := range days {
		if d.Day.Before(start) {
			before = append(before, d.Total)
		}
	}
	if len(before) < 7 {
		before = before[:0]
		for _, d := range days {
			before = append(before, d.Total)
		}
	}
	s := spike{usual: median(before)}
	threshold := max(5*s.usual, s.usual+200)
	for _, d := range days {
		if d.Day.Before(start) || d.Total <= threshold {
			continue
		}
		if s.from.IsZero() {
			s.from = d.Day
		}
		s.to = d.Day
		s.total += d.Total
		s.refused += d.Blocked + d.HardBounced + d.SoftBounced + d.Spam
	}
	return s, !s.from.IsZero()
}

func median(v []int64) int64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.SortFunc(v, cmp.Compare[int64])
	return v[len(v)/2]
}

// sendingItem reports a key's sending since the leak.
func sendingItem(days []mailjet.DayCounts, since time.Time, keyName string) Item {
	it := Item{Area: AreaSending, Recommend: "Nothing to do."}
	who := "Your account"
	if keyName != "" {
		who = "The key " + keyName
	}
	s, found := findSpike(days, since)
	if !found {
		it.Verdict = OK
		it.Title = "No unusual sending"
		if keyName != "" {
			it.Title += " by " + keyName
		}
		it.Explain = fmt.Sprintf("%s sent about %s a day over the last %d days, with no spike since the leak started.",
			who, plural(int(s.usual), "email", "emails"), int(statsPeriod.Hours()/24))
		return it
	}
	when := "On " + dateWords(s.from)
	if !s.to.Equal(s.from) {
		when = fmt.Sprintf("From %s to %s", dateWords(s.from), dateWords(s.to))
	}
	it.Verdict = Suspicious
	it.Title = "A spike in sending"
	if keyName != "" {
		it.Title += " by " + keyName
	}
	it.Explain = fmt.Sprintf("%s, %s sent %s emails, where it usually sends about %s a day.",
		when, lower(who), thousands(s.total), plural(int(s.usual), "email", "emails"))
	if s.total > 0 && s.refused*100/s.total >= 10 {
		it.Explain += fmt.Sprintf(" %d%% were refused or bounced, a sign they went to bought address lists.", s.refused*100/s.total)
	}
	it.Recommend = "There is nothing to undo, but support will want to know: it is in the report. " +
		"Check your contact lists and campaigns for anything you did not make."
	return it
}

func lower(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// thousands writes 76250 as "76,250".
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
