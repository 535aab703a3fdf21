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
	first.drop() // mid-rotation

	second := k.enter(t, code)
	second.send("\r")
	second.waitFor("You have started this recovery before", "Pick up where you left off?")
	second.send("y")
	second.waitFor("Step 2 of 5", "Leaked")
	second.send("\r")
	second.waitFor("Rotate the keys now?")
	second.send("y")
	second.waitFor("Your keys are rotated.")
	second.drop() // before leaving the step: it is not marked done yet

	third := k.enter(t, code)
	third.send("\r")
	third.waitFor("Pick up where you left off?")
	third.send("y")
	scr := third.waitFor("Step 2 of 5", "Leaked")
	plans := map[string]int{}
	for _, line := range strings.Split(scr, "\n") {
		if strings.Contains(line, " sub ") || strings.Contains(line, " master ") {
			f := strings.Fields(line)
			plans[f[len(f)-1]]++ // the plan column; "keep (new)" ends in "(new)"
		}
	}
	// Two replacements made (one per sub-account key), the two old keys
	// and the master rotated: nothing left to do, nothing made twice.
	if plans["(new)"] != 2 || plans["done"] != 3 || len(plans) != 2 {
		t.Fatalf("plans after the resumed rotation: %v\n%s", plans, scr)
	}
}
