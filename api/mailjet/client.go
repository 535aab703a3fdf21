// Package mailjet is a small client for the parts of Mailjet's REST v3 API
// that account recovery needs: listing, creating and deactivating API keys,
// reading the account, and checking whether a key pair authenticates; and,
// for the account review, listing and deleting event webhooks, parse routes
// and senders, and reading sending statistics.
//
// Only safe requests (GET; PUT, which is idempotent; DELETE of one object
// by ID, see deleteByID) are retried, on 429, 5xx and network errors, with
// jittered exponential backoff. POST is never retried. A 401 is reported as ErrUnauthorized; other failures as
// *Error, whose text from the server is sanitized.
package mailjet

// Why not the official SDK (github.com/mailjet/mailjet-apiv3-go/v4) for
// the calls: its HTTP client repeats every request, POST included, up to
// five times on a 500 (package-global NbAttempt), which could create
// duplicate API keys; it has no 429 handling or backoff; Mailjet's REST 401
// (an empty text/html body) becomes "unexpected server response" with the
// raw body embedded; and it serializes all calls behind one mutex with a
// stateful request builder. The sandbox is still tested against it.

import (
	"net/http"
	"time"

	"github.com/mjrecover/mjrecover/api/internal/apicall"
	"github.com/mjrecover/mjrecover/api/internal/retry"
	"github.com/mjrecover/mjrecover/api/secret"
)

// Hosts of the REST API.
const (
	DefaultBaseURL = "https://api.mailjet.com"
	USBaseURL      = "https://api.us.mailjet.com"
)

// Defaults of a new Client.
const (
	DefaultTimeout     = 20 * time.Second
	DefaultAttempts    = 4
	DefaultBackoffBase = 500 * time.Millisecond
	maxResponseBytes   = 8 << 20
	maxPageSize        = 1000 // Mailjet's largest Limit
	maxKeysListed      = 100_000
)

// Credentials are an API key pair: the public key and its secret.
type Credentials struct {
	APIKey string
	Secret secret.Secret
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (timeouts, transport). The default
// has a 20 s timeout and does not follow redirects. nil is ignored.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			c.ep.HTTP = hc
		}
	}
}

// WithRetry sets how many times a safe request is tried on 429/5xx or a
// network error (attempts counts every try, the first included: 1 disables
// retries) and the base delay of the jittered exponential backoff. Waits,
// a server's Retry-After included, are capped at 16 × base.
func WithRetry(attempts int, base time.Duration) Option {
	return func(c *Client) {
		c.ep.Retry = retry.Policy{Attempts: max(1, attempts), Base: max(0, base)}
	}
}

// withPageSize sets the Limit of each page of a listing (tests use small
// pages to exercise pagination).
func withPageSize(n int) Option {
	return func(c *Client) {
		if n > 0 && n <= maxPageSize {
			c.pageSize = n
		}
	}
}

// Client talks to one API host with one key pair. It is safe for
// concurrent use: it is never modified after New.
type Client struct {
	ep       apicall.Endpoint
	pageSize int
}

// New returns a client for baseURL (DefaultBaseURL, USBaseURL, or a
// sandbox URL) authenticating with creds. Plain http is refused for any
// host but this machine, so the secret never crosses a network in clear.
func New(baseURL string, creds Credentials, opts ...Option) *Client {
	c := &Client{
		ep: apicall.Endpoint{
			HTTP:    apicall.NewHTTPClient(DefaultTimeout),
			BaseURL: baseURL,
			User:    creds.APIKey,
			Pass:    creds.Secret,
			Retry:   retry.Policy{Attempts: DefaultAttempts, Base: DefaultBackoffBase},
			MaxBody: maxResponseBytes,
		},
		pageSize: maxPageSize,
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// BaseURL returns the API host the client talks to.
func (c *Client) BaseURL() string { return c.ep.BaseURL }

// Credentials returns the key pair the client uses.
func (c *Client) Credentials() Credentials {
	return Credentials{APIKey: c.ep.User, Secret: c.ep.Pass}
}

// WithCredentials returns a client for the same host and HTTP settings
// using another key pair.
func (c *Client) WithCredentials(creds Credentials) *Client {
	cp := *c
	cp.ep.User = creds.APIKey
	cp.ep.Pass = creds.Secret
	return &cp
}
