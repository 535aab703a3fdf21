// Package pwned queries a Pwned Passwords compatible range API
// (k-anonymity: only the first 5 hex characters of the SHA-1 leave the
// machine).
//
// Requests ask for padding (Add-Padding: true) so the answer's size does
// not reveal the prefix; padding lines (count 0) are ignored. Errors never
// hold the password or its full hash, only the 5-character prefix.
package pwned

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/internal/apicall"
	"github.com/mjrecover/mjrecover/api/internal/retry"
	"github.com/mjrecover/mjrecover/api/secret"
)

// DefaultBaseURL is Have I Been Pwned's range API.
const DefaultBaseURL = "https://api.pwnedpasswords.com"

// Defaults of a new Client.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultAttempts    = 3
	DefaultBackoffBase = 250 * time.Millisecond
	maxResponseBytes   = 2 << 20 // a padded answer is ~40 KB
)

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client. The default has a 10 s timeout and
// does not follow redirects. nil is ignored.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			c.ep.HTTP = hc
		}
	}
}

// WithRetry sets how many times a range query is tried on 429/5xx or a
// network error (attempts counts every try: 1 disables retries) and the
// base delay of the jittered backoff (waits are capped at 16 × base).
func WithRetry(attempts int, base time.Duration) Option {
	return func(c *Client) {
		c.ep.Retry = retry.Policy{Attempts: max(1, attempts), Base: max(0, base)}
	}
}

// Client asks one range API. It is safe for concurrent use.
type Client struct {
	ep apicall.Endpoint
}

// New returns a client for baseURL.
func New(baseURL string, opts ...Option) *Client {
	c := &Client{ep: apicall.Endpoint{
		HTTP:    apicall.NewHTTPClient(DefaultTimeout),
		BaseURL: baseURL,
		Retry:   retry.Policy{Attempts: DefaultAttempts, Base: DefaultBackoffBase},
		MaxBody: maxResponseBytes,
	}}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// Count returns how many times the password appears in breach data
// (0 when it does not).
func (c *Client) Count(ctx context.Context, password secret.Secret) (int, error) {
	sum := sha1.Sum([]byte(password.Reveal()))
	hash := strings.ToUpper(hex.EncodeToString(sum[:]))
	prefix, suffix := hash[:5], hash[5:]
	call := apicall.Call{
		Method:     http.MethodGet,
		Path:       "/range/" + prefix,
		Header:     map[string]string{"Add-Padding": "true", "Accept": "text/plain"},
		Idempotent: true,
	}
	reply, err := c.ep.Do(ctx, call)
	if err != nil {
		return 0, fmt.Errorf("check the password against breach data: %w", err)
	}
	if reply.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("check the password against breach data: %s %s: the service answered %d (%s)",
			call.Method, call.Path, reply.StatusCode, apicall.StatusWords(reply.StatusCode))
	}
	n, err := countSuffix(reply.Body, suffix)
	if err != nil {
		return 0, fmt.Errorf("check the password against breach data: %s %s: %w", call.Method, call.Path, err)
	}
	return n, nil
}
