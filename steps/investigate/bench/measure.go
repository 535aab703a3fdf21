package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// tool is one command timed on a tree.
type tool struct {
	name      string
	argv      []string
	ok        func(code int) bool
	main      bool // mjrecover's default scan: the one the targets are about
	reference bool // what main is compared with
	slower    bool // gitleaks: compared the other way round
}

// benchTree is a corpus and the tools timed on it.
type benchTree struct {
	name     string
	dir      string
	maxRatio float64  // main / reference, at most
	want     []string // planted pairs main must report (slash paths inside dir)
	tools    []tool
}

type sample struct {
	wall time.Duration
	rss  int64 // KiB
}

// roundResult is one warm-up and -runs interleaved runs of every tool.
type roundResult struct {
	load    string
	samples map[string][]sample
}

// time runs one round: a warm-up run of each tool (the page cache and the
// tools' own), which also checks what mjrecover finds, then the timed
// runs, interleaved so that a busy moment hits every tool.
func (t benchTree) time(timeBin string, runs int) (roundResult, error) {
	r := roundResult{load: loadAverage(), samples: map[string][]sample{}}
	for _, tl := range t.tools {
		var out bytes.Buffer
		if _, err := measure(timeBin, tl, &out); err != nil {
			return r, err
		}
		if tl.main {
			if err := t.checkFound(out.Bytes()); err != nil {
				return r, err
			}
		}
	}
	for i := range runs {
		for _, tl := range t.tools {
			s, err := measure(timeBin, tl, nil)
			if err != nil {
				return r, err
			}
			r.samples[tl.name] = append(r.samples[tl.name], s)
		}
		fmt.Fprintf(os.Stderr, "%s: run %d/%d done\n", t.name, i+1, runs)
	}
	return r, nil
}

// checkFound makes sure the timed scan is a complete one: every planted
// pair is in its JSON report.
func (t benchTree) checkFound(report []byte) error {
	var rep struct {
		Findings []struct {
			Path   string `json:"path"`
			APIKey string `json:"api_key"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(report, &rep); err != nil {
		return fmt.Errorf("%s: mjrecover's report: %w", t.name, err)
	}
	found := map[string]bool{}
	for _, f := range rep.Findings {
		if f.APIKey == corpus.LeakKey {
			found[f.Path] = true
		}
	}
	var missing []string
	for _, rel := range t.want {
		if !found[filepath.Join(t.dir, filepath.FromSlash(rel))] {
			missing = append(missing, rel)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: mjrecover did not report the pairs planted in %s", t.name, strings.Join(missing, ", "))
	}
	return nil
}

// measure runs a tool once under GNU time: wall time and peak RSS. The
// tool's standard output goes to out (nil: discarded).
func measure(timeBin string, t tool, out io.Writer) (sample, error) {
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
	cmd.Stdout, cmd.Stderr = out, &stderr
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

// stats are the median, fastest and slowest wall times and the peak RSS.
func stats(ss []sample) (med, lo, hi time.Duration, peak int64) {
	walls := make([]time.Duration, len(ss))
	for i, s := range ss {
		walls[i] = s.wall
		peak = max(peak, s.rss)
	}
	slices.Sort(walls)
	return walls[len(walls)/2], walls[0], walls[len(walls)-1], peak
}

// roles returns the tree's main, reference and slower tools' names.
func (t benchTree) roles() (main, ref, slower string) {
	for _, tl := range t.tools {
		switch {
		case tl.main:
			main = tl.name
		case tl.reference:
			ref = tl.name
		case tl.slower:
			slower = tl.name
		}
	}
	return main, ref, slower
}

func (r roundResult) print(t benchTree) {
	fmt.Printf("%-26s %9s %9s %9s %10s\n", "tool", "median", "min", "max", "peak RSS")
	med := map[string]time.Duration{}
	for _, tl := range t.tools {
		m, lo, hi, peak := stats(r.samples[tl.name])
		med[tl.name] = m
		fmt.Printf("%-26s %8.3fs %8.3fs %8.3fs %6.1f MiB\n", tl.name, m.Seconds(), lo.Seconds(), hi.Seconds(), float64(peak)/1024)
	}
	main, ref, _ := t.roles()
	fmt.Printf("%s / %s = %.2fx\n", main, ref, med[main].Seconds()/med[ref].Seconds())
}

// treeResult gathers the rounds of one tree.
type treeResult struct{ rounds []roundResult }

// summary prints the median of the rounds' medians for each tool, the
// ratios and the verdicts; it reports whether the targets were met.
func (tr treeResult) summary(t benchTree, rounds int) bool {
	fmt.Printf("\n== %s: median of %d round medians (the round medians) ==\n", t.name, rounds)
	med := map[string]time.Duration{}
	perRound := map[string][]time.Duration{}
	peaks := map[string]int64{}
	for _, tl := range t.tools {
		for _, r := range tr.rounds {
			m, _, _, peak := stats(r.samples[tl.name])
			perRound[tl.name] = append(perRound[tl.name], m)
			peaks[tl.name] = max(peaks[tl.name], peak)
		}
		sorted := slices.Sorted(slices.Values(perRound[tl.name]))
		med[tl.name] = sorted[len(sorted)/2]
		fmt.Printf("%-26s %8.3fs  (%s)  peak RSS %.1f MiB\n", tl.name, med[tl.name].Seconds(), seconds(perRound[tl.name]), float64(peaks[tl.name])/1024)
	}
	main, ref, slower := t.roles()
	ratios := make([]string, len(tr.rounds))
	for i := range tr.rounds {
		ratios[i] = fmt.Sprintf("%.2f", perRound[main][i].Seconds()/perRound[ref][i].Seconds())
	}
	ratio := med[main].Seconds() / med[ref].Seconds()
	ok := ratio <= t.maxRatio && peaks[main] <= maxRSSMiB*1024
	fmt.Printf("%s / %s = %.2fx (rounds: %s; target at most %.1fx) %s\n", main, ref, ratio, strings.Join(ratios, ", "), t.maxRatio, verdict(ratio <= t.maxRatio))
	for _, tl := range t.tools {
		if !tl.main && !tl.reference && !tl.slower {
			fmt.Printf("%s / %s = %.2fx (for information)\n", main, tl.name, med[main].Seconds()/med[tl.name].Seconds())
		}
	}
	if slower != "" {
		r := med[slower].Seconds() / med[main].Seconds()
		ok = ok && r >= minRatioGitleaks
		fmt.Printf("%s / %s = %.1fx (target at least %.0fx) %s\n", slower, main, r, minRatioGitleaks, verdict(r >= minRatioGitleaks))
	}
	fmt.Printf("%s peak RSS = %.1f MiB (target at most %d MiB) %s\n", main, float64(peaks[main])/1024, maxRSSMiB, verdict(peaks[main] <= maxRSSMiB*1024))
	return ok
}

func seconds(ds []time.Duration) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = fmt.Sprintf("%.3f", d.Seconds())
	}
	return strings.Join(s, " / ") + " s"
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}

// machine says what the numbers were measured on.
func machine() string {
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
	rg := ""
	if out, err := exec.Command(lookPath("rg"), "--version").Output(); err == nil {
		rg = ", " + strings.SplitN(string(out), "\n", 2)[0]
	}
	return fmt.Sprintf("machine: %d CPUs (%s)%s, %s%s, load average %s", runtime.NumCPU(), model, mem, runtime.Version(), rg, loadAverage())
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// waitForLoad waits, up to 10 minutes, for the 1-minute load average to
// fall to max: other work on the machine skews every tool's time.
func waitForLoad(maxLoad float64) {
	if maxLoad <= 0 {
		return
	}
	for deadline := time.Now().Add(10 * time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Second) {
		load, err := strconv.ParseFloat(strings.Fields(loadAverage() + " x")[0], 64)
		if err != nil || load <= maxLoad {
			return
		}
		fmt.Fprintf(os.Stderr, "load average %.2f above %.2f: waiting\n", load, maxLoad)
	}
}
