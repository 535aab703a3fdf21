package rotate

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/sandbox/faultproxy"
	"github.com/mjrecover/mjrecover/api/secret"
)

var masterCreds = mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)}

// env is a sandbox over loopback, behind a proxy that can lose answers,
// and the real clients pointed at it.
type env struct {
	sb    *sandbox.Server
	proxy *faultproxy.Proxy
	url   string
	hc    *http.Client
	rot   *Rotator
	held  Secrets
	seen  []string // every secret met, to check errors never hold one
}

func newEnv(t *testing.T, withRecovery bool, opts ...sandbox.Option) *env {
	t.Helper()
	sb := sandbox.New(opts...)
	upstream := httptest.NewServer(sb)
	t.Cleanup(upstream.Close)
	u, err := url.Parse(upstream.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := faultproxy.New(u)
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	e := &env{sb: sb, proxy: proxy, url: srv.URL, hc: srv.Client(), held: Secrets{}}
	e.rot = &Rotator{
		API:        e.mailjetClient(masterCreds),
		ReadyTries: 3,
		ReadyWait:  10 * time.Millisecond,
		Now:        func() time.Time { return time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC) },
		Journal:    &MemoryJournal{},
	}
	if withRecovery {
		e.rot.Recovery = recovery.New(srv.URL, masterCreds, recovery.WithHTTPClient(srv.Client()))
	}
	e.seen = []string{sandbox.DemoMasterSecret, sandbox.DemoShopSecret, sandbox.DemoNewsletterSecret}
	return e
}

// mailjetClient retries fast, so injected 5xx answers do not slow tests.
func (e *env) mailjetClient(c mailjet.Credentials) *mailjet.Client {
	return mailjet.New(e.url, c, mailjet.WithHTTPClient(e.hc), mailjet.WithRetry(2, time.Millisecond))
}

func (e *env) keys(t *testing.T) []mailjet.APIKey {
	t.Helper()
	keys, err := e.mailjetClient(e.rot.API.Credentials()).ListAPIKeys(context.Background())
	if err != nil {
		t.Fatalf("list keys: %v", err)
	}
	return keys
}

func (e *env) slot(t *testing.T, apiKey string) Slot {
	t.Helper()
	plan := NewPlan(e.keys(t), map[string]bool{sandbox.DemoShopKey: true}, e.rot.Recovery != nil, nil)
	for _, s := range plan.Slots {
		if s.Old.APIKey == apiKey {
			return s
		}
	}
	t.Fatalf("no slot for %s", apiKey)
	return Slot{}
}

// authWith tells whether a pair authenticates on the sandbox.
func (e *env) authWith(t *testing.T, key string, s secret.Secret) error {
	t.Helper()
	return e.mailjetClient(mailjet.Credentials{APIKey: key, Secret: s}).CheckAuth(context.Background())
}

// noSecretIn fails when err's text holds any secret met so far.
func (e *env) noSecretIn(t *testing.T, err error, more ...secret.Secret) {
	t.Helper()
	if err == nil {
		return
	}
	all := append([]string{}, e.seen...)
	for _, s := range more {
		all = append(all, s.Reveal())
	}
	for _, s := range all {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("error text holds a secret: %v", err)
		}
	}
}

func TestNewPlan(t *testing.T) {
	keys := []mailjet.APIKey{
		{ID: 1, APIKey: "master", IsMaster: true, IsActive: true},
		{ID: 9, APIKey: "sub9", IsActive: true},
		{ID: 3, APIKey: "sub3-off", IsActive: false},
		{ID: 5, APIKey: "sub5", IsActive: true},
	}
	leaked := map[string]bool{"master": true, "sub5": true}
	tests := []struct {
		canReset   bool
		wantMaster Action
	}{{true, ResetMaster}, {false, GuidedMaster}}
	for _, tt := range tests {
		plan := NewPlan(keys, leaked, tt.canReset, nil)
		var got []string
		for _, s := range plan.Slots {
			got = append(got, s.Old.APIKey)
		}
		if strings.Join(got, ",") != "sub3-off,sub5,sub9,master" {
			t.Fatalf("order = %v", got)
		}
		want := []struct {
			action Action
			leaked bool
		}{{SkipInactive, false}, {ReplaceSubKey, true}, {ReplaceSubKey, false}, {tt.wantMaster, true}}
		for i, w := range want {
			if s := plan.Slots[i]; s.Action != w.action || s.Leaked != w.leaked {
				t.Errorf("canReset=%v slot %s: %v leaked=%v, want %v leaked=%v", tt.canReset, s.Old.APIKey, s.Action, s.Leaked, w.action, w.leaked)
			}
		}
	}
	if keys[0].APIKey != "master" {
		t.Error("NewPlan reordered the caller's slice")
	}
	if len(NewPlan(nil, nil, true, nil).Slots) != 0 {
		t.Error("empty plan has slots")
	}
	for _, a := range []Action{ReplaceSubKey, ResetMaster, GuidedMaster, SkipInactive} {
		if a.String() == "" || a.String() == "unknown action" {
			t.Errorf("Action(%d) has no words", a)
		}
	}
}

func TestPlanFromSandbox(t *testing.T) {
	e := newEnv(t, false)
	plan := NewPlan(e.keys(t), map[string]bool{sandbox.DemoShopKey: true, sandbox.DemoMasterKey: true}, false, nil)
	want := []struct {
		key    string
		action Action
		leaked bool
	}{
		{sandbox.DemoShopKey, ReplaceSubKey, true},
		{sandbox.DemoNewsletterKey, ReplaceSubKey, false},
		{sandbox.DemoMasterKey, GuidedMaster, true},
	}
	if len(plan.Slots) != len(want) {
		t.Fatalf("%d slots", len(plan.Slots))
	}
	for i, w := range want {
		if s := plan.Slots[i]; s.Old.APIKey != w.key || s.Action != w.action || s.Leaked != w.leaked {
			t.Errorf("slot %d = %s %v leaked=%v, want %s %v %v", i, s.Old.APIKey, s.Action, s.Leaked, w.key, w.action, w.leaked)
		}
	}
}

func TestReplacementName(t *testing.T) {
	r := &Rotator{Now: func() time.Time { return time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC) }}
	for old, want := range map[string]string{
		"Shop":                         "Shop (created 2026-03-14)",
		"Shop (created 2025-01-02)":    "Shop (created 2026-03-14)",
		"  ":                           "API key (created 2026-03-14)",
		strings.Repeat("x", 150):       strings.Repeat("x", 100) + " (created 2026-03-14)",
		"Newsletter (created someday)": "Newsletter (created someday) (created 2026-03-14)",
	} {
		if got := r.replacementName(old); got != want {
			t.Errorf("replacementName(%q) = %q, want %q", old, got, want)
		}
	}
}

func TestIsSecretFormat(t *testing.T) {
	for s, want := range map[string]bool{
		sandbox.DemoMasterSecret:           true,
		"0123456789abcdef0123456789abcdef": true,
		"0123456789ABCDEF0123456789abcdef": false,
		"0123456789abcdef0123456789abcde":  false,
		"":                                 false,
		"0123456789abcdef0123456789abcdeg": false,
	} {
		if got := IsSecretFormat(s); got != want {
			t.Errorf("IsSecretFormat(%q) = %v", s, got)
		}
	}
}

func TestSaveSecrets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new-mailjet-keys.txt")
	results := []Result{
		{Slot: Slot{Old: mailjet.APIKey{Name: "Shop\x1b[31m", APIKey: "old"}}, NewKey: "newshopkey", NewSecret: secret.New("11112222333344445555666677778888")},
		{Slot: Slot{Old: mailjet.APIKey{Name: "Newsletter"}, Action: SkipInactive}},
		{Slot: Slot{Old: mailjet.APIKey{Name: "Master key", IsMaster: true}}, NewKey: "masterkey", NewSecret: secret.New("99990000aaaabbbbccccddddeeeeffff")},
	}
	if err := SaveSecrets(nil, path, results); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v", info.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	text := string(data)
	for _, want := range []string{
		"delete this file",
		"Name:       Shop\nAPI key:    newshopkey\nSecret key: 11112222333344445555666677778888\n",
		"Name:       Master key (main key)\nAPI key:    masterkey\nSecret key: 99990000aaaabbbbccccddddeeeeffff\n",
		"SMTP",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("file lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Newsletter") || strings.Contains(text, "\x1b") {
		t.Errorf("file has a skipped slot or a control character:\n%s", text)
	}
	err = SaveSecrets(nil, path, results[:1])
	if !errors.Is(err, os.ErrExist) {
		t.Errorf("second save: %v", err)
	}
	if again, _ := os.ReadFile(path); string(again) != text {
		t.Error("the existing file was changed")
	}
	if strings.Contains(err.Error(), "11112222333344445555666677778888") {
		t.Error("error holds a secret")
	}
	if err := SaveSecrets(nil, filepath.Join(t.TempDir(), "x"), results[1:2]); err == nil {
		t.Error("saving nothing succeeded")
	}
}

func TestReasonWords(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{errors.New("dial tcp: connection refused"), "could not be reached"},
		{context.DeadlineExceeded, "stopped"},
		{&mailjet.Error{StatusCode: 503}, "problem on its side"},
		{&mailjet.Error{StatusCode: 429}, "slow down"},
		{&mailjet.Error{StatusCode: 404}, "unexpected answer (404 Not Found)"},
		{&recovery.Error{StatusCode: 500}, "problem on its side"},
		{mailjet.ErrUnauthorized, "refused"},
	}
	for _, tt := range tests {
		if got := reasonWords(tt.err); !strings.Contains(got, tt.want) {
			t.Errorf("reasonWords(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
