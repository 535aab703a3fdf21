// Package recovery is the client for mjrecover's recovery API: the
// endpoints Mailjet's public API lacks (master-secret reset, password
// change, TOTP two-factor enrolment, recovery codes, support report).
// The routes and bodies are documented in api/recovery/README.md.
//
// CONTRACT STUB: signatures are fixed; bodies are being implemented.
package recovery

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/secret"
)

// Errors the confirm endpoint answers with (wrapped).
var (
	ErrWrongCode = errors.New("that code is not the current one")
	ErrCodeUsed  = errors.New("that code was already used; wait for the next one")
)

// TooManyTriesError is returned when the backend rate-limits code tries.
type TooManyTriesError struct{ RetryAfter time.Duration }

func (e *TooManyTriesError) Error() string { return "not implemented" }

// Status is what the backend knows of the recovery.
type Status struct {
	Email            string
	Disabled         bool
	MasterRotated    bool
	PasswordChanged  bool
	TwoFactorEnabled bool
	RecoveryCodes    int
	Ticket           string
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) {} }

// Client talks to the recovery API, authenticating with the account's
// master key pair (HTTP Basic, as the REST API).
type Client struct{}

// New returns a client for the recovery API at baseURL.
func New(baseURL string, creds mailjet.Credentials, opts ...Option) *Client { return &Client{} }

// WithCredentials returns a client using another master key pair (after
// the master secret was reset).
func (c *Client) WithCredentials(creds mailjet.Credentials) *Client { return &Client{} }

// Status reads GET /recovery/v1/status.
func (c *Client) Status(ctx context.Context) (Status, error) {
	return Status{}, errors.New("not implemented")
}

// ResetMasterSecret: POST /recovery/v1/master-secret. Returns the new
// secret; the old one stops working on the REST API at once. Never retried.
func (c *Client) ResetMasterSecret(ctx context.Context) (secret.Secret, error) {
	return secret.Secret{}, errors.New("not implemented")
}

// ChangePassword: POST /recovery/v1/password.
func (c *Client) ChangePassword(ctx context.Context, password secret.Secret) error {
	return errors.New("not implemented")
}

// EnrollTOTP: POST /recovery/v1/totp with the base32 seed. The seed is
// pending until ConfirmTOTP succeeds.
func (c *Client) EnrollTOTP(ctx context.Context, seed secret.Secret) error {
	return errors.New("not implemented")
}

// ConfirmTOTP: POST /recovery/v1/totp/confirm. Enables two-factor
// authentication when the code is right.
func (c *Client) ConfirmTOTP(ctx context.Context, code string) error {
	return errors.New("not implemented")
}

// RecoveryCodes: POST /recovery/v1/recovery-codes. Returns a fresh set of
// single-use codes (the backend keeps only their hashes).
func (c *Client) RecoveryCodes(ctx context.Context) ([]secret.Secret, error) {
	return nil, errors.New("not implemented")
}

// SubmitReport: POST /recovery/v1/support with the report as JSON.
// Returns the ticket reference.
func (c *Client) SubmitReport(ctx context.Context, report any) (string, error) {
	return "", errors.New("not implemented")
}
