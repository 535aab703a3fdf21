package kiosk

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
	gossh "golang.org/x/crypto/ssh"

	"github.com/mjrecover/mjrecover/steps/kioskstore"
)

// The kiosk tests run the real server (Run, as `mjrecover kiosk --demo`
// runs it) on a loopback port, and drive it with the real OpenSSH client
// in a pseudo-terminal, or with the Go SSH client where they need many
// sessions or protocol details. What the person sees is read off a
// virtual terminal.

// waitLimit bounds every wait: generous, for a busy two-core machine.
// waitLimit guards against a hang; it is not a timing: under -race on two
// loaded cores, twenty sessions take a while to start.
const waitLimit = 90 * time.Second

// requireSSH skips a test when the OpenSSH client is missing.
func requireSSH(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("the OpenSSH client (ssh) is not installed: apt-get install -y openssh-client")
	}
	return path
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// kioskUnderTest is a running `mjrecover kiosk --demo`.
type kioskUnderTest struct {
	addr, port string
	dir        string
	stateDir   string // --state-dir: the host key, and the store unless store says
	store      string // the store's URL
	hostKey    string
	stderr     *syncBuffer
	home       string // HOME for the ssh client
	stop       func()
}

var listenRe = regexp.MustCompile(`Kiosk listening on (\S+) for`)

// newKioskUnderTest is the folders of a kiosk (a host of its own: its
// state folder, its client's HOME), its store the state folder's SQLite
// unless flags say --store.
func newKioskUnderTest(t *testing.T, flags []string) *kioskUnderTest {
	t.Helper()
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	k := &kioskUnderTest{dir: dir, stateDir: state, store: kioskstore.URLIn(state),
		hostKey: filepath.Join(state, "host_ed25519"), stderr: &syncBuffer{}, home: filepath.Join(dir, "home")}
	if i := slices.Index(flags, "--store"); i >= 0 && i+1 < len(flags) {
		k.store = flags[i+1]
	}
	if err := os.Mkdir(k.home, 0o700); err != nil {
		t.Fatal(err)
	}
	return k
}

// startKiosk runs the kiosk with --demo, a state folder of its own and
// flags.
func startKiosk(t *testing.T, flags ...string) *kioskUnderTest {
	t.Helper()
	return runKiosk(t, newKioskUnderTest(t, flags), flags...)
}

// runKiosk runs the kiosk k with --demo, in its state folder, and flags.
func runKiosk(t *testing.T, k *kioskUnderTest, flags ...string) *kioskUnderTest {
	t.Helper()
	k.stderr = &syncBuffer{}
	args := append([]string{"--demo", "--listen", "127.0.0.1:0", "--state-dir", k.stateDir}, flags...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- Run(ctx, args, io.Discard, k.stderr) }()
	deadline := time.Now().Add(waitLimit)
	for {
		if m := listenRe.FindStringSubmatch(k.stderr.String()); m != nil {
			k.addr = m[1]
			break
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("the kiosk stopped with status %d:\n%s", code, k.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the kiosk never listened:\n%s", k.stderr.String())
		}
	}
	_, k.port, _ = net.SplitHostPort(k.addr)
	var once sync.Once
	k.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("the kiosk ended with status %d:\n%s", code, k.stderr.String())
				}
			case <-time.After(waitLimit):
				t.Error("the kiosk did not stop")
			}
		})
	}
	t.Cleanup(k.stop)
	return k
}

// issue runs `kiosk issue-code --demo` on the kiosk's store and returns
// the code: the last line of its output.
func (k *kioskUnderTest) issue(t *testing.T, flags ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	args := append([]string{"issue-code", "--demo", "--state-dir", k.stateDir, "--store", k.store}, flags...)
	if code := Run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("issue-code: status %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return lines[len(lines)-1]
}

// sshCommand is the OpenSSH client pointed at the kiosk, with no
// configuration, keys or known hosts of the machine's (HOME is the test's).
func (k *kioskUnderTest) sshCommand(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	bin := requireSSH(t)
	config := filepath.Join(k.home, "ssh_config")
	if err := os.WriteFile(config, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"-F", config, "-p", k.port,
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=" + filepath.Join(k.home, "known_hosts"),
		"-o", "BatchMode=yes", "-o", "ConnectTimeout=10"}
	if !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "LogLevel=") }) {
		base = append(base, "-o", "LogLevel=ERROR")
	}
	cmd := exec.Command(bin, append(base, args...)...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + k.home, "TERM=xterm-256color"}, env...)
	return cmd
}

// screen is a virtual terminal fed with what a session writes. Its
// answers to terminal queries go back to the session, as a real
// terminal's would.
type screen struct {
	t       *testing.T
	mu      sync.Mutex
	emu     *vt.Emulator
	raw     bytes.Buffer
	drained chan struct{} // closed when the output has ended and all of it is on the screen
}

func newScreen(t *testing.T, w, h int) *screen {
	return &screen{t: t, emu: vt.NewEmulator(w, h), drained: make(chan struct{})}
}

// pump copies r (the session's output) into the terminal until it ends;
// the terminal's answers go to reply.
func (s *screen) pump(r io.Reader, reply io.Writer) {
	defer close(s.drained)
	go func() { _, _ = io.Copy(reply, s.emu) }()
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			s.mu.Lock()
			s.raw.Write(buf[:n])
			_, _ = s.emu.Write(buf[:n])
			s.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.String()
}

func (s *screen) rawOutput() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw.String()
}

// waitFor waits until the screen shows all of texts, and returns it.
func (s *screen) waitFor(texts ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		scr := s.text()
		flat := strings.Join(strings.Fields(scr), " ") // a text may wrap
		ok := true
		for _, text := range texts {
			if !strings.Contains(scr, text) && !strings.Contains(flat, strings.Join(strings.Fields(text), " ")) {
				ok = false
				break
			}
		}
		if ok {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q; it shows:\n%s", texts, scr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitAny waits until the screen shows one of texts and says which.
func (s *screen) waitAny(texts ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		scr := s.text()
		for _, text := range texts {
			if strings.Contains(scr, text) {
				return text
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed any of %q; it shows:\n%s", texts, scr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// term is the OpenSSH client running in a pseudo-terminal.
type term struct {
	*screen
	cmd    *exec.Cmd
	ptmx   *os.File // our side
	tty    *os.File // ssh's side, kept open here too (see openTerm)
	exited chan struct{}
	status int
}

// openTerm starts `ssh -tt ... localhost` in an 80x24 pseudo-terminal.
//
// The test keeps the terminal's other side open while ssh runs and until
// its output has been read: when the last holder of that side closes it,
// Linux may fail reads with EIO before the last output ssh wrote has come
// through, and the test would miss ssh's last screen.
func (k *kioskUnderTest) openTerm(t *testing.T, env []string, args ...string) *term {
	t.Helper()
	cmd := k.sshCommand(t, env, append([]string{"-tt"}, append(args, "localhost")...)...)
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open a pty: %v", err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: 80, Rows: 24}); err != nil {
		t.Fatal(err)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start ssh: %v", err)
	}
	tm := &term{screen: newScreen(t, 80, 24), cmd: cmd, ptmx: ptmx, tty: tty, exited: make(chan struct{})}
	go tm.pump(ptmx, ptmx)
	go func() {
		_ = cmd.Wait()
		tm.status = cmd.ProcessState.ExitCode()
		close(tm.exited)
		// ssh is gone and wrote all it will: once its output stops coming,
		// close our copy of its side, which ends pump.
		for last := -1; ; {
			time.Sleep(100 * time.Millisecond)
			n := len(tm.rawOutput())
			if n == last {
				break
			}
			last = n
		}
		tty.Close()
	}()
	t.Cleanup(func() {
		select {
		case <-tm.exited:
		default:
			_ = cmd.Process.Kill()
			<-tm.exited
		}
		<-tm.drained
		ptmx.Close()
	})
	return tm
}

// send types s (keys as the terminal sends them: "\r" is Enter).
func (tm *term) send(s string) {
	tm.t.Helper()
	if _, err := tm.ptmx.Write([]byte(s)); err != nil {
		tm.t.Fatalf("type: %v", err)
	}
}

// typeSlowly types s one key at a time, as a person would.
func (tm *term) typeSlowly(s string) {
	for _, r := range s {
		tm.send(string(r))
		time.Sleep(2 * time.Millisecond)
	}
}

// wait waits for ssh to end and its last output to reach the screen, and
// returns its exit status.
func (tm *term) wait() int {
	tm.t.Helper()
	timeout := time.After(waitLimit)
	select {
	case <-tm.exited:
	case <-timeout:
		tm.t.Fatalf("ssh did not end; the screen shows:\n%s", tm.text())
	}
	select {
	case <-tm.drained:
	case <-timeout:
		tm.t.Fatalf("ssh's output did not end; the screen shows:\n%s", tm.text())
	}
	return tm.status
}

// goSession is a session of the Go SSH client with a pseudo-terminal.
type goSession struct {
	*screen
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser
	done   chan error
}

func goConfig(auth ...gossh.AuthMethod) *gossh.ClientConfig {
	return &gossh.ClientConfig{User: "customer", Auth: auth, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second}
}

// openGo connects with the Go client and starts a shell in an 80x24 pty.
func (k *kioskUnderTest) openGo(t *testing.T, env map[string]string, auth ...gossh.AuthMethod) (*goSession, error) {
	client, err := gossh.Dial("tcp", k.addr, goConfig(auth...))
	if err != nil {
		return nil, err
	}
	sess, err := client.NewSession()
	if err != nil {
		client.Close()
		return nil, err
	}
	for key, v := range env {
		if err := sess.Setenv(key, v); err != nil {
			client.Close()
			return nil, fmt.Errorf("setenv %s: %w", key, err)
		}
	}
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		client.Close()
		return nil, err
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		client.Close()
		return nil, err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		client.Close()
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		client.Close()
		return nil, err
	}
	g := &goSession{screen: newScreen(t, 80, 24), client: client, sess: sess, stdin: stdin, done: make(chan error, 1)}
	go g.pump(stdout, stdin)
	go func() { g.done <- sess.Wait() }()
	t.Cleanup(func() { client.Close() })
	return g, nil
}

func (g *goSession) send(s string) {
	_, _ = g.stdin.Write([]byte(s))
}

// wait waits for the session to end and returns its exit status.
func (g *goSession) wait() (int, error) {
	select {
	case err := <-g.done:
		select {
		case <-g.drained:
		case <-time.After(waitLimit):
		}
		if err == nil {
			return 0, nil
		}
		if ee, ok := err.(*gossh.ExitError); ok {
			return ee.ExitStatus(), nil
		}
		return -1, err
	case <-time.After(waitLimit):
		return -1, fmt.Errorf("the session did not end")
	}
}

// colourSGR finds colour in SGR sequences: foreground, background or
// underline colour parameters (30–38, 40–48, 58, 90–97, 100–107).
var sgrRe = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

func colourCodes(out string) int {
	n := 0
	for _, m := range sgrRe.FindAllStringSubmatch(out, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			v, err := strconv.Atoi(p)
			if err != nil {
				continue
			}
			if (v >= 30 && v <= 38) || (v >= 40 && v <= 48) || v == 58 || (v >= 90 && v <= 97) || (v >= 100 && v <= 107) {
				n++
				break
			}
		}
	}
	return n
}

// totp is an independent RFC 6238 code (HMAC-SHA1, 6 digits, 30 s) for
// a base32 seed.
func totp(t *testing.T, seed string, now time.Time) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(seed))
	if err != nil {
		t.Fatalf("decode the seed: %v", err)
	}
	var counter [8]byte
	binary.BigEndian.PutUint64(counter[:], uint64(now.Unix()/30))
	m := hmac.New(sha1.New, key)
	m.Write(counter[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1_000_000)
}

var groupsRe = regexp.MustCompile(`^[A-Z2-7]{1,4}( [A-Z2-7]{1,4})*$`)

// seedOnScreen reads the key shown "to type by hand" (in groups of four,
// possibly over several lines, beside the QR code).
func seedOnScreen(t *testing.T, scr string) string {
	t.Helper()
	const label = "Key to type by hand"
	lines := strings.Split(scr, "\n")
	for i, l := range lines {
		col := strings.Index(l, label)
		if col < 0 {
			continue
		}
		runeCol := len([]rune(l[:col]))
		var seed strings.Builder
		for _, next := range lines[i+1:] {
			r := []rune(next)
			if len(r) <= runeCol {
				break
			}
			part := strings.TrimSpace(string(r[runeCol:]))
			if !groupsRe.MatchString(part) {
				break
			}
			seed.WriteString(strings.ReplaceAll(part, " ", ""))
		}
		if seed.Len() < 16 {
			t.Fatalf("no key under %q:\n%s", label, scr)
		}
		return seed.String()
	}
	t.Fatalf("no %q on screen:\n%s", label, scr)
	return ""
}
