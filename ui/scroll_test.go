package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

// At the smallest size the wizard takes (60x18), what does not fit
// scrolls with PgUp/PgDn, a line says there is more, and the question
// with its box stays on screen.
func TestSmallWindowScrollsAndKeepsTheQuestion(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	h := newHarness(t, cfg, 60, 18)

	// Welcome: the list of steps scrolls, "Press Enter" stays.
	h.waitFor("Recover your Mailjet account", "↓ more below: PgDn", "Press Enter to start.")
	h.press("pgdown")
	scr := h.waitFor("↑ more above: PgUp", "Press Enter to start.")
	if strings.Contains(scr, "more below") {
		t.Errorf("PgDn did not reach the end:\n%s", scr)
	}
	h.press("pgup")
	h.waitFor("↓ more below: PgDn", "Mailjet switched off your account")

	h.press("enter")
	h.waitFor("Folder to check")
	h.press("enter")
	// The footer keeps the next key and offers the others behind "?".
	h.waitFor("CRITICAL", "enter continue", "? more keys", "ctrl+c quit")
	h.press("?")
	h.waitFor("Keys on this screen", "scan again", "choose", "Press any key to go back.")
	h.press("x") // closes the list, does nothing else
	h.waitFor("CRITICAL", "? more keys")
	h.press("enter")
	h.waitFor("Step 2 of 5", "Leaked")
	h.press("enter")
	// The confirmation keeps its question and both borders.
	scr = h.waitFor("Rotate the keys now? y / n", "╭", "╰")
	noWiderThan(t, scr, 60)
	h.press("y")
	h.waitFor("Your new keys are ready.")
	h.press("r")
	h.waitFor("Your keys are rotated.")
	h.press("enter")
	h.waitFor("These files hold an old key", "to do")
	h.press("enter")
	h.waitFor("leave them as they are?", "y / n", "╰")
	h.press("y")
	h.waitFor("Press Enter to go on.")
	h.press("enter")
	h.waitFor("Step 3 of 5")
	// In a password field "?" is a character; F1 opens the key list.
	h.typeText("?")
	scr = h.waitFor("· 1 character")
	if strings.Contains(scr, "Keys on this screen") || strings.Contains(scr, "1 characters") {
		t.Fatalf("? typed into the password opened the key list:\n%s", scr)
	}
	h.press("f1")
	h.waitFor("Keys on this screen", "clear")
	h.press("esc")
	h.waitFor("· 1 character")
	h.press("ctrl+u")
	h.waitFor("Strength: –")
	const pw = "walnut tidal prism eleven 47!"
	h.typeText(pw)
	h.press("tab")
	h.typeText(pw)
	h.press("enter")
	h.waitFor("Your password is changed.")
	h.press("enter")

	// The QR code needs a bigger window; the codes come back to 60x18.
	h.waitFor("Step 4 of 5")
	h.resize(80, 24)
	h.press("enter")
	scr = h.waitFor("Type the 6-digit code")
	uri := decodeQR(t, locateQR(t, scr), true)
	h.typeText(totpCode(t, uri, time.Now()))
	h.press("enter")
	h.waitFor("recovery codes")
	h.resize(60, 18)
	h.press("r")
	h.waitFor("Each works once", "↓ more below: PgDn")
	h.press("pgdown")
	scr = h.waitFor(" 10. ")
	noWiderThan(t, scr, 60)
	h.press("w")
	h.waitFor("Write all 10 codes on paper now. Done? y / n", "╰")
}

func noWiderThan(t *testing.T, scr string, width int) {
	t.Helper()
	for i, line := range strings.Split(scr, "\n") {
		if len([]rune(strings.TrimRight(line, " "))) > width {
			t.Errorf("line %d is wider than the window: %q", i, line)
		}
	}
}
