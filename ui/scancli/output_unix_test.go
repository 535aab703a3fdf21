//go:build unix

package scancli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// --output never follows a symlink nor opens a FIFO (which would block
// forever), and a report written over a readable file is 0600.
func TestOutputRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.txt")
	if err := os.WriteFile(target, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "--output", link, negatives); code != ExitError || !strings.Contains(errOut, "a symbolic link, not a file") {
		t.Errorf("symlink: exit %d, %q", code, errOut)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep me" {
		t.Errorf("the symlink's target was overwritten: %q", b)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if code, _, errOut := run(t, "--output", fifo, negatives); code != ExitError || !strings.Contains(errOut, "a named pipe") {
		t.Errorf("FIFO: exit %d, %q", code, errOut)
	}
	// An existing readable file is replaced by a private one.
	if code, _, _ := run(t, "--output", target, negatives); code != ExitClean {
		t.Fatalf("regular file: exit %d", code)
	}
	if fi, err := os.Stat(target); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the report over a 0644 file: %v, %v", fi.Mode().Perm(), err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".mjrecover-scan-*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// A named pipe given as the Wordfence feed is refused at once.
func TestWordfenceFeedFIFOIsRefusedWithoutBlocking(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "feed.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if code, _, errOut := run(t, "--wordfence-feed", fifo, negatives); code != ExitError || !strings.Contains(errOut, "not a regular file") {
		t.Errorf("exit %d, %q", code, errOut)
	}
}
