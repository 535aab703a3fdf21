package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/assets"
	"github.com/mjrecover/mjrecover/steps/rotate"
)

// TestMain lets the test binary be the wizard: with MJRECOVER_AS_MAIN set
// it runs main with the arguments after "--", as the built command would.
// The kill tests start it as a separate process so they can kill -9 it.
func TestMain(m *testing.M) {
	if os.Getenv("MJRECOVER_AS_MAIN") == "1" {
		for i, a := range os.Args {
			if a == "--" {
				os.Args = append([]string{"mjrecover"}, os.Args[i+1:]...)
				break
			}
		}
		main()
		return
	}
	os.Exit(m.Run())
}

// killWorld is a sandbox on loopback, the demo web root, and the folders
// that stay between two runs of the wizard.
type killWorld struct {
	sb                   *sandbox.Server
	handler              http.Handler
	url                  string
	root, state, reports string
}

func newKillWorld(t *testing.T, opts ...sandbox.Option) *killWorld {
	t.Helper()
	sb := sandbox.New(append([]sandbox.Option{sandbox.WithBreachedPasswords(assets.CommonPasswords())}, opts...)...)
	root, err := assets.ExtractDemo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &killWorld{sb: sb, handler: sb, root: root, state: t.TempDir(), reports: t.TempDir()}
}

// serve puts h (in front of the sandbox) on loopback.
func (w *killWorld) serve(t *testing.T, h http.Handler) {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	w.url = srv.URL
}

// wizard is one run of the accessible wizard in its own process.
type wizard struct {
	t     *testing.T
	world *killWorld
	cmd   *exec.Cmd
	in    io.WriteCloser
	mu    sync.Mutex
	out   strings.Builder
	seen  int
	done  chan struct{}
}

// start runs the same command a customer would: live mode against the
// sandbox, the (old) master pair in the environment.
func (w *killWorld) start(t *testing.T) *wizard {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "--accessible",
		"--api-url", w.url, "--recovery-url", w.url, "--pwned-url", w.url,
		"--scan", w.root, "--report-dir", w.reports, "--state-dir", w.state)
	cmd.Env = append(os.Environ(), "MJRECOVER_AS_MAIN=1",
		"MJ_APIKEY_PUBLIC="+sandbox.DemoMasterKey, "MJ_APIKEY_PRIVATE="+sandbox.DemoMasterSecret)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	wz := &wizard{t: t, world: w, cmd: cmd, in: in, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(wz.done)
		r := bufio.NewReader(outR)
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			wz.mu.Lock()
			wz.out.Write(buf[:n])
			wz.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { wz.kill() })
	return wz
}

func (wz *wizard) kill() {
	_ = wz.cmd.Process.Kill() // kill -9
	<-wz.done
	_ = wz.cmd.Wait()
}

// prompt waits for the next question (a line ending in ": ") and returns
// what was said since the last one.
func (wz *wizard) prompt() (string, bool) {
	deadline := time.Now().Add(30 * time.Second) // a guard against a hang, not a timing
	for {
		wz.mu.Lock()
		all := wz.out.String()
		wz.mu.Unlock()
		if i := strings.LastIndex(all, ": "); i >= wz.seen && i == len(all)-2 {
			chunk := all[wz.seen:]
			wz.seen = len(all)
			return chunk, true
		}
		select {
		case <-wz.done:
			return all[wz.seen:], false
		default:
		}
		if time.Now().After(deadline) {
			wz.t.Errorf("no question; the wizard said:\n%s", all[wz.seen:])
			return all[wz.seen:], false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (wz *wizard) answer(s string) { fmt.Fprintln(wz.in, s) }

// reply answers any question of the recovery up to the files page the
// way a customer who saves the new keys does.
func (wz *wizard) reply(said string) string {
	// The question is the last lines (it wraps at the terminal's width).
	lines := strings.Split(strings.TrimRight(said, ": \n"), "\n")
	last := strings.Join(strings.Fields(strings.Join(lines[max(0, len(lines)-3):], " ")), " ")
	switch {
	case strings.Contains(last, "y (resume)"):
		return "y"
	case strings.Contains(said, "Rotate the keys now?"):
		return "y"
	case strings.Contains(last, "s (save to a file)") && strings.Contains(said, "Your new keys are ready."):
		return "s"
	case strings.Contains(last, "r (try again)"):
		return "r"
	}
	return "" // Enter: continue
}

// holder stands in front of the sandbox and holds the n-th change the
// wizard makes at Mailjet: before the sandbox sees it, or after it applied
// it but before the answer goes back, or just after the answer. The test
// kills the wizard while it waits there.
type holder struct {
	next    http.Handler
	at      int    // the change to hold
	mode    string // "before", "after" or "answered"
	mu      sync.Mutex
	seen    int
	held    chan struct{}
	closed  bool
	release chan struct{} // closed when the test ends: held requests go
}

func (h *holder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	changes := r.Method != http.MethodGet && (strings.HasPrefix(r.URL.Path, "/v3/REST/apikey") ||
		strings.HasPrefix(r.URL.Path, "/recovery/v1/master-secret"))
	if !changes {
		h.next.ServeHTTP(w, r)
		return
	}
	h.mu.Lock()
	h.seen++
	hold := h.seen == h.at
	h.mu.Unlock()
	if !hold {
		h.next.ServeHTTP(w, r)
		return
	}
	switch h.mode {
	case "before":
		// Read first: the server notices a client gone only once the body
		// is read.
		_, _ = io.Copy(io.Discard, r.Body)
		h.signal()
		h.wait(r)
	case "after":
		h.next.ServeHTTP(httptest.NewRecorder(), r)
		h.signal()
		h.wait(r)
	default:
		h.next.ServeHTTP(w, r)
		h.signal()
	}
}

func (h *holder) wait(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-h.release:
	}
}

func (h *holder) signal() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.held)
	}
}

// TestKillDuringTheRotation kills the wizard (kill -9) at each of the
// changes the rotation makes at Mailjet: where Mailjet lists the secrets,
// the Newsletter key's use is read and it has sent nothing for months, so
// it is switched off with no replacement (five changes: the Shop's new
// key, the Newsletter key switched off, the master's new secret prepared,
// the Shop's old key switched off, the new secret switched on); where it
// shows them once (even k), its use cannot be read and it is replaced too
// (six changes: two new keys, the master's new secret prepared, two old
// keys switched off, the new secret switched on):
// before Mailjet applies it, after it applied it but before the answer
// arrives, and just after the answer. Then it runs the same command again
// (the old master secret still in the environment): the recovery goes on to
// the files page, the account holds exactly one active key per slot, each
// with a secret the customer saved, and the saved master secret works.
func TestKillDuringTheRotation(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the wizard three dozen times")
	}
	// Each k once, odd ones with the secrets listed, even ones shown once;
	// and the listed account's even changes too (2: the Newsletter key
	// switched off, 4: the Shop's old key), so every change of both plans
	// is cut.
	type killCase struct {
		k         int
		shownOnce bool
	}
	var cases []killCase
	for k := 1; k <= 6; k++ {
		cases = append(cases, killCase{k, k%2 == 0})
	}
	cases = append(cases, killCase{2, false}, killCase{4, false})
	for _, mode := range []string{"before", "after", "answered"} {
		for _, c := range cases {
			k := c.k
			name := fmt.Sprintf("%s/%d", mode, k)
			if !c.shownOnce && k%2 == 0 {
				name += "-listed"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				var opts []sandbox.Option
				if c.shownOnce {
					opts = append(opts, sandbox.WithSecretsShownOnce())
				}
				w := newKillWorld(t, opts...)
				h := &holder{next: w.handler, at: k, mode: mode, held: make(chan struct{}), release: make(chan struct{})}
				w.serve(t, h)
				t.Cleanup(func() { close(h.release) }) // before the server closes

				first := w.start(t)
				go first.answerAll(func(string) bool { return false })
				select {
				case <-h.held:
				case <-first.done:
					t.Fatalf("the wizard ended before change %d:\n%s", k, first.text())
				}
				first.kill()

				second := w.start(t)
				second.answerAll(func(said string) bool {
					return strings.Contains(said, "These files hold an old key") || strings.HasSuffix(said, "New password: ")
				})
				second.kill()
				news := 0 // the unused Newsletter key is switched off, not replaced
				if c.shownOnce {
					news = 1 // its use could not be read: replaced
				}
				w.assertOneKeyPerSlot(t, news)
				if t.Failed() {
					t.Logf("first run:\n%s\nsecond run:\n%s", first.text(), second.text())
				}
			})
		}
	}
}

// answerAll answers every question as a customer who saves the new keys
// would, until stop says the run got where it should.
func (wz *wizard) answerAll(stop func(said string) bool) {
	for {
		said, ok := wz.prompt()
		if !ok {
			return
		}
		if stop(said) {
			return
		}
		if strings.Contains(said, "it is the old one") {
			wz.answer(wz.world.savedSecrets()[sandbox.DemoMasterKey][0])
			continue
		}
		wz.answer(wz.reply(said))
	}
}

func (wz *wizard) text() string {
	wz.mu.Lock()
	defer wz.mu.Unlock()
	return wz.out.String()
}

// savedSecrets are the secrets in every keys file the customer saved,
// newest first, by key.
func (w *killWorld) savedSecrets() map[string][]string {
	files, _ := filepath.Glob(filepath.Join(w.reports, "mjrecover-new-keys-*.txt"))
	out := map[string][]string{}
	for i := len(files) - 1; i >= 0; i-- {
		if keys, err := rotate.ReadSaved(files[i]); err == nil {
			for k, s := range keys {
				out[k] = append(out[k], s.Reveal())
			}
		}
	}
	return out
}

// assertOneKeyPerSlot checks the account after the rotation: one active
// key per slot (wantNews for the Newsletter key: 0 when it was switched
// off with no replacement), each with a secret the customer saved.
func (w *killWorld) assertOneKeyPerSlot(t *testing.T, wantNews int) {
	t.Helper()
	saved := w.savedSecrets()
	var shop, news, master int
	for _, k := range w.sb.Keys() {
		if !k.IsActive {
			continue
		}
		switch {
		case k.IsMaster:
			master++
		case strings.HasPrefix(k.Name, sandbox.DemoShopName):
			shop++
		case strings.HasPrefix(k.Name, sandbox.DemoNewsletterName):
			news++
		}
		if k.APIKey == sandbox.DemoShopKey || k.APIKey == sandbox.DemoNewsletterKey {
			t.Errorf("the old key %s is still on", k.Name)
		}
		if !slices.Contains(saved[k.APIKey], k.Secret.Reveal()) {
			t.Errorf("the active key %s (%s) has a secret the customer did not save", k.Name, k.APIKey)
		}
	}
	if shop != 1 || news != wantNews || master != 1 {
		t.Errorf("active keys: master %d, shop %d, newsletter %d; want 1, 1, %d", master, shop, news, wantNews)
	}
}
