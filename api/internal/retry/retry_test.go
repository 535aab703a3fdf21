package retry

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

func TestWaitStaysWithinTheBackoffCeiling(t *testing.T) {
	p := Policy{Attempts: 4, Base: 100 * time.Millisecond}
	for n, ceiling := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, 1600 * time.Millisecond, 1600 * time.Millisecond} {
		for range 200 {
			if d := p.Wait(n, 0); d < 0 || d > ceiling {
				t.Fatalf("Wait(%d) = %v, want within [0, %v]", n, d, ceiling)
			}
		}
	}
	if d := p.Wait(100, 0); d > p.Cap() {
		t.Errorf("Wait(100) = %v beyond the cap %v", d, p.Cap())
	}
}

func TestWaitHonoursRetryAfterUpToTheCap(t *testing.T) {
	p := Policy{Attempts: 4, Base: 500 * time.Millisecond}
	if d := p.Wait(0, 2*time.Second); d != 2*time.Second {
		t.Errorf("Wait with Retry-After 2s = %v", d)
	}
	if d := p.Wait(0, time.Hour); d != 8*time.Second {
		t.Errorf("Wait with Retry-After 1h = %v, want the 8s cap", d)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{" 10 ", 10 * time.Second},
		{"0", 0},
		{"-5", 0},
		{"soon", 0},
		{now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	}
	for _, c := range cases {
		if got := ParseRetryAfter(c.in, now); got != c.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestRetryableStatus(t *testing.T) {
	for code, want := range map[int]bool{200: false, 304: false, 400: false, 401: false, 404: false, 429: true, 500: true, 503: true} {
		if got := RetryableStatus(code); got != want {
			t.Errorf("RetryableStatus(%d) = %v, want %v", code, got, want)
		}
	}
}

// In a synctest bubble the clock is fake: it moves only when every
// goroutine waits, so the durations below are exact, not measured.
func TestSleepStopsWhenContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		start := time.Now()
		if err := Sleep(ctx, time.Minute); err != context.Canceled {
			t.Fatalf("Sleep = %v, want context.Canceled", err)
		}
		if d := time.Since(start); d != 0 {
			t.Errorf("Sleep on an ended context waited %v, want no wait", d)
		}

		ctx, cancel = context.WithCancel(context.Background())
		defer cancel()
		start = time.Now()
		time.AfterFunc(time.Second, cancel)
		if err := Sleep(ctx, time.Minute); err != context.Canceled {
			t.Fatalf("Sleep = %v, want context.Canceled", err)
		}
		if d := time.Since(start); d != time.Second {
			t.Errorf("Sleep returned %v in, want when the context ended (1s)", d)
		}

		start = time.Now()
		if err := Sleep(context.Background(), time.Minute); err != nil || time.Since(start) != time.Minute {
			t.Errorf("Sleep = %v after %v, want nil after the full minute", err, time.Since(start))
		}
	})
}
