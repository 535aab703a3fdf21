package assets

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The story is dated from the day the demo starts: the first download of
// .env.bak, in the oldest (gzipped) log, two days before the spike the
// sandbox shows six days before today.
func TestDemoLogsTellTheStoryRelativeToNow(t *testing.T) {
	now := time.Date(2027, 3, 10, 15, 30, 0, 0, time.UTC)
	root, err := ExtractDemoAt(t.TempDir(), now)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(root, "logs", "access.log.2.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var first string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "GET /.env.bak ") && strings.Contains(sc.Text(), `" 200 `) {
			first = sc.Text()
			break
		}
	}
	// 10 March - 6 days = 4 March (the spike); 2 days before: 2 March,
	// 03:14:07 UTC, written in the server's +0100.
	if !strings.HasPrefix(first, `203.0.113.7 - - [02/Mar/2027:04:14:07 +0100] "GET /.env.bak HTTP/1.1" 200`) {
		t.Errorf("first download line %q", first)
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		t.Errorf("gzip: %v", err)
	}
	fi, err := os.Stat(filepath.Join(root, "public_html", ".env.bak"))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2027, 2, 20, 15, 40, 0, 0, time.UTC); !fi.ModTime().Equal(want) {
		t.Errorf(".env.bak time %v, want %v", fi.ModTime().UTC(), want)
	}
	for _, name := range []string{"access.log", "access.log.1"} {
		if fi, err := os.Stat(filepath.Join(root, "logs", name)); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() == 0 {
			t.Errorf("%s: %v %v", name, fi, err)
		}
	}
}
