// Command bench times `mjrecover scan` against ripgrep on two generated
// trees, warm-cache, and prints medians, ratios and peak memory:
//
//   - a web root (about 20,000 files and 150 MB at -scale 1) with
//     WordPress, Laravel, Node and plain PHP apps, where rg searches with
//     an anchored Mailjet pattern and gitleaks runs its default dir scan;
//   - an archive-heavy server tree (about 3,100 .gz files among 4,300:
//     documentation, manual pages, rotated logs, three real backups),
//     where rg -z decompresses every compressed file as a fair equivalent
//     of looking inside archives.
//
// It is not a test: run it with
//
//	go run ./steps/investigate/bench
//
// It needs rg and GNU time (/usr/bin/time), and gitleaks unless
// -no-gitleaks; see the README.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mjrecover/mjrecover/steps/investigate/bench/corpus"
)

// rgPattern is the anchored Mailjet pattern of the comparison.
const rgPattern = `(?i)(mailjet|mj_apikey)[^\n]{0,60}?\b[0-9a-f]{32}\b`

// Targets of the issue, on 2 cores with a warm cache.
const (
	maxRatioWeb      = 1.0 // mjrecover / rg on the web root
	maxRatioArchives = 1.5 // mjrecover / rg -z on the archive-heavy tree
	minRatioGitleaks = 5.0 // gitleaks / mjrecover on the web root
	maxRSSMiB        = 64
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type config struct {
	webDir, archiveDir string
	runs, rounds       int
	scale              float64
	trees              string
	gitleaks           string
	noGitleaks         bool
	mjrecover          string
	maxLoad            float64
}

func run() error {
	var c config
	flag.StringVar(&c.webDir, "dir", filepath.Join(os.TempDir(), "mjrecover-bench-corpus"), "web root corpus `folder` (generated when missing)")
	flag.StringVar(&c.archiveDir, "archive-dir", filepath.Join(os.TempDir(), "mjrecover-bench-archives"), "archive-heavy corpus `folder` (generated when missing)")
	flag.IntVar(&c.runs, "runs", 7, "timed runs per tool and round")
	flag.IntVar(&c.rounds, "rounds", 1, "rounds (each warms the cache, then times every tool -runs times)")
	flag.Float64Var(&c.scale, "scale", 1, "corpus size (1: about 20,000 files, 150 MB, and 3,100 .gz files)")
	flag.StringVar(&c.trees, "trees", "web,archives", "which trees to time, comma-separated")
	flag.StringVar(&c.gitleaks, "gitleaks", "", "gitleaks binary (default: PATH, then $(go env GOPATH)/bin)")
	flag.BoolVar(&c.noGitleaks, "no-gitleaks", false, "do not run gitleaks (it takes 10 to 30 s a run)")
	flag.StringVar(&c.mjrecover, "mjrecover", "", "time this mjrecover `binary` instead of one built from the module")
	flag.Float64Var(&c.maxLoad, "max-load", 0, "before each round, wait (up to 10 minutes) for the 1-minute load average to fall to this (0: do not wait)")
	flag.Parse()
	if c.runs < 1 || c.rounds < 1 {
		return errors.New("-runs and -rounds must be at least 1")
	}
	timeBin, err := exec.LookPath("/usr/bin/time")
	if err != nil {
		return errors.New("GNU time is needed for peak memory: apt-get install -y time")
	}
	bin := c.mjrecover
	if bin == "" {
		built, cleanup, err := buildMjrecover()
		if err != nil {
			return err
		}
		defer cleanup()
		bin = built
	}
	trees, err := c.benchTrees(bin)
	if err != nil {
		return err
	}
	fmt.Println(machine())
	results := make([]treeResult, len(trees))
	for r := range c.rounds {
		waitForLoad(c.maxLoad)
		for i, t := range trees {
			round, err := t.time(timeBin, c.runs)
			if err != nil {
				return err
			}
			fmt.Printf("\n%s, round %d/%d (load average %s)\n", t.name, r+1, c.rounds, round.load)
			round.print(t)
			results[i].rounds = append(results[i].rounds, round)
		}
	}
	ok := true
	for i, t := range trees {
		ok = results[i].summary(t, c.rounds) && ok
	}
	if !ok {
		fmt.Println("\nsome targets were MISSED")
	}
	return nil
}

// benchTrees writes the corpora that are missing and lists what to time.
func (c config) benchTrees(bin string) ([]benchTree, error) {
	rg := lookPath("rg")
	var trees []benchTree
	for name := range strings.SplitSeq(c.trees, ",") {
		switch strings.TrimSpace(name) {
		case "web":
			err := ensureCorpus(c.webDir, func(dir string) (corpus.Stats, error) {
				return corpus.Write(dir, corpus.Spec{Scale: c.scale, Seed: 1})
			})
			if err != nil {
				return nil, err
			}
			t := benchTree{name: "web root", dir: c.webDir, maxRatio: maxRatioWeb, want: corpus.Leaks(), tools: []tool{
				mjrecoverTool(bin, c.webDir),
				{name: "rg -uu", argv: []string{rg, "-uu", "-c", rgPattern, c.webDir}, ok: exitIs(0), reference: true},
			}}
			if !c.noGitleaks {
				gl, err := gitleaksTool(c.gitleaks, c.webDir)
				if err != nil {
					return nil, err
				}
				t.tools = append(t.tools, gl)
			}
			trees = append(trees, t)
		case "archives":
			err := ensureCorpus(c.archiveDir, func(dir string) (corpus.Stats, error) {
				return corpus.WriteArchives(dir, corpus.Spec{Scale: c.scale, Seed: 1})
			})
			if err != nil {
				return nil, err
			}
			t := benchTree{name: "archive-heavy tree", dir: c.archiveDir, maxRatio: maxRatioArchives, want: corpus.ArchiveLeaks(), tools: []tool{
				mjrecoverTool(bin, c.archiveDir),
				{name: "rg -uu -z", argv: []string{rg, "-uu", "-z", "-c", rgPattern, c.archiveDir}, ok: exitIs(0), reference: true},
				// Walking and reading without decompressing: a floor.
				{name: "rg -uu (no -z)", argv: []string{rg, "-uu", "-c", rgPattern, c.archiveDir}, ok: exitIs(0, 1)},
			}}
			if knowsFlag(bin, "all-archives") { // an older binary (-mjrecover) may not
				all := mjrecoverTool(bin, c.archiveDir)
				all.name, all.main = "mjrecover --all-archives", false
				all.argv = append(all.argv[:2:2], "--all-archives", "--format", "json", c.archiveDir)
				t.tools = slices.Insert(t.tools, 2, all)
			}
			trees = append(trees, t)
		default:
			return nil, fmt.Errorf("unknown tree %q in -trees: use web and archives", name)
		}
	}
	return trees, nil
}

// knowsFlag reports whether mjrecover scan lists a flag in its help.
func knowsFlag(bin, name string) bool {
	out, _ := exec.Command(bin, "scan", "--help").CombinedOutput()
	return strings.Contains(string(out), "-"+name+" ") || strings.Contains(string(out), "-"+name+"\n")
}

func mjrecoverTool(bin, dir string) tool {
	// Exit status 1: something was found, as planted.
	return tool{name: "mjrecover scan", argv: []string{bin, "scan", "--format", "json", dir}, ok: exitIs(1), main: true}
}

func gitleaksTool(bin, dir string) (tool, error) {
	if bin == "" {
		bin = findGitleaks()
	}
	if bin == "" {
		return tool{}, errors.New("gitleaks not found: see the README for the install command, or pass -no-gitleaks")
	}
	// The report goes to standard output ("-"), which is discarded:
	// gitleaks checks a report path by creating and then removing it,
	// so "--report-path /dev/null" run as root deletes /dev/null.
	return tool{name: "gitleaks dir", argv: []string{bin, "dir", dir, "--no-banner", "--log-level", "error",
		"--report-format", "json", "--report-path", "-"}, ok: exitIs(0, 1), slower: true}, nil
}

func exitIs(codes ...int) func(int) bool {
	return func(c int) bool {
		for _, want := range codes {
			if c == want {
				return true
			}
		}
		return false
	}
}

func lookPath(name string) string {
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

// ensureCorpus writes a corpus into dir unless it is there already (the
// generators are seeded: an existing one is the same tree).
func ensureCorpus(dir string, write func(string) (corpus.Stats, error)) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fmt.Fprintf(os.Stderr, "using the corpus in %s\n", dir)
		return nil
	}
	fmt.Fprintf(os.Stderr, "writing the corpus to %s\n", dir)
	st, err := write(dir)
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
