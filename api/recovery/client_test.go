package recovery_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

var (
	masterCreds = mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)}
	shopCreds   = mailjet.Credentials{APIKey: sandbox.DemoShopKey, Secret: secret.New(sandbox.DemoShopSecret)}
)

// fakeClock is a time source tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	sb     *sandbox.Server
	url    string
	clock  *fakeClock
	client *recovery.Client
}

func start(t *testing.T) fixture {
	t.Helper()
	clock := &fakeClock{t: time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)}
	sb := sandbox.New(sandbox.WithClock(clock.Now))
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	return fixture{sb: sb, url: ts.URL, clock: clock, client: newClient(ts.URL, masterCreds)}
}

func newClient(url string, creds mailjet.Credentials) *recovery.Client {
	return recovery.New(url, creds, recovery.WithRetry(4, time.Millisecond))
}

// enable turns two-factor on with testSeed.
func (f fixture) enable(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if err := f.client.EnrollTOTP(ctx, secret.New(testSeed)); err != nil {
		t.Fatal(err)
	}
	if err := f.client.ConfirmTOTP(ctx, referenceCode(t, testSeed, f.clock.Now())); err != nil {
		t.Fatal(err)
	}
}

func TestStatusOfTheDemoAccount(t *testing.T) {
	f := start(t)
	st, err := f.client.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := recovery.Status{Email: sandbox.DemoEmail, Disabled: true}
	if st != want {
		t.Errorf("Status = %+v, want %+v", st, want)
	}
}

func TestStatusIsRetriedButPostsAreNot(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	f.sb.FailNext(http.MethodGet, recovery.PathStatus, http.StatusServiceUnavailable, 2)
	if _, err := f.client.Status(ctx); err != nil {
		t.Fatalf("Status after two 503s: %v", err)
	}
	if n := f.sb.Requests(http.MethodGet, recovery.PathStatus); n != 3 {
		t.Errorf("%d status requests, want 3", n)
	}

	posts := []struct {
		path string
		call func() error
	}{
		{recovery.PathMasterSecret, func() error { _, err := f.client.ResetMasterSecret(ctx); return err }},
		{recovery.PathMasterSecretPending, func() error { _, err := f.client.PrepareMasterSecret(ctx); return err }},
		{recovery.PathMasterSecretActivate, func() error {
			_, err := f.client.ActivateMasterSecret(ctx, secret.New(sandbox.DemoShopSecret))
			return err
		}},
		{recovery.PathPassword, func() error { return f.client.ChangePassword(ctx, secret.New("a long enough passphrase")) }},
		{recovery.PathTOTP, func() error { return f.client.EnrollTOTP(ctx, secret.New(testSeed)) }},
		{recovery.PathTOTPConfirm, func() error { return f.client.ConfirmTOTP(ctx, "123456") }},
		{recovery.PathRecoveryCodes, func() error { _, err := f.client.RecoveryCodes(ctx); return err }},
		{recovery.PathSupport, func() error { _, err := f.client.SubmitReport(ctx, map[string]string{"a": "b"}); return err }},
	}
	for _, p := range posts {
		t.Run(p.path, func(t *testing.T) {
			f.sb.FailNext(http.MethodPost, p.path, http.StatusServiceUnavailable, 1)
			err := p.call()
			var apiErr *recovery.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("err = %v, want *Error 503", err)
			}
			if n := f.sb.Requests(http.MethodPost, p.path); n != 1 {
				t.Errorf("%d POSTs, want exactly 1", n)
			}
		})
	}
	if st := f.sb.Status(); st.MasterRotated || st.MasterPending || st.PasswordChanged || st.Ticket != "" {
		t.Errorf("state changed by failed POSTs: %+v", st)
	}
}

func TestResetMasterSecret(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	newSecret, err := f.client.ResetMasterSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(newSecret.Reveal()) || newSecret.Reveal() == sandbox.DemoMasterSecret {
		t.Fatalf("new secret %s is not a fresh 32-hex secret", newSecret.Hint())
	}
	oldREST := mailjet.New(f.url, masterCreds)
	if err := oldREST.CheckAuth(ctx); !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("old secret on REST: err = %v, want ErrUnauthorized", err)
	}
	if _, err := f.client.Status(ctx); !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("old secret on the recovery API: err = %v, want ErrUnauthorized", err)
	}
	newCreds := mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: newSecret}
	if err := oldREST.WithCredentials(newCreds).CheckAuth(ctx); err != nil {
		t.Errorf("new secret on REST: %v", err)
	}
	st, err := f.client.WithCredentials(newCreds).Status(ctx)
	if err != nil || !st.MasterRotated {
		t.Errorf("new secret on the recovery API: %+v, %v; want MasterRotated", st, err)
	}
}

func TestChangePassword(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	cases := []struct {
		name     string
		password string
		wantErr  error
		wantSent bool
	}{
		{"too short", "short-pass-14c", recovery.ErrPasswordRefused, true},
		{"too long", strings.Repeat("x", 129), recovery.ErrPasswordRefused, true},
		{"empty", "", nil, false},
		{"15 characters", "fifteen-chars-1", nil, true},
		{"15 runes, more bytes", "éééééééééééé-1é", nil, true},
		{"128 characters", strings.Repeat("y", 126) + "-1", nil, true},
		{"no number, no special character", "fifteen characters", recovery.ErrPasswordRefused, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := f.sb.Requests(http.MethodPost, recovery.PathPassword)
			err := f.client.ChangePassword(ctx, secret.New(c.password))
			sent := f.sb.Requests(http.MethodPost, recovery.PathPassword) > before
			if sent != c.wantSent {
				t.Errorf("request sent = %v, want %v", sent, c.wantSent)
			}
			switch {
			case c.password == "":
				if err == nil {
					t.Error("empty password accepted")
				}
			case c.wantErr != nil:
				var apiErr *recovery.Error
				if !errors.Is(err, c.wantErr) || !errors.As(err, &apiErr) || apiErr.StatusCode != 422 || apiErr.Message == "" {
					t.Errorf("err = %v, want a 422 wrapping %v with the server's reason", err, c.wantErr)
				}
			case err != nil:
				t.Errorf("err = %v", err)
			}
			if err != nil && c.password != "" && strings.Contains(err.Error(), c.password) {
				t.Errorf("error %q holds the password", err)
			}
		})
	}
	if !f.sb.Status().PasswordChanged {
		t.Error("PasswordChanged is false")
	}
}

func TestTOTPEnrolmentAndConfirmation(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	if err := f.client.ConfirmTOTP(ctx, "123456"); !errors.Is(err, recovery.ErrNoPendingTOTP) {
		t.Errorf("confirm before enrolment: err = %v, want ErrNoPendingTOTP", err)
	}
	if err := f.client.EnrollTOTP(ctx, secret.New("JBSWY3DPEHPK3PXP")); !errors.Is(err, recovery.ErrBadSeed) {
		t.Errorf("80-bit seed: err = %v, want ErrBadSeed", err)
	}
	// A second enrolment replaces the pending seed.
	if err := f.client.EnrollTOTP(ctx, secret.New("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")); err != nil {
		t.Fatal(err)
	}
	if err := f.client.EnrollTOTP(ctx, secret.New(testSeed)); err != nil {
		t.Fatal(err)
	}
	if err := f.client.ConfirmTOTP(ctx, referenceCode(t, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", f.clock.Now())); !errors.Is(err, recovery.ErrWrongCode) {
		t.Errorf("code of the replaced seed: err = %v, want ErrWrongCode", err)
	}
	if err := f.client.ConfirmTOTP(ctx, "12345"); !errors.Is(err, recovery.ErrMalformedCode) {
		t.Errorf("5 digits: err = %v, want ErrMalformedCode", err)
	}

	code := referenceCode(t, testSeed, f.clock.Now())
	if err := f.client.ConfirmTOTP(ctx, code); err != nil {
		t.Fatalf("right code: %v", err)
	}
	if !f.sb.Status().TwoFactorEnabled {
		t.Error("two-factor is not on after confirmation")
	}
	// The same code again, even within its 30 s, is a replay.
	err := f.client.ConfirmTOTP(ctx, code)
	var apiErr *recovery.Error
	if !errors.Is(err, recovery.ErrCodeUsed) || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusConflict {
		t.Errorf("replay: err = %v, want 409 ErrCodeUsed", err)
	}
	// The next time step's code is fine.
	f.clock.Advance(30 * time.Second)
	if err := f.client.ConfirmTOTP(ctx, referenceCode(t, testSeed, f.clock.Now())); err != nil {
		t.Errorf("next step's code: %v", err)
	}
	if err := f.client.EnrollTOTP(ctx, secret.New(testSeed)); !errors.Is(err, recovery.ErrTwoFactorEnabled) {
		t.Errorf("enrolment with two-factor on: err = %v, want ErrTwoFactorEnabled", err)
	}
}

func TestWrongCodesAreRateLimited(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	if err := f.client.EnrollTOTP(ctx, secret.New(testSeed)); err != nil {
		t.Fatal(err)
	}
	right := referenceCode(t, testSeed, f.clock.Now())
	wrong := "000000"
	if wrong == right || wrong == referenceCode(t, testSeed, f.clock.Now().Add(-30*time.Second)) || wrong == referenceCode(t, testSeed, f.clock.Now().Add(30*time.Second)) {
		wrong = "999999"
	}
	// Malformed codes guess nothing and do not count.
	for range 6 {
		if err := f.client.ConfirmTOTP(ctx, "abc"); !errors.Is(err, recovery.ErrMalformedCode) {
			t.Fatalf("malformed: err = %v", err)
		}
	}
	for i := range 5 {
		if err := f.client.ConfirmTOTP(ctx, wrong); !errors.Is(err, recovery.ErrWrongCode) {
			t.Fatalf("wrong try %d: err = %v, want ErrWrongCode", i+1, err)
		}
	}
	err := f.client.ConfirmTOTP(ctx, right)
	var tooMany *recovery.TooManyTriesError
	if !errors.As(err, &tooMany) || tooMany.RetryAfter != 30*time.Second {
		t.Fatalf("after 5 wrong tries: err = %v, want TooManyTriesError of 30s", err)
	}
	if !strings.Contains(err.Error(), "30s") {
		t.Errorf("err = %q, want the wait in it", err)
	}
	f.clock.Advance(20 * time.Second)
	if err := f.client.ConfirmTOTP(ctx, right); !errors.As(err, &tooMany) || tooMany.RetryAfter != 10*time.Second {
		t.Errorf("20 s later: err = %v, want 10s left", err)
	}
	f.clock.Advance(11 * time.Second)
	if err := f.client.ConfirmTOTP(ctx, referenceCode(t, testSeed, f.clock.Now())); err != nil {
		t.Errorf("after the lockout, the right code: %v", err)
	}
}

// The sandbox's 429 carries Retry-After; the client must read it even
// from a server that sends no ErrorCode.
func TestTooManyTriesFromALooseServer(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "90")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer ts.Close()
	err := newClient(ts.URL, masterCreds).ConfirmTOTP(context.Background(), "123456")
	var tooMany *recovery.TooManyTriesError
	if !errors.As(err, &tooMany) || tooMany.RetryAfter != 90*time.Second {
		t.Errorf("err = %v, want TooManyTriesError of 90s", err)
	}
}

func TestRecoveryCodes(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	if _, err := f.client.RecoveryCodes(ctx); !errors.Is(err, recovery.ErrTwoFactorNotEnabled) {
		t.Errorf("before two-factor: err = %v, want ErrTwoFactorNotEnabled", err)
	}
	f.enable(t)
	codes, err := f.client.RecoveryCodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 10 {
		t.Fatalf("got %d codes, want 10", len(codes))
	}
	// 16 base32 characters: 80 random bits, above the 64 required.
	shape := regexp.MustCompile(`^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$`)
	hashes := f.sb.RecoveryCodeHashes()
	stored := strings.Join(hashes, " ")
	distinct := map[string]bool{}
	for _, c := range codes {
		code := c.Reveal()
		if !shape.MatchString(code) {
			t.Errorf("code %d characters does not have the xxxx-xxxx-xxxx-xxxx base32 shape", len(code))
		}
		distinct[code] = true
		if strings.Contains(stored, code) || strings.Contains(stored, strings.ReplaceAll(code, "-", "")) {
			t.Error("the sandbox stores a code in clear")
		}
		sum := sha256.Sum256([]byte(code))
		if !strings.Contains(stored, hex.EncodeToString(sum[:])) {
			t.Error("the sandbox does not store the code's SHA-256")
		}
	}
	if len(distinct) != 10 || len(hashes) != 10 {
		t.Errorf("%d distinct codes, %d hashes; want 10 each", len(distinct), len(hashes))
	}
	if f.sb.Status().RecoveryCodes != 10 {
		t.Errorf("status counts %d codes", f.sb.Status().RecoveryCodes)
	}
	again, err := f.client.RecoveryCodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(codes[0].Reveal()))
	if strings.Contains(strings.Join(f.sb.RecoveryCodeHashes(), " "), hex.EncodeToString(sum[:])) || again[0].Equal(codes[0]) {
		t.Error("a new set did not replace the old one")
	}
}

func TestSubmitReport(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	newSecret, err := f.client.ResetMasterSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := f.client.WithCredentials(mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: newSecret})

	t.Run("refuses a live secret in clear", func(t *testing.T) {
		_, err := c.SubmitReport(ctx, map[string]string{"oops": newSecret.Reveal()})
		if !errors.Is(err, recovery.ErrReportHasSecret) {
			t.Fatalf("err = %v, want ErrReportHasSecret", err)
		}
		if strings.Contains(err.Error(), newSecret.Reveal()) {
			t.Error("the error holds the secret")
		}
	})
	t.Run("refuses a non-object locally", func(t *testing.T) {
		before := f.sb.Requests(http.MethodPost, recovery.PathSupport)
		if _, err := c.SubmitReport(ctx, []string{"a"}); err == nil {
			t.Error("a JSON array was sent")
		}
		if f.sb.Requests(http.MethodPost, recovery.PathSupport) != before {
			t.Error("a request was sent")
		}
	})
	t.Run("accepts a masked report", func(t *testing.T) {
		if err := c.ChangePassword(ctx, secret.New("correct horse battery staple 42!")); err != nil {
			t.Fatal(err)
		}
		if err := c.EnrollTOTP(ctx, secret.New(testSeed)); err != nil {
			t.Fatal(err)
		}
		if err := c.ConfirmTOTP(ctx, referenceCode(t, testSeed, f.clock.Now())); err != nil {
			t.Fatal(err)
		}
		report := struct {
			Account string
			Secret  secret.Secret
			Steps   []string
		}{sandbox.DemoEmail, newSecret, []string{"keys", "password", "2fa"}}
		ticket, err := c.SubmitReport(ctx, report)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^MJR-\d{6}$`).MatchString(ticket) {
			t.Errorf("ticket = %q, want MJR-123456", ticket)
		}
		var got map[string]any
		if err := json.Unmarshal(f.sb.LastReport(), &got); err != nil || got["Account"] != sandbox.DemoEmail || got["Secret"] != secret.Mask {
			t.Errorf("stored report = %s (%v)", f.sb.LastReport(), err)
		}
		st, err := c.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := recovery.Status{Email: sandbox.DemoEmail, MasterRotated: true, MasterRotatedAt: f.clock.Now(), PasswordChanged: true, TwoFactorEnabled: true, Ticket: ticket}
		if st != want {
			t.Errorf("Status = %+v, want %+v (support re-enabled the account)", st, want)
		}
	})
}

func TestAuthErrors(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	wrong := mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoShopSecret)}
	_, err := newClient(f.url, wrong).Status(ctx)
	if !errors.Is(err, mailjet.ErrUnauthorized) || !strings.Contains(err.Error(), "GET "+recovery.PathStatus) {
		t.Errorf("wrong pair: err = %v, want ErrUnauthorized naming the call", err)
	}
	_, err = newClient(f.url, shopCreds).ResetMasterSecret(ctx)
	if !errors.Is(err, recovery.ErrMasterKeyRequired) {
		t.Errorf("sub-account pair: err = %v, want ErrMasterKeyRequired", err)
	}
	for _, s := range []string{sandbox.DemoShopSecret, sandbox.DemoMasterSecret} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q holds a secret", err)
		}
	}
	if k := f.sb.Keys()[0]; k.Secret.Reveal() != sandbox.DemoMasterSecret {
		t.Error("a sub-account key reset the master secret")
	}
}

func TestErrorsFromAHostileServerAreSanitized(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pass, _ := r.BasicAuth()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		msg, _ := json.Marshal("\x1b[2J\x1b[Hno: " + pass + "\a")
		fmt.Fprintf(w, `{"ErrorCode":"password-refused","ErrorMessage":%s}`, msg)
	}))
	defer ts.Close()
	err := newClient(ts.URL, masterCreds).ChangePassword(context.Background(), secret.New("a fine long passphrase"))
	if !errors.Is(err, recovery.ErrPasswordRefused) {
		t.Fatalf("err = %v", err)
	}
	if strings.ContainsAny(err.Error(), "\x1b\a") || strings.Contains(err.Error(), sandbox.DemoMasterSecret) || strings.Contains(err.Error(), "passphrase") {
		t.Errorf("err = %q: escapes or secrets survived", err)
	}
}

func TestTooManyTriesErrorText(t *testing.T) {
	for wait, want := range map[time.Duration]string{30 * time.Second: "30s", 1500 * time.Millisecond: "2s", 0: "1s", 2 * time.Minute: "2m0s"} {
		if got := (&recovery.TooManyTriesError{RetryAfter: wait}).Error(); !strings.HasSuffix(got, "try again in "+want) {
			t.Errorf("RetryAfter %v: %q", wait, got)
		}
	}
}

// The server announces the rule it enforces; one that announces none is
// not an error.
func TestPasswordRule(t *testing.T) {
	f := start(t)
	rule, ok, err := f.client.PasswordRule(context.Background())
	if err != nil || !ok {
		t.Fatalf("rule %+v ok %v err %v", rule, ok, err)
	}
	if rule.Service != "Mailjet" || rule.MinLength != 15 || rule.MinDigits != 1 || rule.MinSpecials != 1 {
		t.Errorf("rule = %+v", rule)
	}
	none := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(none.Close)
	if _, ok, err := newClient(none.URL, masterCreds).PasswordRule(context.Background()); ok || err != nil {
		t.Errorf("no rule announced: ok %v err %v", ok, err)
	}
}
