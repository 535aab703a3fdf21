package review

import (
	"testing"
	"time"
)

// Unused is the one rule the rotation's plan and the review share.
func TestUnused(t *testing.T) {
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	old := now.Add(-2 * minKeyAge)
	for _, c := range []struct {
		name string
		u    KeyUsage
		want bool
	}{
		{"never sent", KeyUsage{Known: true, CreatedAt: old}, true},
		{"idle for long", KeyUsage{Known: true, CreatedAt: old, LastActivity: now.Add(-idleAfter)}, true},
		{"sent lately", KeyUsage{Known: true, CreatedAt: old, LastActivity: now.Add(-idleAfter + time.Hour)}, false},
		{"too young", KeyUsage{Known: true, CreatedAt: now.Add(-minKeyAge + time.Hour)}, false},
		{"not read", KeyUsage{CreatedAt: old}, false},
		{"no date", KeyUsage{Known: true}, false},
	} {
		if got := Unused(c.u, now); got != c.want {
			t.Errorf("%s: Unused = %v, want %v", c.name, got, c.want)
		}
	}
}
