// Package verify checks leaked Mailjet key pairs: one read-only request
// per pair (GET /v3/REST/apikey?Limit=1, the api/mailjet client's
// CheckAuth), first on Mailjet's main API host and, when that answers 401,
// on the US host. A pair is live, refused (401 everywhere), or could not
// be checked (network error, timeout, 429, 5xx: never called refused).
// Keys are sent only to the configured hosts, which are Mailjet's unless a
// test or the sandbox names another; requests are spaced out.
package verify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

// DefaultInterval spaces requests: Mailjet publishes no rate limit, and a
// handful of pairs does not need speed.
const DefaultInterval = 500 * time.Millisecond

// Options configure a Checker.
type Options struct {
	// Hosts are tried in order while they answer 401; nil means Mailjet's
	// main host then its US host.
	Hosts []string
	// HTTPClient; nil means the mailjet client's default (timeout, no
	// redirects).
	HTTPClient *http.Client
	// Interval is the least time between two requests; 0 means
	// DefaultInterval, a negative value none (tests).
	Interval time.Duration
	// Attempts per request on 429/5xx/network errors (1: no retry).
	Attempts int
}

// Checker verifies pairs; it is safe for concurrent use.
type Checker struct {
	hosts    []string
	opts     []mailjet.Option
	interval time.Duration

	mu   sync.Mutex
	next time.Time
}

// New returns a Checker.
func New(o Options) *Checker {
	c := &Checker{hosts: o.Hosts, interval: o.Interval}
	if len(c.hosts) == 0 {
		c.hosts = []string{mailjet.DefaultBaseURL, mailjet.USBaseURL}
	}
	if c.interval == 0 {
		c.interval = DefaultInterval
	}
	attempts := o.Attempts
	if attempts <= 0 {
		attempts = 2
	}
	c.opts = []mailjet.Option{mailjet.WithRetry(attempts, time.Second)}
	if o.HTTPClient != nil {
		c.opts = append(c.opts, mailjet.WithHTTPClient(o.HTTPClient))
	}
	return c
}

// Verify checks one pair. The note names the host that accepted the pair,
// or says why it could not be checked.
func (c *Checker) Verify(ctx context.Context, apiKey string, s secret.Secret) (investigate.Verdict, string) {
	if !investigate.IsMailjetValue(apiKey) || !investigate.IsMailjetValue(s.Reveal()) {
		return investigate.NotChecked, "not checked: not a Mailjet key and secret"
	}
	creds := mailjet.Credentials{APIKey: apiKey, Secret: s}
	for _, host := range c.hosts {
		if err := c.wait(ctx); err != nil {
			return investigate.CouldNotCheck, "could not check: " + err.Error()
		}
		err := mailjet.New(host, creds, c.opts...).CheckAuth(ctx)
		switch {
		case err == nil:
			return investigate.Live, "Mailjet accepted this key and secret (" + host + ")"
		case errors.Is(err, mailjet.ErrUnauthorized):
			continue // maybe an account on the other host
		default:
			return investigate.CouldNotCheck, fmt.Sprintf("could not check: %v", err)
		}
	}
	return investigate.Refused, "Mailjet refused this key and secret (401): they no longer work"
}

// wait spaces requests by the interval.
func (c *Checker) wait(ctx context.Context) error {
	if c.interval < 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	now := time.Now()
	at := c.next
	if at.Before(now) {
		at = now
	}
	c.next = at.Add(c.interval)
	c.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return ctx.Err()
}
