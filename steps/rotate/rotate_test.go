package rotate

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

var masterCreds = mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)}

// env is a sandbox over loopback and the real clients pointed at it.
type env struct {
	sb   *sandbox.Server
	url  string
	hc   *http.Client
	rot  *Rotator
	seen []string // every secret met, to check errors never hold one
}

func newEnv(t *testing.T, withRecovery bool) *env {
	t.Helper()
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	e := &env{sb: sb, url: srv.URL, hc: srv.Client()}
	e.rot = &Rotator{
		API:        e.mailjetClient(masterCreds),
		ReadyTries: 3,
		ReadyWait:  10 * time.Millisecond,
		Now:        func() time.Time { return time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC) },
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
	plan := NewPlan(e.keys(t), map[string]bool{sandbox.DemoShopKey: true}, e.rot.Recovery != nil)
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
		plan := NewPlan(keys, leaked, tt.canReset)
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
	if len(NewPlan(nil, nil, true).Slots) != 0 {
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
	plan := NewPlan(e.keys(t), map[string]bool{sandbox.DemoShopKey: true, sandbox.DemoMasterKey: true}, false)
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

func TestRotateSub(t *testing.T) {
	for _, knownSecret := range []bool{true, false} {
		name := "old secret known"
		if !knownSecret {
			name = "old secret masked"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, false)
			slot := e.slot(t, sandbox.DemoShopKey)
			if !knownSecret {
				slot.Old.Secret = secret.Secret{}
			}
			res, err := e.rot.RotateSub(context.Background(), slot)
			e.noSecretIn(t, err, res.NewSecret)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Check.OK() {
				t.Fatalf("check = %+v", res.Check)
			}
			if res.NewKey == "" || res.NewKey == sandbox.DemoShopKey || res.NewID == slot.Old.ID || res.NewSecret.IsZero() {
				t.Fatalf("result = %+v", res)
			}
			if err := e.authWith(t, res.NewKey, res.NewSecret); err != nil {
				t.Errorf("new pair: %v", err)
			}
			if s := fmt.Sprintf("%v %+v %#v %+v", res, res, res, e.rot); strings.Contains(s, res.NewSecret.Reveal()) {
				t.Error("formatting a Result or the Rotator shows the new secret")
			}
			if err := e.authWith(t, sandbox.DemoShopKey, secret.New(sandbox.DemoShopSecret)); !errors.Is(err, mailjet.ErrUnauthorized) {
				t.Errorf("old pair: %v, want 401", err)
			}
			var oldActive, newActive bool
			var newName string
			for _, k := range e.sb.Keys() {
				switch k.APIKey {
				case sandbox.DemoShopKey:
					oldActive = k.IsActive
				case res.NewKey:
					newActive, newName = k.IsActive, k.Name
				}
			}
			if oldActive || !newActive {
				t.Errorf("old active=%v, new active=%v", oldActive, newActive)
			}
			if newName != "Shop (WooCommerce) (created 2026-03-14)" {
				t.Errorf("new name = %q", newName)
			}
		})
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

func TestRotateSubRefusesTheMaster(t *testing.T) {
	e := newEnv(t, false)
	_, err := e.rot.RotateSub(context.Background(), e.slot(t, sandbox.DemoMasterKey))
	if err == nil || !strings.Contains(err.Error(), "main key") {
		t.Errorf("err = %v", err)
	}
	if n := e.sb.Requests(http.MethodPost, "/v3/REST/apikey"); n != 0 {
		t.Errorf("%d keys created", n)
	}
}

func TestRotateSubDeactivationFails(t *testing.T) {
	e := newEnv(t, false)
	slot := e.slot(t, sandbox.DemoShopKey)
	e.sb.FailNext(http.MethodPut, "/v3/REST/apikey/", http.StatusInternalServerError, 2) // every try of the client

	res, err := e.rot.RotateSub(context.Background(), slot)
	e.noSecretIn(t, err, res.NewSecret)
	var still *StillActiveError
	if !errors.As(err, &still) {
		t.Fatalf("err = %v, want *StillActiveError", err)
	}
	var apiErr *mailjet.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusInternalServerError {
		t.Errorf("cause not wrapped: %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"The new key " + res.NewKey + " was created", "the old key " + sandbox.DemoShopKey + " is still active", "problem on its side", APIKeysPage} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q: %s", want, msg)
		}
	}
	if res.NewKey == "" || res.NewSecret.IsZero() || !res.Check.NewWorks {
		t.Errorf("the result must carry the working new key: %+v", res)
	}
	if err := e.authWith(t, sandbox.DemoShopKey, secret.New(sandbox.DemoShopSecret)); err != nil {
		t.Errorf("the old key should still work, as the error says: %v", err)
	}

	// Once Mailjet is back, FinishSub turns the old key off without
	// creating a second replacement.
	created := e.sb.Requests(http.MethodPost, "/v3/REST/apikey")
	done, err := e.rot.FinishSub(context.Background(), slot, res)
	e.noSecretIn(t, err, res.NewSecret)
	if err != nil {
		t.Fatal(err)
	}
	if !done.Check.OK() || done.NewKey != res.NewKey || !done.NewSecret.Equal(res.NewSecret) {
		t.Errorf("finished = %+v", done)
	}
	if e.sb.Requests(http.MethodPost, "/v3/REST/apikey") != created {
		t.Error("FinishSub created another key")
	}
	if err := e.authWith(t, sandbox.DemoShopKey, secret.New(sandbox.DemoShopSecret)); !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("old pair after FinishSub: %v", err)
	}
	if _, err := e.rot.FinishSub(context.Background(), slot, Result{Slot: slot}); err == nil {
		t.Error("FinishSub without a replacement succeeded")
	}
}

// A deactivation whose answer is lost but which took effect is a success.
func TestRotateSubDeactivationAnswerLost(t *testing.T) {
	sb := sandbox.New()
	lose := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			sb.ServeHTTP(httptest.NewRecorder(), r)
			http.Error(w, "upstream connection reset", http.StatusBadGateway)
			return
		}
		sb.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(lose)
	t.Cleanup(srv.Close)
	rot := &Rotator{
		API:       mailjet.New(srv.URL, masterCreds, mailjet.WithHTTPClient(srv.Client()), mailjet.WithRetry(1, 0)),
		ReadyWait: time.Millisecond,
	}
	keys, err := rot.API.ListAPIKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var slot Slot
	for _, s := range NewPlan(keys, nil, false).Slots {
		if s.Old.APIKey == sandbox.DemoShopKey {
			slot = s
		}
	}
	res, err := rot.RotateSub(context.Background(), slot)
	if err != nil || !res.Check.OK() {
		t.Fatalf("res %+v, err %v", res.Check, err)
	}
}

func TestRotateSubCreationFails(t *testing.T) {
	e := newEnv(t, false)
	slot := e.slot(t, sandbox.DemoShopKey)
	e.sb.FailNext(http.MethodPost, "/v3/REST/apikey", http.StatusInternalServerError, 1)

	res, err := e.rot.RotateSub(context.Background(), slot)
	e.noSecretIn(t, err)
	if err == nil || !strings.Contains(err.Error(), "the old key is unchanged and still works") {
		t.Fatalf("err = %v", err)
	}
	if res.NewKey != "" || !res.NewSecret.IsZero() {
		t.Errorf("result = %+v", res)
	}
	if n := e.sb.Requests(http.MethodPut, "/v3/REST/apikey/"); n != 0 {
		t.Errorf("the old key was touched (%d PUTs)", n)
	}
}

// When the checks themselves fail, the rotation is done but unverified,
// and Problem says why in plain words.
func TestRotateSubVerificationUnavailable(t *testing.T) {
	e := newEnv(t, false)
	slot := e.slot(t, sandbox.DemoShopKey)
	e.sb.FailNext(http.MethodGet, "/v3/REST/apikey", http.StatusServiceUnavailable, 100)

	res, err := e.rot.RotateSub(context.Background(), slot)
	if err != nil {
		t.Fatal(err)
	}
	if res.Check.OK() || !strings.Contains(res.Check.Problem, "Could not check that the new secret works: Mailjet had a problem on its side") {
		t.Errorf("check = %+v", res.Check)
	}
	if res.NewSecret.IsZero() {
		t.Error("no new secret")
	}
}

func TestResetMaster(t *testing.T) {
	e := newEnv(t, true)
	slot := e.slot(t, sandbox.DemoMasterKey)
	if slot.Action != ResetMaster {
		t.Fatalf("action = %v", slot.Action)
	}
	res, err := e.rot.ResetMaster(context.Background(), slot)
	e.noSecretIn(t, err, res.NewSecret)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Check.OK() || res.NewKey != sandbox.DemoMasterKey || res.NewSecret.IsZero() || res.NewSecret.Reveal() == sandbox.DemoMasterSecret {
		t.Fatalf("result = %+v", res)
	}
	if err := e.authWith(t, sandbox.DemoMasterKey, secret.New(sandbox.DemoMasterSecret)); !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("old master: %v, want 401", err)
	}
	if err := e.authWith(t, sandbox.DemoMasterKey, res.NewSecret); err != nil {
		t.Errorf("new master: %v", err)
	}
	// The Rotator now works with the new pair.
	if !e.rot.API.Credentials().Secret.Equal(res.NewSecret) {
		t.Error("the Rotator still uses the old master secret")
	}
	if _, err := e.rot.Recovery.Status(context.Background()); err != nil {
		t.Errorf("recovery client after the reset: %v", err)
	}
}

func TestResetMasterFails(t *testing.T) {
	e := newEnv(t, true)
	slot := e.slot(t, sandbox.DemoMasterKey)
	e.sb.FailNext(http.MethodPost, "/recovery/v1/master-secret", http.StatusInternalServerError, 1)
	res, err := e.rot.ResetMaster(context.Background(), slot)
	e.noSecretIn(t, err)
	if err == nil || !strings.Contains(err.Error(), "the old secret is unchanged") || !res.NewSecret.IsZero() {
		t.Fatalf("res %+v, err %v", res, err)
	}
	if err := e.authWith(t, sandbox.DemoMasterKey, secret.New(sandbox.DemoMasterSecret)); err != nil {
		t.Errorf("old master should still work: %v", err)
	}
	noRecovery := newEnv(t, false)
	if _, err := noRecovery.rot.ResetMaster(context.Background(), noRecovery.slot(t, sandbox.DemoMasterKey)); err == nil || !strings.Contains(err.Error(), APIKeysPage) {
		t.Errorf("without a recovery API: %v", err)
	}
}

func TestAcceptMasterSecret(t *testing.T) {
	e := newEnv(t, false)
	slot := e.slot(t, sandbox.DemoMasterKey)
	if slot.Action != GuidedMaster {
		t.Fatalf("action = %v", slot.Action)
	}
	ctx := context.Background()

	// Garbage is refused before anything is sent.
	for _, pasted := range []string{"", "not a secret", strings.ToUpper(sandbox.DemoMasterSecret), sandbox.DemoMasterSecret[:31], sandbox.DemoMasterSecret + "0", "g" + sandbox.DemoMasterSecret[1:]} {
		_, err := e.rot.AcceptMasterSecret(ctx, slot, secret.New(pasted))
		if !errors.Is(err, ErrNotASecret) {
			t.Errorf("pasted %q: %v", pasted, err)
		}
		e.noSecretIn(t, err)
	}
	if got := ErrNotASecret.Error(); got != "That is not an API secret: it should be 32 characters, 0-9 and a-f." {
		t.Errorf("text = %q", got)
	}
	// The current secret: the user has not reset it yet.
	if _, err := e.rot.AcceptMasterSecret(ctx, slot, secret.New(sandbox.DemoMasterSecret)); !errors.Is(err, ErrSameSecret) {
		t.Errorf("same secret: %v", err)
	}
	// Well-formed but wrong.
	wrong := secret.New(strings.Repeat("0123456789abcdef", 2))
	if _, err := e.rot.AcceptMasterSecret(ctx, slot, wrong); !errors.Is(err, ErrSecretRefused) {
		t.Errorf("wrong secret: %v", err)
	}

	// The user resets the secret on the site (here: the recovery endpoint
	// called directly), then pastes it with stray spaces.
	site := recovery.New(e.url, masterCreds, recovery.WithHTTPClient(e.hc))
	fresh, err := site.ResetMasterSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.rot.AcceptMasterSecret(ctx, slot, secret.New("  "+fresh.Reveal()+"\n"))
	e.noSecretIn(t, err, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Check.OK() || !res.NewSecret.Equal(fresh) || res.NewKey != sandbox.DemoMasterKey {
		t.Fatalf("result = %+v", res)
	}
	if !e.rot.API.Credentials().Secret.Equal(fresh) {
		t.Error("the Rotator still uses the old master secret")
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

func TestWaitForAuthStopsWithContext(t *testing.T) {
	e := newEnv(t, false)
	e.rot.ReadyTries, e.rot.ReadyWait = 100, time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	var c Check
	e.rot.verifyNew(ctx, &c, sandbox.DemoShopKey, secret.New(strings.Repeat("0", 32)))
	if time.Since(start) > 5*time.Second {
		t.Fatal("the wait ignored the context")
	}
	if c.NewWorks || !strings.Contains(c.Problem, "stopped") {
		t.Errorf("check = %+v", c)
	}
}

func TestSaveSecrets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new-mailjet-keys.txt")
	results := []Result{
		{Slot: Slot{Old: mailjet.APIKey{Name: "Shop\x1b[31m", APIKey: "old"}}, NewKey: "newshopkey", NewSecret: secret.New("11112222333344445555666677778888")},
		{Slot: Slot{Old: mailjet.APIKey{Name: "Newsletter"}, Action: SkipInactive}},
		{Slot: Slot{Old: mailjet.APIKey{Name: "Master key", IsMaster: true}}, NewKey: "masterkey", NewSecret: secret.New("99990000aaaabbbbccccddddeeeeffff")},
	}
	if err := SaveSecrets(path, results); err != nil {
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
	err = SaveSecrets(path, results[:1])
	if !errors.Is(err, os.ErrExist) {
		t.Errorf("second save: %v", err)
	}
	if again, _ := os.ReadFile(path); string(again) != text {
		t.Error("the existing file was changed")
	}
	if strings.Contains(err.Error(), "11112222333344445555666677778888") {
		t.Error("error holds a secret")
	}
	if err := SaveSecrets(filepath.Join(t.TempDir(), "x"), results[1:2]); err == nil {
		t.Error("saving nothing succeeded")
	}
}

// The reset reaches the backend but its answer is lost: the old pair,
// now refused, shows the reset happened, and the error says what to do.
func TestResetMasterAnswerLost(t *testing.T) {
	sb := sandbox.New()
	lose := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == recovery.PathMasterSecret {
			sb.ServeHTTP(httptest.NewRecorder(), r) // done, answer dropped
			http.Error(w, "upstream connection reset", http.StatusBadGateway)
			return
		}
		sb.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(lose)
	t.Cleanup(srv.Close)
	rot := &Rotator{
		API:      mailjet.New(srv.URL, masterCreds, mailjet.WithHTTPClient(srv.Client()), mailjet.WithRetry(1, 0)),
		Recovery: recovery.New(srv.URL, masterCreds, recovery.WithHTTPClient(srv.Client())),
	}
	master := Slot{Old: mailjet.APIKey{ID: sandbox.DemoMasterID, APIKey: sandbox.DemoMasterKey, IsMaster: true, IsActive: true}, Action: ResetMaster}
	_, err := rot.ResetMaster(context.Background(), master)
	if err == nil || !strings.Contains(err.Error(), "was reset, but the answer with the new secret was lost") || !strings.Contains(err.Error(), APIKeysPage) {
		t.Fatalf("err = %v", err)
	}
	for _, k := range sb.Keys() {
		if k.IsMaster && strings.Contains(err.Error(), k.Secret.Reveal()) {
			t.Error("the error holds the new secret")
		}
	}
}

func TestRotateSubSkipsInactiveKeys(t *testing.T) {
	e := newEnv(t, false)
	slot := e.slot(t, sandbox.DemoNewsletterKey)
	slot.Old.IsActive = false
	if _, err := e.rot.RotateSub(context.Background(), slot); err == nil || !strings.Contains(err.Error(), "already turned off") {
		t.Errorf("err = %v", err)
	}
	if n := e.sb.Requests(http.MethodPost, "/v3/REST/apikey"); n != 0 {
		t.Errorf("%d keys created", n)
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
		{&mailjet.Error{StatusCode: 404}, "unexpected answer (Not Found)"},
		{&recovery.Error{StatusCode: 500}, "problem on its side"},
		{mailjet.ErrUnauthorized, "refused"},
	}
	for _, tt := range tests {
		if got := reasonWords(tt.err); !strings.Contains(got, tt.want) {
			t.Errorf("reasonWords(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
