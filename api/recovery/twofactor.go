package recovery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mjrecover/mjrecover/api/secret"
)

// EnrollTOTP: POST /recovery/v1/totp with the base32 seed. The seed is
// pending until ConfirmTOTP succeeds. A new enrolment replaces a pending
// seed; once two-factor is on it wraps ErrTwoFactorEnabled.
func (c *Client) EnrollTOTP(ctx context.Context, seed secret.Secret) error {
	if seed.IsZero() {
		return errors.New("enrol the authenticator: the key is empty")
	}
	body := struct{ Secret string }{NormalizeSeed(seed.Reveal())}
	err := c.post(ctx, PathTOTP, body, nil, byStatus{
		http.StatusBadRequest: ErrBadSeed,
		http.StatusConflict:   ErrTwoFactorEnabled,
	})
	if err != nil {
		return fmt.Errorf("enrol the authenticator: %w", err)
	}
	return nil
}

// ConfirmTOTP: POST /recovery/v1/totp/confirm. Enables two-factor
// authentication when the code is right. Errors wrap ErrWrongCode,
// ErrCodeUsed (a replay), ErrMalformedCode or ErrNoPendingTOTP, or are a
// *TooManyTriesError.
func (c *Client) ConfirmTOTP(ctx context.Context, code string) error {
	body := struct{ Code string }{strings.Join(strings.Fields(code), "")}
	err := c.post(ctx, PathTOTPConfirm, body, nil, byStatus{
		http.StatusBadRequest:          ErrMalformedCode,
		http.StatusNotFound:            ErrNoPendingTOTP,
		http.StatusConflict:            ErrCodeUsed,
		http.StatusUnprocessableEntity: ErrWrongCode,
	})
	if err != nil {
		return fmt.Errorf("confirm the authenticator code: %w", err)
	}
	return nil
}

// maxRecoveryCodes bounds what a server may send back.
const maxRecoveryCodes = 100

// RecoveryCodes: POST /recovery/v1/recovery-codes. Returns a fresh set of
// single-use codes (the backend keeps only their hashes); the previous set
// stops working. Before two-factor is on it wraps ErrTwoFactorNotEnabled.
func (c *Client) RecoveryCodes(ctx context.Context) ([]secret.Secret, error) {
	var out struct{ Codes []string }
	err := c.post(ctx, PathRecoveryCodes, nil, &out, byStatus{http.StatusConflict: ErrTwoFactorNotEnabled})
	if err != nil {
		return nil, fmt.Errorf("make recovery codes: %w", err)
	}
	if len(out.Codes) == 0 || len(out.Codes) > maxRecoveryCodes {
		return nil, fmt.Errorf("make recovery codes: the answer holds %d codes", len(out.Codes))
	}
	codes := make([]secret.Secret, 0, len(out.Codes))
	for i, code := range out.Codes {
		if !isPrintableToken(code) || len(code) > 64 {
			// The code itself is not quoted: it is a secret.
			return nil, fmt.Errorf("make recovery codes: code %d of the answer is malformed", i+1)
		}
		codes = append(codes, secret.New(code))
	}
	return codes, nil
}
