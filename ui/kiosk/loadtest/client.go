package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// A customer's session as the benchmark drives it: the Go SSH client
// with an 80x24 terminal and LANG, the access code typed on the first
// screen, then the wizard.

const (
	cols, rows = 80, 24
	termType   = "xterm-256color"
	clientLang = "en_US.UTF-8"
)

// What the screens show (the kiosk's English).
var (
	codeScreen   = []string{"Access code", "Type it below and press Enter"}
	wizardScreen = []string{"Press Enter to start"} // Step 0, the wizard's first screen
	fieldScreen  = []string{"Web sites to check"}   // Step 1: a field with the demo site's address
)

// demoSiteRe finds the demo site's address in Step 1's field, with what
// was typed after it.
var demoSiteRe = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+/[a-z]*`)

// customer is one SSH session.
type customer struct {
	client *gossh.Client
	sess   *gossh.Session
	in     *lockedWriter
	scr    *screen
}

// lockedWriter lets the keystrokes and the terminal's answers share the
// session's input.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// errEnded: the session ended before the screen showed what was awaited.
var errEnded = errors.New("the session ended")

// connect opens an SSH session to addr with a terminal and a shell:
// what `ssh -t` does. from is the client's own address (nil: any).
func connect(ctx context.Context, addr string, from net.IP) (*customer, error) {
	d := net.Dialer{}
	if from != nil {
		d.LocalAddr = &net.TCPAddr{IP: from}
	}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	// The handshake has the time the kiosk gives it (20 s), and more.
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	cfg := &gossh.ClientConfig{User: "customer", HostKeyCallback: gossh.InsecureIgnoreHostKey()}
	cc, chans, reqs, err := gossh.NewClientConn(conn, addr, cfg)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("SSH handshake: %w", err)
	}
	_ = conn.SetDeadline(time.Time{})
	c := &customer{client: gossh.NewClient(cc, chans, reqs), scr: newScreen(cols, rows)}
	if err := c.open(); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *customer) open() error {
	var err error
	if c.sess, err = c.client.NewSession(); err != nil {
		return fmt.Errorf("open a session: %w", err)
	}
	if err := c.sess.Setenv("LANG", clientLang); err != nil {
		return fmt.Errorf("send LANG: %w", err)
	}
	if err := c.sess.RequestPty(termType, rows, cols, gossh.TerminalModes{}); err != nil {
		return fmt.Errorf("ask for a terminal: %w", err)
	}
	stdin, err := c.sess.StdinPipe()
	if err != nil {
		return fmt.Errorf("session input: %w", err)
	}
	stdout, err := c.sess.StdoutPipe()
	if err != nil {
		return fmt.Errorf("session output: %w", err)
	}
	if err := c.sess.Shell(); err != nil {
		return fmt.Errorf("start the shell: %w", err)
	}
	c.in = &lockedWriter{w: stdin}
	go c.scr.pump(stdout, c.in)
	return nil
}

func (c *customer) close() {
	if c.client != nil {
		_ = c.client.Close()
	}
}

// send types keys (as a terminal sends them: "\r" is Enter).
func (c *customer) send(keys string) error {
	if _, err := io.WriteString(c.in, keys); err != nil {
		return fmt.Errorf("type: %w", err)
	}
	return nil
}

// await waits until the screen meets cond, and returns when the output
// that met it arrived.
func (c *customer) await(ctx context.Context, ch <-chan arrival, limit time.Duration) (time.Time, error) {
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case a := <-ch:
		if a.ended {
			return a.at, errEnded
		}
		return a.at, nil
	case <-t.C:
		c.scr.disarm()
		return time.Time{}, fmt.Errorf("not on screen after %s", limit)
	case <-ctx.Done():
		c.scr.disarm()
		return time.Time{}, ctx.Err()
	}
}

// waitFor waits until the screen shows every one of texts.
func (c *customer) waitFor(ctx context.Context, limit time.Duration, texts ...string) (time.Time, error) {
	return c.await(ctx, c.scr.expect(showing(texts...)), limit)
}

// admission is how long a customer took to get in: to the access code
// screen (connection, SSH, the first screen), then from the code typed
// to the wizard (checking the code, preparing the recovery).
type admission struct{ codeScreen, wizard time.Duration }

func (a admission) total() time.Duration { return a.codeScreen + a.wizard }

// admit is a customer arriving: connect, wait for the access code
// screen, type the code, and wait for the wizard's first screen. It
// returns the session and how long all that took.
func admit(ctx context.Context, addr string, from net.IP, code string, limit time.Duration) (*customer, admission, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	start := time.Now()
	c, err := connect(ctx, addr, from)
	if err != nil {
		return nil, admission{}, err
	}
	fail := func(what string, err error) (*customer, admission, error) {
		words := lastWords(c.scr.text())
		c.close()
		if words != "" {
			return nil, admission{}, fmt.Errorf("%s: %w; the screen said: %s", what, err, words)
		}
		return nil, admission{}, fmt.Errorf("%s: %w", what, err)
	}
	shown, err := c.waitFor(ctx, limit, codeScreen...)
	if err != nil {
		return fail("the access code screen", err)
	}
	ready := c.scr.expect(showing(wizardScreen...))
	typed := time.Now()
	if err := c.send(code + "\r"); err != nil {
		return fail("the access code", err)
	}
	at, err := c.await(ctx, ready, limit)
	if err != nil {
		return fail("the wizard", err)
	}
	return c, admission{codeScreen: shown.Sub(start), wizard: at.Sub(typed)}, nil
}

// clientAddress is the address customer i connects from, among n: each
// its own on loopback (127.0.0.2, 127.0.0.3, ..., all of 127.0.0.0/8
// reaches the kiosk on Linux), as customers come from their own lines.
// nil when the kiosk is not on loopback, or n is 0 (the system picks).
func clientAddress(target string, i, n int) net.IP {
	host, _, err := net.SplitHostPort(target)
	ip := net.ParseIP(host)
	if err != nil || ip == nil || ip.To4() == nil || !ip.IsLoopback() || n <= 0 {
		return nil
	}
	k := uint32(2 + i%n) // 127.0.0.1 is the kiosk's own
	return net.IPv4(127, byte(k>>16), byte(k>>8), byte(k))
}

// field is Step 1's field as the keystrokes leave it: the demo site's
// address, then what was typed.
type field struct {
	base     string
	typed    string
	deleting bool
}

// fieldShows is the condition "the field shows exactly value".
func fieldShows(value string) func(string) bool {
	return func(scr string) bool {
		for _, m := range demoSiteRe.FindAllString(scr, -1) {
			if m == value {
				return true
			}
		}
		return false
	}
}

// maxTyped keeps what is typed short enough for the field to show it
// whole.
const maxTyped = 8

// next is the key that changes the field, and what it then shows: letters
// up to maxTyped, then backspaces down to the address, and again.
func (f *field) next() (key, want string) {
	switch {
	case len(f.typed) >= maxTyped:
		f.deleting = true
	case f.typed == "":
		f.deleting = false
	}
	if f.deleting {
		f.typed = f.typed[:len(f.typed)-1]
		return "\x7f", f.base + f.typed
	}
	f.typed += string(rune('a' + len(f.typed)))
	return f.typed[len(f.typed)-1:], f.base + f.typed
}

// toField goes from the wizard's first screen to Step 1 and reads the
// field's address.
func (c *customer) toField(ctx context.Context, limit time.Duration) (*field, error) {
	ready := c.scr.expect(showing(fieldScreen...))
	if err := c.send("\r"); err != nil {
		return nil, err
	}
	if _, err := c.await(ctx, ready, limit); err != nil {
		return nil, fmt.Errorf("step 1: %w; the screen shows: %s", err, lastWords(c.scr.text()))
	}
	// The field may fill in a moment after the screen's title.
	if _, err := c.await(ctx, c.scr.expect(func(s string) bool { return demoSiteRe.MatchString(s) }), limit); err != nil {
		return nil, fmt.Errorf("step 1's field: %w", err)
	}
	base := demoSiteRe.FindString(c.scr.text())
	if !strings.HasSuffix(base, "/") {
		return nil, fmt.Errorf("step 1's field shows %q, not the demo site's address alone", base)
	}
	return &field{base: base}, nil
}

// keystroke types key and returns how long the screen took to show want.
func (c *customer) keystroke(ctx context.Context, key, want string, limit time.Duration) (time.Duration, error) {
	shown := c.scr.expect(fieldShows(want))
	sent := time.Now()
	if err := c.send(key); err != nil {
		c.scr.disarm()
		return 0, err
	}
	at, err := c.await(ctx, shown, limit)
	if err != nil {
		return 0, fmt.Errorf("after a key, the field never showed %q: %w", want, err)
	}
	return at.Sub(sent), nil
}
