// Command loadtest measures the SSH kiosk under load: it starts
// `mjrecover kiosk --demo` hosts as child processes (or drives running
// ones), issues access codes, and has many SSH sessions at once arrive,
// type their code, reach the wizard and type into it. It reports how
// long the sessions took to reach the wizard, how long a key took to
// show on screen, and the memory each session costs its host.
//
//	go run ./ui/kiosk/loadtest                              # 50 and 200 sessions on one host
//	go run ./ui/kiosk/loadtest --store "$(.ci/postgres start /tmp/mjr-pg)"   # and on two hosts
//
// See ui/kiosk/README.md, "Load benchmark".
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `loadtest: measure the mjrecover SSH kiosk under load.

Usage: go run ./ui/kiosk/loadtest [flags]

Each run starts its kiosk hosts (mjrecover kiosk --demo, built from this
module unless --kiosk names a binary), issues one access code per session,
and has every session arrive at once with the Go SSH client (an 80x24
terminal, LANG=en_US.UTF-8): the access code screen, the code, the wizard's
first screen (admission time). After --settle it reads each host's memory
(VmRSS in /proc; per session: the growth since the host started, over the
sessions). Then every session goes to Step 1 and types --keys keys into its
field (letters, then backspaces), one every --think or so, interleaved with
the others, timing each key until the screen shows it (redraw). Runs with
several hosts need --store (a PostgreSQL URL the hosts share) and a kiosk
that accepts it; they are skipped otherwise. The results table goes to
stdout, progress to stderr.

Flags:
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, code, ok := parseFlags(ctx, args, stdout, stderr)
	if !ok {
		return code
	}
	defer cleanup(cfg)
	results, err := benchmark(ctx, cfg, stderr)
	report(stdout, describeMachine(), cfg, results)
	if err != nil {
		return 1
	}
	return 0
}

// benchmark makes the runs one after the other; a run that fails is
// said on log, and the others still run.
func benchmark(ctx context.Context, cfg config, log io.Writer) ([]result, error) {
	var (
		results []result
		errs    []error
	)
	for _, spec := range cfg.runs {
		r, err := runOne(ctx, cfg, spec, log)
		if err != nil {
			fmt.Fprintf(log, "loadtest: %s: %v\n", spec, err)
			errs = append(errs, fmt.Errorf("%s: %w", spec, err))
			if ctx.Err() != nil {
				break
			}
			continue
		}
		results = append(results, r)
	}
	return results, errors.Join(errs...)
}

// cleanup removes the hosts' folders unless they were asked to stay.
func cleanup(cfg config) {
	if cfg.keepDir == "" {
		_ = os.RemoveAll(cfg.workDir)
	}
}

func parseFlags(ctx context.Context, args []string, stdout, stderr io.Writer) (config, int, bool) {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	runs := fs.String("runs", "50x1,200x1,50x2,200x2", "the runs: `SESSIONSxHOSTS`, separated by commas")
	kiosk := fs.String("kiosk", "", "the mjrecover `binary` to run (default: go build this module into a temporary folder)")
	store := fs.String("store", "", "for runs of several hosts: the store `URL` they share (postgres://...), passed to kiosk and issue-code as --store")
	connect := fs.String("connect", "", "drive running kiosks at these `addresses` (host:port, separated by commas) instead of starting hosts")
	pids := fs.String("pids", "", "with --connect: their process `ids`, in the same order, to read their memory")
	codesFile := fs.String("codes", "", "with --connect: a `file` of access codes issued beforehand (the lines that end with one: issue-code's output will do); default: issue them with --store")
	keep := fs.String("keep", "", "keep the hosts' folders and logs in this `folder` (default: a temporary one, removed)")
	var hostEnv multiFlag
	fs.Var(&hostEnv, "host-env", "a variable added to every host's environment, as `KEY=VALUE` (e.g. GODEBUG=gctrace=1, its output in the host's log with --keep); repeat it")
	var cfg config
	addresses := fs.Int("addresses", 0, "the sessions come from this many loopback addresses (127.0.0.2 and on; 0: each its own; 1: all from one)")
	fs.IntVar(&cfg.keys, "keys", 40, "keys each session types")
	fs.DurationVar(&cfg.think, "think", time.Second, "the pause between a session's keys, on average (each is drawn between half and one and a half of it)")
	fs.DurationVar(&cfg.settle, "settle", 5*time.Second, "the wait before reading the memory of idle hosts")
	fs.DurationVar(&cfg.admitTarget, "admit-target", 30*time.Second, "the admission time counted against")
	fs.DurationVar(&cfg.giveUp, "give-up", 90*time.Second, "a session not at the wizard after this long is counted as not admitted")
	fs.DurationVar(&cfg.keyLimit, "key-limit", 10*time.Second, "a key whose redraw takes longer is counted as never redrawn")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return cfg, 0, false
		}
		return cfg, 2, false
	}
	bad := func(format string, a ...any) (config, int, bool) {
		fmt.Fprintf(stderr, "loadtest: "+format+"\n", a...)
		return cfg, 2, false
	}
	var err error
	if fs.NArg() > 0 {
		return bad("unexpected argument %q", fs.Arg(0))
	}
	if cfg.runs, err = parseRuns(*runs); err != nil {
		return bad("--runs: %v", err)
	}
	if cfg.keys < 1 || cfg.think < 0 || cfg.giveUp <= 0 || cfg.keyLimit <= 0 {
		return bad("--keys must be at least 1, and the times positive")
	}
	cfg.store, cfg.hostEnv, cfg.keepDir = *store, hostEnv, *keep
	cfg.addresses = *addresses
	if *connect != "" {
		cfg.connect = strings.Split(*connect, ",")
		for i := range cfg.runs {
			cfg.runs[i].hosts = len(cfg.connect)
		}
		if cfg.pids, err = parsePIDs(*pids); err != nil {
			return bad("--pids: %v", err)
		}
		if *codesFile != "" {
			if cfg.codes, err = readCodes(*codesFile); err != nil {
				return bad("--codes: %v", err)
			}
		} else if cfg.store == "" {
			return bad("--connect needs --codes FILE or --store URL to have access codes")
		}
	}
	if cfg.workDir, err = workFolder(*keep); err != nil {
		return bad("%v", err)
	}
	path := *kiosk
	if path == "" {
		fmt.Fprintln(stderr, "loadtest: building mjrecover…")
		if path, err = buildKiosk(ctx, cfg.workDir); err != nil {
			cleanup(cfg)
			fmt.Fprintln(stderr, "loadtest:", err)
			return cfg, 1, false
		}
	}
	if cfg.bin, err = inspectKiosk(ctx, path); err != nil {
		cleanup(cfg)
		fmt.Fprintln(stderr, "loadtest:", err)
		return cfg, 1, false
	}
	return cfg, 0, true
}

func workFolder(keep string) (string, error) {
	if keep == "" {
		return os.MkdirTemp("", "mjrecover-loadtest-")
	}
	if err := os.MkdirAll(keep, 0o700); err != nil {
		return "", err
	}
	return keep, nil
}

// parseRuns reads "50x1,200x1".
func parseRuns(s string) ([]runSpec, error) {
	var runs []runSpec
	for part := range strings.SplitSeq(s, ",") {
		n, h, ok := strings.Cut(strings.TrimSpace(part), "x")
		sessions, err1 := strconv.Atoi(n)
		hosts, err2 := strconv.Atoi(h)
		if !ok || err1 != nil || err2 != nil || sessions < 1 || hosts < 1 || hosts > sessions {
			return nil, fmt.Errorf("%q: want SESSIONSxHOSTS, e.g. 200x1", part)
		}
		runs = append(runs, runSpec{sessions: sessions, hosts: hosts})
	}
	return runs, nil
}

func parsePIDs(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var pids []int
	for part := range strings.SplitSeq(s, ",") {
		pid, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || pid <= 0 {
			return nil, fmt.Errorf("%q is not a process id", part)
		}
		pids = append(pids, pid)
	}
	return pids, nil
}

// codeRe is what an access code looks like.
var codeRe = regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`)

// readCodes reads access codes: the lines that end with one (so the
// output of issue-code can be appended as it is).
func readCodes(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var codes []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if words := strings.Fields(sc.Text()); len(words) > 0 && codeRe.MatchString(words[len(words)-1]) {
			codes = append(codes, words[len(words)-1])
		}
	}
	return codes, sc.Err()
}

// multiFlag is a flag that may be repeated.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, " ") }

func (m *multiFlag) Set(v string) error {
	if !strings.Contains(v, "=") {
		return fmt.Errorf("%q: want KEY=VALUE", v)
	}
	*m = append(*m, v)
	return nil
}
