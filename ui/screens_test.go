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
	scr := h.waitFor("Mailjet could not be reached", "try again")
	if strings.Contains(scr, sandbox.DemoMasterSecret) {
		t.Fatal("the secret is in the error on screen")
	}
	// Still usable: the fields keep their values and Enter tries again.
	h.press("enter")
	h.waitFor("Mailjet could not be reached")
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
	h.waitFor("There is no folder /no/such/folder")
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
	h.press("enter", "y")
	h.waitFor("Your new keys are ready.")
	box.FailNext("PUT", "/v3/REST/apikey", 500, 50)
	box.FailNext("GET", "/v3/REST/apikey", 500, 50)
	h.press("s") // saved: the old keys go off, or try to
	h.waitFor("try again", "skip this key")
	box.ClearFaults()
	h.press("r")
	h.waitFor("Your keys are rotated.")
	// One sub-account key was replaced (the unused Newsletter key is
	// switched off with no replacement): exactly one key more.
	if got := len(box.Keys()); got != before+1 {
		t.Fatalf("%d keys after rotation, want %d", got, before+1)
	}
	active := 0
	for _, k := range box.Keys() {
		if k.IsActive {
			active++
		}
	}
	if active != 2 {
		t.Fatalf("%d active keys, want 2 (the master and the Shop's replacement)", active)
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
	h.waitFor("Your new keys are ready.")
	h.press("s") // the sub-account keys' secrets; then the main key on the site
	h.waitFor("Reset Secret Key", "app.mailjet.com/account/api_keys")

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
	h.waitFor("Your keys are rotated.", "checked", "t send a test email")
	h.press("t")
	h.waitFor("Mailjet's Send API accepted a test email from every new key")
	h.press("enter")
	h.skipFiles()
	h.waitFor("Step 3 of 5")

	const pw = "lantern quietly mosaic harbor 42!"
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
	if !strings.Contains(scr, "done on Mailjet's site") {
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

// clockWizard is a wizard whose clock the test moves: the idle and
// session limits are checked on state, not on waiting.
type clockWizard struct {
	*Wizard
	now time.Time
}

func newClockWizard(t *testing.T, cfg Config) *clockWizard {
	t.Helper()
	cw := &clockWizard{now: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	cfg.Now = func() time.Time { return cw.now }
	cw.Wizard = New(cfg)
	return cw
}

// at moves the clock to d after the start and lets the wizard look at it.
func (cw *clockWizard) at(d time.Duration) tea.Cmd {
	_, cmd := cw.Update(clockMsg(cw.started.Add(d)))
	return cmd
}

func (cw *clockWizard) press(k string) { cw.Update(keyMsg(k)) }

// TestIdleSessionEnds: only key presses count as activity; a spinner on
// screen does not keep the session alive, and the end drops the secrets.
func TestIdleSessionEnds(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	cfg.IdleWarn, cfg.IdleLimit = 5*time.Minute, 10*time.Minute
	cw := newClockWizard(t, cfg)
	cw.at(4 * time.Minute)
	if strings.Contains(cw.render(), "this session ends in") {
		t.Fatal("warned before the idle warning")
	}
	cw.at(6 * time.Minute)
	if !strings.Contains(cw.render(), "this session ends in 4 minutes") {
		t.Fatalf("no warning after 6 idle minutes:\n%s", cw.render())
	}
	if cw.at(10*time.Minute) == nil || cw.render() != "" {
		t.Fatal("the session did not end, blank, after 10 idle minutes")
	}
	if out := cw.Outcome(); !out.TimedOut || !out.IdleOut || out.Finished {
		t.Fatalf("outcome %+v", out)
	}
	if f := cw.Flow(); f.Screen().Busy || cw.flow.f.Leaving() == "" {
		t.Fatal("the recovery was not closed")
	}
}

func TestKeyPressesKeepTheSessionAlive(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	cfg.IdleWarn, cfg.IdleLimit = 5*time.Minute, 10*time.Minute
	cfg.MaxSession = time.Hour
	cw := newClockWizard(t, cfg)
	for m := 4; m <= 40; m += 4 {
		cw.now = cw.started.Add(time.Duration(m) * time.Minute)
		cw.press("tab") // any key
		cw.at(time.Duration(m)*time.Minute + 4*time.Minute)
		if scr := cw.render(); scr == "" || strings.Contains(scr, "this session ends in") {
			t.Fatalf("at %d minutes, a session someone types in warns or ended:\n%s", m, scr)
		}
	}
	cw.at(49 * time.Minute) // 9 minutes after the last key
	if !strings.Contains(cw.render(), "this session ends in") {
		t.Fatal("no warning once the typing stopped")
	}
}

func TestSessionHasAHardLimit(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	cfg.IdleWarn, cfg.IdleLimit, cfg.MaxSession = 5*time.Minute, 10*time.Minute, 30*time.Minute
	cw := newClockWizard(t, cfg)
	for m := 3; m < 30; m += 3 {
		cw.now = cw.started.Add(time.Duration(m) * time.Minute)
		cw.press("tab")
	}
	cw.at(30 * time.Minute)
	if !cw.Outcome().TimedOut {
		t.Fatal("the session outlived its limit")
	}
}
