package plain

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
	"golang.org/x/term"

	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/ui"
)

// On a terminal, where secrets are read without echo and lines only when
// asked for, what was typed during a wait waits in the terminal: it is
// thrown away before the next question.
func TestTypeAheadOnATerminalIsFlushed(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	go io.Copy(io.Discard, ptmx) // the echo

	d := newHeldDemo(t)
	cfg := d.config()
	cfg.Credentials = nil
	s := &session{t: t, done: make(chan ui.Outcome, 1)}
	hidden := func() (string, error) {
		b, err := term.ReadPassword(int(tty.Fd()))
		return string(b), err
	}
	go func() {
		out, err := Run(cfg, tty, s, hidden)
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		s.done <- out
	}()
	typeLine := func(l string) { io.WriteString(ptmx, l+"\n") }

	s.expect("API key: ")
	typeLine(sandbox.DemoMasterKey)
	s.expect("Secret key: ")
	d.hold()
	typeLine(sandbox.DemoMasterSecret)
	<-d.arrived // the wait is on
	typeLine("/no/such/folder")
	// The terminal holds the line before the wait ends.
	for deadline := time.Now().Add(10 * time.Second); ; {
		if n, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCINQ); err == nil && n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the typed line never reached the terminal")
		}
		time.Sleep(5 * time.Millisecond)
	}
	d.let()
	got := s.expect("Folder to check [")
	if !strings.Contains(got, "(What you typed while mjrecover was working is not used: please answer now.)") {
		t.Errorf("the dropped line is not said:\n%s", got)
	}
	typeLine("quit")
	select {
	case <-s.done:
	case <-time.After(60 * time.Second):
		t.Fatal("the session did not stop")
	}
	if strings.Contains(s.text(), "/no/such/folder") {
		t.Errorf("the line typed during the wait answered the folder question:\n%s", s.text())
	}
}
