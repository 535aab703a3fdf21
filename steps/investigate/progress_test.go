package investigate

import (
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var calls []int
	th := throttle{fn: func(p Progress) { calls = append(calls, p.Files) }, now: func() time.Time { return clock }}
	built := 0
	step := func(files int, after time.Duration) {
		clock = clock.Add(after)
		th.maybe(func() Progress { built++; return Progress{Files: files} })
	}
	step(1, 0)                    // first: called
	step(2, 50*time.Millisecond)  // too soon
	step(3, 49*time.Millisecond)  // still too soon (99 ms)
	step(4, 1*time.Millisecond)   // 100 ms: called
	step(5, 250*time.Millisecond) // called
	th.final(Progress{Files: 6})  // always
	want := []int{1, 4, 5, 6}
	if len(calls) != len(want) {
		t.Fatalf("calls %v, want %v", calls, want)
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Fatalf("calls %v, want %v", calls, want)
		}
	}
	if built != 3 {
		t.Errorf("progress built %d times, want only when reported (3)", built)
	}
	var none throttle // no callback: no panic
	none.maybe(func() Progress { t.Error("built without a callback"); return Progress{} })
	none.final(Progress{})
}
