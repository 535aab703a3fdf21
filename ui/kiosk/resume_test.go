package kiosk

import (
	"strings"
	"testing"
	"time"
)

// enter opens a session with code, waiting while a dropped session with
// the same code is still being closed on the server.
func (k *kioskUnderTest) enter(t *testing.T, code string) *term {
	t.Helper()
	for deadline := time.Now().Add(waitLimit); ; {
		tm := k.openTerm(t, nil)
		tm.waitFor("Access code")
		tm.typeSlowly(code)
		tm.send("\r")
		if tm.waitAny("Press Enter to start", "open in another session") == "Press Enter to start" {
			return tm
		}
		if time.Now().After(deadline) {
			t.Fatal("the dropped session never let go of its code")
		}
		tm.cmd.Process.Kill()
		time.Sleep(100 * time.Millisecond)
	}
}

// drop kills the ssh client, as a lost connection would.
func (tm *term) drop() {
	_ = tm.cmd.Process.Kill()
	<-tm.exited
}

// TestDroppedSessionResumes: the ssh client is killed in the middle of the
// key rotation; the same code reopens the recovery where it was, the
// rotation is finished without a second replacement for any key, and the
// account ends with one active key per slot.
func TestDroppedSessionResumes(t *testing.T) {
	requireSSH(t)
	k := startKiosk(t)
	code := k.issue(t)

	first := k.enter(t, code)
	first.send("\r")
	first.waitFor("Step 1 of 5", "Web sites to check")
	first.send("\r")
	first.waitFor("CRITICAL")
	first.send("\r")
	first.waitFor("Step 2 of 5", "Leaked")
	first.send("\r")
	first.waitFor("Rotate the keys now?")
	first.send("y")
	first.waitFor("Your new keys are ready.")
	first.drop() // mid-rotation: new keys made, none handed over, none switched off

	second := k.enter(t, code)
	second.send("\r")
	second.waitFor("You have started this recovery before", "Pick up where you left off?")
	second.send("y")
	// Back where it stopped: the new keys made before the drop, waiting.
	second.waitFor("Step 2 of 5", "Your new keys are ready.")
	second.send("r")
	second.waitFor("Show it now?")
	second.send("y")
	second.waitFor("Your keys are rotated.")
	second.drop() // before leaving the step: it is not marked done yet

	third := k.enter(t, code)
	third.send("\r")
	third.waitFor("Pick up where you left off?")
	third.send("y")
	scr := third.waitFor("Step 2 of 5", "Your keys are rotated.")
	// Every key rotated and checked (the unused Newsletter key switched
	// off, with no replacement), nothing left to do, nothing made twice.
	if n := strings.Count(scr, "checked: the new key works, the old one is refused"); n != 2 || !strings.Contains(scr, "Newsletter: switched off") {
		t.Fatalf("%d checked keys after the resumed rotation, want 2 and the Newsletter key off:\n%s", n, scr)
	}
	third.send("\r")
	third.waitFor("Step 3 of 5")
}
