//go:build unix

package replacecli

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A named pipe given as the secret's file is refused at once: opening it
// to read would wait for a writer forever.
func TestSecretFileFIFOIsRefusedWithoutBlocking(t *testing.T) {
	s := newSite(t)
	fifo := filepath.Join(t.TempDir(), "secret.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	code, _, errOut := run(t, "--old-key", oldKey, "--new-key", newKey, "--new-secret-file", fifo, s.dir)
	if code == 0 || !strings.Contains(errOut, "it is not a plain file") {
		t.Errorf("exit %d, %q", code, errOut)
	}
}
