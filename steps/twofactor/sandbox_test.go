package twofactor

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

// clock is the sandbox's time, moved by the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// newSandbox serves a sandbox over loopback and returns a real recovery
// client for the demo account.
func newSandbox(t *testing.T, opts ...sandbox.Option) (*sandbox.Server, *recovery.Client) {
	t.Helper()
	sb := sandbox.New(opts...)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	creds := mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)}
	return sb, recovery.New(srv.URL, creds, recovery.WithHTTPClient(srv.Client()))
}

func startEnrollment(t *testing.T, b Backend) *Enrollment {
	t.Helper()
	e, err := New(nil, sandbox.DemoEmail, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEnrolConfirmAndSaveCodesWithSandbox(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)}
	sb, rc := newSandbox(t, sandbox.WithClock(clk.Now))
	ctx := context.Background()
	e := startEnrollment(t, rc)

	now := clk.Now()
	code := totpCode(t, e.Seed().Reveal(), now, CodeDigits)
	if err := e.Confirm(ctx, rc, code[:3]+" "+code[3:], now); err != nil {
		t.Fatalf("right code refused: %v", err)
	}
	if !sb.Status().TwoFactorEnabled {
		t.Fatal("two-factor is not on after the right code")
	}

	// The accepted code cannot be used again, even seconds later.
	now = clk.Add(5 * time.Second)
	var wrong *WrongCodeError
	if err := e.Confirm(ctx, rc, code, now); !errors.As(err, &wrong) || !wrong.Used {
		t.Fatalf("replay: %v, want a used-code refusal", err)
	}
	// A second enrolment is refused in words the UI can show.
	if err := e.Start(ctx, rc); !errors.Is(err, recovery.ErrTwoFactorEnabled) || !strings.HasPrefix(err.Error(), "Two-factor authentication is already on") {
		t.Errorf("Start once enabled: %v", err)
	}

	codes, err := rc.RecoveryCodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "mailjet-recovery-codes.txt")
	if err := SaveCodes(nil, path, e.Account(), codes); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	saved := lines[2:] // header, blank line, codes
	var hashes []string
	for _, c := range saved {
		sum := sha256.Sum256([]byte(c))
		hashes = append(hashes, hex.EncodeToString(sum[:]))
	}
	stored := sb.RecoveryCodeHashes()
	slices.Sort(hashes)
	slices.Sort(stored)
	if len(saved) != len(codes) || !slices.Equal(hashes, stored) {
		t.Errorf("saved codes do not match what the backend issued (%d saved, %d issued)", len(saved), len(stored))
	}
}

func TestWrongCodesWithSandbox(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)}
	sb, rc := newSandbox(t, sandbox.WithClock(clk.Now))
	ctx := context.Background()
	e := startEnrollment(t, rc)
	seed := e.Seed().Reveal()
	confirms := func() int { return sb.Requests(http.MethodPost, recovery.PathTOTPConfirm) }
	now := clk.Now()

	// Malformed codes never reach the backend and cost no try.
	for _, bad := range []string{"12345", "12a456", "1234567"} {
		if err := e.Confirm(ctx, rc, bad, now); !errors.Is(err, ErrFormat) {
			t.Fatalf("%q: %v", bad, err)
		}
	}
	if confirms() != 0 {
		t.Fatalf("%d malformed codes reached the backend", confirms())
	}

	for try := 1; try < MaxTries; try++ {
		var wrong *WrongCodeError
		err := e.Confirm(ctx, rc, wrongCode(t, seed, now, try), now)
		if !errors.As(err, &wrong) || wrong.Used || wrong.TriesLeft != MaxTries-try {
			t.Fatalf("wrong code %d: %v", try, err)
		}
	}
	var backoff *BackoffError
	if err := e.Confirm(ctx, rc, wrongCode(t, seed, now, MaxTries), now); !errors.As(err, &backoff) || backoff.Wait != MinBackoff {
		t.Fatalf("5th wrong code: %v, want a 30 s back-off", err)
	}
	if !strings.Contains(backoff.Error(), "automatic") {
		t.Errorf("back-off text = %q", backoff.Error())
	}
	// While backing off even the right code waits, without a request.
	sent := confirms()
	now = clk.Add(10 * time.Second)
	if err := e.Confirm(ctx, rc, totpCode(t, seed, now, CodeDigits), now); !errors.As(err, &backoff) || backoff.Wait != 20*time.Second {
		t.Fatalf("during back-off: %v", err)
	}
	if confirms() != sent {
		t.Error("a code was sent during the back-off")
	}

	now = clk.Add(25 * time.Second)
	if e.Wait(now) != 0 {
		t.Fatalf("still waiting %v", e.Wait(now))
	}
	if err := e.Confirm(ctx, rc, totpCode(t, seed, now, CodeDigits), now); err != nil {
		t.Fatalf("right code after the back-off: %v", err)
	}
	if !sb.Status().TwoFactorEnabled {
		t.Error("two-factor is not on")
	}
}

// The backend's own lock-out (here: its clock is ahead, so it still
// refuses) becomes a BackoffError too.
func TestBackendLockoutWithSandbox(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)}
	sb, rc := newSandbox(t, sandbox.WithClock(clk.Now))
	ctx := context.Background()
	e := startEnrollment(t, rc)
	now := clk.Now()
	for i := range MaxTries {
		_ = e.Confirm(ctx, rc, wrongCode(t, e.Seed().Reveal(), now, i+1), now)
	}
	// The wizard's own clock says the back-off is over; the backend's not.
	var backoff *BackoffError
	err := e.Confirm(ctx, rc, totpCode(t, e.Seed().Reveal(), now, CodeDigits), now.Add(MinBackoff))
	if !errors.As(err, &backoff) || backoff.Wait <= 0 {
		t.Fatalf("got %v, want the backend's lock-out as a back-off", err)
	}
	if sb.Status().TwoFactorEnabled {
		t.Error("two-factor turned on during a lock-out")
	}
}

// With the sandbox's real clock, a code made now is accepted.
func TestConfirmWithRealClock(t *testing.T) {
	_, rc := newSandbox(t)
	e := startEnrollment(t, rc)
	now := time.Now()
	if err := e.Confirm(context.Background(), rc, totpCode(t, e.Seed().Reveal(), now, CodeDigits), now); err != nil {
		t.Fatalf("right code refused: %v", err)
	}
}

func TestBackendDownIsNotATry(t *testing.T) {
	srv := httptest.NewServer(sandbox.New())
	url := srv.URL
	srv.Close()
	rc := recovery.New(url, mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)},
		recovery.WithRetry(1, 0))
	e, err := New(nil, sandbox.DemoEmail, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background(), rc); err == nil || !strings.Contains(err.Error(), "Could not register the authenticator key") {
		t.Errorf("Start with the backend down: %v", err)
	}
	now := time.Now()
	for range MaxTries + 1 {
		err := e.Confirm(context.Background(), rc, "123456", now)
		var wrong *WrongCodeError
		var backoff *BackoffError
		if err == nil || errors.As(err, &wrong) || errors.As(err, &backoff) {
			t.Fatalf("backend down: %v", err)
		}
		if strings.Contains(err.Error(), e.Seed().Reveal()) {
			t.Fatal("the error holds the seed")
		}
	}
}
