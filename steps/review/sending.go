package review

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/steps/lang"
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

// FirstSpike reads the daily sending of api's key over the statistics
// period and returns the first day of a spike since since (see
// findSpike); found is false when there is none.
func FirstSpike(ctx context.Context, api *mailjet.Client, since, now time.Time) (first time.Time, found bool, err error) {
	days, err := api.DailySending(ctx, now.Add(-statsPeriod), now)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read the sending statistics: %w", err)
	}
	s, found := findSpike(days, since)
	return s.from, found, nil
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
	it := Item{Area: AreaSending, Recommend: lang.Msg("Nothing to do.")}
	period := int(statsPeriod.Hours() / 24)
	s, found := findSpike(days, since)
	if !found {
		it.Verdict = OK
		if keyName == "" {
			it.Title = lang.Msg("No unusual sending")
			it.Explain = lang.Msg("Your account sent about %[1]d email a day over the last %[2]d days, with no spike since the leak started.",
				s.usual, period)
		} else {
			it.Title = lang.Msg("No unusual sending by %s", keyName)
			it.Explain = lang.Msg("The key %[2]s sent about %[1]d email a day over the last %[3]d days, with no spike since the leak started.",
				s.usual, keyName, period)
		}
		return it
	}
	when := lang.Msg("On %s", lang.DateMsg(s.from))
	if !s.to.Equal(s.from) {
		when = lang.Msg("From %[1]s to %[2]s", lang.DateMsg(s.from), lang.DateMsg(s.to))
	}
	it.Verdict, it.At = Suspicious, s.from
	var explain lang.Message
	if keyName == "" {
		it.Title = lang.Msg("A spike in sending")
		explain = lang.Msg("%[2]s, your account sent %[3]d emails, where it usually sends about %[1]d email a day.", s.usual, when, s.total)
	} else {
		it.Title = lang.Msg("A spike in sending by %s", keyName)
		explain = lang.Msg("%[2]s, the key %[4]s sent %[3]d emails, where it usually sends about %[1]d email a day.", s.usual, when, s.total, keyName)
	}
	if s.total > 0 && s.refused*100/s.total >= 10 {
		explain = lang.Msg("%[1]s %[2]s", explain, lang.Msg("%d%% were refused or bounced, a sign they went to bought address lists.", s.refused*100/s.total))
	}
	it.Explain = explain
	it.Recommend = lang.Msg("There is nothing to undo, but support will want to know: it is in the report. " +
		"Check your contact lists and campaigns for anything you did not make.")
	return it
}
