package ui

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

func TestWelcomeAsksForTheKeyPair(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	cfg.Credentials = nil
	h := newHarness(t, cfg, 80, 24)
	h.waitFor("API key", "Secret key")

	h.typeText(sandbox.DemoMasterKey)
	h.press("enter") // to the secret field
	h.typeText("0123456789abcdef0123456789abcdef")
	h.press("enter")
	h.waitFor("Mailjet refused this API key and secret")
	if strings.Contains(h.screen(), "0123456789abcdef") {
		t.Fatal("the typed secret is on screen")
	}

	h.press("ctrl+u")
	h.typeText(sandbox.DemoMasterSecret)
	h.press("enter")
	h.waitFor("Step 1 of 5 · Investigate")
}

func TestWelcomeRefusesASubAccountKey(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	cfg.Credentials = nil
	h := newHarness(t, cfg, 80, 24)
	h.waitFor("Secret key")
	h.typeText(sandbox.DemoShopKey)
	h.press("tab")
	h.typeText(sandbox.DemoShopSecret)
	h.press("enter")
	h.waitFor("This is a sub-account key")
}

func TestWelcomeSaysWhenMailjetIsUnreachable(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	cfg.APIBaseURL = "http://" + closedPort(t)
	cfg.Credentials = nil
	h := newHarness(t, cfg, 80, 24)
	h.waitFor("Secret key")
	h.typeText(sandbox.DemoMasterKey)
	h.press("tab")
	h.typeText(sandbox.DemoMasterSecret)
	h.press("enter")
	scr := h.waitFor("Could not reach Mailjet", "try again")
	if strings.Contains(scr, sandbox.DemoMasterSecret) {
		t.Fatal("the secret is in the error on screen")
	}
	// Still usable: the fields keep their values and Enter tries again.
	h.press("enter")
	h.waitFor("Could not reach Mailjet")
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestCtrlCAsksBeforeQuitting(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	h := newHarness(t, cfg, 80, 24)
	h.waitFor("Press Enter to start")
	h.press("ctrl+c")
	h.waitFor("Quit mjrecover now?")
	h.press("n")
	h.waitFor("Press Enter to start")
	h.press("ctrl+c")
	h.waitFor("Quit mjrecover now?")
	h.press("y")
	if w := h.finish(); w.Outcome().Finished {
		t.Fatal("a quit wizard reports itself finished")
	}
}

func TestTinyWindowAsksToEnlargeAndRedraws(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	h := newHarness(t, cfg, 40, 10)
	h.waitFor("Please enlarge it to at least 60×18")
	h.press("enter") // ignored: the screen cannot be seen
	h.resize(80, 24)
	h.waitFor("Press Enter to start", "enter continue")
	h.press("enter")
	h.waitFor("Step 1 of 5")
	h.resize(60, 18)
	scr := h.waitFor("Step 1 of 5")
	for i, line := range strings.Split(scr, "\n") {
		if len([]rune(line)) > 60 {
			t.Errorf("line %d is wider than the window: %q", i, line)
		}
	}
}

func TestEscGoesBackWhereSafe(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	h := newHarness(t, cfg, 80, 24)
	h.waitFor("Press Enter to start")
	h.press("enter")
	h.waitFor("Folder to check")
	h.press("esc")
	h.waitFor("Press Enter to start")
	h.press("enter")
	h.waitFor("Folder to check")
	h.press("enter")
	h.waitFor("CRITICAL")
	h.press("enter")
	h.waitFor("Step 2 of 5", "Leaked")
	h.press("esc")
	h.waitFor("Step 1 of 5", "CRITICAL") // the results are kept
	h.press("esc")
	h.waitFor("Folder to check") // and can be scanned again
}

func TestInvestigateSaysWhenTheFolderIsMissing(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	cfg.ScanRoot = "/no/such/folder"
	h := newHarness(t, cfg, 80, 24)
	h.press("enter")
	h.waitFor("Folder to check")
	h.press("enter")
	h.waitFor("cannot open /no/such/folder")
}

func TestScanCanBeStopped(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	c := &Common{Styles: DefaultStyles(), Keys: DefaultKeyMap(), Session: &Session{Config: cfg}, Width: 78, Height: 21}
	s := newInvestigate(c)
	cancelled := false
	s.state, s.root = investigateScanning, cfg.ScanRoot
	s.cancel = func() { cancelled = true }
	s.Update(keyMsg("esc"))
	if !cancelled {
		t.Fatal("esc did not stop the scan")
	}
	s.Update(scanDoneMsg{err: context.Canceled})
	if s.state != investigateAsk || !strings.Contains(s.View(), "The scan was stopped") {
		t.Fatalf("after a stopped scan: state %v, view:\n%s", s.state, s.View())
	}
}

func TestScanProgressIsShown(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	c := &Common{Styles: DefaultStyles(), Keys: DefaultKeyMap(), Session: &Session{Config: cfg}, Width: 78, Height: 21}
	s := newInvestigate(c)
	s.state, s.root, s.updates = investigateScanning, cfg.ScanRoot, make(chan tea.Msg)
	s.started = time.Now()
	s.Update(scanProgressMsg{investigate.Progress{Files: 1234, Bytes: 5 << 20, Current: "/srv/www/a\x1b[31mb.php"}})
	v := s.View()
	for _, want := range []string{"1234", "5.0 MB", "/srv/www/ab.php"} {
		if !strings.Contains(v, want) {
			t.Errorf("progress view lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "\x1b[31m") {
		t.Error("a control sequence from a file name reached the screen")
	}
}

// TestRotationRetriesWithoutASecondKey: a 500 while switching the old key
// off shows the error; trying again finishes the job with the key already
// made instead of creating another.
func TestRotationRetriesWithoutASecondKey(t *testing.T) {
	box := sandbox.New()
	cfg, _ := demoConfig(t, box)
	h := newHarness(t, cfg, 80, 24)
	h.press("enter")
	h.waitFor("Folder to check")
	h.press("enter")
	h.waitFor("CRITICAL")
	h.press("enter")
	h.waitFor("Step 2 of 5", "Leaked")
	before := len(box.Keys())
	box.FailNext("PUT", "/v3/REST/apikey", 500, 50)
	box.FailNext("GET", "/v3/REST/apikey", 500, 50)
	h.press("enter", "y")
	h.waitFor("try again", "skip this key")
	box.ClearFaults()
	h.press("r")
	h.waitFor("Your keys are rotated.")
	// Two sub-account keys were replaced: exactly two keys more.
	if got := len(box.Keys()); got != before+2 {
		t.Fatalf("%d keys after rotation, want %d", got, before+2)
	}
	active := 0
	for _, k := range box.Keys() {
		if k.IsActive {
			active++
		}
	}
	if active != 3 {
		t.Fatalf("%d active keys, want 3 (one per slot)", active)
	}
}

func TestGuidedStepsWithoutARecoveryAPI(t *testing.T) {
	box := sandbox.New()
	cfg, base := demoConfig(t, box)
	cfg.RecoveryURL = ""
	h := newHarness(t, cfg, 80, 24)
	h.press("enter")
	h.waitFor("Folder to check")
	h.press("enter")
	h.waitFor("CRITICAL")
	h.press("enter")
	h.waitFor("on the site")
	h.press("enter", "y")
	h.waitFor("Reset Secret Key", "app.mailjet.com/account/apikeys")

	h.typeText("not a secret")
	h.press("enter")
	h.waitFor("That is not an API secret")

	// The user resets the secret on Mailjet's site (here: the sandbox).
	rec := recovery.New(base, mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)})
	newSecret, err := rec.ResetMasterSecret(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h.press("ctrl+u")
	h.tm.Send(tea.PasteMsg{Content: newSecret.Reveal()})
	h.press("enter")
	h.waitFor("Your keys are rotated.")
	h.press("s")
	h.waitFor("only you can read it")
	h.press("enter")
	h.skipFiles()
	h.waitFor("Step 3 of 5")

	const pw = "lantern quietly mosaic harbor 42"
	h.typeText(pw)
	h.press("tab")
	h.typeText(pw)
	h.press("enter")
	h.waitFor("This password passes every check", "Is it done?")
	h.press("y")
	h.waitFor("Thank you")
	h.press("enter")

	h.waitFor("turn on two-factor authentication", "Is it on?")
	h.press("y")
	h.skipReview()
	scr := h.waitFor("Step 5 of 5", "Report saved", "Send both files")
	if !strings.Contains(scr, "guided") {
		t.Errorf("guided steps are not marked as such:\n%s", scr)
	}
	h.press("enter")
	if !h.finish().Outcome().Finished {
		t.Fatal("the guided wizard did not finish")
	}
}

func TestTwoFactorBacksOffAfterFiveWrongCodes(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	h := newHarness(t, cfg, 80, 24)
	h.walkToTwoFactor()
	h.press("enter")
	h.waitFor("Type the 6-digit code")
	for left := 4; left >= 1; left-- {
		h.typeText("000000")
		h.press("enter")
		h.waitFor(fmt.Sprintf("%d tr", left))
	}
	h.typeText("000000")
	h.press("enter")
	scr := h.waitFor("clock", "left)")
	h.typeText("123456")
	h.press("enter") // refused while waiting, without a request
	if !strings.Contains(h.screen(), "left)") || strings.Contains(scr, "123456") {
		t.Errorf("the back-off does not hold:\n%s", h.screen())
	}
}

// TestIdleSessionEnds: only key presses count as activity; a spinner on
// screen does not keep the session alive.
func TestIdleSessionEnds(t *testing.T) {
	box := sandbox.New(sandbox.WithLatency(time.Hour)) // the connection spins forever
	cfg, _ := demoConfig(t, box)
	cfg.IdleWarn, cfg.IdleLimit = 300*time.Millisecond, 900*time.Millisecond
	h := newHarness(t, cfg, 80, 24)
	h.waitFor("Press Enter to start")
	h.press("enter")
	h.waitFor("Connecting to Mailjet")
	h.waitFor("this session ends in")
	w := h.finish()
	if out := w.Outcome(); !out.TimedOut || out.Finished {
		t.Fatalf("outcome %+v", out)
	}
	if w.common.Session.API != nil {
		t.Fatal("the session still holds the API client (and its secret)")
	}
}

func TestKeyPressesKeepTheSessionAlive(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	cfg.IdleWarn, cfg.IdleLimit = 300*time.Millisecond, 600*time.Millisecond
	h := newHarness(t, cfg, 80, 24)
	h.waitFor("Press Enter to start")
	for i := 0; i < 10; i++ {
		time.Sleep(150 * time.Millisecond)
		h.press("tab") // any key
	}
	// Still there (a timed-out session shows a blank screen)...
	if !strings.Contains(h.screen(), "Press Enter to start") {
		t.Fatalf("the session ended while the user was typing:\n%s", h.screen())
	}
	h.waitFor("this session ends in") // ...and it warns once they stop
}

func TestSessionHasAHardLimit(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	cfg.MaxSession = 500 * time.Millisecond
	h := newHarness(t, cfg, 80, 24)
	for i := 0; i < 5; i++ {
		time.Sleep(150 * time.Millisecond)
		h.press("tab")
	}
	if !h.finish().Outcome().TimedOut {
		t.Fatal("the session outlived its limit")
	}
}
