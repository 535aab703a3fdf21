package twofactor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"

	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/secret"
)

// fixedRand gives a known 20-byte key.
func fixedRand() *bytes.Reader { return bytes.NewReader([]byte("12345678901234567890")) }

func TestNewKey(t *testing.T) {
	e, err := New(nil, "jane@lafleur-bakery.example", fixedRand())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.Seed().Reveal(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; got != want {
		t.Errorf("seed = %s, want %s", got, want)
	}
	if e.Account() != "jane@lafleur-bakery.example" {
		t.Errorf("account = %q", e.Account())
	}
	if s := fmt.Sprintf("%v %+v %#v %s", e, *e, e, []any{*e}); strings.Contains(s, e.Seed().Reveal()) {
		t.Errorf("formatting an enrollment reveals the seed: %s", s)
	}
	if _, err := New(nil, "", fixedRand()); err == nil {
		t.Error("an empty account was accepted")
	}
	if _, err := New(nil, "jane@example.com", bytes.NewReader([]byte("short"))); err == nil {
		t.Error("a short random source was accepted")
	}
}

func TestURI(t *testing.T) {
	tests := []struct {
		account   string
		wantLabel string // the escaped label after "otpauth://totp/"
	}{
		{"jane@lafleur-bakery.example", "Mailjet:jane@lafleur-bakery.example"},
		{"jane+shop@example.com", "Mailjet:jane%2Bshop@example.com"},
		{"Jane Doe", "Mailjet:Jane%20Doe"},
		{"jane+shop news@example.com", "Mailjet:jane%2Bshop%20news@example.com"},
		{"odd:name/x?y#z", "Mailjet:odd%3Aname%2Fx%3Fy%23z"},
	}
	for _, tt := range tests {
		t.Run(tt.account, func(t *testing.T) {
			e, err := New(nil, tt.account, fixedRand())
			if err != nil {
				t.Fatal(err)
			}
			uri := e.URI()
			want := "otpauth://totp/" + tt.wantLabel + "?secret=" + e.Seed().Reveal() + "&issuer=Mailjet"
			if uri != want {
				t.Errorf("URI = %s\nwant  %s", uri, want)
			}
			for _, param := range []string{"algorithm=", "digits=", "period="} {
				if strings.Contains(uri, param) {
					t.Errorf("URI has default parameter %s", param)
				}
			}
			if strings.Contains(strings.TrimPrefix(uri, "otpauth://totp/"), "+") {
				t.Errorf("URI has a raw '+': %s", uri)
			}
			key, err := otp.NewKeyFromURL(uri)
			if err != nil {
				t.Fatalf("pquerna cannot parse %s: %v", uri, err)
			}
			if key.Type() != "totp" || key.Issuer() != Issuer || key.AccountName() != tt.account || key.Secret() != e.Seed().Reveal() {
				t.Errorf("parsed back as type %q issuer %q account %q secret ok=%v",
					key.Type(), key.Issuer(), key.AccountName(), key.Secret() == e.Seed().Reveal())
			}
			if key.Algorithm() != otp.AlgorithmSHA1 || key.Digits() != otp.DigitsSix || key.Period() != 30 {
				t.Errorf("defaults parsed as %v %v %d", key.Algorithm(), key.Digits(), key.Period())
			}
		})
	}
}

func TestURIIssuerWithSpace(t *testing.T) {
	uri := KeyURI("Lafleur Bakery+Co", "jane@example.com", secret.New("ABCD"))
	if !strings.HasPrefix(uri, "otpauth://totp/Lafleur%20Bakery%2BCo:jane@example.com?") ||
		!strings.HasSuffix(uri, "&issuer=Lafleur%20Bakery%2BCo") {
		t.Errorf("URI = %s", uri)
	}
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query().Get("issuer"); got != "Lafleur Bakery+Co" {
		t.Errorf("issuer parameter = %q", got)
	}
	key, err := otp.NewKeyFromURL(uri)
	if err != nil || key.Issuer() != "Lafleur Bakery+Co" {
		t.Errorf("pquerna issuer = %q, %v", key.Issuer(), err)
	}
}

func TestGroupsOf4(t *testing.T) {
	for in, want := range map[string]string{
		"":                                 "",
		"ABC":                              "ABC",
		"ABCD":                             "ABCD",
		"ABCDEFGHIJKL":                     "ABCD EFGH IJKL",
		"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ": "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
		"AB CD EF":                         "ABCD EF",
	} {
		if got := GroupsOf4(in); got != want {
			t.Errorf("GroupsOf4(%q) = %q, want %q", in, got, want)
		}
	}
}

// fakeBackend answers ConfirmTOTP with the queued errors, in order.
type fakeBackend struct {
	answers []error
	codes   []string
}

func (f *fakeBackend) EnrollTOTP(context.Context, secret.Secret) error { return nil }
func (f *fakeBackend) RecoveryCodes(context.Context) ([]secret.Secret, error) {
	return nil, errors.New("unused")
}
func (f *fakeBackend) ConfirmTOTP(_ context.Context, code string) error {
	f.codes = append(f.codes, code)
	if len(f.answers) == 0 {
		return fmt.Errorf("confirm: %w", recovery.ErrWrongCode)
	}
	err := f.answers[0]
	f.answers = f.answers[1:]
	return err
}

func newTestEnrollment(t *testing.T) *Enrollment {
	t.Helper()
	e, err := New(nil, "jane@example.com", fixedRand())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestConfirmRefusesMalformedCodesWithoutCountingThem(t *testing.T) {
	e := newTestEnrollment(t)
	b := &fakeBackend{}
	now := time.Unix(1_700_000_000, 0)
	for _, code := range []string{"", "12345", "1234567", "12a456", "١٢٣٤٥٦", "12-456", "123 4567", "+12345"} {
		if err := e.Confirm(context.Background(), b, code, now); !errors.Is(err, ErrFormat) {
			t.Errorf("Confirm(%q) = %v, want ErrFormat", code, err)
		}
	}
	if len(b.codes) != 0 {
		t.Fatalf("malformed codes reached the backend: %q", b.codes)
	}
	// Spaces are removed; the first real wrong code leaves 4 tries.
	var wrong *WrongCodeError
	if err := e.Confirm(context.Background(), b, " 123 456 ", now); !errors.As(err, &wrong) || wrong.TriesLeft != MaxTries-1 {
		t.Fatalf("Confirm = %v, want 4 tries left", err)
	}
	if b.codes[0] != "123456" {
		t.Errorf("backend got %q", b.codes[0])
	}
}

func TestConfirmBackoff(t *testing.T) {
	e := newTestEnrollment(t)
	b := &fakeBackend{}
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)

	wantWaits := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 10 * time.Minute}
	for round, wantWait := range wantWaits {
		for try := 1; try < MaxTries; try++ {
			var wrong *WrongCodeError
			if err := e.Confirm(ctx, b, "000000", now); !errors.As(err, &wrong) || wrong.TriesLeft != MaxTries-try || wrong.Used {
				t.Fatalf("round %d try %d: %v", round, try, err)
			}
		}
		var backoff *BackoffError
		if err := e.Confirm(ctx, b, "000000", now); !errors.As(err, &backoff) || backoff.Wait != wantWait {
			t.Fatalf("round %d: 5th wrong code gave %v, want a %v back-off", round, err, wantWait)
		}
		calls := len(b.codes)
		half := now.Add(wantWait / 2)
		if err := e.Confirm(ctx, b, "000000", half); !errors.As(err, &backoff) || backoff.Wait != wantWait-wantWait/2 {
			t.Fatalf("round %d: during back-off got %v", round, err)
		}
		if len(b.codes) != calls {
			t.Fatal("a code reached the backend during the back-off")
		}
		if got := e.Wait(half); got != wantWait-wantWait/2 {
			t.Errorf("Wait = %v", got)
		}
		now = now.Add(wantWait)
		if got := e.Wait(now); got != 0 {
			t.Errorf("Wait after the back-off = %v", got)
		}
	}

	// Success resets everything.
	b.answers = []error{nil}
	if err := e.Confirm(ctx, b, "123456", now); err != nil {
		t.Fatalf("right code: %v", err)
	}
	for try := 1; try < MaxTries; try++ {
		_ = e.Confirm(ctx, b, "000000", now)
	}
	var backoff *BackoffError
	if err := e.Confirm(ctx, b, "000000", now); !errors.As(err, &backoff) || backoff.Wait != MinBackoff {
		t.Errorf("after a success the back-off should restart at 30 s, got %v", err)
	}
}

func TestConfirmBackendErrors(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)

	t.Run("used code is not a try", func(t *testing.T) {
		e := newTestEnrollment(t)
		used := fmt.Errorf("confirm: %w", recovery.ErrCodeUsed)
		b := &fakeBackend{answers: []error{fmt.Errorf("confirm: %w", recovery.ErrWrongCode), used, used, used, used, used}}
		_ = e.Confirm(ctx, b, "000000", now)
		for range 5 {
			var wrong *WrongCodeError
			if err := e.Confirm(ctx, b, "123456", now); !errors.As(err, &wrong) || !wrong.Used || wrong.TriesLeft != MaxTries-1 {
				t.Fatalf("got %v", err)
			}
			if !strings.Contains(wrong.Error(), "already used") {
				t.Errorf("text = %q", wrong.Error())
			}
		}
	})
	t.Run("no pending key", func(t *testing.T) {
		e := newTestEnrollment(t)
		b := &fakeBackend{answers: []error{fmt.Errorf("confirm: %w", recovery.ErrNoPendingTOTP)}}
		if err := e.Confirm(ctx, b, "123456", now); !errors.Is(err, recovery.ErrNoPendingTOTP) || !strings.Contains(err.Error(), "go back one step") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("backend rate limit", func(t *testing.T) {
		e := newTestEnrollment(t)
		b := &fakeBackend{answers: []error{fmt.Errorf("confirm: %w", &recovery.TooManyTriesError{RetryAfter: 45 * time.Second})}}
		var backoff *BackoffError
		if err := e.Confirm(ctx, b, "123456", now); !errors.As(err, &backoff) || backoff.Wait != 45*time.Second {
			t.Fatalf("got %v", err)
		}
		if e.Wait(now) != 45*time.Second {
			t.Errorf("Wait = %v", e.Wait(now))
		}
	})
	t.Run("network error is not a try", func(t *testing.T) {
		e := newTestEnrollment(t)
		netErr := errors.New("dial tcp 127.0.0.1:1: connection refused")
		b := &fakeBackend{answers: []error{netErr, netErr, netErr, netErr, netErr, netErr}}
		for range 6 {
			err := e.Confirm(ctx, b, "123456", now)
			if !errors.Is(err, netErr) || !strings.Contains(err.Error(), "did not count as a try") {
				t.Fatalf("got %v, want the network error wrapped", err)
			}
			var wrong *WrongCodeError
			var backoff *BackoffError
			if errors.As(err, &wrong) || errors.As(err, &backoff) {
				t.Fatalf("network error counted as a try: %v", err)
			}
		}
		var wrong *WrongCodeError
		if err := e.Confirm(ctx, b, "123456", now); !errors.As(err, &wrong) || wrong.TriesLeft != MaxTries-1 {
			t.Errorf("after network errors: %v", err)
		}
	})
}

func TestErrorTexts(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&WrongCodeError{TriesLeft: 3}, "That code is not right. Type the 6 digits your app shows for Mailjet right now. 3 tries left."},
		{&WrongCodeError{TriesLeft: 1}, "1 try left."},
		{&WrongCodeError{TriesLeft: 2, Used: true}, "already used"},
		{&BackoffError{Wait: 30 * time.Second}, "Wait 30 seconds, then try again"},
		{&BackoffError{Wait: 90 * time.Second}, "Wait 2 minutes"},
		{&BackoffError{Wait: 10 * time.Minute}, "set your phone's date and time to automatic"},
		{&BackoffError{Wait: 1500 * time.Millisecond}, "Wait 2 seconds"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); !strings.Contains(got, tt.want) {
			t.Errorf("%#v: %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestSaveCodes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailjet-recovery-codes.txt")
	codes := []secret.Secret{secret.New("a1b2c3d4e5f60718"), secret.New("0f1e2d3c4b5a6978")}
	if err := SaveCodes(nil, path, "jane@example.com\n", codes); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", info.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if !strings.Contains(lines[0], "recovery codes for jane@example.com.") || !strings.Contains(lines[0], "works once") {
		t.Errorf("header = %q", lines[0])
	}
	if got := lines[len(lines)-2:]; got[0] != "a1b2c3d4e5f60718" || got[1] != "0f1e2d3c4b5a6978" {
		t.Errorf("codes = %q", got)
	}
	err = SaveCodes(nil, path, "jane@example.com", []secret.Secret{secret.New("ffffffffffffffff")})
	if !errors.Is(err, os.ErrExist) {
		t.Errorf("second save = %v, want ErrExist", err)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, data) {
		t.Error("the existing file was changed")
	}
	if err := SaveCodes(nil, filepath.Join(t.TempDir(), "none.txt"), "x", nil); err == nil {
		t.Error("saving no codes succeeded")
	}
}
