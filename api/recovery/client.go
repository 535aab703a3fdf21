// Package recovery is the client for mjrecover's recovery API: the
// endpoints Mailjet's public API lacks (master-secret reset, password
// change, TOTP two-factor enrolment, recovery codes, support report).
// The routes and bodies are documented in api/recovery/README.md.
//
// It also holds the TOTP matching rule (MatchTOTP), so the server side
// (the sandbox) and anyone else check codes the same way.
//
// Only GET status is retried; every POST changes state and is sent once.
package recovery

import (
	"net/http"
	"time"

	"github.com/mjrecover/mjrecover/api/internal/apicall"
	"github.com/mjrecover/mjrecover/api/internal/retry"
	"github.com/mjrecover/mjrecover/api/mailjet"
)

// Defaults of a new Client.
const (
	DefaultTimeout     = 20 * time.Second
	DefaultAttempts    = 4
	DefaultBackoffBase = 500 * time.Millisecond
	maxResponseBytes   = 1 << 20
)

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client. The default has a 20 s timeout and
// does not follow redirects. nil is ignored.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			c.ep.HTTP = hc
		}
	}
}

// WithRetry sets how many times GET status is tried on 429/5xx or a
// network error (attempts counts every try: 1 disables retries) and the
// base delay of the jittered backoff (waits are capped at 16 × base).
func WithRetry(attempts int, base time.Duration) Option {
	return func(c *Client) {
		c.ep.Retry = retry.Policy{Attempts: max(1, attempts), Base: max(0, base)}
	}
}

// Client talks to the recovery API, authenticating with the account's
// master key pair (HTTP Basic, as the REST API). It is safe for concurrent
// use: it is never modified after New.
type Client struct {
	ep apicall.Endpoint
}

// New returns a client for the recovery API at baseURL. Plain http is
// refused for any host but this machine.
func New(baseURL string, creds mailjet.Credentials, opts ...Option) *Client {
	c := &Client{ep: apicall.Endpoint{
		HTTP:    apicall.NewHTTPClient(DefaultTimeout),
		BaseURL: baseURL,
		User:    creds.APIKey,
		Pass:    creds.Secret,
		Retry:   retry.Policy{Attempts: DefaultAttempts, Base: DefaultBackoffBase},
		MaxBody: maxResponseBytes,
	}}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// WithCredentials returns a client using another master key pair (after
// the master secret was reset).
func (c *Client) WithCredentials(creds mailjet.Credentials) *Client {
	cp := *c
	cp.ep.User = creds.APIKey
	cp.ep.Pass = creds.Secret
	return &cp
}
