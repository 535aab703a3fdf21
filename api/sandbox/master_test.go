package sandbox_test

import (
	"encoding/json"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

const (
	pendingPath  = "/recovery/v1/master-secret/pending"
	activatePath = "/recovery/v1/master-secret/activate"
)

// decodeObject parses a JSON object answer into its raw fields.
func decodeObject(t *testing.T, a answer) map[string]json.RawMessage {
	t.Helper()
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(a.body), &got); err != nil {
		t.Fatalf("body %q is not a JSON object", a.body)
	}
	return got
}

func TestTwoPhaseMasterResetOnTheWire(t *testing.T) {
	now := time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)
	sb, url := serve(t, sandbox.WithClock(func() time.Time { return now }))

	a := call(t, url, "GET", "/recovery/v1/status", m, ms, "")
	st := decodeObject(t, a)
	if _, ok := st["MasterRotatedAt"]; ok || string(st["MasterPending"]) != "false" {
		t.Errorf("status before = %s, want MasterPending false and no MasterRotatedAt", a.body)
	}

	a = call(t, url, "POST", pendingPath, m, ms, "")
	if a.status != 201 || a.header.Get("Content-Type") != "application/json; charset=UTF-8" {
		t.Fatalf("pending: %d %v", a.status, a.header)
	}
	var pending struct{ APIKey, SecretKey, ExpiresAt string }
	if err := json.Unmarshal([]byte(a.body), &pending); err != nil || len(decodeObject(t, a)) != 3 {
		t.Fatalf("pending body has not exactly APIKey, SecretKey, ExpiresAt (%v)", err)
	}
	if pending.APIKey != m || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(pending.SecretKey) || pending.ExpiresAt != "2025-05-06T08:08:09Z" {
		t.Errorf("pending = key %s, %d-char secret, expires %s", pending.APIKey, len(pending.SecretKey), pending.ExpiresAt)
	}
	if st := decodeObject(t, call(t, url, "GET", "/recovery/v1/status", m, ms, "")); string(st["MasterPending"]) != "true" {
		t.Error("status: MasterPending is not true")
	}

	a = call(t, url, "POST", activatePath, m, pending.SecretKey, "")
	if a.status != 200 {
		t.Fatalf("activate: %d %s", a.status, a.body)
	}
	if a.body != `{"APIKey":"`+m+`","ActivatedAt":"2025-05-06T07:08:09Z","AlreadyActive":false}` {
		t.Errorf("activate body = %s", a.body)
	}
	a = call(t, url, "POST", activatePath, m, pending.SecretKey, "")
	if a.status != 200 || a.body != `{"APIKey":"`+m+`","ActivatedAt":"2025-05-06T07:08:09Z","AlreadyActive":true}` {
		t.Errorf("repeat: %d %s", a.status, a.body)
	}
	if a := call(t, url, "GET", "/v3/REST/user", m, ms, ""); a.status != 401 {
		t.Errorf("old secret on REST: %d, want 401", a.status)
	}
	st = decodeObject(t, call(t, url, "GET", "/recovery/v1/status", m, pending.SecretKey, ""))
	if string(st["MasterRotatedAt"]) != `"2025-05-06T07:08:09Z"` || string(st["MasterPending"]) != "false" || string(st["MasterRotated"]) != "true" {
		t.Errorf("status after = %v", st)
	}
	if k := sb.Keys()[0]; k.Secret.Reveal() != pending.SecretKey {
		t.Error("the master secret is not the activated one")
	}
}

func TestTwoPhaseMasterResetErrorShapes(t *testing.T) {
	_, url := serve(t)
	pending := call(t, url, "POST", pendingPath, m, ms, "")
	var p struct{ SecretKey string }
	if err := json.Unmarshal([]byte(pending.body), &p); err != nil || p.SecretKey == "" {
		t.Fatalf("pending: %d %s", pending.status, pending.body)
	}
	cases := []struct {
		name, method, path, secret string
		status                     int
		code, allow                string
	}{
		{"GET pending", "GET", pendingPath, ms, 405, "method-not-allowed", "POST"},
		{"DELETE pending", "DELETE", pendingPath, ms, 405, "method-not-allowed", "POST"},
		{"GET activate", "GET", activatePath, ms, 405, "method-not-allowed", "POST"},
		{"PUT activate with the pending secret", "PUT", activatePath, p.SecretKey, 405, "method-not-allowed", "POST"},
		{"under pending", "POST", pendingPath + "/x", ms, 404, "not-found", ""},
		{"activate with a slash", "POST", activatePath + "/", ms, 404, "not-found", ""},
		{"the parent, as before", "GET", "/recovery/v1/master-secret", ms, 405, "method-not-allowed", "POST"},
		{"sub-account on activate", "POST", activatePath, sandbox.DemoShopSecret, 403, "master-key-required", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			key := m
			if c.secret == sandbox.DemoShopSecret {
				key = sandbox.DemoShopKey
			}
			a := call(t, url, c.method, c.path, key, c.secret, "")
			if a.status != c.status {
				t.Fatalf("status %d (%s), want %d", a.status, a.body, c.status)
			}
			got := decodeObject(t, a)
			if string(got["ErrorCode"]) != `"`+c.code+`"` || string(got["StatusCode"]) != strconv.Itoa(c.status) {
				t.Errorf("body %s, want ErrorCode %s and StatusCode %d", a.body, c.code, c.status)
			}
			if a.header.Get("Allow") != c.allow {
				t.Errorf("Allow = %q, want %q", a.header.Get("Allow"), c.allow)
			}
		})
	}

	// Empty 401s, like every refused pair.
	for _, c := range []struct{ name, path, secret string }{
		{"pending secret on pending", pendingPath, p.SecretKey},
		{"pending secret on status", "/recovery/v1/status", p.SecretKey},
		{"current secret, nothing activated", activatePath, ms},
		{"wrong secret on activate", activatePath, sandbox.DemoNewsletterSecret},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := call(t, url, "POST", c.path, m, c.secret, "")
			if c.path == "/recovery/v1/status" {
				a = call(t, url, "GET", c.path, m, c.secret, "")
			}
			if a.status != 401 || a.body != "" || a.header.Get("WWW-Authenticate") == "" {
				t.Errorf("got %d %q, want the empty 401", a.status, a.body)
			}
		})
	}
	// None of the refusals used up the pending secret.
	if a := call(t, url, "POST", activatePath, m, p.SecretKey, ""); a.status != 200 {
		t.Errorf("activate after the refusals: %d %s", a.status, a.body)
	}
}
