package pwned_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mjrecover/mjrecover/api/internal/inmemory"
	"github.com/mjrecover/mjrecover/api/pwned"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

func sha1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func fastClient(url string, opts ...pwned.Option) *pwned.Client {
	return pwned.New(url, append([]pwned.Option{pwned.WithRetry(3, time.Millisecond)}, opts...)...)
}

func TestCountAgainstTheSandbox(t *testing.T) {
	sb := sandbox.New(sandbox.WithBreachedPasswords([]string{"lafleurbakery2019", "croissantcroissant"}))
	ts := httptest.NewServer(sb)
	defer ts.Close()
	c := fastClient(ts.URL)
	cases := []struct {
		password string
		breached bool
	}{
		{"password12345678", true},
		{"password123456789", true},
		{"qwertyuiop123456", true},
		{"123456789012345", true},
		{"iloveyou12345678", true},
		{"P@ssw0rd", true},
		{"lafleurbakery2019", true},  // passed by the caller
		{"croissantcroissant", true}, // passed by the caller
		{"Password12345678", false},  // case matters: another hash
		{"vq7-Tzk!mw93 plover drum", false},
		{"", false},
	}
	for _, tc := range cases {
		t.Run(tc.password, func(t *testing.T) {
			n, err := c.Count(context.Background(), secret.New(tc.password))
			if err != nil {
				t.Fatal(err)
			}
			if (n > 0) != tc.breached {
				t.Errorf("Count = %d, want breached=%v", n, tc.breached)
			}
		})
	}
}

// The sandbox pads to 800-1000 lines when asked, with count-0 lines the
// client must not mistake for hits.
func TestSandboxPaddingIsIgnored(t *testing.T) {
	var padded atomic.Bool
	var lines atomic.Int32
	sb := sandbox.New()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		padded.Store(r.Header.Get("Add-Padding") == "true")
		rec := httptest.NewRecorder()
		sb.ServeHTTP(rec, r)
		lines.Store(int32(strings.Count(rec.Body.String(), "\n")))
		w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	defer ts.Close()
	n, err := fastClient(ts.URL).Count(context.Background(), secret.New("a random passphrase that no breach has"))
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("Count = %d, want 0", n)
	}
	if !padded.Load() {
		t.Error("the client did not ask for padding")
	}
	if l := lines.Load(); l < 800 || l > 1000 {
		t.Errorf("padded answer has %d lines, want 800-1000", l)
	}
}

func TestSandboxRefusesABadPrefix(t *testing.T) {
	ts := httptest.NewServer(sandbox.New())
	defer ts.Close()
	for _, prefix := range []string{"ABCD", "ABCDEF", "ABCDG", "abcd%20"} {
		resp, err := http.Get(ts.URL + "/range/" + prefix)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("prefix %q: status %d, want 400", prefix, resp.StatusCode)
		}
	}
}

// fixture serves lines for the password's prefix, in the variants real
// servers have produced.
func fixture(t *testing.T, password string, lines func(suffix string) string) *httptest.Server {
	t.Helper()
	hash := sha1Hex(password)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/range/"+hash[:5] {
			http.Error(w, "wrong prefix", http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, lines(hash[5:]))
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestCountParsesRealWorldVariants(t *testing.T) {
	const password = "hunter2hunter2hunter2"
	other := "0000000000000000000000000000000000A"
	cases := []struct {
		name  string
		lines func(suffix string) string
		want  int
	}{
		{"CRLF", func(s string) string { return other + ":3\r\n" + s + ":42\r\n" }, 42},
		{"LF, no final newline", func(s string) string { return other + ":3\n" + s + ":42" }, 42},
		{"lower-case suffix", func(s string) string { return strings.ToLower(s) + ":7\r\n" }, 7},
		{"commas in count", func(s string) string { return s + ":1,352\r\n" }, 1352},
		{"padding line for the suffix", func(s string) string { return s + ":0\r\n" + other + ":5\r\n" }, 0},
		{"absent", func(s string) string { return other + ":5\r\n" }, 0},
		{"empty answer", func(s string) string { return "" }, 0},
		{"garbage lines skipped", func(s string) string { return "nonsense\r\n" + s + ":x\r\n" + other + ":1\r\n" }, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := fixture(t, password, c.lines)
			n, err := fastClient(ts.URL).Count(context.Background(), secret.New(password))
			if err != nil {
				t.Fatal(err)
			}
			if n != c.want {
				t.Errorf("Count = %d, want %d", n, c.want)
			}
		})
	}
}

func TestCountRejectsAnAnswerThatIsNotARangeList(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html>captive portal</html>")
	}))
	defer ts.Close()
	if _, err := fastClient(ts.URL).Count(context.Background(), secret.New("whatever it is")); err == nil {
		t.Error("an HTML page was read as a range answer")
	}
}

func TestCountRetriesServerErrors(t *testing.T) {
	const password = "password12345678"
	var calls atomic.Int32
	sb := sandbox.New()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			http.Error(w, "bad gateway", http.StatusBadGateway)
		case 2:
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		default:
			sb.ServeHTTP(w, r)
		}
	}))
	defer ts.Close()
	n, err := fastClient(ts.URL).Count(context.Background(), secret.New(password))
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 || calls.Load() != 3 {
		t.Errorf("Count = %d after %d calls, want a hit after 3", n, calls.Load())
	}
}

// checkNoPassword asserts err holds neither the password nor its hash
// beyond the 5-character prefix.
func checkNoPassword(t *testing.T, err error, password string) {
	t.Helper()
	hash := sha1Hex(password)
	for _, s := range []string{password, hash, hash[5:], strings.ToLower(hash[5:])} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q holds %q", err, s)
		}
	}
}

func TestCountErrorsHoldNoPassword(t *testing.T) {
	const password = "my secret passphrase 42"
	t.Run("timeout", func(t *testing.T) {
		// In a synctest bubble the clock is fake: it moves only when every
		// goroutine waits, so the time below is exact, not measured. The
		// sandbox is served in memory, since a goroutine waiting on the
		// network would keep the clock still.
		synctest.Test(t, func(t *testing.T) {
			sb := sandbox.New(sandbox.WithLatency(2 * time.Second))
			var tries atomic.Int32
			counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { tries.Add(1); sb.ServeHTTP(w, r) })
			hc := &http.Client{Timeout: 50 * time.Millisecond, Transport: inmemory.Transport{Handler: counted}}
			start := time.Now()
			_, err := fastClient("http://127.0.0.1", pwned.WithHTTPClient(hc), pwned.WithRetry(2, time.Millisecond)).
				Count(context.Background(), secret.New(password))
			if err == nil {
				t.Fatal("no error")
			}
			// Two tries of 50 ms, and a backoff of at most the 1 ms base
			// between them; never the sandbox's 2 s.
			if took := time.Since(start); took < 100*time.Millisecond || took > 101*time.Millisecond {
				t.Errorf("took %v, want the short timeout to apply to both tries", took)
			}
			if n := tries.Load(); n != 2 {
				t.Errorf("%d tries, want 2", n)
			}
			var netErr interface{ Timeout() bool }
			if !errors.As(err, &netErr) || !netErr.Timeout() {
				t.Errorf("err = %v, want a timeout", err)
			}
			if !strings.Contains(err.Error(), "/range/"+sha1Hex(password)[:5]) {
				t.Errorf("err = %q, want the path with the prefix", err)
			}
			checkNoPassword(t, err, password)
		})
	})
	t.Run("server error exhausts retries", func(t *testing.T) {
		sb := sandbox.New()
		sb.FailNext("GET", "/range/", http.StatusServiceUnavailable, 10)
		ts := httptest.NewServer(sb)
		defer ts.Close()
		_, err := fastClient(ts.URL).Count(context.Background(), secret.New(password))
		if err == nil || !strings.Contains(err.Error(), "503") {
			t.Fatalf("err = %v, want a 503", err)
		}
		if n := sb.Requests("GET", "/range/"); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
		checkNoPassword(t, err, password)
	})
	t.Run("oversized answer", func(t *testing.T) {
		var calls atomic.Int32
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			line := strings.Repeat("0", 35) + ":1\r\n"
			for range (3 << 20) / len(line) {
				fmt.Fprint(w, line)
			}
		}))
		defer ts.Close()
		_, err := fastClient(ts.URL).Count(context.Background(), secret.New(password))
		if err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Fatalf("err = %v, want a size refusal", err)
		}
		if calls.Load() != 1 {
			t.Errorf("%d requests, want 1: the same answer would come back", calls.Load())
		}
		checkNoPassword(t, err, password)
	})
}
