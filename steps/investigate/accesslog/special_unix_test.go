//go:build unix

package accesslog

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A FIFO (or a symlink, which could point at one, or at /dev/zero) where a
// log is expected is skipped without being opened: nothing blocks on a
// missing writer.
func TestSpecialFilesSkipped(t *testing.T) {
	dir := t.TempDir()
	entry := lines(line("192.0.2.1", "20/Nov/2026:04:00:00 +0000", "GET /.env HTTP/1.1", 200, "5", "x"))
	real := write(t, dir, "real/access.log", entry)
	logs := filepath.Join(dir, "logs")
	os.MkdirAll(logs, 0o755)
	fifo := filepath.Join(logs, "access.log")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	if err := syscall.Mkfifo(filepath.Join(logs, "unnamed"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(logs, "access.log.1")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	os.Symlink("/dev/zero", filepath.Join(logs, "zero_access.log"))
	write(t, logs, "access.log.2", entry)

	files, skipped := Find(context.Background(), Locations{Logs: []string{logs}})
	if len(files) != 1 || filepath.Base(files[0]) != "access.log.2" {
		t.Errorf("files %v", files)
	}
	reasons := map[string]string{}
	for _, s := range skipped {
		reasons[filepath.Base(s.Path)] = s.Reason
	}
	if reasons["access.log"] != "named pipe (not read)" || reasons["access.log.1"] != "symbolic link (not followed)" ||
		reasons["zero_access.log"] != "symbolic link (not followed)" || len(reasons) != 3 {
		t.Errorf("skipped %q", reasons)
	}

	// Given directly, the FIFO is reported and the rest read.
	res, err := Analyze(context.Background(), []string{fifo, link, filepath.Join(logs, "access.log.2")}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Files {
		got[filepath.Base(f.Path)] = f.Skipped
	}
	if got["access.log"] != "named pipe (not read)" || got["access.log.1"] != "symbolic link (not followed)" || got["access.log.2"] != "" {
		t.Errorf("files %q", got)
	}
	if len(res.Downloads) != 1 {
		t.Errorf("downloads %+v", res.Downloads)
	}
	if Sniff(fifo) || Sniff(link) {
		t.Error("sniffed a special file")
	}

	// A folder given as a symlink is not followed either.
	dlink := filepath.Join(dir, "loglink")
	os.Symlink(filepath.Join(dir, "real"), dlink)
	files, skipped = Find(context.Background(), Locations{Logs: []string{dlink}})
	if len(files) != 0 || len(skipped) != 1 {
		t.Errorf("symlinked folder: %v %v", files, skipped)
	}
}
