package ui

import (
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

// masterSecretNow is the demo master key's secret as the sandbox holds it.
func masterSecretNow(t *testing.T, box *sandbox.Server) secret.Secret {
	t.Helper()
	for _, k := range box.Keys() {
		if k.APIKey == sandbox.DemoMasterKey {
			return k.Secret
		}
	}
	t.Fatal("no master key in the sandbox")
	return secret.Secret{}
}

func quit(h *harness) {
	h.press("ctrl+c")
	h.waitFor("Quit mjrecover now?")
	h.press("y")
	h.finish()
}

// TestResumeAfterTheConnectionDrops: a second run of the same recovery
// offers to go on from the first step not done, and the report still has
// the first run's findings.
func TestResumeAfterTheConnectionDrops(t *testing.T) {
	box := sandbox.New()
	cfg, _ := demoConfig(t, box)
	cfg.StateDir = t.TempDir()
	h := newHarness(t, cfg, 80, 24)
	h.waitFor("Press Enter to start")
	h.press("enter")
	h.waitFor("Folder to check")
	h.press("enter")
	h.waitFor("CRITICAL")
	h.press("enter")
	h.waitFor("Step 2 of 5", "Leaked")
	h.press("enter", "y")
	h.waitFor("Your keys are rotated.")
	h.press("enter")
	h.waitFor("Go on without them?")
	h.press("y")
	h.skipFiles()
	h.waitFor("Step 3 of 5")
	quit(h) // the line drops here

	cfg2, _ := demoConfig(t, box)
	cfg2.StateDir = cfg.StateDir
	cfg2.Credentials = &mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: masterSecretNow(t, box)}
	h2 := newHarness(t, cfg2, 80, 24)
	h2.waitFor("Press Enter to start")
	h2.press("enter")
	scr := h2.waitFor("You have started this recovery before", "Pick up where you left off?")
	if !strings.Contains(scr, "1. Investigate") || !strings.Contains(scr, "2. Rotate API keys") {
		t.Fatalf("the resume screen does not list the steps:\n%s", scr)
	}
	h2.press("y")
	h2.waitFor("Step 3 of 5 · New password")
	const pw = "walnut tidal prism eleven cobalt"
	h2.typeText(pw)
	h2.press("tab")
	h2.typeText(pw)
	h2.press("enter")
	h2.waitFor("Your password is changed.")
	h2.press("enter")
	h2.waitFor("Step 4 of 5", "Press Enter")
	h2.doTwoFactor()
	h2.skipReview()
	scr = h2.waitFor("Step 5 of 5", "Report saved")
	if !strings.Contains(scr, "Found: 4 critical") {
		t.Fatalf("the report lost the first run's findings:\n%s", scr)
	}
	h2.press("enter")
	if !h2.finish().Outcome().Finished {
		t.Fatal("the resumed recovery did not finish")
	}
}

// TestResumeFinishesAHalfMadeReplacement: the line drops after a new key
// was made but before the old one was turned off; the next run finishes
// that replacement instead of making a second key.
func TestResumeFinishesAHalfMadeReplacement(t *testing.T) {
	box := sandbox.New()
	cfg, _ := demoConfig(t, box)
	cfg.StateDir = t.TempDir()
	h := newHarness(t, cfg, 80, 24)
	h.waitFor("Press Enter to start")
	h.press("enter")
	h.waitFor("Folder to check")
	h.press("enter")
	h.waitFor("CRITICAL")
	h.press("enter")
	h.waitFor("Step 2 of 5", "Leaked")
	box.FailNext("PUT", "/v3/REST/apikey", 500, 1000)
	box.FailNext("GET", "/v3/REST/apikey", 500, 1000)
	h.press("enter", "y")
	h.waitFor("try again", "skip this key")
	quit(h)
	box.ClearFaults()
	keysBefore := len(box.Keys())

	cfg2, _ := demoConfig(t, box)
	cfg2.StateDir = cfg.StateDir
	h2 := newHarness(t, cfg2, 80, 24)
	h2.press("enter")
	h2.waitFor("Pick up where you left off?")
	h2.press("y")
	// Step 1 was done: the wizard goes on at step 2, with the journal.
	scr := h2.waitFor("Step 2 of 5", "finish")
	if !strings.Contains(scr, "keep (new)") {
		t.Fatalf("the key made in the first run is not recognised:\n%s", scr)
	}
	h2.press("enter", "y")
	h2.waitFor("Your keys are rotated.")
	// One more key for the Newsletter's replacement; none for the Shop.
	if got := len(box.Keys()); got != keysBefore+1 {
		t.Fatalf("%d keys, want %d: the half-made replacement was made again", got, keysBefore+1)
	}
	active := 0
	for _, k := range box.Keys() {
		if k.IsActive {
			active++
		}
	}
	if active != 3 {
		t.Fatalf("%d active keys, want one per slot (3)", active)
	}
}
