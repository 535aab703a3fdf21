package recovery

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/mjrecover/mjrecover/api/internal/apicall"
	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
)

// The master secret is reset in two phases so that no lost answer can
// lock the customer out: the server first hands out a new secret that does
// not work yet (PrepareMasterSecret); the client shows or saves it; only
// then does it switch it on (ActivateMasterSecret). If the client dies
// between the two, the old secret still works. If the activation's answer
// is lost, the client activates again with the same pending secret and
// learns that it is already active.

// PendingSecret is a new master secret the server handed out but has not
// switched on: the current secret keeps working until ActivateMasterSecret.
type PendingSecret struct {
	APIKey    string // the master key; it does not change
	Secret    secret.Secret
	ExpiresAt time.Time // UTC; after it the secret can no longer be activated
}

// Activation is the answer of ActivateMasterSecret.
type Activation struct {
	APIKey        string
	ActivatedAt   time.Time // UTC; zero if the server sent no readable time
	AlreadyActive bool      // a repeat: an earlier activation had switched it on
}

// PrepareMasterSecret: POST /recovery/v1/master-secret/pending. Returns a
// new master secret that does not work yet. Nothing else changes, so after
// a network error it is safe to call again; a new call replaces the
// pending secret, and only the latest can be activated. Never retried
// automatically.
func (c *Client) PrepareMasterSecret(ctx context.Context) (PendingSecret, error) {
	const doing = "prepare a new master secret"
	var out struct {
		APIKey    string
		SecretKey string
		ExpiresAt string
	}
	if err := c.post(ctx, PathMasterSecretPending, nil, &out, nil); err != nil {
		return PendingSecret{}, fmt.Errorf("%s: %w", doing, err)
	}
	if !isPrintableToken(out.SecretKey) {
		return PendingSecret{}, fmt.Errorf("%s: the answer holds no usable secret", doing)
	}
	apiKey, err := c.answeredKey(out.APIKey)
	if err != nil {
		// Saved under another key, the secret would be useless.
		return PendingSecret{}, fmt.Errorf("%s: %w", doing, err)
	}
	expires, ok := parseTime(out.ExpiresAt)
	if !ok {
		return PendingSecret{}, fmt.Errorf("%s: the answer's ExpiresAt is not an RFC 3339 time", doing)
	}
	return PendingSecret{APIKey: apiKey, Secret: secret.New(out.SecretKey), ExpiresAt: expires}, nil
}

// ActivateMasterSecret: POST /recovery/v1/master-secret/activate,
// authenticated with the client's API key and pending as its secret (the
// only request where a pending secret authenticates). From then on pending
// is the master secret and the old one is refused on both APIs: use
// WithCredentials for later calls.
//
// It is never retried automatically, but it is safe to call again after a
// network error: within 24 hours a repeat with the same secret answers
// AlreadyActive. A 401 (wrapping mailjet.ErrUnauthorized) means pending is
// not the pending secret (replaced or expired) nor the one last
// activated: the old secret is still the master secret.
func (c *Client) ActivateMasterSecret(ctx context.Context, pending secret.Secret) (Activation, error) {
	const doing = "activate the new master secret"
	if pending.IsZero() {
		return Activation{}, fmt.Errorf("%s: the new secret is empty", doing)
	}
	// A client of its own, so that its error text masks the pending
	// secret if the server echoes it.
	ac := c.WithCredentials(mailjet.Credentials{APIKey: c.ep.User, Secret: pending})
	reply, err := ac.ep.Do(ctx, apicall.Call{Method: http.MethodPost, Path: PathMasterSecretActivate})
	if err != nil {
		return Activation{}, fmt.Errorf("%s: %w", doing, err)
	}
	if !isSuccess(reply.StatusCode) {
		return Activation{}, fmt.Errorf("%s: %w", doing, ac.replyError(http.MethodPost, PathMasterSecretActivate, reply, nil))
	}
	// A 2xx means the secret is now active. An unreadable body must not
	// turn that into an error: the caller would think the old secret
	// still works.
	var out struct {
		APIKey        string
		ActivatedAt   string
		AlreadyActive bool
	}
	_ = decodeInto(http.MethodPost, PathMasterSecretActivate, reply.Body, &out)
	at, _ := parseTime(out.ActivatedAt)
	return Activation{APIKey: c.ep.User, ActivatedAt: at, AlreadyActive: out.AlreadyActive}, nil
}

// answeredKey checks the APIKey of an answer against the client's own
// (an empty one stands for it).
func (c *Client) answeredKey(got string) (string, error) {
	if got == "" || got == c.ep.User {
		return c.ep.User, nil
	}
	return "", fmt.Errorf("the answer is for another API key (%s)", untrusted.Text(got, 64))
}

// maxTimeText bounds a time field from a server before it is parsed.
const maxTimeText = 64

// parseTime reads an RFC 3339 time from an answer, in UTC. Its error is
// only false: the text is untrusted and is not quoted anywhere.
func parseTime(s string) (time.Time, bool) {
	if s == "" || len(s) > maxTimeText {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}
