package plain

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/pwned"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/assets"
	"github.com/mjrecover/mjrecover/ui"
)

// session runs the plain wizard with a person at the other end: the test
// waits for a question, then answers it.
type session struct {
	t    *testing.T
	in   *io.PipeWriter
	mu   sync.Mutex
	out  strings.Builder
	seen int // output already consumed by expect
	done chan ui.Outcome
}

func (s *session) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.Write(p)
}

func (s *session) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// expect waits for want to appear after what earlier calls consumed and
// returns the new output up to it.
func (s *session) expect(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		all := s.text()
		if i := strings.Index(all[s.seen:], want); i >= 0 {
			chunk := all[s.seen : s.seen+i+len(want)]
			s.seen += i + len(want)
			return chunk
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.t.Fatalf("never saw %q; output:\n%s", want, s.text()[s.seen:])
	return ""
}

func (s *session) answer(line string) {
	io.WriteString(s.in, line+"\n")
}

func start(t *testing.T, cfg ui.Config) *session {
	r, w := io.Pipe()
	s := &session{t: t, in: w, done: make(chan ui.Outcome, 1)}
	go func() {
		out, err := Run(cfg, r, s, nil)
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		s.done <- out
	}()
	t.Cleanup(func() { w.Close() })
	return s
}

func demoConfig(t *testing.T) ui.Config {
	box := sandbox.New()
	srv := httptest.NewServer(box)
	t.Cleanup(srv.Close)
	root, err := assets.ExtractDemo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return ui.Config{
		Version: "test", Demo: true, APIBaseURL: srv.URL, RecoveryURL: srv.URL, HTTPClient: srv.Client(),
		Credentials: &mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)},
		ScanRoot:    root, ReportDir: t.TempDir(),
		Breaches: pwned.New(srv.URL, pwned.WithHTTPClient(srv.Client())), CommonPasswords: assets.CommonPasswords(),
		Context: context.Background(), Now: time.Now, Rand: rand.Reader,
	}
}

var groupsRe = regexp.MustCompile(`((?:[A-Z2-7]{4} ?)+)\n`)

// code is an independent RFC 6238 code for a base32 key.
func code(t *testing.T, key string) string {
	k, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ReplaceAll(key, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	var c [8]byte
	binary.BigEndian.PutUint64(c[:], uint64(time.Now().Unix()/30))
	m := hmac.New(sha1.New, k)
	m.Write(c[:])
	sum := m.Sum(nil)
	o := sum[len(sum)-1] & 15
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(sum[o:o+4])&0x7fffffff)%1000000)
}

func TestPlainWizardWalksAllFiveSteps(t *testing.T) {
	cfg := demoConfig(t)
	s := start(t, cfg)
	s.expect("Signed in as " + sandbox.DemoEmail)
	s.expect("Folder to check [")
	s.answer("")
	found := s.expect("Press Enter to go on.")
	if !strings.Contains(found, "secret ending in 590b, a key of your account") {
		t.Errorf("findings are not read out plainly:\n%s", found)
	}
	s.answer("")
	s.expect("Rotate the keys now (yes or no): ")
	s.answer("maybe")
	s.expect("Please answer yes or no.")
	s.answer("yes")
	s.expect("Read out the new secrets now")
	s.answer("no")
	s.expect("Save the new keys to a file only you can read (yes or no): ")
	s.answer("no")
	s.expect("New password (typing is not shown): ")
	s.answer("password12345678")
	s.answer("password12345678")
	s.expect("Refused: ")
	const pw = "quiet lantern orbit cobalt mosaic"
	s.expect("New password")
	s.answer(pw)
	s.answer(pw)
	s.expect("Your password is changed.")
	keyText := s.expect("Or open this link on the phone: otpauth://totp/Mailjet:")
	m := groupsRe.FindStringSubmatch(keyText)
	if m == nil {
		t.Fatalf("no key in groups of four:\n%s", keyText)
	}
	s.expect("The 6-digit code the app shows: ")
	s.answer(code(t, m[1]))
	s.expect("Two-factor authentication is on.")
	s.expect("Save them to a file only you can read (yes or no): ")
	s.answer("no")
	s.expect("Did you write all of them down (yes or no): ")
	s.answer("yes")
	s.expect("Report saved")
	out := <-s.done
	if !out.Finished || out.Ticket == "" || out.ReportMarkdown == "" {
		t.Fatalf("outcome %+v", out)
	}
	all := s.text()
	for _, secretText := range []string{sandbox.DemoMasterSecret, sandbox.DemoShopSecret, pw} {
		if strings.Contains(all, secretText) {
			t.Errorf("the output holds a secret (…%s)", secretText[len(secretText)-4:])
		}
	}
	if strings.Contains(all, "\x1b") {
		t.Error("the plain wizard wrote an escape sequence")
	}
}

func TestPlainWizardStopsOnQuit(t *testing.T) {
	s := start(t, demoConfig(t))
	s.expect("Folder to check [")
	s.answer("quit")
	out := <-s.done
	if out.Finished {
		t.Fatal("a quit run says it finished")
	}
	if !strings.Contains(s.text(), "Stopped.") {
		t.Fatalf("no goodbye:\n%s", s.text())
	}
}

func TestPlainWizardAsksForTheKeyPair(t *testing.T) {
	cfg := demoConfig(t)
	cfg.Credentials = nil
	s := start(t, cfg)
	s.expect("API key: ")
	s.answer(sandbox.DemoMasterKey)
	s.expect("Secret key (typing is not shown): ")
	s.answer("00000000000000000000000000000001")
	s.expect("Mailjet refused this API key and secret")
	s.expect("API key: ")
	s.answer(sandbox.DemoMasterKey)
	s.expect("Secret key")
	s.answer(sandbox.DemoMasterSecret)
	s.expect("Signed in as")
	s.answer("quit")
	<-s.done
}
