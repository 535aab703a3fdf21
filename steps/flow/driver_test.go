package flow

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/pwned"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/sandbox/faultproxy"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/assets"
)

// world is a sandbox on loopback behind a proxy that can lose answers, a
// demo web root, and the folders a recovery keeps its journal and reports
// in: what stays between two runs of the wizard.
type world struct {
	sb       *sandbox.Server
	proxy    *faultproxy.Proxy
	url      string
	root     string
	stateDir string
	reports  string
}

func newWorld(t *testing.T, opts ...sandbox.Option) *world {
	t.Helper()
	sb := sandbox.New(append([]sandbox.Option{sandbox.WithBreachedPasswords(assets.CommonPasswords())}, opts...)...)
	upstream := httptest.NewServer(sb)
	t.Cleanup(upstream.Close)
	u, _ := url.Parse(upstream.URL)
	proxy := faultproxy.New(u)
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	root, err := assets.ExtractDemo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &world{sb: sb, proxy: proxy, url: srv.URL, root: root, stateDir: t.TempDir(), reports: t.TempDir()}
}

// config is the live wizard's wiring against the world, signing in with
// creds (nil: the first screen asks).
func (w *world) config(creds *mailjet.Credentials) Config {
	hc := &http.Client{Timeout: 10 * time.Second}
	return Config{
		Version: "test", APIBaseURL: w.url, RecoveryURL: w.url, HTTPClient: hc,
		Credentials: creds, CredentialsSource: "MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE",
		StateDir: w.stateDir, ScanRoot: w.root, ReportDir: w.reports,
		Breaches: pwned.New(w.url, pwned.WithHTTPClient(hc)), CommonPasswords: assets.CommonPasswords(),
		ReadyWait: time.Millisecond, Rand: rand.Reader, PassphraseWords: assets.PassphraseWords(),
	}
}

var demoCreds = mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)}

// fakeClock's timers fire only when the test says; it counts who waits,
// so the driver knows when everything left is waiting for time.
type fakeClock struct {
	mu      sync.Mutex
	waiting []chan time.Time
	changed chan struct{}
}

func newFakeClock() *fakeClock { return &fakeClock{changed: make(chan struct{}, 1)} }

func (c *fakeClock) After(time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	c.waiting = append(c.waiting, ch)
	c.mu.Unlock()
	select {
	case c.changed <- struct{}{}:
	default:
	}
	return ch
}

func (c *fakeClock) waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiting)
}

// fire lets every waiting timer go off.
func (c *fakeClock) fire() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ch := range c.waiting {
		ch <- time.Now()
	}
	c.waiting = nil
}

// driver runs a Flow as a front-end does: it runs the Cmds in goroutines
// and hands their messages back, and waits (on state, never on time) until
// the recovery has nothing left to do but wait for the user or a timer.
type driver struct {
	t        *testing.T
	f        *Flow
	ctx      context.Context
	cancel   context.CancelFunc
	msgs     chan Msg
	inflight int
	clock    *fakeClock
}

func drive(t *testing.T, cfg Config) *driver {
	t.Helper()
	clock := newFakeClock()
	cfg.After = clock.After
	ctx, cancel := context.WithCancel(context.Background())
	d := &driver{t: t, f: New(cfg), ctx: ctx, cancel: cancel, msgs: make(chan Msg, 64), clock: clock}
	t.Cleanup(d.crash)
	d.run(d.f.Start())
	d.settle()
	return d
}

func (d *driver) run(cmds []Cmd) {
	for _, c := range cmds {
		d.inflight++
		go func() { d.msgs <- c(d.ctx) }()
	}
}

// settle hands messages back until only timers are left.
func (d *driver) settle() {
	d.t.Helper()
	deadline := time.After(30 * time.Second) // a guard against a hang, not a timing
	for d.inflight > d.clock.waiters() {
		select {
		case m := <-d.msgs:
			d.inflight--
			d.run(d.f.Update(m))
		case <-d.clock.changed:
		case <-deadline:
			d.t.Fatalf("the recovery never settled; screen:\n%s", d.text())
		}
	}
}

// crash ends the process as kill -9 would: nothing more runs, nothing not
// yet on disk is written, the journal's lock goes with the process.
func (d *driver) crash() {
	d.cancel()
	if d.f.journal != nil {
		d.f.journal.Close()
	}
}

// do takes an action, which the screen must offer.
func (d *driver) do(a ActionID) {
	d.t.Helper()
	sc := d.f.Screen()
	ok := false
	for _, x := range sc.Actions {
		ok = ok || x.ID == a
	}
	if !ok {
		d.t.Fatalf("the screen offers no %q; it shows:\n%s", a, d.text())
	}
	d.run(d.f.Do(a))
	d.settle()
}

// edit types into a field.
func (d *driver) edit(field, value string) {
	d.t.Helper()
	d.run(d.f.Edit(field, value))
	d.settle()
}

// at checks the recovery is at stage s and its screen says every want.
func (d *driver) at(s Stage, want ...string) string {
	d.t.Helper()
	text := d.text()
	if d.f.Current() != s {
		d.t.Fatalf("at stage %s, want %s; screen:\n%s", d.f.Current(), s, text)
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			d.t.Fatalf("stage %s lacks %q; screen:\n%s", s, w, text)
		}
	}
	return text
}

// text is the screen as plain text, secrets as shown.
func (d *driver) text() string { return screenText(d.f.Screen()) }

func screenText(sc Screen) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s · %s\n", sc.Stage, sc.Name, sc.Why)
	for _, bl := range sc.Blocks {
		switch bl.Kind {
		case TableBlock:
			b.WriteString(strings.Join(bl.Table.Header, " | ") + "\n")
			for _, r := range bl.Table.Rows {
				b.WriteString(strings.Join(r, " | ") + "\n")
			}
		case ListBlock:
			for _, it := range bl.List.Items {
				b.WriteString(it.Mark + " " + strings.Join(it.Cols, "  ") + "\n")
			}
		case PairsBlock:
			for _, p := range bl.Pairs {
				v := p.Value
				if !p.Secret.IsZero() {
					v = p.Secret.Hint()
					if p.Shown {
						v = p.Secret.Reveal()
					}
				}
				b.WriteString(p.Label + " " + v + "\n")
			}
		case InputBlock:
			label := ""
			for _, f := range sc.Fields {
				if f.ID == bl.Field {
					label = f.Label + " = " + f.Value
				}
			}
			b.WriteString("[field " + bl.Field + "] " + label + "\n")
		case DiffBlock:
			for _, l := range bl.Diff {
				b.WriteString(l.Text + "\n")
			}
		default:
			b.WriteString(bl.Text + "\n")
		}
	}
	for _, a := range sc.Actions {
		b.WriteString("<" + string(a.ID) + ": " + a.Label + "> ")
	}
	return b.String()
}

// shownSecrets are the secrets on the screen, revealed.
func shownSecrets(sc Screen) []secret.Secret {
	var out []secret.Secret
	for _, bl := range sc.Blocks {
		for _, p := range bl.Pairs {
			if !p.Secret.IsZero() && p.Shown {
				out = append(out, p.Secret)
			}
		}
	}
	return out
}

// activeKeys are the account's active keys, master included.
func (w *world) activeKeys() []sandbox.Key {
	var out []sandbox.Key
	for _, k := range w.sb.Keys() {
		if k.IsActive {
			out = append(out, k)
		}
	}
	return out
}

// masterSecret is the master key's secret now.
func (w *world) masterSecret() secret.Secret {
	for _, k := range w.sb.Keys() {
		if k.IsMaster {
			return k.Secret
		}
	}
	return secret.Secret{}
}
