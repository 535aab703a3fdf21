package sandbox

import "time"

// usageProfile generates a key's sending history: no random numbers, so a
// test can count on the same figures every run.
type usageProfile struct {
	from, last  time.Time // first day of sending; last activity
	perDay      int64     // usual emails a day
	weekly      bool      // sends perDay once a week (a newsletter) instead of daily
	spikeFrom   time.Time // first day of a spam run (zero: none)
	spikeTo     time.Time // its last day
	spikePerDay int64
}

// dayCounts is one day of sending, counted by the day messages were sent.
type dayCounts struct {
	total, sent, blocked, softBounced, hardBounced, spam int64
}

func (d *dayCounts) add(o dayCounts) {
	d.total += o.total
	d.sent += o.sent
	d.blocked += o.blocked
	d.softBounced += o.softBounced
	d.hardBounced += o.hardBounced
	d.spam += o.spam
}

// on returns the counts of the day starting at day (UTC midnight).
func (p usageProfile) on(day time.Time) dayCounts {
	if p.from.IsZero() || day.Before(startOfDay(p.from)) || day.After(p.last) {
		return dayCounts{}
	}
	n := day.Unix() / 86400
	if !p.spikeFrom.IsZero() && !day.Before(p.spikeFrom) && !day.After(p.spikeTo) {
		// A spam run: sent to bought lists, so much of it is refused.
		total := p.spikePerDay + (n*7919)%2000
		return split(total, 220, 140, 60, 15)
	}
	if p.weekly && time.Unix(n*86400, 0).UTC().Weekday() != time.Tuesday {
		return dayCounts{}
	}
	total := p.perDay * (85 + (n*37)%31) / 100 // 85% to 115% of the usual
	return split(total, 5, 8, 7, 1)
}

// onHour returns the counts of the hour starting at hour. The history is
// by day, so an hour gets an even share of its day: the day's sending is
// spread over its hours up to the last activity, and the hours add up to
// the day.
func (p usageProfile) onHour(hour time.Time) dayCounts {
	day := startOfDay(hour)
	hours := int64(24)
	if startOfDay(p.last).Equal(day) {
		hours = int64(p.last.UTC().Hour()) + 1
	}
	h := int64(hour.UTC().Hour())
	if h >= hours {
		return dayCounts{}
	}
	return p.on(day).share(h, hours)
}

// share is part h of d cut in n: the n parts add up to d.
func (d dayCounts) share(h, n int64) dayCounts {
	part := func(x int64) int64 { return x*(h+1)/n - x*h/n }
	return dayCounts{total: part(d.total), sent: part(d.sent), blocked: part(d.blocked),
		softBounced: part(d.softBounced), hardBounced: part(d.hardBounced), spam: part(d.spam)}
}

// The sandbox's engagement model, of the messages delivered: 35% are
// opened, 4% clicked, 0.2% lead to an unsubscription.
func (d dayCounts) opened() int64       { return d.sent * 35 / 100 }
func (d dayCounts) clicked() int64      { return d.sent * 4 / 100 }
func (d dayCounts) unsubscribed() int64 { return d.sent * 2 / 1000 }

// split divides total by rates in thousandths.
func split(total, blocked, hard, soft, spam int64) dayCounts {
	d := dayCounts{
		total:       total,
		blocked:     total * blocked / 1000,
		hardBounced: total * hard / 1000,
		softBounced: total * soft / 1000,
		spam:        total * spam / 1000,
	}
	d.sent = total - d.blocked - d.hardBounced - d.softBounced
	return d
}

// lifetime sums every day up to now.
func (p usageProfile) lifetime(now time.Time) dayCounts {
	var sum dayCounts
	if p.from.IsZero() {
		return sum
	}
	for day := startOfDay(p.from); !day.After(now); day = day.AddDate(0, 0, 1) {
		sum.add(p.on(day))
	}
	return sum
}

// lastActivity is when the key last sent, or zero.
func (p usageProfile) lastActivity(now time.Time) time.Time {
	if p.from.IsZero() || p.last.After(now) {
		return time.Time{}
	}
	return p.last
}
