package timeline

import (
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Story says the events in order, one plain sentence each, in p's
// language with times in loc (screens: time.Local; the report: UTC).
func Story(p *lang.Printer, events []Event, loc *time.Location) []string {
	events = Sorted(events)
	spike, hasSpike := First(events, Spike)
	var out []string
	for _, e := range events {
		s := e.say(p, loc)
		if e.Kind == Downloaded && hasSpike {
			s = p.T("%[1]s, %[2]s", s, relation(p, e.At, spike.At, loc))
		}
		out = append(out, s+".")
	}
	return out
}

// Cause is the sentence the report's likely cause adds: the first
// download, and how long before the sending spike it came; "" when the
// logs show no download.
func Cause(p *lang.Printer, events []Event, loc *time.Location) string {
	first, ok := First(events, Downloaded)
	if !ok {
		return ""
	}
	s := first.say(p, loc)
	if spike, ok := First(events, Spike); ok {
		s = p.T("%[1]s, %[2]s", s, relation(p, first.At, spike.At, loc))
	}
	return s + "."
}

func (e Event) say(p *lang.Printer, loc *time.Location) string {
	at := e.At.In(loc)
	switch e.Kind {
	case Published:
		return p.T("%[1]s last changed on %[2]s: it may have been on the website since then", clean(e.Path), p.Moment(at))
	case Downloaded:
		return p.T("%[2]s was downloaded %[1]d time, first on %[3]s by %[4]s", e.Count, clean(e.Path), p.Moment(at), who(p, e))
	case Probed:
		return p.T("%[1]d address searched the site for secret files, the first on %[2]s by %[3]s", int64(e.Clients), p.Moment(at), who(p, e))
	case Spike:
		return p.T("Your account began sending far more email than usual on %s", p.Date(e.At))
	case Added:
		return p.T("Added to the account on %[1]s: %[2]s", p.Date(at), p.Say(e.What))
	case Rotated:
		return p.T("The old secret keys stopped working on %s", p.Moment(at))
	}
	return p.Moment(at)
}

// who names a client with its program: "203.0.113.7 (python-requests)".
func who(p *lang.Printer, e Event) string {
	if e.Agent == "" {
		return clean(e.Client)
	}
	return p.T("%[1]s (%[2]s)", clean(e.Client), clean(investigate.AgentName(e.Agent)))
}

// relation says when t came compared with the spike's first day, in days
// of the reader's calendar.
func relation(p *lang.Printer, t, spikeDay time.Time, loc *time.Location) string {
	d := dayNumber(t.In(loc)) - dayNumber(spikeDay.UTC())
	switch {
	case d < 0:
		return p.T("%d day before the sending spike", -d)
	case d == 0:
		return p.T("the day the sending spike began")
	}
	return p.T("%d day after the sending spike began", d)
}

// dayNumber counts calendar days, so 23:59 and 00:01 are a day apart.
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func clean(s string) string { return untrusted.Clean(s) }
