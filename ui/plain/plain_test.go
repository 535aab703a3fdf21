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
	"net/http"
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
	"github.com/mjrecover/mjrecover/steps/flow"
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
	// writes are the output write by write.
	writes []string
	// queued hears each line mjrecover has read and queued.
	queued chan struct{}
}

func (s *session) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes = append(s.writes, string(p))
	return s.out.Write(p)
}

func (s *session) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// expect waits for want to appear after what earlier calls consumed and
// returns the new output up to it. A line break in the output matches a
// space of want: the output is wrapped to the width.
func (s *session) expect(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second) // a guard against a hang, not a timing
	for time.Now().Before(deadline) {
		all := s.text()
		if i := strings.Index(strings.ReplaceAll(all[s.seen:], "\n", " "), want); i >= 0 {
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
	s := &session{t: t, in: w, done: make(chan ui.Outcome, 1), queued: make(chan struct{}, 64)}
	go func() {
		out, err := runWith(cfg, r, s, nil, func() {
			select {
			case s.queued <- struct{}{}:
			default:
			}
		})
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		s.done <- out
	}()
	t.Cleanup(func() { w.Close() })
	return s
}

// demo is a sandbox on loopback with the demo web root, and folders that
// stay between runs.
type demo struct {
	box               *sandbox.Server
	url               string
	root, state, reps string
}

func newDemo(t *testing.T) *demo {
	box := sandbox.New(sandbox.WithBreachedPasswords(assets.CommonPasswords()))
	srv := httptest.NewServer(box)
	t.Cleanup(srv.Close)
	root, err := assets.ExtractDemo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &demo{box: box, url: srv.URL, root: root, state: t.TempDir(), reps: t.TempDir()}
}

func (d *demo) config() ui.Config {
	hc := &http.Client{Timeout: 10 * time.Second}
	return ui.Config{Context: context.Background(), Config: flow.Config{
		Version: "test", APIBaseURL: d.url, RecoveryURL: d.url, HTTPClient: hc,
		Credentials: &mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)},
		ScanRoot:    d.root, ReportDir: d.reps, StateDir: d.state, ReadyWait: time.Millisecond,
		Breaches: pwned.New(d.url, pwned.WithHTTPClient(hc)), CommonPasswords: assets.CommonPasswords(),
		Now: time.Now, Rand: rand.Reader,
	}}
}

func demoConfig(t *testing.T) ui.Config { return newDemo(t).config() }

var groupsRe = regexp.MustCompile(`Key to type by hand \(time-based\) ((?:[A-Z2-7]{4} ?)+)`)

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

// toFiles goes from the start to the files page, saving the new keys.
func (s *session) toFiles() {
	s.t.Helper()
	s.expect("Press Enter to continue: ")
	s.answer("")
	s.expect("Folder to check [")
	s.answer("")
	found := s.expect("(choose another item): ")
	if !strings.Contains(found, "API key and secret ****590b: your account's key") {
		s.t.Errorf("findings are not read out:\n%s", found)
	}
	s.answer("")
	s.expect("Plan: new secret.")
	s.answer("")
	s.expect("Rotate the keys now?")
	s.answer("maybe")
	s.expect("That is not one of the answers.")
	s.answer("y")
	s.expect("Your new keys are ready.")
	// Neither heard nor saved: the old keys are not switched off.
	s.expect("back (keep the old keys): ")
	s.answer("")
	s.expect("First save the new keys (s) or show them (r)")
	s.answer("s")
	s.expect("Your keys are rotated.")
	s.expect("Press Enter to continue")
	// A test email with each new key, through the Send API in sandbox mode.
	s.answer("t")
	s.expect("Mailjet's Send API accepted a test email from every new key")
	s.expect("Press Enter to continue")
	s.answer("")
	s.expect("These files hold an old key or secret.")
}

func TestPlainWizardWalksEveryStage(t *testing.T) {
	d := newDemo(t)
	s := start(t, d.config())
	s.toFiles()
	// The files page, item by item.
	s.expect("(choose another item): ")
	s.answer("u") // laravel/.env
	s.expect("1. done   settings, laravel/.env")
	s.answer("d") // the change in wp-config.php, selected next
	diff := s.expect("Type back (back to the list): ")
	if !strings.Contains(diff, "Removed:") || !strings.Contains(diff, "Added:") || strings.Contains(diff, sandbox.DemoMasterSecret) {
		t.Errorf("the change is not read out safely:\n%s", diff)
	}
	s.answer("back")
	s.answer("u")
	s.expect("2. done   settings, public_html/wp-config.php")
	s.answer("m")
	s.expect("Nothing is deleted")
	s.answer("y")
	s.expect("3. done   leak, public_html/.env.bak")
	s.answer("")
	s.expect("not decided yet")
	s.answer("y")
	s.expect("Checked again: no old key or secret is left")
	s.answer("")

	s.expect("New password: ")
	s.answer("password12345678")
	s.expect("Type it again: ")
	s.answer("password12345678")
	s.expect("✗ ")
	const pw = "quiet lantern orbit cobalt 42%"
	s.expect("New password: ")
	s.answer(pw)
	s.expect("Type it again: ")
	s.answer(pw)
	s.expect("Your password is changed.")
	s.answer("")

	s.expect("Press Enter to continue")
	s.answer("")
	s.expect("Code from the app: ")
	s.answer("show")
	keyText := s.expect("Code from the app: ")
	m := groupsRe.FindStringSubmatch(keyText)
	if m == nil || !strings.Contains(keyText, "otpauth://totp/Mailjet:") {
		t.Fatalf("no key in groups of four and no link:\n%s", keyText)
	}
	s.answer(code(t, m[1]))
	s.expect("Two-factor authentication is on.")
	s.expect("w (I wrote them down): ")
	s.answer("w")
	s.expect("Press r to show the codes first")
	s.answer("r")
	s.expect("w (I wrote them down): ")
	s.answer("w")
	s.expect("Write all 10 codes on paper now.")
	s.answer("y")
	s.expect("Keep the paper away")
	s.answer("")

	// The account review: the attacker's webhook goes.
	review := s.expect("(choose another item): ")
	if !strings.Contains(review, "collect.mailstat-cdn.example") {
		t.Fatalf("the review is not read out:\n%s", review)
	}
	s.answer("x")
	s.expect("delete the webhook?")
	s.answer("y")
	s.expect("Deleted")
	s.answer("")
	s.expect("still in place. Leave them as they are?")
	s.answer("y")
	s.expect("This is the report for Mailjet support.")
	s.expect("Send it to Mailjet support now?")
	s.answer("")
	s.expect("Report saved")
	s.answer("")
	out := <-s.done
	if !out.Finished || out.Ticket == "" || out.ReportMarkdown == "" {
		t.Fatalf("outcome %+v", out)
	}
	if hooks := d.box.Webhooks(); len(hooks) != 1 {
		t.Errorf("webhooks left: %+v", hooks)
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

// A dropped run is resumed where it stopped: on the files page, with the
// file updated before done.
func TestPlainWizardResumes(t *testing.T) {
	d := newDemo(t)
	s := start(t, d.config())
	s.toFiles()
	s.expect("(choose another item): ")
	s.answer("u")
	s.expect("1. done   settings, laravel/.env")
	s.in.Close() // the line drops
	<-s.done

	s = start(t, d.config())
	s.expect("Press Enter to continue: ")
	s.answer("")
	s.expect("You have started this recovery before.")
	s.expect("n (start again): ")
	s.answer("y")
	page := s.expect("(choose another item): ")
	if !strings.Contains(page, "done   settings, laravel/.env") || !strings.Contains(page, "to do  settings, public_html/wp-config.php") {
		t.Fatalf("the files page is not as it was left:\n%s", page)
	}
	s.answer("quit")
	<-s.done
}

func TestPlainWizardStopsOnQuit(t *testing.T) {
	s := start(t, demoConfig(t))
	s.expect("Press Enter to continue: ")
	s.answer("")
	s.expect("Folder to check [")
	s.answer("quit")
	out := <-s.done
	if out.Finished {
		t.Fatal("a quit run says it finished")
	}
	if !strings.Contains(s.text(), "Stopped. What you finished stays done at Mailjet") {
		t.Fatalf("no goodbye:\n%s", s.text())
	}
}

func TestPlainWizardAsksForTheKeyPair(t *testing.T) {
	cfg := demoConfig(t)
	cfg.Credentials = nil
	s := start(t, cfg)
	s.expect("API key: ")
	s.answer(sandbox.DemoMasterKey)
	s.expect("Secret key: ")
	s.answer("00000000000000000000000000000001")
	s.expect("Mailjet refused this API key and secret")
	s.expect("Secret key: ")
	s.answer(sandbox.DemoMasterSecret)
	s.expect("Folder to check")
	s.answer("quit")
	<-s.done
}
