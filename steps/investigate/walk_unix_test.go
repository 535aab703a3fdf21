//go:build unix

package investigate

import (
	"net"
	"path/filepath"
	"syscall"
	"testing"
)

func TestScanSkipsSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"ok.env": leakEnv})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.env"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	l, err := net.Listen("unix", filepath.Join(dir, "app.sock"))
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	defer l.Close()
	// A FIFO would block a reader forever: finishing at all is the test.
	res := scan(t, Options{Roots: []string{dir}})
	assertHits(t, dir, res.Findings, []hit{{RuleMailjetPair, "ok.env", 2, k1, s1[28:]}})
	assertSkips(t, skipsOf(res, dir), map[string]string{
		"pipe.env": "named pipe, not read",
		"app.sock": "socket, not read",
	})
}

func TestReadTextRefusesPipeSwappedInAfterWalk(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "swapped.env"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	tr, err := openTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The walk saw a regular file; by the time a worker opens it, it is a pipe.
	defer tr.top.close()
	w := &worker{s: newScanner(Options{})}
	content, reason := w.read(tr.top, "swapped.env")
	if content != nil || reason != "named pipe, not read" {
		t.Errorf("readText = %q, %q; want nil, named pipe", content, reason)
	}
}
