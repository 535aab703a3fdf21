// Package pwned queries a Pwned Passwords compatible range API
// (k-anonymity: only the first 5 hex characters of the SHA-1 leave the
// machine).
//
// CONTRACT STUB: signatures are fixed; bodies are being implemented.
package pwned

import (
	"context"
	"errors"
	"net/http"

	"github.com/mjrecover/mjrecover/api/secret"
)

// DefaultBaseURL is Have I Been Pwned's range API.
const DefaultBaseURL = "https://api.pwnedpasswords.com"

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) {} }

// Client asks one range API.
type Client struct{}

// New returns a client for baseURL.
func New(baseURL string, opts ...Option) *Client { return &Client{} }

// Count returns how many times the password appears in breach data
// (0 when it does not).
func (c *Client) Count(ctx context.Context, password secret.Secret) (int, error) {
	return 0, errors.New("not implemented")
}
