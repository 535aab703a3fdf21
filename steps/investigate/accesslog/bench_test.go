package accesslog

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The benchmark reads a generated combined-format log. Its size comes from
// ACCESSLOG_BENCH_SIZE ("1G", "256M", "8M"; default 8M so go test ./...
// stays fast); with ripgrep installed it also times `rg -c -F` for the
// same paths on the same file and reports the ratio. See README.md.
//
//	ACCESSLOG_BENCH_SIZE=1G go test -run XXX -bench . -benchtime 1x ./steps/investigate/accesslog/

func benchSize(tb testing.TB) int64 {
	s := strings.TrimSpace(os.Getenv("ACCESSLOG_BENCH_SIZE"))
	if s == "" {
		return 8 << 20
	}
	mult := int64(1)
	switch strings.ToUpper(s[len(s)-1:]) {
	case "K":
		mult, s = 1<<10, s[:len(s)-1]
	case "M":
		mult, s = 1<<20, s[:len(s)-1]
	case "G":
		mult, s = 1<<30, s[:len(s)-1]
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n <= 0 {
		tb.Fatalf("ACCESSLOG_BENCH_SIZE=%q: want a size like 1G", os.Getenv("ACCESSLOG_BENCH_SIZE"))
	}
	return int64(n * float64(mult))
}

var benchExposed = []Exposed{
	{Path: "public_html/.env.bak", URLPath: "/.env.bak"},
	{Path: "public_html/wp-config.php.bak", URLPath: "/wp-config.php.bak"},
}

// generateLog writes about size bytes of combined-format lines to path: a
// busy site's ordinary traffic, with one line in 5,000 a request for a
// watched path (a download or a probe).
func generateLog(tb testing.TB, path string, size int64) (lines int64) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	pages := []string{"/", "/index.php", "/wp-login.php", "/about/", "/blog/2026/11/hello-world/",
		"/wp-content/themes/twentytwenty/style.css?ver=2.1", "/wp-includes/js/jquery/jquery.min.js?ver=3.7.1",
		"/favicon.ico", "/robots.txt", "/feed/", "/shop/?add-to-cart=123&quantity=1", "/contact/"}
	watched := []string{"/.env.bak", "/.env", "/.git/config", "/wp-config.php.bak", "/phpinfo.php", "/backup.zip"}
	agents := []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"python-requests/2.31.0", "curl/8.5.0",
	}
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.FixedZone("", 3600))
	var buf []byte
	var written int64
	for written < size {
		t := start.Add(time.Duration(lines) * 50 * time.Millisecond)
		ip := fmt.Sprintf("%d.%d.%d.%d", 1+rng.IntN(223), rng.IntN(256), rng.IntN(256), 1+rng.IntN(254))
		p, status, n := pages[rng.IntN(len(pages))], 200, 1000+rng.IntN(40000)
		if lines%5000 == 2500 {
			p = watched[rng.IntN(len(watched))]
			if rng.IntN(4) != 0 {
				status, n = 404, 153
			}
		} else if rng.IntN(20) == 0 {
			status, n = 304, 0
		}
		buf = buf[:0]
		buf = fmt.Appendf(buf, `%s - - [%s] "GET %s HTTP/1.1" %d %d "https://example.com/" "%s" 0.%03d`+"\n",
			ip, t.Format("02/Jan/2006:15:04:05 -0700"), p, status, n, agents[rng.IntN(len(agents))], rng.IntN(1000))
		w.Write(buf)
		written += int64(len(buf))
		lines++
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return lines
}

// benchLog is generated once per process (it can be a gigabyte).
var benchLog struct {
	dir   string
	path  string
	size  int64
	lines int64
}

// benchFile generates the log in a temporary folder, or in
// ACCESSLOG_BENCH_DIR when set: kept there for other tools and reused by
// the next run while big enough.
func benchFile(b *testing.B) string {
	if benchLog.path == "" {
		size := benchSize(b)
		dir := os.Getenv("ACCESSLOG_BENCH_DIR")
		if dir == "" {
			var err error
			if dir, err = os.MkdirTemp("", "accesslog-bench-"); err != nil {
				b.Fatal(err)
			}
			benchLog.dir = dir // removed by TestMain
		}
		benchLog.path = filepath.Join(dir, "access.log")
		if info, err := os.Stat(benchLog.path); err != nil || info.Size() < size || info.Size() > size+4096 {
			os.Remove(benchLog.path + ".2.gz")
			generateLog(b, benchLog.path, size)
		}
		info, err := os.Stat(benchLog.path)
		if err != nil {
			b.Fatal(err)
		}
		benchLog.size = info.Size()
		benchLog.lines = countLines(b, benchLog.path)
	}
	return benchLog.path
}

func countLines(b *testing.B, path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var n int64
	buf := make([]byte, 1<<20)
	for {
		k, err := f.Read(buf)
		n += int64(bytes.Count(buf[:k], []byte{'\n'}))
		if err != nil {
			return n
		}
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchLog.dir != "" {
		os.RemoveAll(benchLog.dir)
	}
	os.Exit(code)
}

func BenchmarkAnalyze(b *testing.B) {
	path := benchFile(b)
	b.SetBytes(benchLog.size)
	b.ResetTimer()
	var res *Result
	for b.Loop() {
		var err error
		res, err = Analyze(context.Background(), []string{path}, benchExposed, Options{})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if res.Files[0].Parsed != benchLog.lines || res.Files[0].Unreadable != 0 {
		b.Fatalf("parsed %+v of %d lines", res.Files[0], benchLog.lines)
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(res.Files[0].Matched), "matched")
	if hwm := peakRSS(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "peak-RSS-MiB")
	}
	b.Logf("%d MiB, %d lines, %d matched, %d downloads, %d probe clients: %v per pass",
		benchLog.size>>20, benchLog.lines, res.Files[0].Matched, len(res.Downloads), len(res.Probes), per)
	compareTool(b, "rg", path, per)
}

// BenchmarkAnalyzeGzip reads the same log gzipped (as a rotated
// access.log.2.gz), decompressed as a stream. Bytes/s are of the
// decompressed log.
func BenchmarkAnalyzeGzip(b *testing.B) {
	path := benchFile(b)
	gzPath := path + ".2.gz"
	if _, err := os.Stat(gzPath); err != nil {
		in, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		out, err := os.Create(gzPath)
		if err != nil {
			b.Fatal(err)
		}
		zw, _ := gzip.NewWriterLevel(out, gzip.BestSpeed)
		if _, err := io.Copy(zw, in); err != nil {
			b.Fatal(err)
		}
		zw.Close()
		out.Close()
		in.Close()
	}
	b.SetBytes(benchLog.size)
	b.ResetTimer()
	var res *Result
	for b.Loop() {
		var err error
		res, err = Analyze(context.Background(), []string{gzPath}, benchExposed, Options{})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if f := res.Files[0]; f.Parsed != benchLog.lines || !f.Gzip {
		b.Fatalf("parsed %+v of %d lines", f, benchLog.lines)
	}
	if hwm := peakRSS(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "peak-RSS-MiB")
	}
}

// compareTool times `rg -c -F -e P ...` on the same file, best of three
// after one warm-up run, twice: with every watched path (ProbePaths and
// the exposed ones, what Analyze matches) and with the exposed paths only
// (rg's easiest case: two literals).
func compareTool(b *testing.B, tool, path string, ours time.Duration) {
	bin, err := exec.LookPath(tool)
	if err != nil {
		b.Logf("%s not installed: no comparison", tool)
		return
	}
	all := append([]string(nil), ProbePaths...)
	var exposed []string
	for _, e := range benchExposed {
		all = append(all, e.URLPath)
		exposed = append(exposed, e.URLPath)
	}
	for _, set := range []struct {
		name     string
		patterns []string
	}{{"all", all}, {"exposed", exposed}} {
		args := []string{"-c", "-F"}
		for _, p := range set.patterns {
			args = append(args, "-e", p)
		}
		args = append(args, path)
		best := time.Duration(0)
		var out []byte
		for i := range 4 {
			t0 := time.Now()
			out, err = exec.Command(bin, args...).Output()
			d := time.Since(t0)
			if err != nil {
				b.Logf("%s: %v", tool, err)
				return
			}
			if i > 0 && (best == 0 || d < best) {
				best = d
			}
		}
		ratio := ours.Seconds() / best.Seconds()
		b.ReportMetric(best.Seconds(), tool+"-"+set.name+"-sec")
		b.ReportMetric(ratio, "x-"+tool+"-"+set.name)
		b.Logf("%s -c -F (%d %s paths): %s lines in %v; ours %v (%.2fx)",
			tool, len(set.patterns), set.name, bytes.TrimSpace(out), best, ours, ratio)
	}
}

// peakRSS is the process's peak resident set (VmHWM) in bytes, 0 where
// /proc is not there.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for l := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n << 10
			}
		}
	}
	return 0
}

// The generator writes what the parser reads, watched lines included.
func TestGenerateLog(t *testing.T) {
	p := filepath.Join(t.TempDir(), "access.log")
	n := generateLog(t, p, 2<<20)
	res, err := Analyze(context.Background(), []string{p}, benchExposed, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Files[0]; f.Parsed != n || f.Unreadable != 0 || f.Matched == 0 {
		t.Errorf("report %+v of %d lines", f, n)
	}
}
