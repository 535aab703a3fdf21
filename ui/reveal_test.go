package ui

import (
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

func TestRevealerOutsidePresentingModeToggles(t *testing.T) {
	r := newRevealer(1, false)
	r.toggle()
	if !r.shown || r.asking {
		t.Fatalf("after one press: %+v", r)
	}
	r.toggle()
	if r.shown {
		t.Fatal("a second press does not hide")
	}
}

func TestRevealerInPresentingModeAsksAndHidesAgain(t *testing.T) {
	r := newRevealer(1, true)
	r.toggle()
	if r.shown || !r.asking {
		t.Fatalf("presenting mode shows without asking: %+v", r)
	}
	if cmd := r.answer(false); cmd != nil || r.shown {
		t.Fatal("'no' shows the secret")
	}
	r.toggle()
	cmd := r.answer(true)
	if !r.shown || cmd == nil {
		t.Fatal("'yes' does not show the secret with a timer")
	}
	stale := hideMsg{id: 1, gen: r.gen - 1}
	r.expire(stale)
	if !r.shown {
		t.Fatal("a stale timer hid the secret")
	}
	r.expire(hideMsg{id: 2, gen: r.gen})
	if !r.shown {
		t.Fatal("another revealer's timer hid the secret")
	}
	r.expire(hideMsg{id: 1, gen: r.gen})
	if r.shown {
		t.Fatal("the timer did not hide the secret")
	}
}

// TestPresentingModeHidesSecretsUntilConfirmed walks the demo with
// presenting on: the new secrets and the QR code appear only after the
// user confirms that no one else can see the screen.
func TestPresentingModeHidesSecretsUntilConfirmed(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	cfg.Presenting = true
	h := newHarness(t, cfg, 80, 24)
	h.waitFor("presenting: secrets hidden", "Press Enter to start")
	h.press("enter")
	h.waitFor("Folder to check")
	h.press("enter")
	h.waitFor("CRITICAL")
	h.press("enter")
	h.waitFor("Step 2 of 5", "Leaked")
	h.press("enter", "y")
	h.waitFor("Your keys are rotated.")
	h.press("r")
	h.waitFor("Show it now?")
	h.press("n")
	scr := h.waitFor("Secret key ****")
	h.press("r")
	h.waitFor("Show it now?")
	h.press("y")
	scr = h.waitFor("Secret key")
	if !hex32.MatchString(strings.Join(strings.Fields(scr), " ")) || strings.Contains(scr, "Secret key ****") {
		t.Fatalf("secrets not shown after confirming:\n%s", scr)
	}
	h.press("enter")
	h.skipFiles()
	h.waitFor("Step 3 of 5")
	const pw = "walnut tidal prism eleven cobalt"
	h.typeText(pw)
	h.press("tab")
	h.typeText(pw)
	h.press("enter")
	h.waitFor("Your password is changed.")
	h.press("enter")
	h.waitFor("Step 4 of 5", "Press Enter")
	h.press("enter")
	scr = h.waitFor("the QR code is hidden")
	if strings.Contains(scr, "█████") {
		t.Fatalf("QR code on screen while presenting:\n%s", scr)
	}
	h.press("ctrl+r")
	h.waitFor("Show it now?")
	h.press("y")
	scr = h.waitFor("Key to type by hand")
	if uri := decodeQR(t, locateQR(t, scr), true); !strings.HasPrefix(uri, "otpauth://totp/") {
		t.Fatalf("QR holds %q", uri)
	}
}
