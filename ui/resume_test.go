package ui

import (
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

// TestResumeAfterQuitting quits on the files page after one file was
// updated; the same command again offers to resume, goes back to the
// files page with that file done, and the quit prompt said what is kept.
func TestResumeAfterQuitting(t *testing.T) {
	box := sandbox.New()
	cfg, _ := demoConfig(t, box)
	cfg.Demo = false // live mode: its progress is kept

	h := newHarness(t, cfg, 80, 24)
	h.waitFor("Press Enter to start")
	h.press("enter")
	h.waitFor("Folder to check")
	h.press("enter")
	h.waitFor("CRITICAL")
	h.press("enter")
	h.waitFor("Step 2 of 5", "Leaked")
	h.press("enter", "y")
	h.waitFor("Your new keys are ready.")
	h.press("ctrl+c")
	scr := h.waitFor("Quit mjrecover now?", "the wizard remembers")
	if !strings.Contains(scr, "have not been shown or saved yet") {
		t.Errorf("the quit prompt does not warn about the new secrets:\n%s", scr)
	}
	h.press("n", "s")
	h.waitFor("Your keys are rotated.")
	h.press("enter")
	h.waitFor("laravel/.env")
	h.press("u")
	h.waitFor("done   settings laravel/.env")
	h.press("ctrl+c")
	h.waitFor("Quit mjrecover now?")
	h.press("y")
	h.finish().Close()

	h = newHarness(t, cfg, 80, 24)
	h.waitFor("Press Enter to start")
	h.press("enter")
	h.waitFor("You have started this recovery before.", "It goes on at step 2")
	h.press("y")
	h.waitFor("done   settings laravel/.env", "to do  settings public_html/wp-config.php")
}

// TestDemoSaysNothingIsKept: the demo's quit prompt does not promise what
// it cannot do.
func TestDemoSaysNothingIsKept(t *testing.T) {
	cfg, _ := demoConfig(t, sandbox.New())
	h := newHarness(t, cfg, 80, 24)
	h.waitFor("Press Enter to start")
	h.press("ctrl+c")
	h.waitFor("Quit mjrecover now?", "This is the demo: nothing is kept.")
}
