// Package wording holds the few ways of saying things that every part of
// the wizard shares, so a wait reads the same on every screen.
package wording

import (
	"fmt"
	"time"
)

// Duration says d in words a customer reads at a glance: "45 seconds",
// "1 minute", "1 minute 30 seconds", "2 hours 5 minutes". Seconds are
// dropped from an hour up; nothing under a second is said.
func Duration(d time.Duration) string {
	if d < time.Second {
		d = time.Second
	}
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case h > 0 && m > 0:
		return count(h, "hour") + " " + count(m, "minute")
	case h > 0:
		return count(h, "hour")
	case m > 0 && s > 0:
		return count(m, "minute") + " " + count(s, "second")
	case m > 0:
		return count(m, "minute")
	}
	return count(s, "second")
}

func count(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
