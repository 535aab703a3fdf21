package wording

import (
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/lang"
)

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                                 "1 second",
		1500 * time.Millisecond:           "2 seconds",
		45 * time.Second:                  "45 seconds",
		time.Minute:                       "1 minute",
		90 * time.Second:                  "1 minute 30 seconds",
		10 * time.Minute:                  "10 minutes",
		time.Hour + 59*time.Second:        "1 hour",
		2*time.Hour + 5*time.Minute + 9e9: "2 hours 5 minutes",
	} {
		if got := Duration(nil, d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestDurationInFrench(t *testing.T) {
	fr := lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })
	for d, want := range map[time.Duration]string{
		0:                                 "1 seconde",
		45 * time.Second:                  "45 secondes",
		90 * time.Second:                  "1 minute 30 secondes",
		2*time.Hour + 5*time.Minute + 9e9: "2 heures 5 minutes",
	} {
		if got := Duration(fr, d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}
