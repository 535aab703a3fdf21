package recovery_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/sandbox/faultproxy"
	"github.com/mjrecover/mjrecover/api/secret"
)

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

// pairWorks checks a master pair on both APIs: true when both accept it,
// false when both refuse it with a 401; anything else fails the test.
func (f fixture) pairWorks(t *testing.T, s secret.Secret) bool {
	t.Helper()
	ctx := context.Background()
	creds := mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: s}
	restErr := mailjet.New(f.url, creds).CheckAuth(ctx)
	_, recErr := newClient(f.url, creds).Status(ctx)
	for _, err := range []error{restErr, recErr} {
		if err != nil && !errors.Is(err, mailjet.ErrUnauthorized) {
			t.Fatalf("checking %s: %v", s.Hint(), err)
		}
	}
	if (restErr == nil) != (recErr == nil) {
		t.Fatalf("%s: REST err = %v, recovery err = %v; want both APIs to agree", s.Hint(), restErr, recErr)
	}
	return restErr == nil
}

func TestPrepareMasterSecretChangesNothingYet(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	old := secret.New(sandbox.DemoMasterSecret)
	p, err := f.client.PrepareMasterSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.APIKey != sandbox.DemoMasterKey || !hex32.MatchString(p.Secret.Reveal()) || p.Secret.Equal(old) {
		t.Fatalf("pending = %+v (%d chars): want the master key and a fresh 32-hex secret", p, p.Secret.Len())
	}
	if want := f.clock.Now().Add(time.Hour); !p.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", p.ExpiresAt, want)
	}
	if !f.pairWorks(t, old) {
		t.Error("the current secret stopped working")
	}
	if f.pairWorks(t, p.Secret) {
		t.Error("the pending secret already works")
	}
	// The pending secret authenticates no other recovery route either.
	pendingClient := newClient(f.url, mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: p.Secret})
	if _, err := pendingClient.PrepareMasterSecret(ctx); !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("prepare with the pending secret: err = %v, want ErrUnauthorized", err)
	}
	st, err := f.client.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.MasterPending || st.MasterRotated || !st.MasterRotatedAt.IsZero() {
		t.Errorf("Status = %+v, want MasterPending only", st)
	}
	if strings.Contains(strings.Join([]string{
		p.Secret.String(), p.Secret.GoString(),
	}, " "), p.Secret.Reveal()) {
		t.Error("the pending secret prints")
	}
}

func TestActivateMasterSecret(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	old := secret.New(sandbox.DemoMasterSecret)
	p, err := f.client.PrepareMasterSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(10 * time.Minute) // the customer saves the secret first
	activatedAt := f.clock.Now()
	a, err := f.client.ActivateMasterSecret(ctx, p.Secret)
	if err != nil {
		t.Fatal(err)
	}
	if want := (recovery.Activation{APIKey: sandbox.DemoMasterKey, ActivatedAt: activatedAt}); a != want {
		t.Errorf("Activation = %+v, want %+v", a, want)
	}
	if f.pairWorks(t, old) {
		t.Error("the old secret still works")
	}
	if !f.pairWorks(t, p.Secret) {
		t.Error("the activated secret does not work")
	}
	if k := f.sb.Keys()[0]; !k.Secret.Equal(p.Secret) {
		t.Error("the sandbox's master secret is not the activated one")
	}
	newClient := f.client.WithCredentials(mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: p.Secret})
	st, err := newClient.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.MasterRotated || st.MasterPending || !st.MasterRotatedAt.Equal(activatedAt) {
		t.Errorf("Status = %+v, want MasterRotated at %v and nothing pending", st, activatedAt)
	}

	// The answer was lost, say: activating again, now with the current
	// secret, answers the same and changes nothing.
	f.clock.Advance(23 * time.Hour)
	again, err := f.client.ActivateMasterSecret(ctx, p.Secret)
	if err != nil {
		t.Fatalf("repeat: %v", err)
	}
	if want := (recovery.Activation{APIKey: sandbox.DemoMasterKey, ActivatedAt: activatedAt, AlreadyActive: true}); again != want {
		t.Errorf("repeat = %+v, want %+v", again, want)
	}
	if st2, _ := newClient.Status(ctx); st2 != st {
		t.Errorf("the repeat changed the status: %+v, was %+v", st2, st)
	}
	// The old secret never activates anything.
	if _, err := f.client.ActivateMasterSecret(ctx, old); !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("activate with the old secret: err = %v, want ErrUnauthorized", err)
	}
	// After 24 hours the repeat is no longer recognised.
	f.clock.Advance(time.Hour)
	if _, err := f.client.ActivateMasterSecret(ctx, p.Secret); !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("repeat after 24 h: err = %v, want ErrUnauthorized", err)
	}
	if !f.pairWorks(t, p.Secret) {
		t.Error("the refused repeat changed the secret")
	}
}

func TestAReplacedPendingSecretCannotBeActivated(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	first, err := f.client.PrepareMasterSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.client.PrepareMasterSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first.Secret.Equal(second.Secret) {
		t.Fatal("the same pending secret twice")
	}
	_, err = f.client.ActivateMasterSecret(ctx, first.Secret)
	if !errors.Is(err, mailjet.ErrUnauthorized) || !strings.Contains(err.Error(), "POST "+recovery.PathMasterSecretActivate) {
		t.Fatalf("activate the replaced secret: err = %v, want ErrUnauthorized naming the call", err)
	}
	if strings.Contains(err.Error(), first.Secret.Reveal()) {
		t.Error("the error holds the secret")
	}
	if !f.pairWorks(t, secret.New(sandbox.DemoMasterSecret)) || f.pairWorks(t, first.Secret) {
		t.Fatal("a refused activation changed the secret")
	}
	if _, err := f.client.ActivateMasterSecret(ctx, second.Secret); err != nil {
		t.Errorf("activate the latest secret: %v", err)
	}
}

func TestAPendingSecretExpires(t *testing.T) {
	for _, c := range []struct {
		name  string
		after time.Duration
		ok    bool
	}{
		{"a second before", time.Hour - time.Second, true},
		{"at ExpiresAt", time.Hour, false},
		{"later", 2 * time.Hour, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := start(t)
			ctx := context.Background()
			p, err := f.client.PrepareMasterSecret(ctx)
			if err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(c.after)
			st, err := f.client.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.MasterPending != c.ok {
				t.Errorf("MasterPending = %v, want %v", st.MasterPending, c.ok)
			}
			_, err = f.client.ActivateMasterSecret(ctx, p.Secret)
			if c.ok && err != nil {
				t.Errorf("activate: %v", err)
			}
			if !c.ok && !errors.Is(err, mailjet.ErrUnauthorized) {
				t.Errorf("activate: err = %v, want ErrUnauthorized", err)
			}
			if works := f.pairWorks(t, secret.New(sandbox.DemoMasterSecret)); works == c.ok {
				t.Errorf("old secret works = %v after activate ok = %v", works, c.ok)
			}
		})
	}
}

func TestActivateWithoutAPendingSecret(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	// The current secret was never activated: nothing to repeat.
	if _, err := f.client.ActivateMasterSecret(ctx, secret.New(sandbox.DemoMasterSecret)); !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("current secret, nothing pending: err = %v, want ErrUnauthorized", err)
	}
	before := f.sb.Requests(http.MethodPost, recovery.PathMasterSecretActivate)
	if _, err := f.client.ActivateMasterSecret(ctx, secret.Secret{}); err == nil {
		t.Error("an empty secret was accepted")
	}
	if f.sb.Requests(http.MethodPost, recovery.PathMasterSecretActivate) != before {
		t.Error("an empty secret was sent")
	}
	// A one-phase reset drops a pending secret: it was prepared for a
	// secret that is gone.
	p, err := f.client.PrepareMasterSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reset, err := f.client.ResetMasterSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.ActivateMasterSecret(ctx, p.Secret); !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("pending secret after a one-phase reset: err = %v, want ErrUnauthorized", err)
	}
	if !f.pairWorks(t, reset) {
		t.Error("the one-phase reset's secret does not work")
	}
}

func TestTwoPhaseResetNeedsTheMasterKey(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	shop := newClient(f.url, shopCreds)
	if _, err := shop.PrepareMasterSecret(ctx); !errors.Is(err, recovery.ErrMasterKeyRequired) {
		t.Errorf("prepare with a sub-account pair: err = %v, want ErrMasterKeyRequired", err)
	}
	if _, err := shop.ActivateMasterSecret(ctx, shopCreds.Secret); !errors.Is(err, recovery.ErrMasterKeyRequired) {
		t.Errorf("activate with a sub-account pair: err = %v, want ErrMasterKeyRequired", err)
	}
	if f.sb.Status().MasterPending || !f.pairWorks(t, secret.New(sandbox.DemoMasterSecret)) {
		t.Error("a sub-account key changed the master secret")
	}
}

func TestAPendingSecretIsRefusedInAReport(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	p, err := f.client.PrepareMasterSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.client.SubmitReport(ctx, map[string]string{"note": strings.ToUpper(p.Secret.Reveal())})
	if !errors.Is(err, recovery.ErrReportHasSecret) {
		t.Errorf("err = %v, want ErrReportHasSecret", err)
	}
}

// The point of the two phases: through a proxy that loses answers, no
// lost answer leaves the customer without a working secret, and asking
// again is always safe.
func TestTwoPhaseResetSurvivesLostAnswers(t *testing.T) {
	f := start(t)
	target, err := url.Parse(f.url)
	if err != nil {
		t.Fatal(err)
	}
	proxy := faultproxy.New(target)
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	c := newClient(front.URL, masterCreds)
	ctx := context.Background()
	old := secret.New(sandbox.DemoMasterSecret)

	// The pending secret is lost with its answer: nothing is broken, the
	// old secret works, and preparing again gives a usable one.
	proxy.LoseAnswer(http.MethodPost, recovery.PathMasterSecretPending, 1)
	if _, err := c.PrepareMasterSecret(ctx); err == nil {
		t.Fatal("prepare: no error for a lost answer")
	}
	if !f.sb.Status().MasterPending || !f.pairWorks(t, old) {
		t.Fatal("after a lost prepare: want a pending secret and the old one working")
	}
	p, err := c.PrepareMasterSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// The activation is applied, its answer lost: the client cannot
	// tell, and activates again.
	proxy.LoseAnswer(http.MethodPost, recovery.PathMasterSecretActivate, 1)
	_, err = c.ActivateMasterSecret(ctx, p.Secret)
	if err == nil || errors.Is(err, mailjet.ErrUnauthorized) {
		t.Fatalf("activate: err = %v, want a network error", err)
	}
	if strings.Contains(err.Error(), p.Secret.Reveal()) {
		t.Error("the error holds the secret")
	}
	if proxy.Seen(http.MethodPost, recovery.PathMasterSecretActivate) != 1 || !f.pairWorks(t, p.Secret) {
		t.Fatal("the lost activation did not reach the sandbox")
	}
	a, err := c.ActivateMasterSecret(ctx, p.Secret)
	if err != nil || !a.AlreadyActive || a.APIKey != sandbox.DemoMasterKey {
		t.Fatalf("activate again: %+v, %v; want AlreadyActive", a, err)
	}
	if f.pairWorks(t, old) {
		t.Error("the old secret still works")
	}
}
