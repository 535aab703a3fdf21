package recovery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/mjrecover/mjrecover/api/internal/apicall"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
)

// Status is what the backend knows of the recovery.
type Status struct {
	Email         string
	Disabled      bool
	MasterRotated bool
	// MasterRotatedAt is when the master secret was last reset or
	// activated (UTC); zero when never, or when the server sent no
	// readable time.
	MasterRotatedAt time.Time
	// MasterPending: a new master secret was prepared and can still be
	// activated (PrepareMasterSecret, ActivateMasterSecret).
	MasterPending    bool
	PasswordChanged  bool
	TwoFactorEnabled bool
	RecoveryCodes    int
	Ticket           string
}

// statusJSON is the wire form of Status. MasterRotatedAt is read as text
// and parsed here: time.Time's own decoder quotes a bad value in its
// error, and the value is untrusted server text.
type statusJSON struct {
	Email            string
	Disabled         bool
	MasterRotated    bool
	MasterRotatedAt  string // RFC 3339; omitted or null when never
	MasterPending    bool
	PasswordChanged  bool
	TwoFactorEnabled bool
	RecoveryCodes    int
	Ticket           string
}

// Status reads GET /recovery/v1/status.
func (c *Client) Status(ctx context.Context) (Status, error) {
	reply, err := c.ep.Do(ctx, apicall.Call{Method: http.MethodGet, Path: PathStatus, Idempotent: true})
	if err != nil {
		return Status{}, err
	}
	if !isSuccess(reply.StatusCode) {
		return Status{}, c.replyError(http.MethodGet, PathStatus, reply, nil)
	}
	var w statusJSON
	if err := decodeInto(http.MethodGet, PathStatus, reply.Body, &w); err != nil {
		return Status{}, err
	}
	rotatedAt, _ := parseTime(w.MasterRotatedAt) // informational: unreadable counts as unknown
	return Status{
		Email:            untrusted.Text(w.Email, 254),
		Disabled:         w.Disabled,
		MasterRotated:    w.MasterRotated,
		MasterRotatedAt:  rotatedAt,
		MasterPending:    w.MasterPending,
		PasswordChanged:  w.PasswordChanged,
		TwoFactorEnabled: w.TwoFactorEnabled,
		RecoveryCodes:    w.RecoveryCodes,
		Ticket:           untrusted.Text(w.Ticket, 64),
	}, nil
}

// ResetMasterSecret: POST /recovery/v1/master-secret. Returns the new
// secret; the old one stops working on the REST API at once. Never retried.
// After a network error the reset may still have happened: check whether
// the old pair still authenticates before trying again.
//
// Deprecated: if the answer is lost (the process dies, the connection
// drops), the new secret is lost with it and the old one is already
// refused, which locks the account out of both APIs. Use
// PrepareMasterSecret, save or show the pending secret, then
// ActivateMasterSecret.
func (c *Client) ResetMasterSecret(ctx context.Context) (secret.Secret, error) {
	var out struct {
		APIKey    string
		SecretKey string
	}
	if err := c.post(ctx, PathMasterSecret, nil, &out, nil); err != nil {
		return secret.Secret{}, fmt.Errorf("reset the master secret: %w", err)
	}
	if !isPrintableToken(out.SecretKey) {
		return secret.Secret{}, errors.New("reset the master secret: the answer holds no usable secret")
	}
	return secret.New(out.SecretKey), nil
}

// ChangePassword: POST /recovery/v1/password. A refusal by the server's
// own policy wraps ErrPasswordRefused; the *Error's Message says why.
func (c *Client) ChangePassword(ctx context.Context, password secret.Secret) error {
	if password.IsZero() {
		return errors.New("change the password: the new password is empty")
	}
	body := struct{ Password string }{password.Reveal()}
	err := c.post(ctx, PathPassword, body, nil, byStatus{http.StatusUnprocessableEntity: ErrPasswordRefused})
	if err != nil {
		return fmt.Errorf("change the password: %w", err)
	}
	return nil
}

// isPrintableToken reports whether s is a plausible secret: 1 to 256
// printable ASCII characters, nothing a terminal would interpret.
func isPrintableToken(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
