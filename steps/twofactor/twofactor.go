// Package twofactor enrols a TOTP authenticator: it makes the key and its
// otpauth URI, confirms the first code with the backend (with a try limit
// and back-off), and saves recovery codes.
//
// CONTRACT STUB: signatures are fixed; bodies are being implemented.
package twofactor

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
)

// Issuer is the label authenticator apps show.
const Issuer = "Mailjet"

// MaxTries wrong codes are allowed before a back-off.
const MaxTries = 5

// Backend enables two-factor authentication (api/recovery.Client).
type Backend interface {
	EnrollTOTP(ctx context.Context, seed secret.Secret) error
	ConfirmTOTP(ctx context.Context, code string) error
	RecoveryCodes(ctx context.Context) ([]secret.Secret, error)
}

// Errors from Confirm (wrapped or typed).
var (
	ErrFormat = errors.New("the code is the 6 digits your app shows")
)

// WrongCodeError: the code was refused; TriesLeft before a back-off.
type WrongCodeError struct {
	TriesLeft int
	Used      bool // refused because it was already accepted once
}

func (e *WrongCodeError) Error() string { return "not implemented" }

// BackoffError: too many wrong codes; wait before the next try.
type BackoffError struct{ Wait time.Duration }

func (e *BackoffError) Error() string { return "not implemented" }

// Enrollment is one TOTP key being set up.
type Enrollment struct{}

// New makes a key for account (the account's email) with 160 random bits
// from rnd (crypto/rand.Reader in production).
func New(account string, rnd io.Reader) (*Enrollment, error) {
	return nil, errors.New("not implemented")
}

// URI is the otpauth:// URI for the QR code: issuer label and issuer=
// parameter equal, no default parameters, percent-encoded (%20, not +).
func (e *Enrollment) URI() string { return "" }

// Seed is the base32 secret (unpadded).
func (e *Enrollment) Seed() secret.Secret { return secret.Secret{} }

// Account is the account name in the URI.
func (e *Enrollment) Account() string { return "" }

// Start registers the (pending) key with the backend.
func (e *Enrollment) Start(ctx context.Context, b Backend) error {
	return errors.New("not implemented")
}

// Wait reports how long the user must wait before the next try (0: now).
func (e *Enrollment) Wait(now time.Time) time.Duration { return 0 }

// Confirm sends code to the backend. It refuses a malformed code
// (ErrFormat) without counting a try, returns *BackoffError while backing
// off, and *WrongCodeError for a refused code.
func (e *Enrollment) Confirm(ctx context.Context, b Backend, code string, now time.Time) error {
	return errors.New("not implemented")
}

// GroupsOf4 formats a secret for manual entry: "ABCD EFGH IJKL".
func GroupsOf4(s string) string { return s }

// SaveCodes writes recovery codes to path (created 0600, never overwriting).
func SaveCodes(path, account string, codes []secret.Secret) error {
	return errors.New("not implemented")
}
