// Package twofactor enrols a TOTP authenticator: it makes the key and its
// otpauth URI, confirms the first code with the backend (with a try limit
// and back-off), and saves recovery codes.
package twofactor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Issuer is the label authenticator apps show.
const Issuer = "Mailjet"

// MaxTries wrong codes are allowed before a back-off.
const MaxTries = 5

// SecretSize is the key size in bytes: 160 bits, as RFC 4226 recommends.
const SecretSize = 20

// Backend enables two-factor authentication (api/recovery.Client).
type Backend interface {
	EnrollTOTP(ctx context.Context, seed secret.Secret) error
	ConfirmTOTP(ctx context.Context, code string) error
	RecoveryCodes(ctx context.Context) ([]secret.Secret, error)
}

// Enrollment is one TOTP key being set up. It is safe for concurrent use.
type Enrollment struct {
	account string
	seed    secret.Secret // base32, unpadded
	tries   *tries
	lang    *lang.Printer // the customer's language, for the errors
}

// tries is the mutable part, behind a pointer so that Enrollment values
// can be formatted and copied without copying the lock.
type tries struct {
	mu       sync.Mutex
	throttle throttle
}

// Format prints the account only. fmt cannot call Secret's own masking
// on an unexported field: without this, %v would print the seed.
func (e Enrollment) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "twofactor.Enrollment{Account: %q, Seed: %s}", e.account, secret.Mask)
}

// New makes a key for account (the account's email) with 160 random bits
// from rnd (crypto/rand.Reader in production). Its errors speak p's
// language (nil: English).
func New(p *lang.Printer, account string, rnd io.Reader) (*Enrollment, error) {
	account = strings.TrimSpace(account)
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      Issuer,
		AccountName: account,
		SecretSize:  SecretSize,
		Digits:      otp.DigitsSix,
		Algorithm:   otp.AlgorithmSHA1,
		Period:      30,
		Rand:        rnd,
	})
	if err != nil {
		return nil, fmt.Errorf("make the authenticator key for %q: %w", account, err)
	}
	return &Enrollment{account: account, seed: secret.New(key.Secret()), tries: &tries{}, lang: p}, nil
}

// URI is the otpauth:// URI for the QR code: issuer label and issuer=
// parameter equal, no default parameters, percent-encoded (%20, not +).
func (e *Enrollment) URI() string {
	return KeyURI(Issuer, e.account, e.seed)
}

// Seed is the base32 secret (unpadded).
func (e *Enrollment) Seed() secret.Secret { return e.seed }

// Account is the account name in the URI.
func (e *Enrollment) Account() string { return e.account }

// Start registers the (pending) key with the backend. When two-factor
// authentication is already on, the error wraps recovery.ErrTwoFactorEnabled.
func (e *Enrollment) Start(ctx context.Context, b Backend) error {
	err := b.EnrollTOTP(ctx, e.seed)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, recovery.ErrTwoFactorEnabled):
		return &saidError{e.lang.T("Two-factor authentication is already on for this account: %s", err.Error()), err}
	}
	return &saidError{e.lang.T("Could not register the authenticator key with Mailjet: %s", err.Error()), err}
}

// GroupsOf4 formats a secret for manual entry: "ABCD EFGH IJKL".
func GroupsOf4(s string) string {
	r := []rune(strings.Join(strings.Fields(s), ""))
	var b strings.Builder
	for i, c := range r {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}
