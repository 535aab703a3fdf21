package ui

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/charmbracelet/x/vt"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/pwned"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/assets"
	"github.com/mjrecover/mjrecover/steps/flow"
)

// harness runs the wizard in a teatest program and mirrors its output into
// a virtual terminal, so tests assert on what a user would see rather
// than on a stream of screen diffs.
type harness struct {
	t       *testing.T
	tm      *teatest.TestModel
	wizard  *Wizard
	box     *sandbox.Server
	baseURL string
	cfg     Config

	mu  sync.Mutex
	emu *vt.Emulator
	raw strings.Builder // everything the program wrote, for leak checks
}

// demoConfig is the demo's wiring against a sandbox on a loopback port.
func demoConfig(t *testing.T, box *sandbox.Server) (Config, string) {
	t.Helper()
	srv := httptest.NewServer(box)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	root, err := assets.ExtractDemo(dir)
	if err != nil {
		t.Fatalf("extract demo: %v", err)
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return Config{Context: ctx, Config: flow.Config{
		Version:           "test",
		Demo:              true,
		APIBaseURL:        srv.URL,
		RecoveryURL:       srv.URL,
		HTTPClient:        hc,
		Credentials:       &mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)},
		CredentialsSource: "the demo account",
		ScanRoot:          root,
		ReportDir:         t.TempDir(),
		StateDir:          t.TempDir(),
		Breaches:          pwned.New(srv.URL, pwned.WithHTTPClient(hc)),
		CommonPasswords:   assets.CommonPasswords(),
		PassphraseWords:   assets.PassphraseWords(),
		ReadyWait:         time.Millisecond,
		Now:               time.Now,
		Rand:              rand.Reader,
	}}, srv.URL
}

func newHarness(t *testing.T, cfg Config, width, height int) *harness {
	t.Helper()
	h := &harness{t: t, cfg: cfg, emu: vt.NewEmulator(width, height)}
	// Without a TTY, Bubble Tea counts on the terminal turning a line feed
	// into a new line, as a cooked TTY does; LNM makes the emulator do so.
	_, _ = h.emu.WriteString(ansi.SetModeLineFeedNewLine)
	h.wizard = New(cfg)
	h.tm = teatest.NewTestModel(t, h.wizard,
		teatest.WithInitialTermSize(width, height),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	go io.Copy(io.Discard, h.emu) // answers to terminal queries; nobody reads them
	go h.pump()
	t.Cleanup(func() { _ = h.tm.Quit() })
	return h
}

// pump copies the program's output into the virtual terminal.
func (h *harness) pump() {
	buf := make([]byte, 32*1024)
	out := h.tm.Output()
	for {
		n, err := out.Read(buf)
		if n > 0 {
			h.mu.Lock()
			h.raw.Write(buf[:n])
			_, _ = h.emu.Write(buf[:n])
			h.mu.Unlock()
		}
		if err != nil && err != io.EOF {
			return
		}
		if n == 0 {
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// screen is the virtual terminal's text now.
func (h *harness) screen() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.emu.String()
}

func (h *harness) rawOutput() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.raw.String()
}

// waitFor waits until the screen shows every one of texts (a text may
// wrap over lines, as a user reads it).
func (h *harness) waitFor(texts ...string) string {
	h.t.Helper()
	deadline := time.Now().Add(60 * time.Second) // a guard against a hang, not a timing
	for {
		s := h.screen()
		flat := strings.Join(strings.Fields(s), " ")
		ok := true
		for _, text := range texts {
			if !strings.Contains(s, text) && !strings.Contains(flat, strings.Join(strings.Fields(text), " ")) {
				ok = false
				break
			}
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("screen never showed %q; it shows:\n%s", texts, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitForChange waits until the screen is no longer before.
func (h *harness) waitForChange(before string) string {
	h.t.Helper()
	deadline := time.Now().Add(60 * time.Second) // a guard against a hang, not a timing
	for {
		if s := h.screen(); s != before {
			return s
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("the screen never changed from:\n%s", before)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// press sends named keys: "enter", "tab", "esc", "ctrl+u", or a single
// printable character.
func (h *harness) press(keys ...string) {
	for _, k := range keys {
		h.tm.Send(keyMsg(k))
	}
}

// typeText types s one character at a time.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	case "ctrl+r":
		return tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	case "f1":
		return tea.KeyPressMsg{Code: tea.KeyF1}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// resize changes the terminal size, as a user dragging the window would.
func (h *harness) resize(width, height int) {
	h.mu.Lock()
	h.emu.Resize(width, height)
	h.mu.Unlock()
	h.tm.Send(tea.WindowSizeMsg{Width: width, Height: height})
}

// finish waits for the program to end and returns the wizard.
func (h *harness) finish() *Wizard {
	h.t.Helper()
	h.tm.WaitFinished(h.t, teatest.WithFinalTimeout(60*time.Second))
	return h.wizard
}

// walkToTwoFactor goes through the demo's first three steps the short way.
func (h *harness) walkToTwoFactor() {
	h.t.Helper()
	h.waitFor("Press Enter to start")
	h.press("enter")
	h.waitFor("Folder to check")
	h.press("enter")
	h.waitFor("CRITICAL")
	h.press("enter")
	h.waitFor("Step 2 of 5", "Leaked")
	h.press("enter", "y")
	h.waitFor("Your new keys are ready.")
	h.press("r") // seen: the old keys go off
	h.waitFor("Your keys are rotated.")
	h.press("enter")
	h.skipFiles()
	h.waitFor("Step 3 of 5")
	const pw = "walnut tidal prism eleven 47!"
	h.typeText(pw)
	h.press("tab")
	h.typeText(pw)
	h.press("enter")
	h.waitFor("Your password is changed.")
	h.press("enter")
	h.waitFor("Step 4 of 5")
}

// doTwoFactor enrols with the QR code read off the screen and confirms
// writing the recovery codes down.
func (h *harness) doTwoFactor() {
	h.t.Helper()
	h.press("enter")
	scr := h.waitFor("Type the 6-digit code")
	uri := decodeQR(h.t, locateQR(h.t, scr), true)
	h.typeText(totpCode(h.t, uri, time.Now()))
	h.press("enter")
	h.waitFor("recovery codes")
	h.press("r")
	h.waitFor("Each works once")
	h.press("w")
	h.waitFor("Done? y / n")
	h.press("y")
	h.waitFor("Keep the paper away")
	h.press("enter")
}

// skipFiles leaves the settings files as they are.
func (h *harness) skipFiles() {
	h.t.Helper()
	h.waitFor("These files hold an old key", "to do") // loaded, not only titled
	h.press("enter")
	h.waitFor("leave them as they are?")
	h.press("y")
	h.waitFor("Press Enter to go on.")
	h.press("enter")
}

// skipReview goes past the account review.
func (h *harness) skipReview() {
	h.t.Helper()
	h.waitFor("What else an attacker may have left", "Space shows why") // read, not only titled
	h.press("enter")
	h.waitFor("still in place", "y / n")
	h.press("y")
	h.readReport()
}

// readReport goes past the report's preview: it is sent, or saved.
func (h *harness) readReport() {
	h.t.Helper()
	h.waitFor("This is the report for Mailjet support.")
	h.press("enter")
}
