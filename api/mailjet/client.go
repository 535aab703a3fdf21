// Package mailjet is a small client for the parts of Mailjet's REST v3 API
// that account recovery needs: listing, creating and deactivating API keys,
// reading the account, and checking whether a key pair authenticates.
//
// CONTRACT STUB: signatures are fixed; bodies are being implemented.
package mailjet

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
)

// Hosts of the REST API.
const (
	DefaultBaseURL = "https://api.mailjet.com"
	USBaseURL      = "https://api.us.mailjet.com"
)

// Credentials are an API key pair: the public key and its secret.
type Credentials struct {
	APIKey string
	Secret secret.Secret
}

// APIKey is one entry of the apikey resource.
type APIKey struct {
	ID        int64
	APIKey    string
	Secret    secret.Secret // empty when the API masks it
	Name      string
	IsActive  bool
	IsMaster  bool
	CreatedAt time.Time
}

// Account is the user resource: who owns the keys.
type Account struct {
	ID       int64
	Email    string
	Username string
}

// ErrUnauthorized is returned (wrapped) when Mailjet answers 401: the key
// pair is wrong or the key is inactive.
var ErrUnauthorized = errors.New("Mailjet refused the API key and secret (401)")

// Error is a non-2xx answer other than 401, in Mailjet's error shapes.
// Message is sanitized (no control characters) and truncated.
type Error struct {
	Method     string
	Path       string
	StatusCode int
	Message    string
	Identifier string // ErrorIdentifier when Mailjet sends one
}

func (e *Error) Error() string { return "not implemented" }

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (timeouts, transport).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) {} }

// WithRetry sets how many times a safe request is retried on 429/5xx or a
// network error, and the base delay of the jittered exponential backoff.
func WithRetry(attempts int, base time.Duration) Option { return func(c *Client) {} }

// Client talks to one API host with one key pair. It is safe for
// concurrent use.
type Client struct{}

// New returns a client for baseURL (DefaultBaseURL, USBaseURL, or a
// sandbox URL) authenticating with creds.
func New(baseURL string, creds Credentials, opts ...Option) *Client { return &Client{} }

// BaseURL returns the API host the client talks to.
func (c *Client) BaseURL() string { return "" }

// Credentials returns the key pair the client uses.
func (c *Client) Credentials() Credentials { return Credentials{} }

// WithCredentials returns a client for the same host and HTTP settings
// using another key pair.
func (c *Client) WithCredentials(creds Credentials) *Client { return &Client{} }

// CheckAuth makes one read-only call (GET /v3/REST/apikey?Limit=1). It
// returns nil when the pair authenticates, an error wrapping
// ErrUnauthorized on 401, or another error when it could not tell.
func (c *Client) CheckAuth(ctx context.Context) error { return errors.New("not implemented") }

// Account reads GET /v3/REST/user.
func (c *Client) Account(ctx context.Context) (Account, error) {
	return Account{}, errors.New("not implemented")
}

// ListAPIKeys reads every page of GET /v3/REST/apikey.
func (c *Client) ListAPIKeys(ctx context.Context) ([]APIKey, error) {
	return nil, errors.New("not implemented")
}

// CreateAPIKey creates a sub-account key (POST /v3/REST/apikey). It is
// never retried: a repeated POST could create a second key.
func (c *Client) CreateAPIKey(ctx context.Context, name string) (APIKey, error) {
	return APIKey{}, errors.New("not implemented")
}

// SetAPIKeyActive activates or deactivates a key
// (PUT /v3/REST/apikey/{ID} {"IsActive":...}).
func (c *Client) SetAPIKeyActive(ctx context.Context, id int64, active bool) error {
	return errors.New("not implemented")
}
