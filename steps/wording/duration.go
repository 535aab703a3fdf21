// Package wording holds the few ways of saying things that every part of
// the wizard shares, so a wait reads the same on every screen.
package wording

import (
	"time"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// Duration says d in words a customer reads at a glance, in p's language
// (nil: English): "45 seconds", "1 minute", "1 minute 30 seconds",
// "2 hours 5 minutes". Seconds are dropped from an hour up; nothing under
// a second is said.
func Duration(p *lang.Printer, d time.Duration) string {
	if d < time.Second {
		d = time.Second
	}
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case h > 0 && m > 0:
		return p.T("%d hour", h) + " " + p.T("%d minute", m)
	case h > 0:
		return p.T("%d hour", h)
	case m > 0 && s > 0:
		return p.T("%d minute", m) + " " + p.T("%d second", s)
	case m > 0:
		return p.T("%d minute", m)
	}
	return p.T("%d second", s)
}
