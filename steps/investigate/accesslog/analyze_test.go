package accesslog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func line(ip, stamp, req string, status int, size, ua string) string {
	return fmt.Sprintf(`%s - - [%s] "%s" %d %s "-" "%s"`, ip, stamp, req, status, size, ua)
}

// TestStory is the "done means": a site with a web-served
// .env.bak and its logs (current, .1, .2.gz): the client that downloaded
// it is named, with the time of the first download from the oldest,
// gzipped log; clients that only got 404s are probes, not downloads.
func TestStory(t *testing.T) {
	home := t.TempDir()
	write(t, home, "public_html/.env.bak", "MJ_APIKEY_PRIVATE=...\n")
	write(t, home, "public_html/index.html", "hi\n")
	// Oldest: the first download, at 05:14 Paris time = 04:14 UTC.
	write(t, home, "logs/access.log.2.gz", lines(
		line("198.51.100.20", "20/Nov/2026:05:10:00 +0100", "GET / HTTP/1.1", 200, "512", "Mozilla/5.0"),
		line("192.0.2.66", "20/Nov/2026:05:12:00 +0100", "GET /.env HTTP/1.1", 404, "153", "zgrab/0.x"),
		line("203.0.113.7", "20/Nov/2026:05:13:59 +0100", "GET /.env HTTP/1.1", 404, "153", "python-requests/2.31.0"),
		line("203.0.113.7", "20/Nov/2026:05:14:07 +0100", "GET /.env.bak HTTP/1.1", 200, "1043", "python-requests/2.31.0"),
	))
	write(t, home, "logs/access.log.1", lines(
		line("203.0.113.7", "21/Nov/2026:10:00:00 +0100", "GET /.env.bak?x=1 HTTP/1.1", 200, "1043", "python-requests/2.31.0"),
		line("192.0.2.66", "21/Nov/2026:10:01:00 +0100", "GET /.env.bak HTTP/1.1", 404, "153", "zgrab/0.x"),
		"garbage that is no log line",
	))
	write(t, home, "logs/access.log", lines(
		line("203.0.113.7", "22/Nov/2026:08:00:00 +0100", "GET //.env.bak HTTP/1.1", 200, "1043", "curl/8.5.0"),
		line("2001:db8::bad", "22/Nov/2026:08:30:00 +0100", "GET /.git/config HTTP/1.1", 403, "199", "Mozilla/5.0 zgrab"),
		line("198.51.100.20", "22/Nov/2026:09:00:00 +0100", "GET /about HTTP/1.1", 200, "2048", "Mozilla/5.0"),
	))
	write(t, home, "logs/error.log", "[error] nothing to see\n")

	ctx := context.Background()
	files, skipped := Find(ctx, Locations{Trees: []string{filepath.Join(home, "public_html")}})
	wantFiles := []string{"access.log.2.gz", "access.log.1", "access.log"}
	if len(files) != 3 || len(skipped) != 0 {
		t.Fatalf("Find: %v, skipped %v; want %v", files, skipped, wantFiles)
	}
	for i, f := range files {
		if filepath.Base(f) != wantFiles[i] {
			t.Fatalf("Find order: %v, want %v", files, wantFiles)
		}
	}
	res, err := Analyze(ctx, files, []Exposed{{Path: "public_html/.env.bak", URLPath: "/.env.bak"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Downloads) != 1 {
		t.Fatalf("downloads: %+v, want one", res.Downloads)
	}
	d := res.Downloads[0]
	want := time.Date(2026, 11, 20, 4, 14, 7, 0, time.UTC)
	if d.ClientIP != "203.0.113.7" || !d.FirstSeen.Equal(want) || d.Count != 3 || d.Path != "public_html/.env.bak" ||
		d.URLPath != "/.env.bak" || !d.Exposed || d.UserAgent != "python-requests/2.31.0" ||
		filepath.Base(d.Log) != "access.log.2.gz" || d.Line != 4 {
		t.Errorf("download: %+v", d)
	}
	if d.LastSeen != time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC) || d.Bytes != 3*1043 {
		t.Errorf("last seen %v, bytes %d", d.LastSeen, d.Bytes)
	}
	if !slices.Equal(d.UserAgents, []string{"python-requests/2.31.0", "curl/8.5.0"}) {
		t.Errorf("user agents %v", d.UserAgents)
	}
	probes := map[string]Probe{}
	for _, p := range res.Probes {
		probes[p.ClientIP] = p
	}
	if len(probes) != 3 {
		t.Fatalf("probes: %+v", res.Probes)
	}
	z := probes["192.0.2.66"]
	if z.Count != 2 || !slices.Equal(z.Paths, []string{"/.env", "/.env.bak"}) || z.Downloaded ||
		!z.FirstSeen.Equal(time.Date(2026, 11, 20, 4, 12, 0, 0, time.UTC)) || !slices.Equal(z.Statuses, []int{404}) {
		t.Errorf("probe 192.0.2.66: %+v", z)
	}
	if p := probes["203.0.113.7"]; !p.Downloaded || p.Count != 1 {
		t.Errorf("probe of the downloader: %+v", p)
	}
	if p := probes["2001:db8::bad"]; !slices.Equal(p.Paths, []string{"/.git/config"}) || !slices.Equal(p.Statuses, []int{403}) {
		t.Errorf("ipv6 probe: %+v", p)
	}
	if res.Files[1].Unreadable != 1 || !slices.Equal(res.Files[1].BadLines, []int64{3}) {
		t.Errorf("file .1 report: %+v", res.Files[1])
	}
	if !res.Files[0].Gzip || res.Files[0].Parsed != 4 {
		t.Errorf("file .2.gz report: %+v", res.Files[0])
	}
}

func TestDownloadOrProbe(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "access.log", lines(
		line("192.0.2.1", "20/Nov/2026:04:00:00 +0000", "GET /.env HTTP/1.1", 200, "-", "a"), // size unknown: a download
		line("192.0.2.2", "20/Nov/2026:04:00:01 +0000", "GET /.env HTTP/1.1", 200, "0", "b"), // empty: a probe
		line("192.0.2.3", "20/Nov/2026:04:00:02 +0000", "HEAD /.env HTTP/1.1", 200, "-", "c"),
		line("192.0.2.4", "20/Nov/2026:04:00:03 +0000", "GET /.env HTTP/1.1", 301, "0", "d"), // redirect: neither
		line("192.0.2.5", "20/Nov/2026:04:00:04 +0000", "GET /.env HTTP/1.1", 500, "0", "e"), // error: neither
		line("192.0.2.6", "20/Nov/2026:04:00:05 +0000", "GET /.env HTTP/1.1", 206, "100", "f"),
		line("192.0.2.7", "20/Nov/2026:04:00:06 +0000", "GET /.env HTTP/1.1", 401, "10", "g"),
		line("192.0.2.8", "20/Nov/2026:04:00:07 +0000", "GET /robots.txt HTTP/1.1", 404, "10", "h"), // not watched
	))
	res, err := Analyze(context.Background(), []string{p}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var dl, pr []string
	for _, d := range res.Downloads {
		dl = append(dl, d.ClientIP)
		if d.Exposed || d.Path != "" {
			t.Errorf("a well-known path the scan did not find: %+v", d)
		}
	}
	for _, p := range res.Probes {
		pr = append(pr, p.ClientIP)
	}
	if !slices.Equal(dl, []string{"192.0.2.1", "192.0.2.6"}) || !slices.Equal(pr, []string{"192.0.2.2", "192.0.2.3", "192.0.2.7"}) {
		t.Errorf("downloads %v, probes %v", dl, pr)
	}
	if res.Files[0].Matched != 7 {
		t.Errorf("matched %d, want 7", res.Files[0].Matched)
	}

	// Only the exposed paths.
	res, _ = Analyze(context.Background(), []string{p}, []Exposed{{URLPath: "/robots.txt"}}, Options{NoProbePaths: true})
	if len(res.Downloads) != 0 || len(res.Probes) != 1 || res.Probes[0].ClientIP != "192.0.2.8" {
		t.Errorf("NoProbePaths: %+v", res)
	}
}

func TestJSONFields(t *testing.T) {
	b, _ := json.Marshal(Download{Category: "download"})
	for _, k := range []string{"category", "url_path", "client_ip", "user_agent", "first_seen", "last_seen", "count", "log", "line"} {
		if !strings.Contains(string(b), `"`+k+`":`) {
			t.Errorf("download JSON %s lacks %q", b, k)
		}
	}
	b, _ = json.Marshal(Download{Category: "download", Path: "x"})
	if !strings.Contains(string(b), `"path":"x"`) {
		t.Errorf("download JSON %s lacks path", b)
	}
	b, _ = json.Marshal(Probe{Category: "probe"})
	for _, k := range []string{"category", "client_ip", "paths", "first_seen", "last_seen", "count", "log", "line"} {
		if !strings.Contains(string(b), `"`+k+`":`) {
			t.Errorf("probe JSON %s lacks %q", b, k)
		}
	}
}

func TestTruncatedGzip(t *testing.T) {
	dir := t.TempDir()
	var ls []string
	for i := range 2000 {
		ls = append(ls, line("192.0.2.9", "20/Nov/2026:04:00:00 +0000", fmt.Sprintf("GET /page/%d HTTP/1.1", i), 404, "10", "x"))
	}
	ls = append(ls[:10:10], append([]string{line("203.0.113.7", "20/Nov/2026:04:14:07 -0500", "GET /.env HTTP/1.1", 200, "77", "x")}, ls[10:]...)...)
	data := gz(t, lines(ls...))
	p := filepath.Join(dir, "access.log.3.gz")
	if err := os.WriteFile(p, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(context.Background(), []string{p}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := res.Files[0]
	if !f.Truncated || !strings.Contains(f.Error, "truncated") || f.Parsed < 11 || f.Parsed >= 2001 {
		t.Errorf("report %+v", f)
	}
	if len(res.Downloads) != 1 || !res.Downloads[0].FirstSeen.Equal(time.Date(2026, 11, 20, 9, 14, 7, 0, time.UTC)) {
		t.Errorf("downloads %+v", res.Downloads)
	}

	// Not gzip at all behind the magic.
	q := filepath.Join(dir, "access.log.4.gz")
	os.WriteFile(q, []byte{0x1f, 0x8b, 0, 0}, 0o644)
	res, _ = Analyze(context.Background(), []string{q}, nil, Options{})
	if res.Files[0].Error == "" {
		t.Errorf("broken gzip: %+v", res.Files[0])
	}
}

func TestBadAndLongLines(t *testing.T) {
	dir := t.TempDir()
	long := line("192.0.2.1", "20/Nov/2026:04:00:00 +0000", "GET /.env?"+strings.Repeat("A", 300)+" HTTP/1.1", 200, "5", "x")
	huge := "x" + strings.Repeat("B", 200000)
	p := write(t, dir, "access.log", lines(
		line("192.0.2.1", "20/Nov/2026:04:00:00 +0000", "GET / HTTP/1.1", 200, "5", "x"),
		"not a log line",
		"",
		long,
		huge,
		line("192.0.2.2", "20/Nov/2026:04:00:00 +0000", "GET /.env HTTP/1.1", 200, "5", "x"),
		"[bad] 1", "[bad] 2", "[bad] 3", "[bad] 4",
	)+line("192.0.2.3", "20/Nov/2026:04:00:00 +0000", "GET /.env HTTP/1.1", 200, "5", "x")) // no final newline
	res, err := Analyze(context.Background(), []string{p}, nil, Options{MaxLine: 256})
	if err != nil {
		t.Fatal(err)
	}
	f := res.Files[0]
	if f.Lines != 10 || f.Parsed != 3 || f.Unreadable != 7 || f.TooLong != 2 || !slices.Equal(f.BadLines, []int64{2, 4, 5, 7, 8}) || f.Bytes == 0 {
		t.Errorf("report %+v", f)
	}
	if len(res.Downloads) != 2 {
		t.Errorf("downloads %+v", res.Downloads)
	}
	// The default limit reads the 300-byte line and refuses the 200 KB one.
	res, _ = Analyze(context.Background(), []string{p}, nil, Options{})
	if f := res.Files[0]; f.Parsed != 4 || f.TooLong != 1 || len(res.Downloads) != 3 {
		t.Errorf("default limit: %+v, downloads %d", f, len(res.Downloads))
	}
}

func TestUnreadableFiles(t *testing.T) {
	dir := t.TempDir()
	good := write(t, dir, "access.log", lines(line("192.0.2.1", "20/Nov/2026:04:00:00 +0000", "GET /.env HTTP/1.1", 200, "5", "x")))
	noperm := write(t, dir, "access.log.1", "secret\n")
	os.Chmod(noperm, 0)
	res, err := Analyze(context.Background(), []string{filepath.Join(dir, "missing.log"), dir, noperm, good}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Downloads) != 1 {
		t.Errorf("downloads %+v", res.Downloads)
	}
	reasons := map[string]string{}
	for _, f := range res.Files {
		reasons[filepath.Base(f.Path)] = f.Skipped + f.Error
	}
	if reasons["missing.log"] != "not found" || reasons[filepath.Base(dir)] != "folder" || reasons["access.log"] != "" {
		t.Errorf("reasons %q", reasons)
	}
	if os.Getuid() != 0 && reasons["access.log.1"] != "permission denied" {
		t.Errorf("reasons %q", reasons)
	}
}

func TestContextCancel(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for b.Len() < 4<<20 {
		b.WriteString(line("192.0.2.1", "20/Nov/2026:04:00:00 +0000", "GET /.env HTTP/1.1", 404, "5", "x") + "\n")
	}
	p := write(t, dir, "access.log", b.String())
	q := write(t, dir, "access.log.1", b.String())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	res, err := Analyze(ctx, []string{p, q}, nil, Options{ProgressEvery: 64 << 10, Progress: func(Progress) {
		calls++
		cancel()
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if len(res.Files) != 1 || res.Files[0].Bytes >= 1<<20 || !strings.Contains(res.Files[0].Error, "stopped") {
		t.Errorf("files %+v", res.Files)
	}
	if len(res.Probes) != 1 || res.Probes[0].Count == 0 {
		t.Errorf("probes read before the cancel: %+v", res.Probes)
	}

	// Cancelled before the start: nothing read.
	res, err = Analyze(ctx, []string{p}, nil, Options{})
	if !errors.Is(err, context.Canceled) || len(res.Files) != 0 {
		t.Errorf("pre-cancelled: %v %+v", err, res.Files)
	}
}

func TestProgress(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for b.Len() < 1<<20 {
		b.WriteString(line("192.0.2.1", "20/Nov/2026:04:00:00 +0000", "GET / HTTP/1.1", 200, "5", "x") + "\n")
	}
	p := write(t, dir, "access.log", b.String())
	q := write(t, dir, "access.log.1.gz", b.String())
	var last Progress
	n := 0
	_, err := Analyze(context.Background(), []string{p, q}, nil, Options{ProgressEvery: 100 << 10, Progress: func(pr Progress) {
		if pr.Read < last.Read {
			t.Errorf("progress went back: %+v after %+v", pr, last)
		}
		last = pr
		n++
	}})
	if err != nil {
		t.Fatal(err)
	}
	qi, _ := os.Stat(q)
	total := int64(b.Len()) + qi.Size()
	if last.Read != total || last.Total != total || last.File != p || last.FileRead != int64(b.Len()) || n < 4 {
		t.Errorf("last progress %+v (%d calls), want %d read", last, n, total)
	}
}

// testdata/story is the same story as shipped files (for the demo's web
// root): .2.gz (oldest) holds the first download.
func TestStoryFixture(t *testing.T) {
	files, skipped := Find(context.Background(), Locations{Logs: []string{"testdata/story/logs"}})
	if len(files) != 3 || len(skipped) != 0 || filepath.Base(files[0]) != "access.log.2.gz" {
		t.Fatalf("files %v skipped %v", files, skipped)
	}
	res, err := Analyze(context.Background(), files, []Exposed{{Path: "public_html/.env.bak", URLPath: "/.env.bak"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Downloads) != 1 {
		t.Fatalf("downloads %+v", res.Downloads)
	}
	d := res.Downloads[0]
	if d.ClientIP != "203.0.113.7" || d.Count != 3 || !d.FirstSeen.Equal(time.Date(2026, 11, 20, 4, 14, 7, 0, time.UTC)) ||
		filepath.Base(d.Log) != "access.log.2.gz" || d.Line != 5 || d.UserAgent != "python-requests/2.31.0" {
		t.Errorf("download %+v", d)
	}
	got := map[string]Probe{}
	for _, p := range res.Probes {
		got[p.ClientIP] = p
	}
	if len(got) != 4 || got["192.0.2.66"].Count != 3 || got["203.0.113.7"].Downloaded != true ||
		!slices.Equal(got["2001:db8:4::17"].Paths, []string{"/wp-config.php.bak"}) || got["203.0.113.99"].UserAgent != "evilred" {
		t.Errorf("probes %+v", res.Probes)
	}
	if f := res.Files[1]; f.Unreadable != 1 || !slices.Equal(f.BadLines, []int64{4}) {
		t.Errorf(".1 report %+v", f)
	}
}
