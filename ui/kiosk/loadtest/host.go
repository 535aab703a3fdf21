package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A kiosk host is `mjrecover kiosk --demo` as a child process, with a
// folder of its own (HOME, state folder, temporary files), so its
// memory is its own in /proc.

// kioskBinary is the mjrecover program the hosts run, and what its
// kiosk command accepts.
type kioskBinary struct {
	path  string
	flags map[string]bool // flags of `mjrecover kiosk` (without dashes)
	issue map[string]bool // flags of `mjrecover kiosk issue-code`
}

// buildKiosk builds the module's main package into dir.
func buildKiosk(ctx context.Context, dir string) (string, error) {
	out := filepath.Join(dir, "mjrecover")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "github.com/mjrecover/mjrecover")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

var flagRe = regexp.MustCompile(`(?m)^\s+-([a-z][a-z0-9-]*)`)

// inspectKiosk reads which flags the binary's kiosk commands accept.
func inspectKiosk(ctx context.Context, path string) (*kioskBinary, error) {
	help := func(args ...string) (map[string]bool, error) {
		cmd := exec.CommandContext(ctx, path, args...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir()}
		out, err := cmd.CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w: %s", path, strings.Join(args, " "), err, bytes.TrimSpace(out))
		}
		flags := map[string]bool{}
		for _, m := range flagRe.FindAllStringSubmatch(string(out), -1) {
			flags[m[1]] = true
		}
		return flags, nil
	}
	kiosk, err := help("kiosk", "--help")
	if err != nil {
		return nil, err
	}
	if !kiosk["demo"] {
		return nil, fmt.Errorf("%s kiosk has no --demo flag", path)
	}
	issue, err := help("kiosk", "issue-code", "--help")
	if err != nil {
		return nil, err
	}
	return &kioskBinary{path: path, flags: kiosk, issue: issue}, nil
}

// takesStore: the kiosk and issue-code accept --store.
func (b *kioskBinary) takesStore() bool { return b.flags["store"] && b.issue["store"] }

// host is one running kiosk.
type host struct {
	bin   *kioskBinary
	name  string
	dir   string
	env   []string
	store string // --store, or "" for the kiosk's default
	addr  string
	cmd   *exec.Cmd
	log   *os.File // the kiosk's stderr
	ended chan struct{}
	err   error // how it ended, once ended is closed
}

// hostOptions are what every host of a run is started with.
type hostOptions struct {
	sessions int      // the sessions it must admit: its caps are set above them
	store    string   // shared store URL, or ""
	env      []string // added to the host's environment (GODEBUG=gctrace=1...)
}

var listenRe = regexp.MustCompile(`Kiosk listening on (\S+) for`)

// startHost starts a kiosk in dir and waits until it listens.
func startHost(ctx context.Context, bin *kioskBinary, name, dir string, o hostOptions) (*host, error) {
	h := &host{bin: bin, name: name, dir: dir, store: o.store, ended: make(chan struct{})}
	for _, d := range []string{"home", "state", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("host %s: %w", name, err)
		}
	}
	h.env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + filepath.Join(dir, "home"),
		"XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		"TMPDIR=" + filepath.Join(dir, "tmp"), // where the demo web roots are unpacked
	}, o.env...)
	args := []string{"kiosk", "--demo", "--listen", "127.0.0.1:0"}
	// Every session of the benchmark comes from one address, at once: the
	// caps go above the run's sessions (only those this binary has).
	n := strconv.Itoa(o.sessions + 16)
	for _, f := range [][2]string{
		{"max-sessions", n}, {"max-waiting", n}, {"waiting-per-address", n},
		{"rate", "1000000"}, {"rate-burst", n}, {"code-screen-limit", "10m"},
	} {
		if bin.flags[f[0]] {
			args = append(args, "--"+f[0], f[1])
		}
	}
	if o.store != "" {
		args = append(args, "--store", o.store)
	}
	var err error
	if h.log, err = os.Create(filepath.Join(dir, "kiosk.log")); err != nil {
		return nil, fmt.Errorf("host %s: %w", name, err)
	}
	h.cmd = exec.Command(bin.path, args...)
	h.cmd.Env = h.env
	h.cmd.Dir = dir
	stderr, err := h.cmd.StderrPipe()
	if err != nil {
		h.log.Close()
		return nil, fmt.Errorf("host %s: %w", name, err)
	}
	if err := h.cmd.Start(); err != nil {
		h.log.Close()
		return nil, fmt.Errorf("host %s: start the kiosk: %w", name, err)
	}
	listening := make(chan string, 1)
	go h.readLog(stderr, listening)
	select {
	case h.addr = <-listening:
		return h, nil
	case <-h.ended:
		return nil, fmt.Errorf("host %s: the kiosk stopped (%v): %s", name, h.err, h.tail())
	case <-time.After(60 * time.Second):
		h.stop()
		return nil, fmt.Errorf("host %s: the kiosk did not listen within a minute: %s", name, h.tail())
	case <-ctx.Done():
		h.stop()
		return nil, ctx.Err()
	}
}

// readLog copies the kiosk's stderr to its log file and tells the
// address it listens on; then it waits for the kiosk to end.
func (h *host) readLog(stderr io.Reader, listening chan<- string) {
	sc := bufio.NewScanner(stderr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	told := false
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(h.log, line)
		if m := listenRe.FindStringSubmatch(line); m != nil && !told {
			listening <- m[1]
			told = true
		}
	}
	h.err = h.cmd.Wait()
	close(h.ended)
}

// tail is the end of the kiosk's log, for an error.
func (h *host) tail() string {
	data, _ := os.ReadFile(h.log.Name())
	if len(data) > 2000 {
		data = data[len(data)-2000:]
	}
	return strings.TrimSpace(string(data))
}

func (h *host) pid() int { return h.cmd.Process.Pid }

// stop ends the kiosk as a service manager would (SIGTERM), and kills
// it if it has not ended after a while.
func (h *host) stop() {
	_ = h.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-h.ended:
	case <-time.After(20 * time.Second):
		_ = h.cmd.Process.Kill()
		<-h.ended
	}
	h.log.Close()
}

// issueCodes issues n access codes for the demo account through this
// host's files or store, a few at a time.
func (h *host) issueCodes(ctx context.Context, n int) ([]string, error) {
	codes := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range next {
				codes[i], errs[i] = h.issueCode(ctx)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return codes, errors.Join(errs...)
}

func (h *host) issueCode(ctx context.Context) (string, error) {
	args := []string{"kiosk", "issue-code", "--demo", "--valid", "2h"}
	if h.store != "" {
		args = append(args, "--store", h.store)
	}
	cmd := exec.CommandContext(ctx, h.bin.path, args...)
	cmd.Env, cmd.Dir = h.env, h.dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("issue-code: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	code := strings.TrimSpace(lines[len(lines)-1])
	if code == "" {
		return "", errors.New("issue-code printed no code")
	}
	return code, nil
}
