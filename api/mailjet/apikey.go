package mailjet

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/internal/apicall"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
)

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

// apiKeyJSON is the wire form of an apikey entry.
type apiKeyJSON struct {
	ID        int64
	APIKey    string
	SecretKey string
	Name      string
	IsActive  bool
	IsMaster  bool
	CreatedAt flexTime
}

func (k apiKeyJSON) toAPIKey() APIKey {
	return APIKey{
		ID:        k.ID,
		APIKey:    untrusted.Text(k.APIKey, 64),
		Secret:    secretFromAPI(k.SecretKey),
		Name:      untrusted.Text(k.Name, untrusted.MaxLen),
		IsActive:  k.IsActive,
		IsMaster:  k.IsMaster,
		CreatedAt: k.CreatedAt.Time,
	}
}

// secretFromAPI keeps a secret only when it looks like one: a masked value
// ("****…") or one with non-printable characters is treated as absent.
func secretFromAPI(s string) secret.Secret {
	if s == "" || strings.Contains(s, "*") {
		return secret.Secret{}
	}
	for _, r := range s {
		if r <= ' ' || r > '~' {
			return secret.Secret{}
		}
	}
	return secret.New(s)
}

const apiKeyPath = "/v3/REST/apikey"

// CheckAuth makes one read-only call (GET /v3/REST/apikey?Limit=1). It
// returns nil when the pair authenticates, an error wrapping
// ErrUnauthorized on 401, or another error when it could not tell.
func (c *Client) CheckAuth(ctx context.Context) error {
	_, err := getPage[apiKeyJSON](ctx, c, apiKeyPath, url.Values{"Limit": {"1"}})
	return err
}

// ListAPIKeys reads every page of GET /v3/REST/apikey (see listAll).
func (c *Client) ListAPIKeys(ctx context.Context) ([]APIKey, error) {
	raw, err := listAll[apiKeyJSON](ctx, c, apiKeyPath, nil, "API keys", maxKeysListed)
	if err != nil {
		return nil, err
	}
	keys := make([]APIKey, 0, len(raw))
	for _, k := range raw {
		keys = append(keys, k.toAPIKey())
	}
	return keys, nil
}

// CreateAPIKey creates a sub-account key (POST /v3/REST/apikey). It is
// never retried: a repeated POST could create a second key. After an
// error the key may still have been created; list the keys to find out.
func (c *Client) CreateAPIKey(ctx context.Context, name string) (APIKey, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return APIKey{}, errors.New("create API key: the name is empty")
	}
	call := apicall.Call{
		Method: http.MethodPost,
		Path:   apiKeyPath,
		JSON:   struct{ Name string }{name},
	}
	reply, err := c.ep.Do(ctx, call)
	if err != nil {
		return APIKey{}, fmt.Errorf("create API key %q: %w", name, err)
	}
	if !isSuccess(reply.StatusCode) {
		return APIKey{}, fmt.Errorf("create API key %q: %w", name, c.replyError(call.Method, call.Path, reply))
	}
	env, err := decodeEnvelope[apiKeyJSON](call.Method, call.Path, reply.Body)
	if err != nil {
		return APIKey{}, fmt.Errorf("create API key %q: %w", name, err)
	}
	if len(env.Data) == 0 {
		return APIKey{}, fmt.Errorf("create API key %q: Mailjet answered %d without the new key", name, reply.StatusCode)
	}
	key := env.Data[0].toAPIKey()
	if key.APIKey == "" || key.Secret.IsZero() {
		return APIKey{}, fmt.Errorf("create API key %q: Mailjet's answer lacks the new key or its secret", name)
	}
	return key, nil
}

// SetAPIKeyActive activates or deactivates a key
// (PUT /v3/REST/apikey/{ID} {"IsActive":...}). A 304 (nothing changed,
// the key was already in that state) counts as success.
func (c *Client) SetAPIKeyActive(ctx context.Context, id int64, active bool) error {
	verb := "deactivate"
	if active {
		verb = "activate"
	}
	if id <= 0 {
		return fmt.Errorf("%s API key: invalid ID %d", verb, id)
	}
	call := apicall.Call{
		Method: http.MethodPut,
		Path:   apiKeyPath + "/" + strconv.FormatInt(id, 10),
		// No omitempty: false must be sent, or the PUT changes nothing.
		JSON: struct {
			IsActive bool `json:"IsActive"`
		}{active},
		Idempotent: true, // PUT sets a state; sending it twice is harmless
	}
	reply, err := c.ep.Do(ctx, call)
	if err != nil {
		return fmt.Errorf("%s API key %d: %w", verb, id, err)
	}
	if !isSuccess(reply.StatusCode) && reply.StatusCode != http.StatusNotModified {
		return fmt.Errorf("%s API key %d: %w", verb, id, c.replyError(call.Method, call.Path, reply))
	}
	return nil
}
