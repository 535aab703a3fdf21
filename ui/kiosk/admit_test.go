package kiosk

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/steps/flow"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/ui"
)

func TestAddrKey(t *testing.T) {
	for _, c := range []struct {
		ip   string
		want string
	}{
		{"192.0.2.7", "192.0.2.7"},
		{"::ffff:192.0.2.7", "192.0.2.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
	} {
		if got := addrKey(&net.TCPAddr{IP: net.ParseIP(c.ip), Port: 4242}); got != c.want {
			t.Errorf("addrKey(%s) = %q, want %q", c.ip, got, c.want)
		}
	}
}

// The counts alone: an address's places, the places at the code screen and
// those past it are kept apart, and all come back.
func TestAdmissionKeepsPlacesApart(t *testing.T) {
	a := newAdmission(2, 4, 2)
	var held []*ticket
	connect := func(addr string) *ticket {
		t.Helper()
		tk, why := a.connect(addr)
		if why != admitted {
			t.Fatalf("connect %s: refused (%s)", addr, why.label())
		}
		held = append(held, tk)
		return tk
	}
	// One address: 4 connections before any session, then no more.
	var attacker []*ticket
	for range 4 {
		attacker = append(attacker, connect("192.0.2.66"))
	}
	if _, why := a.connect("192.0.2.66"); why != refusedConnsAddr {
		t.Errorf("a fifth connection from one address: %q", why.label())
	}
	// Two of them at the code screen, not a third.
	for i, want := range []refusal{admitted, admitted, refusedWaitingAddr} {
		if why := attacker[i].wait(); why != want {
			t.Errorf("attacker session %d: %q, want %q", i+1, why.label(), want.label())
		}
	}
	// Customers from elsewhere still get in, past the code too.
	for _, addr := range []string{"198.51.100.1", "198.51.100.2"} {
		c := connect(addr)
		if why := c.wait(); why != admitted {
			t.Fatalf("customer %s at the code screen: %q", addr, why.label())
		}
		if err := c.admit(); err != nil {
			t.Fatalf("customer %s past the code: %v", addr, err)
		}
	}
	// Both sessions taken: the next customer is told the kiosk is full,
	// and one who typed the code meanwhile too.
	late := connect("198.51.100.3")
	if why := late.wait(); why != refusedFull {
		t.Errorf("with every session taken: %q", why.label())
	}
	a2 := newAdmission(1, 4, 2)
	x, _ := a2.connect("198.51.100.4")
	y, _ := a2.connect("198.51.100.5")
	x.wait()
	y.wait()
	if err := x.admit(); err != nil {
		t.Fatal(err)
	}
	if err := y.admit(); !errors.Is(err, errKioskFull) {
		t.Errorf("a second admission into one session: %v", err)
	}
	if a.running() != 4 {
		t.Errorf("running %d, want 2 at the code screen and 2 past it", a.running())
	}
	for _, tk := range held {
		tk.close()
		tk.close() // twice is harmless
	}
	if a.running() != 0 || a.preauth != 0 || a.waiting != 0 || a.sessions != 0 || len(a.byAddr) != 0 {
		t.Errorf("after every connection closed: %+v", a)
	}
}

// fakeTimers stands in for time.AfterFunc: the test fires the timers.
type fakeTimers struct {
	mu     sync.Mutex
	timers []*fakeTimer
	armed  chan struct{}
}

type fakeTimer struct {
	ft      *fakeTimers
	d       time.Duration
	f       func()
	stopped bool
	taken   bool // handed to the test
}

func newFakeTimers() *fakeTimers { return &fakeTimers{armed: make(chan struct{}, 1)} }

func (ft *fakeTimers) afterFunc(d time.Duration, f func()) func() bool {
	ft.mu.Lock()
	tm := &fakeTimer{ft: ft, d: d, f: f}
	ft.timers = append(ft.timers, tm)
	ft.mu.Unlock()
	select { // a wake-up for next, which looks at every timer
	case ft.armed <- struct{}{}:
	default:
	}
	return func() bool {
		ft.mu.Lock()
		defer ft.mu.Unlock()
		was := !tm.stopped
		tm.stopped = true
		return was
	}
}

// next waits for a timer of d armed since the last one taken.
func (ft *fakeTimers) next(t *testing.T, d time.Duration) *fakeTimer {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		ft.mu.Lock()
		for _, tm := range ft.timers {
			if tm.d == d && !tm.taken {
				tm.taken = true
				ft.mu.Unlock()
				return tm
			}
		}
		ft.mu.Unlock()
		select {
		case <-ft.armed:
		case <-deadline:
			t.Fatalf("no timer of %v was started", d)
		}
	}
}

// fire runs the timer's function, as its time would, unless it was
// stopped.
func (tm *fakeTimer) fire() bool {
	tm.ft.mu.Lock()
	stopped := tm.stopped
	tm.stopped = true
	tm.ft.mu.Unlock()
	if !stopped {
		tm.f()
	}
	return !stopped
}

func (tm *fakeTimer) isStopped() bool {
	tm.ft.mu.Lock()
	defer tm.ft.mu.Unlock()
	return tm.stopped
}

// serveKiosk runs a demo kiosk made with New from opts (paths filled in),
// for tests that give it what flags cannot: a clock.
func serveKiosk(t *testing.T, opts Options) *kioskUnderTest {
	t.Helper()
	k := newKioskUnderTest(t, nil)
	opts.Demo, opts.HostKeyPath, opts.Log = true, k.hostKey, k.stderr
	opts.Store = openStore(t, k.store)
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	k.addr = ln.Addr().String()
	_, k.port, _ = net.SplitHostPort(k.addr)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	var once sync.Once
	k.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("the kiosk ended with %v", err)
				}
			case <-time.After(waitLimit):
				t.Error("the kiosk did not stop")
			}
		})
	}
	t.Cleanup(k.stop)
	return k
}

// waitOutput waits until the session has written text (in one piece: the
// terminal may wrap it anywhere).
func waitOutput(s *screen, text string) error {
	deadline := time.Now().Add(waitLimit)
	for !strings.Contains(s.rawOutput(), text) {
		if time.Now().After(deadline) {
			return errors.New("the session never wrote " + text + "; the screen shows:\n" + s.text())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

// TestCodeScreenTimeLimit: a session still at the access code screen when
// its time there is over ends with a plain message in its language,
// typing or not; a session past the code has no such limit any more.
func TestCodeScreenTimeLimit(t *testing.T) {
	timers := newFakeTimers()
	k := serveKiosk(t, Options{AfterFunc: timers.afterFunc, CodeScreenLimit: 3 * time.Minute})

	en, err := k.openGo(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	en.waitFor("This screen waits 3 minutes for the code.")
	clock := timers.next(t, 3*time.Minute)
	en.send("ABCD-EF") // typing does not stop the clock
	if err := waitScreen(en.screen, "ABCD-EF"); err != nil {
		t.Fatal(err)
	}
	clock.fire()
	if err := waitOutput(en.screen, "This session ended: the access code screen waits 3 minutes at most. "+
		"Connect again when you have your code at hand."); err != nil {
		t.Fatal(err)
	}
	if status, err := en.wait(); err != nil || status != 1 {
		t.Errorf("the session ended with %d, %v; want 1", status, err)
	}

	fr, err := k.openGo(t, map[string]string{"LANG": "fr_FR.UTF-8"})
	if err != nil {
		t.Fatal(err)
	}
	if err := waitScreen(fr.screen, "Code d'accès"); err != nil {
		t.Fatal(err)
	}
	timers.next(t, 3*time.Minute).fire()
	if err := waitOutput(fr.screen, "Cette session est terminée\u00a0: l'écran du code d'accès attend 3 minutes au plus."); err != nil {
		t.Fatal(err)
	}
	fr.wait()

	// Past the code, the clock is stopped: its time coming does nothing.
	code := k.issue(t)
	in, err := k.openGo(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := waitScreen(in.screen, "Access code"); err != nil {
		t.Fatal(err)
	}
	clock = timers.next(t, 3*time.Minute)
	in.send(code + "\r")
	if err := waitScreen(in.screen, "Press Enter to start"); err != nil {
		t.Fatal(err)
	}
	if !clock.isStopped() || clock.fire() {
		t.Error("the code screen's clock still ran after the code was right")
	}
	in.send("\r")
	if err := waitScreen(in.screen, "Web sites to check"); err != nil {
		t.Fatal(err)
	}
	in.client.Close()

	k.stop()
	var ended []string
	for _, e := range auditEntries(t, k.store) {
		if e.Event == audit.EventSessionEnd {
			ended = append(ended, e.Result)
		}
	}
	if strings.Count(strings.Join(ended, "|"), reasonCodeTime) != 2 {
		t.Errorf("sessions ended: %q, want two at the code screen time limit", ended)
	}
}

// TestOneAddressCannotKeepACustomerOut: one address opens sessions and
// floods the port with bare connections; customers from two other
// addresses, with the real OpenSSH client, still get past the code (more
// of them than --max-sessions would allow if waiting sessions counted),
// and the refusals leave one audit line for that address, with their
// number.
func TestOneAddressCannotKeepACustomerOut(t *testing.T) {
	requireSSH(t)
	// The rate limit is lifted: the places are what is tested.
	k := startKiosk(t, "--max-sessions", "2", "--max-waiting", "4", "--rate", "6000", "--rate-burst", "1000")
	var attackers []*goSession
	for range 2 {
		g, err := k.openGo(t, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := waitScreen(g.screen, "Access code"); err != nil {
			t.Fatal(err)
		}
		attackers = append(attackers, g)
	}
	third, err := k.openGo(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := waitScreen(third.screen, "Too many sessions from your address are already waiting for an access code."); err != nil {
		t.Fatal(err)
	}
	if status, err := third.wait(); err != nil || status != 1 {
		t.Errorf("the third session ended with %d, %v", status, err)
	}
	third.client.Close()

	// Bare connections that never speak SSH: beyond the address's few,
	// closed at once, before a byte is sent.
	const flood = 40
	type verdict struct{ refused bool }
	verdicts := make(chan verdict, flood)
	for range flood {
		c, err := net.Dial("tcp", k.addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		go func() {
			c.SetReadDeadline(time.Now().Add(waitLimit))
			n, _ := c.Read(make([]byte, 64))
			verdicts <- verdict{refused: n == 0}
		}()
	}
	refused := 0
	for range flood {
		if (<-verdicts).refused {
			refused++
		}
	}
	t.Logf("%d of %d bare connections refused", refused, flood)
	if refused < flood-connSlackPerAddress {
		t.Errorf("%d of %d bare connections refused; the address may keep %d at most", refused, flood, connSlackPerAddress)
	}

	// Two customers, from two other addresses, get past the code while
	// the attacker holds its places.
	for _, from := range []string{"127.0.0.2", "127.0.0.3"} {
		code := k.issue(t)
		tm := k.openTerm(t, nil, "-b", from, "-o", "AddressFamily=inet")
		tm.waitFor("Access code")
		tm.typeSlowly(code)
		tm.send("\r")
		tm.waitFor("Press Enter to start", sandbox.DemoEmail)
	}
	for _, g := range attackers {
		if err := waitScreen(g.screen, "Access code"); err != nil {
			t.Fatal(err)
		}
	}

	k.stop()
	var lines []audit.Entry
	for _, e := range auditEntries(t, k.store) {
		if e.Event == audit.EventRefused {
			lines = append(lines, e)
		}
	}
	if len(lines) != 1 || lines[0].Client != "127.0.0.1" || lines[0].Count != refused+1 ||
		lines[0].Result != "connections per address, code screen places per address" {
		t.Errorf("refusal lines %+v, want one for 127.0.0.1 counting %d", lines, refused+1)
	}
	if _, err := audit.VerifyChain(context.Background(), openStore(t, k.store).AuditChain()); err != nil {
		t.Errorf("verify the audit log: %v", err)
	}
}

// A right code typed while the last session went to someone else: the
// customer is told the kiosk is full and that the code stays valid; the
// code is free again for the next session.
func TestRightCodeWhenTheKioskFilledMeanwhile(t *testing.T) {
	srv := newTestServer(t, Options{MaxSessions: 1, Sleep: func(context.Context, time.Duration) {}})
	issued, err := srv.store.IssueCode(context.Background(), sandbox.DemoEmail, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ks := &session{srv: srv, ip: "192.0.2.9", client: "192.0.2.9:4242", hash: "session", ctx: context.Background()}
	ks.ticket, _ = srv.admit.connect(ks.ip)
	other, _ := srv.admit.connect("198.51.100.9")
	if ks.ticket.wait() != admitted || other.wait() != admitted || other.admit() != nil {
		t.Fatal("the fixture's places")
	}
	g := newGate(srv, ks)
	msg := g.check(issued.Code)()
	if c, ok := msg.(checkedMsg); !ok || !errors.Is(c.err, errKioskFull) {
		t.Fatalf("the right code into a full kiosk: %+v", msg)
	}
	g.Update(msg)
	if view := flat(g.View()); !strings.Contains(view, "The code is right, but the recovery kiosk is full right now. Your code stays valid") {
		t.Errorf("the gate says:\n%s", g.View())
	}
	if g.reason != reasonFull {
		t.Errorf("reason %q", g.reason)
	}
	if l, err := srv.claim(context.Background(), issued.ID); err != nil {
		t.Errorf("the code stayed claimed: %v", err)
	} else {
		srv.unlock(l)
	}
}

// The refusals and the code screen's last words in French, nothing left
// in English.
func TestAdmissionTextsInFrench(t *testing.T) {
	p, missed := lang.Strictly(lang.French)
	want := map[refusal]string{
		refusedRate:        "Trop de connexions depuis votre adresse",
		refusedWaitingAddr: "Trop de sessions de votre adresse attendent déjà un code d'accès.",
		refusedWaiting:     "trop de personnes se connectent",
		refusedFull:        "l'espace de récupération est complet",
	}
	for why := refusal(1); why < numRefusals; why++ {
		got := why.text(p)
		if w, ok := want[why]; ok != (got != "") || !strings.Contains(got, w) {
			t.Errorf("%s: %q, want %q", why.label(), got, w)
		}
	}
	if got := fullText(p); !strings.Contains(got, "Votre code reste valable\u00a0: reconnectez-vous") {
		t.Errorf("full: %q", got)
	}
	srv := newTestServer(t, Options{})
	ks := &session{srv: srv, ctx: context.Background(), lang: p}
	ks.gate = newGate(srv, ks)
	ks.wizard = ui.New(ui.Config{Config: flow.Config{Lang: p}}, ui.WithFirstPage(ks.gate))
	if view := flat(ks.gate.View()); !strings.Contains(view, "Cet écran attend le code pendant 3 minutes.") {
		t.Errorf("the gate:\n%s", view)
	}
	ks.gate.timeUp()
	if end := ks.sessionEnding(ui.Outcome{}); end.result != reasonCodeTime ||
		end.message != "Cette session est terminée\u00a0: l'écran du code d'accès attend 3 minutes au plus. "+
			"Reconnectez-vous quand vous aurez votre code sous la main." {
		t.Errorf("ending: %+v", end)
	}
	missed.Report(t.Errorf)
}
