// Command bench times `mjrecover scan` against ripgrep (with an anchored
// Mailjet pattern) and gitleaks' default `dir` scan on a generated web
// root (about 20,000 files and 150 MB at -scale 1), all warm-cache, and
// prints medians, ratios and peak memory. It is not a test: run it with
//
//	go run ./steps/investigate/bench
//
// It needs rg, gitleaks and GNU time (/usr/bin/time); see the README.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/steps/investigate/bench/corpus"
)

// rgPattern is the anchored Mailjet pattern of the comparison.
const rgPattern = `(?i)(mailjet|mj_apikey)[^\n]{0,60}?\b[0-9a-f]{32}\b`

// Targets of the issue, on 2 cores with a warm cache.
const (
	maxRatioToRipgrep = 2.0
	minRatioGitleaks  = 5.0
	maxRSSMiB         = 64
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type tool struct {
	name string
	argv []string
	ok   func(code int) bool
}

type sample struct {
	wall time.Duration
	rss  int64 // KiB
}

func run() error {
	dir := flag.String("dir", filepath.Join(os.TempDir(), "mjrecover-bench-corpus"), "corpus `folder` (generated when missing)")
	runs := flag.Int("runs", 7, "timed runs per tool")
	scale := flag.Float64("scale", 1, "corpus size (1: about 20,000 files, 150 MB)")
	gitleaks := flag.String("gitleaks", "", "gitleaks binary (default: PATH, then $(go env GOPATH)/bin)")
	skipGitleaks := flag.Bool("no-gitleaks", false, "do not run gitleaks (it takes about 10 s a run)")
	flag.Parse()

	if err := ensureCorpus(*dir, *scale); err != nil {
		return err
	}
	bin, cleanup, err := buildMjrecover()
	if err != nil {
		return err
	}
	defer cleanup()
	timeBin, err := exec.LookPath("/usr/bin/time")
	if err != nil {
		return errors.New("GNU time is needed for peak memory: apt-get install -y time")
	}
	tools := []tool{
		{"mjrecover scan", []string{bin, "scan", "--format", "json", *dir}, func(c int) bool { return c == 1 }},
		{"rg -uu (anchored)", []string{mustLook("rg"), "-uu", "-c", rgPattern, *dir}, func(c int) bool { return c == 0 }},
	}
	if !*skipGitleaks {
		gl := *gitleaks
		if gl == "" {
			gl = findGitleaks()
		}
		if gl == "" {
			return errors.New("gitleaks not found: see the README for the install command, or pass -no-gitleaks")
		}
		// The report goes to standard output ("-"), which is discarded:
		// gitleaks checks a report path by creating and then removing it,
		// so "--report-path /dev/null" run as root deletes /dev/null.
		tools = append(tools, tool{"gitleaks dir", []string{gl, "dir", *dir, "--no-banner", "--log-level", "error",
			"--report-format", "json", "--report-path", "-"}, func(c int) bool { return c == 0 || c == 1 }})
	}
	machine()
	samples := map[string][]sample{}
	for _, t := range tools { // warm the page cache and each tool's own
		if _, err := measure(timeBin, t); err != nil {
			return err
		}
	}
	for i := range *runs {
		for _, t := range tools { // interleaved, so a busy moment hits all tools
			s, err := measure(timeBin, t)
			if err != nil {
				return err
			}
			samples[t.name] = append(samples[t.name], s)
		}
		fmt.Fprintf(os.Stderr, "run %d/%d done\n", i+1, *runs)
	}
	report(tools, samples)
	return nil
}

func mustLook(name string) string {
	p, err := exec.LookPath(name)
	if err != nil {
		return name // measure reports the failure
	}
	return p
}

func findGitleaks() string {
	if p, err := exec.LookPath("gitleaks"); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "gitleaks")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

func ensureCorpus(dir string, scale float64) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fmt.Fprintf(os.Stderr, "using the corpus in %s\n", dir)
		return nil
	}
	fmt.Fprintf(os.Stderr, "writing the corpus to %s\n", dir)
	st, err := corpus.Write(dir, corpus.Spec{Scale: scale, Seed: 1})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d files, %.1f MB, %d planted leaks\n", st.Files, float64(st.Bytes)/1e6, st.Leaks)
	return nil
}

// buildMjrecover builds the command from this module.
func buildMjrecover() (string, func(), error) {
	tmp, err := os.MkdirTemp("", "mjrecover-bench")
	if err != nil {
		return "", nil, err
	}
	bin := filepath.Join(tmp, "mjrecover")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/mjrecover/mjrecover")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		os.RemoveAll(tmp)
		return "", nil, fmt.Errorf("building mjrecover: %w", err)
	}
	return bin, func() { os.RemoveAll(tmp) }, nil
}

// measure runs a tool once under GNU time: wall time and peak RSS.
func measure(timeBin string, t tool) (sample, error) {
	rssFile, err := os.CreateTemp("", "bench-rss")
	if err != nil {
		return sample{}, err
	}
	rssFile.Close()
	defer os.Remove(rssFile.Name())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, timeBin, append([]string{"-f", "%M", "-o", rssFile.Name()}, t.argv...)...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = nil, &stderr // nil: the output is discarded
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		return sample{}, fmt.Errorf("%s: %w", t.name, err)
	}
	if !t.ok(code) {
		return sample{}, fmt.Errorf("%s exited %d: %s", t.name, code, strings.TrimSpace(stderr.String()))
	}
	b, _ := os.ReadFile(rssFile.Name())
	lines := strings.Fields(string(b))
	var rss int64
	if len(lines) > 0 {
		rss, _ = strconv.ParseInt(lines[len(lines)-1], 10, 64)
	}
	return sample{wall: wall, rss: rss}, nil
}

func median(ss []sample) (time.Duration, int64) {
	walls := make([]time.Duration, len(ss))
	rss := make([]int64, len(ss))
	for i, s := range ss {
		walls[i], rss[i] = s.wall, s.rss
	}
	slices.Sort(walls)
	slices.Sort(rss)
	return walls[len(walls)/2], slices.Max(rss)
}

func report(tools []tool, samples map[string][]sample) {
	fmt.Printf("\n%-20s %10s %10s %10s %12s\n", "tool", "median", "min", "max", "peak RSS")
	med := map[string]time.Duration{}
	var mjRSS int64
	for _, t := range tools {
		ss := samples[t.name]
		m, peak := median(ss)
		med[t.name] = m
		lo, hi := ss[0].wall, ss[0].wall
		for _, s := range ss {
			lo, hi = min(lo, s.wall), max(hi, s.wall)
		}
		fmt.Printf("%-20s %9.3fs %9.3fs %9.3fs %9.1f MiB\n", t.name, m.Seconds(), lo.Seconds(), hi.Seconds(), float64(peak)/1024)
		if t.name == "mjrecover scan" {
			mjRSS = peak
		}
	}
	mj := med["mjrecover scan"].Seconds()
	rg := med["rg -uu (anchored)"].Seconds()
	fmt.Printf("\nmjrecover / rg       = %.2fx (target at most %.1fx) %s\n", mj/rg, maxRatioToRipgrep, verdict(mj/rg <= maxRatioToRipgrep))
	if gl, ok := med["gitleaks dir"]; ok {
		fmt.Printf("gitleaks / mjrecover = %.1fx (target at least %.0fx) %s\n", gl.Seconds()/mj, minRatioGitleaks, verdict(gl.Seconds()/mj >= minRatioGitleaks))
	}
	fmt.Printf("mjrecover peak RSS   = %.1f MiB (target at most %d MiB) %s\n", float64(mjRSS)/1024, maxRSSMiB, verdict(mjRSS <= maxRSSMiB*1024))
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}

// machine prints what the numbers were measured on.
func machine() {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if strings.HasPrefix(line, "model name") {
				model = strings.TrimSpace(line[strings.Index(line, ":")+1:])
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 1 {
			if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
				mem = fmt.Sprintf(", %.1f GiB RAM", kb/1024/1024)
			}
		}
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = ", load average " + strings.Join(strings.Fields(string(b))[:3], " ")
	}
	fmt.Printf("machine: %d CPUs (%s)%s%s, %s\n", runtime.NumCPU(), model, mem, load, runtime.Version())
}
