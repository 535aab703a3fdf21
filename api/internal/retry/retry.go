// Package retry holds the backoff policy shared by the API clients:
// bounded exponential backoff with full jitter, which spreads retries of
// many clients instead of having them hit a struggling server together.
package retry

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// capFactor bounds the backoff (and any Retry-After) at capFactor × base:
// 8 s for a 500 ms base. Tying the cap to the base lets tests use a
// millisecond base without waiting out a server's "Retry-After: 1".
const capFactor = 16

// Policy says how often and how patiently a safe request is repeated.
type Policy struct {
	Attempts int           // every try, the first included; 1 disables retries
	Base     time.Duration // first backoff ceiling; doubles each retry
}

// Cap is the longest single wait.
func (p Policy) Cap() time.Duration { return p.Base * capFactor }

// Tries is Attempts, at least 1.
func (p Policy) Tries() int { return max(1, p.Attempts) }

// Wait is how long to sleep before retry number n (0 for the first
// retry). A server's Retry-After wins over the backoff but is capped too.
func (p Policy) Wait(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, p.Cap())
	}
	if p.Base <= 0 {
		return 0
	}
	ceiling := p.Cap()
	if n < 30 { // beyond that the shift overflows; the cap applies anyway
		ceiling = min(p.Base<<n, ceiling)
	}
	return rand.N(ceiling + 1) // full jitter: uniform in [0, ceiling]
}

// Sleep waits d or until ctx ends, whichever is first.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// RetryableStatus reports whether an answer with this status may succeed
// if the same safe request is sent again: rate limiting and server errors.
func RetryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500 && code <= 599
}

// ParseRetryAfter reads a Retry-After header (delay in seconds, or an
// HTTP date). It returns 0 when the header is absent or unusable.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, 24*3600)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
