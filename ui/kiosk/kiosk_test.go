package kiosk

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/steps/access"
	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/steps/kioskstore"
)

var (
	hex32   = regexp.MustCompile(`\b[0-9a-f]{32}\b`)
	recCode = regexp.MustCompile(`\b[a-z2-7]{4}(?:-[a-z2-7]{4}){3}\b`)
)

// TestDemoRecoveryOverOpenSSH walks the whole demo recovery through the
// real OpenSSH client: the access code screen, the wizard for the demo
// account in presenting mode, all five steps; then checks the session
// left nothing on the server and the audit log verifies with no secret in
// it.
func TestDemoRecoveryOverOpenSSH(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // the sessions' folders land here
	k := startKiosk(t)
	code := k.issue(t)
	if _, ok := access.Normalize(code); !ok {
		t.Fatalf("issue-code's last line %q is not a code", code)
	}

	tm := k.openTerm(t, nil)
	tm.waitFor("Access code", "ABCD-EFGH-JKMN", "ctrl+c quit")
	// Ctrl+Z suspends nothing: like Ctrl+C, it asks.
	tm.send("\x1a")
	tm.waitFor("Quit mjrecover now?", "Nothing has started yet")
	tm.send("n")
	tm.waitFor("Access code")
	tm.typeSlowly(code)
	tm.send("\r")

	// The wizard, for the account the code was issued for.
	tm.waitFor("Press Enter to start", sandbox.DemoEmail, "presenting: secrets hidden")
	if dirs, _ := filepath.Glob(filepath.Join(tmp, "mjrecover-kiosk-*")); len(dirs) != 1 {
		t.Fatalf("session folders while the session runs: %v", dirs)
	}
	tm.send("\x1a")
	tm.waitFor("Quit mjrecover now?")
	tm.send("n")
	tm.waitFor("Press Enter to start")
	tm.send("\r")

	// Step 1: the kiosk cannot read the customer's server: it checks the
	// demo shop's web site from the outside.
	tm.waitFor("Step 1 of 5", "Web sites to check", "http://127.0.0.1:")
	tm.send("\r")
	tm.waitFor("CRITICAL", "your account's key")
	tm.send("\r")

	// Step 2: rotate, then look at the new secrets (presenting mode asks).
	tm.waitFor("Step 2 of 5", "Leaked")
	tm.send("\r")
	tm.waitFor("Rotate the keys now?")
	tm.send("y")
	tm.waitFor("Your new keys are ready.", "Secret key ****", "Show them (r)")
	tm.send("\r") // not without them
	tm.waitFor("First show the new keys (r)")
	tm.send("r")
	tm.waitFor("Show it now?")
	tm.send("y")
	scr := tm.waitFor("Your keys are rotated.", "Master key  checked")
	var newSecrets []string
	for _, line := range strings.Split(scr, "\n") {
		if strings.Contains(line, "Secret key") {
			newSecrets = append(newSecrets, hex32.FindAllString(line, -1)...)
		}
	}
	// The Shop's replacement and the master: the unused Newsletter key
	// is switched off with no replacement.
	if len(newSecrets) != 2 || !strings.Contains(scr, "Newsletter: switched off, with no replacement") {
		t.Fatalf("new secrets on screen after revealing: %q\n%s", newSecrets, scr)
	}
	tm.send("\r")

	// Step 3.
	tm.waitFor("Step 3 of 5", "New password")
	const password = "walnut tidal prism eleven 47!"
	tm.typeSlowly(password)
	tm.send("\t")
	tm.typeSlowly(password)
	tm.send("\r")
	tm.waitFor("Your password is changed.")
	tm.send("\r")

	// Step 4: the key to type by hand (after confirming no one watches),
	// answered with an independent TOTP.
	tm.waitFor("Step 4 of 5", "Press Enter")
	tm.send("\r")
	tm.waitFor("the QR code is hidden")
	tm.send("\x12") // ctrl+r
	tm.waitFor("Show it now?")
	tm.send("y")
	seed := seedOnScreen(t, tm.waitFor("Key to type by hand"))
	tm.typeSlowly(totp(t, seed, time.Now()))
	tm.send("\r")
	tm.waitFor("recovery codes")
	tm.send("r")
	tm.waitFor("Show it now?")
	tm.send("y")
	var codes []string
	for deadline := time.Now().Add(waitLimit); len(codes) != 10; {
		if time.Now().After(deadline) {
			t.Fatalf("recovery codes on screen: %q\n%s", codes, tm.text())
		}
		time.Sleep(20 * time.Millisecond)
		codes = recCode.FindAllString(tm.text(), -1)
	}
	tm.send("w")
	tm.waitFor("Done? y / n")
	tm.send("y")
	tm.waitFor("Keep the paper away")
	tm.send("\r")

	// Step 5: the account review, then the report goes to support; Enter
	// ends the session.
	tm.waitFor("Step 5 of 5", "What else an attacker may have left", "collect.mailstat-cdn.example")
	tm.send("\r")
	tm.waitFor("still in place", "y / n")
	tm.send("y")
	tm.waitFor("This is the report for Mailjet support.")
	tm.send("\r")
	tm.waitFor("Step 5 of 5", "ticket MJR-")
	tm.send("\r")
	if status := tm.wait(); status != 0 {
		t.Errorf("ssh ended with status %d, want 0; screen:\n%s", status, tm.text())
	}
	if !strings.Contains(tm.text(), "Your recovery is done.") {
		t.Errorf("no last word after the recovery:\n%s", tm.text())
	}

	// Nothing of the session stays on the server.
	deadline := time.Now().Add(5 * time.Second)
	for {
		dirs, _ := filepath.Glob(filepath.Join(tmp, "mjrecover-kiosk-*"))
		if len(dirs) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("session folders left: %v", dirs)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// The audit chain: intact, every step there, no secret.
	k.stop() // writes what is queued
	rep, err := audit.VerifyChain(context.Background(), openStore(t, k.store).AuditChain())
	if err != nil || !rep.Anchored {
		t.Fatalf("verify the audit chain: %+v, %v", rep, err)
	}
	n := rep.Lines
	log := string(bytes.Join(auditLines(t, k.store), []byte("\n")))
	for _, want := range []string{`"event":"code-issued"`, `"event":"code-accepted"`, `"step":"Investigate"`,
		`"step":"Rotate API keys"`, `"step":"New password"`, `"step":"Two-factor authentication"`,
		`"step":"Contact support"`, `"result":"finished"`, `"account":"` + sandbox.DemoEmail + `"`} {
		if !strings.Contains(log, want) {
			t.Errorf("the audit log (%d lines) lacks %s:\n%s", n, want, log)
		}
	}
	plainCode, _ := access.Normalize(code)
	secrets := append([]string{sandbox.DemoMasterSecret, sandbox.DemoShopSecret, sandbox.DemoNewsletterSecret,
		password, seed, code, plainCode}, newSecrets...)
	secrets = append(secrets, codes...)
	for _, s := range secrets {
		if strings.Contains(log, s) || strings.Contains(strings.ToUpper(log), strings.ToUpper(s)) {
			t.Errorf("the audit log holds a secret (…%s)", s[len(s)-4:])
		}
	}
	// The store (the default SQLite file in the state folder) is private
	// and holds no secret either.
	db := filepath.Join(k.stateDir, "state.db")
	if info, err := os.Stat(db); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the store %s: %v, want mode 0600", db, err)
	}
	for _, f := range []string{db, db + "-wal"} {
		data, _ := os.ReadFile(f)
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds a secret (…%s)", f, s[len(s)-4:])
			}
		}
	}
	// And the command that verifies it says so.
	var out, errb bytes.Buffer
	if status := Run(context.Background(), []string{"verify-audit", "--state-dir", k.stateDir}, &out, &errb); status != 0 ||
		!strings.Contains(out.String(), "intact, "+fmt.Sprint(n)+" lines") {
		t.Errorf("verify-audit: status %d, %s%s", status, out.String(), errb.String())
	}
}

// TestCodeTiesTheSessionToItsAccount: a code issued for another account
// opens a wizard that refuses the demo account's keys.
func TestCodeTiesTheSessionToItsAccount(t *testing.T) {
	k := startKiosk(t)
	code := k.issue(t, "--account", "someone.else@example.com")
	tm := k.openTerm(t, nil)
	tm.waitFor("Access code")
	tm.typeSlowly(code)
	tm.send("\r")
	tm.waitFor("Press Enter to start")
	tm.send("\r")
	tm.waitFor("another Mailjet account", "someone.else@example.com")
	if strings.Contains(tm.text(), "Step 1 of 5") {
		t.Fatal("the wizard went on with another account's keys")
	}
}

// TestCommandsAreRefused: `ssh host command` runs nothing and fails; so do
// a subsystem (sftp) and a session without a terminal.
func TestCommandsAreRefused(t *testing.T) {
	k := startKiosk(t)
	marker := filepath.Join(t.TempDir(), "ran")
	for _, args := range [][]string{
		{"localhost", "touch " + marker},
		{"-tt", "localhost", "touch " + marker},
		{"localhost", "sh", "-c", "'touch " + marker + "'"},
	} {
		var stderr bytes.Buffer
		cmd := k.sshCommand(t, nil, args...)
		cmd.Stderr = &stderr
		cmd.Stdin = strings.NewReader("")
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() == 0 {
			t.Errorf("ssh %q: %v, want a non-zero exit", args, err)
		}
		out := stderr.String()
		if !strings.Contains(out, "commands are refused") {
			t.Errorf("ssh %q said %q, want a refusal", args, out)
		}
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a command ran: %v", err)
	}

	cmd := k.sshCommand(t, nil, "-s", "localhost", "sftp")
	cmd.Stdin = strings.NewReader("")
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("the sftp subsystem was accepted: %s", out)
	}
	cmd = k.sshCommand(t, nil, "-T", "localhost")
	cmd.Stdin = strings.NewReader("")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "PTY") {
		t.Errorf("a session without a terminal: %v %s", err, out)
	}
}

// TestForwardingIsRefused: -R fails at once with ExitOnForwardFailure, and
// a -L connection is refused by the server (nothing reaches the target).
func TestForwardingIsRefused(t *testing.T) {
	k := startKiosk(t)
	target, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	reached := make(chan struct{}, 1)
	go func() {
		if c, err := target.Accept(); err == nil {
			reached <- struct{}{}
			c.Close()
		}
	}()

	// Remote forwarding.
	var stderr bytes.Buffer
	cmd := k.sshCommand(t, nil, "-N", "-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:0:"+target.Addr().String(), "localhost")
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	if err == nil || !strings.Contains(stderr.String(), "forwarding failed") || time.Since(start) > 15*time.Second {
		t.Errorf("-R: %v after %s, stderr %q; want a failure", err, time.Since(start), stderr.String())
	}

	// Local forwarding: ssh listens locally, the server refuses the channel.
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	local := free.Addr().String()
	free.Close()
	var lstderr syncBuffer
	cmd = k.sshCommand(t, nil, "-N", "-o", "LogLevel=INFO", "-o", "ExitOnForwardFailure=yes", "-L", local+":"+target.Addr().String(), "localhost")
	cmd.Stderr = &lstderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	var conn net.Conn
	for deadline := time.Now().Add(waitLimit); ; {
		if conn, err = net.Dial("tcp", local); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ssh -L never listened: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	conn.SetReadDeadline(time.Now().Add(waitLimit))
	if n, err := conn.Read(make([]byte, 16)); n != 0 || err == nil {
		t.Errorf("the forwarded connection read %d bytes, %v; want it closed", n, err)
	}
	conn.Close()
	select {
	case <-reached:
		t.Error("a forwarded connection reached the target")
	case <-time.After(300 * time.Millisecond):
	}
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(lstderr.String(), "open failed"); {
		if time.Now().After(deadline) {
			t.Errorf("ssh -L said %q, want the channel refused", lstderr.String())
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestProtocolRequestsAreRefused checks with the Go client what OpenSSH
// does not show: agent and X11 forwarding, environment variables other
// than TERM, LANG and NO_COLOR, forwarding channels and global requests,
// and a second session on one connection.
func TestProtocolRequestsAreRefused(t *testing.T) {
	k := startKiosk(t)
	client, err := gossh.Dial("tcp", k.addr, goConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := sess.SendRequest("auth-agent-req@openssh.com", true, nil); ok || err != nil {
		t.Errorf("agent forwarding: ok %v, %v", ok, err)
	}
	x11 := gossh.Marshal(struct {
		Single        bool
		Proto, Cookie string
		Screen        uint32
	}{false, "MIT-MAGIC-COOKIE-1", "00112233445566778899aabbccddeeff", 0})
	if ok, err := sess.SendRequest("x11-req", true, x11); ok || err != nil {
		t.Errorf("X11 forwarding: ok %v, %v", ok, err)
	}
	for _, name := range []string{"LD_PRELOAD", "PATH", "EDITOR", "PAGER", "BROWSER", "SHELL"} {
		if err := sess.Setenv(name, "/tmp/x"); err == nil {
			t.Errorf("the server took %s from the client", name)
		}
	}
	for _, name := range []string{"LANG", "NO_COLOR", "TERM"} {
		if err := sess.Setenv(name, "1"); err != nil {
			t.Errorf("the server refused %s: %v", name, err)
		}
	}
	if _, _, err := client.OpenChannel("direct-tcpip", gossh.Marshal(struct {
		Host     string
		Port     uint32
		OrigHost string
		OrigPort uint32
	}{"127.0.0.1", 22, "127.0.0.1", 5000})); err == nil {
		t.Error("a direct-tcpip channel opened")
	}
	if ok, _, err := client.SendRequest("tcpip-forward", true, gossh.Marshal(struct {
		Host string
		Port uint32
	}{"127.0.0.1", 0})); ok || err != nil {
		t.Errorf("tcpip-forward: ok %v, %v", ok, err)
	}
	if _, err := client.NewSession(); err == nil {
		t.Error("a second session opened on one connection")
	}

	// A window of 100000x100000 is drawn at most 500x200: the session
	// works, and the server does not try to fill ten billion cells.
	big, err := gossh.Dial("tcp", k.addr, goConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer big.Close()
	bs, err := big.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	bs.Stdout = &out
	if err := bs.RequestPty("xterm", 100000, 100000, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := bs.Shell(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(waitLimit); !strings.Contains(out.String(), "Access code"); {
		if time.Now().After(deadline) {
			t.Fatalf("a huge window: %d bytes, no access code screen", len(out.String()))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWrongCodesAreSlowedDown types three wrong codes: the answer to
// each waits twice as long as the one before (the waits asked for are
// recorded, not measured); the right code still works after them, and the
// refusals are in the audit log without the codes typed.
func TestWrongCodesAreSlowedDown(t *testing.T) {
	var mu sync.Mutex
	var waits []time.Duration
	srv := newTestServer(t, Options{WrongCodeDelay: 300 * time.Millisecond,
		Sleep: func(_ context.Context, d time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			waits = append(waits, d)
		}})
	issued, err := srv.store.IssueCode(context.Background(), sandbox.DemoEmail, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ks := &session{srv: srv, ip: "192.0.2.7", client: "192.0.2.7:4242", hash: "session", ctx: context.Background()}
	ks.ticket, _ = srv.admit.connect(ks.ip)
	ks.ticket.wait()
	g := newGate(srv, ks)
	for i, left := range []string{"4 tries left", "3 tries left", "2 tries left"} {
		msg := g.check(fmt.Sprintf("ABCD-EFGH-JKM%d", i))()
		g.Update(msg)
		if !strings.Contains(g.View(), left) {
			t.Fatalf("after wrong code %d:\n%s", i+1, g.View())
		}
	}
	base := 300 * time.Millisecond
	if len(waits) != 3 || waits[0] != base || waits[1] != 2*base || waits[2] != 4*base {
		t.Errorf("waits before the answers: %v, want %v, %v, %v", waits, base, 2*base, 4*base)
	}
	if msg, ok := g.check(issued.Code)().(checkedMsg); !ok || msg.grant == nil {
		t.Fatalf("the right code after three wrong ones: %+v", msg)
	}
	srv.audit.Close()
	data, _ := json.Marshal(auditEntries(t, srv.store.String()))
	if got := strings.Count(string(data), `"event":"code-refused"`); got != 3 {
		t.Errorf("%d refusals in the audit log, want 3", got)
	}
	if strings.Contains(string(data), "ABCD") {
		t.Error("the audit log holds a typed code")
	}
}

// TestLastWrongCodeEndsTheSession: a session gets --code-tries tries,
// and a code open in another session is refused, without a try counted.
func TestLastWrongCodeEndsTheSession(t *testing.T) {
	k := startKiosk(t, "--wrong-code-delay", "10ms", "--code-tries", "2")
	code := k.issue(t)
	first := k.openTerm(t, nil)
	first.waitFor("Access code")
	first.typeSlowly(code)
	first.send("\r")
	first.waitFor("Press Enter to start")

	tm := k.openTerm(t, nil)
	tm.waitFor("Access code")
	tm.typeSlowly(code)
	tm.send("\r")
	tm.waitFor("open in another session")
	tm.typeSlowly("ZZZZ-ZZZZ-ZZZZ")
	tm.send("\r")
	tm.waitFor("1 try left")
	tm.typeSlowly("ZZZZ-ZZZZ-ZZZY")
	tm.send("\r")
	tm.waitFor("That was the last try")
	tm.send("\r") // closes at once instead of after the pause
	if status := tm.wait(); status == 0 {
		t.Error("ssh ended with status 0 after too many wrong codes")
	}
}

// TestTwentySessionsAtOnce opens 20 sessions with the Go client, each
// past its code into the wizard, all at the same time; a 21st is told the
// kiosk is full.
func TestTwentySessionsAtOnce(t *testing.T) {
	const n = 20
	k := startKiosk(t, "--max-sessions", "20", "--max-waiting", "20", "--waiting-per-address", "20", "--rate", "600", "--rate-burst", "50")
	codes := make([]string, n)
	for i := range codes {
		codes[i] = k.issue(t)
	}
	sessions := make([]*goSession, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			g, err := k.openGo(t, nil)
			if err != nil {
				errs <- err
				return
			}
			sessions[i] = g
			if err := waitScreen(g.screen, "Access code"); err != nil {
				errs <- err
				return
			}
			g.send(codes[i] + "\r")
			if err := waitScreen(g.screen, "Press Enter to start"); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("a session failed: %v", err)
	}
	t.Logf("%d sessions reached the wizard in %v", n, time.Since(start))

	// All 20 are open: a 21st is told the kiosk is full.
	extra, err := k.openGo(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := waitScreen(extra.screen, "kiosk is full"); err != nil {
		t.Fatal(err)
	}
	if status, err := extra.wait(); err != nil || status == 0 {
		t.Errorf("the 21st session ended with %d, %v", status, err)
	}

	// Each session still answers on its own.
	for _, g := range sessions {
		g.send("\x03")
	}
	for i, g := range sessions {
		if err := waitScreen(g.screen, "Quit mjrecover now?"); err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		g.send("y")
	}
	for i, g := range sessions {
		if status, err := g.wait(); err != nil || status != 130 {
			t.Errorf("session %d ended with %d, %v; want 130 (left)", i, status, err)
		}
	}
}

// waitScreen is screen.waitFor for goroutines: an error, not a Fatal.
func waitScreen(s *screen, text string) error {
	deadline := time.Now().Add(waitLimit)
	for !strings.Contains(s.text(), text) {
		if time.Now().After(deadline) {
			return errors.New("the screen never showed " + text + "; it shows:\n" + s.text())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

// TestRateLimitPerAddress: beyond the burst, a new session from the same
// address is turned away with a message, and an audit line.
func TestRateLimitPerAddress(t *testing.T) {
	k := startKiosk(t, "--rate", "1", "--rate-burst", "2")
	for i := range 2 {
		g, err := k.openGo(t, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := waitScreen(g.screen, "Access code"); err != nil {
			t.Fatalf("session %d: %v", i+1, err)
		}
	}
	g, err := k.openGo(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := waitScreen(g.screen, "Too many connections from your address"); err != nil {
		t.Fatal(err)
	}
	k.stop()
	var refused []audit.Entry
	for _, e := range auditEntries(t, k.store) {
		if e.Event == audit.EventRefused {
			refused = append(refused, e)
		}
	}
	if len(refused) != 1 || refused[0].Client != "127.0.0.1" || refused[0].Count != 1 || refused[0].Result != "rate limit" {
		t.Errorf("refusal lines: %+v", refused)
	}
}

// TestIdleSessionEndsWhileTheScreenTicks: the wizard's warning counts
// down on screen (a redraw every tick), yet the session ends at the idle
// limit after the last key press: screen updates do not keep it alive.
// The access code screen ends the same way.
func TestIdleSessionEndsWhileTheScreenTicks(t *testing.T) {
	const warn, limit = time.Second, 3 * time.Second
	k := startKiosk(t, "--idle-warn", warn.String(), "--idle-limit", limit.String(), "--max-session", "1m")
	code := k.issue(t)

	tm := k.openTerm(t, nil)
	tm.waitFor("Access code")
	tm.typeSlowly(code)
	tm.send("\r")
	tm.waitFor("Press Enter to start")
	lastKey := time.Now()
	tm.send("\r")
	tm.waitFor("Web sites to check")
	tm.waitFor("this session ends in")
	before := len(tm.rawOutput())
	status := tm.wait()
	idle := time.Since(lastKey)
	if idle < limit || idle > limit+3*time.Second {
		t.Errorf("the session ended %v after the last key; the limit is %v", idle, limit)
	}
	if len(tm.rawOutput()) <= before {
		t.Error("the screen did not change while the warning was up")
	}
	if status == 0 || !strings.Contains(tm.text(), "no key was pressed") {
		raw := tm.rawOutput()
		t.Errorf("status %d; screen:\n%s\nlast output: %q", status, tm.text(), raw[max(0, len(raw)-600):])
	}

	// At the access code screen too.
	gate := k.openTerm(t, nil)
	gate.waitFor("Access code")
	start := time.Now()
	gate.waitFor("this session ends in")
	gate.wait()
	if idle := time.Since(start); idle < limit-500*time.Millisecond || idle > limit+3*time.Second {
		t.Errorf("the access code screen ended after %v; the limit is %v", idle, limit)
	}
	if !strings.Contains(gate.text(), "no key was pressed") {
		raw := gate.rawOutput()
		t.Errorf("no last word at the gate:\n%s\nlast output: %q", gate.text(), raw[max(0, len(raw)-600):])
	}
}

// TestNoColor: NO_COLOR sent by the client (any non-empty value, even
// "yes", which colorprofile reads as false) gives output without colour;
// without it, the same screens are coloured.
func TestNoColor(t *testing.T) {
	k := startKiosk(t)
	run := func(env []string, args ...string) string {
		code := k.issue(t)
		tm := k.openTerm(t, env, args...)
		tm.waitFor("Access code")
		tm.typeSlowly(code)
		tm.send("\r")
		tm.waitFor("Press Enter to start")
		tm.send("\x03")
		tm.waitFor("Quit mjrecover now?")
		tm.send("y")
		tm.wait()
		return tm.rawOutput()
	}
	if n := colourCodes(run(nil)); n == 0 {
		t.Error("no colour without NO_COLOR: the test would prove nothing")
	}
	for _, v := range []string{"1", "yes"} {
		if n := colourCodes(run([]string{"NO_COLOR=" + v}, "-o", "SendEnv=NO_COLOR")); n != 0 {
			t.Errorf("NO_COLOR=%s: %d colour codes in the output", v, n)
		}
	}
}

// TestAuthorizedKeys: with --authorized-keys, only a listed key gets in
// (and then still meets the access code screen).
func TestAuthorizedKeys(t *testing.T) {
	dir := t.TempDir()
	listed, other := newSigner(t), newSigner(t)
	path := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(path, gossh.MarshalAuthorizedKey(listed.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	k := startKiosk(t, "--authorized-keys", path)
	g, err := k.openGo(t, nil, gossh.PublicKeys(listed))
	if err != nil {
		t.Fatalf("the listed key: %v", err)
	}
	if err := waitScreen(g.screen, "Access code"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.openGo(t, nil, gossh.PublicKeys(other)); err == nil {
		t.Error("a key not listed got in")
	}
	if _, err := k.openGo(t, nil); err == nil {
		t.Error("a client without a key got in")
	}
}

func newSigner(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestHostKeyIsMadeOnceAndKeptPrivate: the first run makes an ed25519 key
// of mode 0600; the next run uses it; a key others can read is refused.
func TestHostKeyIsMadeOnceAndKeptPrivate(t *testing.T) {
	k := startKiosk(t)
	info, err := os.Stat(k.hostKey)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v, mode %v", err, info.Mode().Perm())
	}
	data, _ := os.ReadFile(k.hostKey)
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil || signer.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Fatalf("host key: %v", err)
	}
	if !strings.Contains(k.stderr.String(), "Made a new host key") || !strings.Contains(k.stderr.String(), gossh.FingerprintSHA256(signer.PublicKey())) {
		t.Errorf("first run said:\n%s", k.stderr.String())
	}
	k.stop()

	var errb syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"--demo", "--listen", "127.0.0.1:0", "--state-dir", k.stateDir}, &bytes.Buffer{}, &errb)
	}()
	for !strings.Contains(errb.String(), "Kiosk listening") {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if strings.Contains(errb.String(), "Made a new host key") || !strings.Contains(errb.String(), gossh.FingerprintSHA256(signer.PublicKey())) {
		t.Errorf("second run said:\n%s", errb.String())
	}

	if err := os.Chmod(k.hostKey, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	status := Run(context.Background(), []string{"--listen", "127.0.0.1:0", "--state-dir", k.stateDir}, &out, &errs)
	if status != 1 || !strings.Contains(errs.String(), "chmod 600") {
		t.Errorf("a readable host key: status %d, %s", status, errs.String())
	}
}

// TestIssueCodeAndVerifyAuditCommands: the code is the last line, only
// on stdout, and the store keeps its hash only; verify-audit names the
// first broken line of the store's chain, and of an older kiosk's log
// file.
func TestIssueCodeAndVerifyAuditCommands(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	if status, out := run("issue-code", "--state-dir", state); status != 2 {
		t.Errorf("issue-code without --account: status %d\n%s", status, out)
	}
	var out, errb bytes.Buffer
	if status := Run(context.Background(), []string{"issue-code", "--account", "bob@example.com", "--valid", "2h",
		"--state-dir", state}, &out, &errb); status != 0 {
		t.Fatalf("issue-code: %d %s", status, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	code := lines[len(lines)-1]
	if _, ok := access.Normalize(code); !ok || !strings.Contains(out.String(), "bob@example.com") {
		t.Fatalf("issue-code printed:\n%s", out.String())
	}
	url := kioskstore.URLIn(state)
	for _, f := range []string{filepath.Join(state, "state.db"), filepath.Join(state, "state.db-wal")} {
		data, _ := os.ReadFile(f)
		plain, _ := access.Normalize(code)
		if strings.Contains(string(data), code) || strings.Contains(string(data), plain) {
			t.Errorf("%s holds the code", f)
		}
	}
	// MJRECOVER_STORE names the store when --store does not.
	t.Setenv(EnvStore, url)
	if status, out := run("issue-code", "--account", "ann@example.com", "--state-dir", t.TempDir()); status != 0 {
		t.Fatalf("issue-code with %s: %d %s", EnvStore, status, out)
	}
	store := openStore(t, url)
	g, err := store.RedeemCode(context.Background(), code)
	if err != nil || g.Account != "bob@example.com" || time.Until(g.Expires) < 119*time.Minute {
		t.Fatalf("redeem: %+v %v", g, err)
	}
	if recs, _ := store.Codes(context.Background()); len(recs) != 2 || recs[1].Account != "ann@example.com" {
		t.Errorf("codes in the store: %+v", recs)
	}

	// Break the chain in the store: verify-audit names the line changed
	// (lines 1 and 2 are the codes issued; line 3 the first step).
	l := audit.OpenChain(store.AuditChain(), nil)
	for range 3 {
		if err := l.Append(context.Background(), audit.Entry{Event: audit.EventStep, Account: "bob@example.com", Result: "done"}); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	if status, out := run("verify-audit", "--state-dir", state); status != 0 || !strings.Contains(out, "intact, 5 lines.") ||
		!strings.Contains(out, "Anchored by its head (kept in the store with each line)") ||
		!strings.Contains(out, "Not signed: whoever can write to the store's database can rewrite the chain and its head.") {
		t.Errorf("verify-audit on the store: status %d, %s", status, out)
	}
	// The last line removed behind the kiosk's back: the head names it.
	db := sqliteDB(t, filepath.Join(state, "state.db"))
	if _, err := db.Exec(`DELETE FROM audit_lines WHERE seq = 5`); err != nil {
		t.Fatal(err)
	}
	if status, out := run("verify-audit", "--state-dir", state); status != 1 ||
		!strings.Contains(out, "BROKEN at line 5: missing: the log ends after line 4, but its head says 5 lines") {
		t.Errorf("verify-audit on a cut chain: status %d, %s", status, out)
	}
	// A line changed: the first broken line is named.
	if _, err := db.Exec(`UPDATE audit_lines SET line = CAST(REPLACE(CAST(line AS TEXT), '"result":"done"', '"result":"skipped"') AS BLOB) WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	if status, out := run("verify-audit", "--state-dir", state); status != 1 ||
		!strings.Contains(out, "BROKEN at line 3: changed: it does not match its own hash. Lines before it are intact.") {
		t.Errorf("verify-audit on a changed chain: status %d, %s", status, out)
	}

	// An older kiosk's log file: verify-audit FILE, against FILE.head.
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	fl, err := audit.Open(log, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := fl.Append(context.Background(), audit.Entry{Event: audit.EventStep, Account: "bob@example.com", Result: "done"}); err != nil {
			t.Fatal(err)
		}
	}
	fl.Close()
	data, _ := os.ReadFile(log)
	os.WriteFile(log, bytes.Replace(data, []byte(`"result":"done"`), []byte(`"result":"skipped"`), 1), 0o600)
	if status, out := run("verify-audit", log); status != 1 ||
		!strings.Contains(out, log+": BROKEN at line 1: changed: it does not match its own hash.") {
		t.Errorf("verify-audit on a changed log file: status %d, %s", status, out)
	}
}

// sqliteDB opens a store's SQLite file directly, as someone who wants to
// change it behind the kiosk's back would.
func sqliteDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// run is `mjrecover kiosk ARGS`: its status and what it printed.
func run(args ...string) (int, string) {
	var out, errb bytes.Buffer
	status := Run(context.Background(), args, &out, &errb)
	return status, out.String() + errb.String()
}

// TestSignAndVerifyAuditCommands: verify-audit says what it proves and
// what it cannot; sign-audit signs the head with the host key, and
// --signed refuses a head that is not signed, signed by another key, or
// forged to cover a cut log.
func TestSignAndVerifyAuditCommands(t *testing.T) {
	dir := t.TempDir()
	log, hostKey := filepath.Join(dir, "audit.jsonl"), filepath.Join(dir, "host_ed25519")
	if _, _, _, err := loadHostKey(hostKey); err != nil {
		t.Fatal(err)
	}
	l, err := audit.Open(log, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if err := l.Append(context.Background(), audit.Entry{Event: audit.EventStep, Result: "done"}); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()

	status, out := run("verify-audit", log)
	if status != 0 || !strings.Contains(out, "intact, 4 lines.") || !strings.Contains(out, "Anchored by its head") ||
		!strings.Contains(out, "Not signed: whoever can write both the log and its head can rewrite both.") {
		t.Errorf("verify-audit, not signed: %d\n%s", status, out)
	}
	if status, out := run("verify-audit", "--signed", "--host-key", hostKey, log); status != 1 || !strings.Contains(out, "NOT SIGNED") {
		t.Errorf("verify-audit --signed, not signed: %d\n%s", status, out)
	}
	if status, out := run("sign-audit", "--host-key", filepath.Join(dir, "none"), log); status != 1 || !strings.Contains(out, "host key") {
		t.Errorf("sign-audit without a host key: %d\n%s", status, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "none")); err == nil {
		t.Error("sign-audit made a host key")
	}
	data, _ := os.ReadFile(hostKey)
	signer, _ := gossh.ParsePrivateKey(data)
	fp := gossh.FingerprintSHA256(signer.PublicKey())
	if status, out := run("sign-audit", "--host-key", hostKey, log); status != 0 || !strings.Contains(out, "signed up to line 4 with host key "+fp) {
		t.Fatalf("sign-audit: %d\n%s", status, out)
	}
	pub := filepath.Join(dir, "host.pub")
	os.WriteFile(pub, gossh.MarshalAuthorizedKey(signer.PublicKey()), 0o644)
	for _, how := range [][]string{{"--host-key", hostKey}, {"--host-key", pub}, {"--fingerprint", fp}} {
		args := append(append([]string{"verify-audit", "--signed"}, how...), log)
		if status, out := run(args...); status != 0 || !strings.Contains(out, "Signed up to line 4 by host key "+fp) ||
			!strings.Contains(out, "That is the kiosk's host key") {
			t.Errorf("verify-audit --signed %v: %d\n%s", how, status, out)
		}
	}
	if status, out := run("verify-audit", "--signed", "--fingerprint", "SHA256:AAAA", log); status != 1 || !strings.Contains(out, "SIGNED BY ANOTHER KEY") {
		t.Errorf("verify-audit --signed, another key: %d\n%s", status, out)
	}

	// The last two lines cut, and the head rewritten to match, its signed
	// part too: the signature no longer holds.
	lines := strings.SplitAfter(string(mustReadFile(t, log)), "\n")
	os.WriteFile(log, []byte(strings.Join(lines[:2], "")), 0o600)
	heads := audit.FileHeads{Path: audit.HeadPath(log)}
	h, _, err := heads.LoadHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h.Lines, h.Hash = 2, audit.LineHash([]byte(strings.TrimSuffix(lines[1], "\n")))
	h.Seal.Lines, h.Seal.Hash = h.Lines, h.Hash
	if err := heads.SaveHead(context.Background(), h); err != nil {
		t.Fatal(err)
	}
	if status, out := run("verify-audit", log); status != 1 || !strings.Contains(out, "FORGED") {
		t.Errorf("verify-audit, a forged head: %d\n%s", status, out)
	}
	if status, out := run("sign-audit", "--host-key", hostKey, log); status != 1 || !strings.Contains(out, "not signed: FORGED") {
		t.Errorf("sign-audit over a forged head: %d\n%s", status, out)
	}
	// Without the seal, the head alone passes: that is what an unsigned
	// head cannot prove, and verify-audit says so.
	h.Seal = nil
	heads.SaveHead(context.Background(), h)
	if status, out := run("verify-audit", log); status != 0 || !strings.Contains(out, "Not signed") {
		t.Errorf("verify-audit, the head rewritten without its seal: %d\n%s", status, out)
	}
	if status, out := run("verify-audit", "--signed", "--host-key", hostKey, log); status != 1 || !strings.Contains(out, "NOT SIGNED") {
		t.Errorf("verify-audit --signed, the seal dropped: %d\n%s", status, out)
	}

	// A cut log, its head left alone: the first missing line is named.
	os.WriteFile(log, []byte(lines[0]), 0o600)
	if status, out := run("verify-audit", log); status != 1 || !strings.Contains(out, "BROKEN at line 2: missing: the log ends after line 1, but its head says 2 lines") {
		t.Errorf("verify-audit, a cut log: %d\n%s", status, out)
	}

	// An old log (before heads): intact, but its end is not proven.
	old := filepath.Join(dir, "old.jsonl")
	os.WriteFile(old, []byte(`{"time":"2025-01-02T03:04:05Z","event":"step","prev":""}`+"\n"), 0o600)
	if status, out := run("verify-audit", old); status != 0 || !strings.Contains(out, "intact, 1 line.") ||
		!strings.Contains(out, "No anchor") || !strings.Contains(out, "cannot prove its end") {
		t.Errorf("verify-audit, an old log: %d\n%s", status, out)
	}
}

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
