package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/ui"
)

func TestHelpVersionAndUsageErrors(t *testing.T) {
	cases := []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"--help"}, exitOK, "mjrecover demo [flags]", ""},
		{[]string{"demo", "-h"}, exitOK, "Usage: mjrecover demo [flags]", ""},
		{[]string{"scna"}, exitUsage, "", `mjrecover: unknown command "scna" (see mjrecover --help)`},
		{[]string{"help"}, exitOK, "Exit codes", ""},
		{[]string{"sandbox", "--help"}, exitOK, "-listen", ""},
		{[]string{"sandbox", "extra"}, exitUsage, "", `unexpected argument "extra"`},
		{[]string{"--version"}, exitOK, "mjrecover ", ""},
		{[]string{"version"}, exitOK, "mjrecover ", ""},
		{[]string{"--no-such-flag"}, exitUsage, "", "flag provided but not defined"},
		{[]string{"demo", "extra"}, exitUsage, "", `unexpected argument "extra"`},
		{[]string{"sandbox", "--listen"}, exitUsage, "", "flag needs an argument"},
		{[]string{"sandbox", "--cert", "x.pem"}, exitUsage, "", "--cert goes with --tls"},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		code := run(context.Background(), c.args, &out, &errOut)
		if code != c.code || !strings.Contains(out.String(), c.out) || !strings.Contains(errOut.String(), c.err) {
			t.Errorf("mjrecover %s: code %d, stdout %q, stderr %q", strings.Join(c.args, " "), code, out.String(), errOut.String())
		}
		// A mistake is one line that stays on screen, not the usage.
		if n := strings.Count(errOut.String(), "\n"); n > 1 {
			t.Errorf("mjrecover %s: %d lines on stderr, want 1:\n%s", strings.Join(c.args, " "), n, errOut.String())
		}
	}
}

// demo --help names only what the demo takes, in less than a screen.
func TestDemoHelpIsShort(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--help"}, &out, io.Discard); code != exitOK {
		t.Fatalf("code %d", code)
	}
	if n := strings.Count(out.String(), "\n"); n > 20 || strings.Contains(out.String(), "-api-url") || !strings.Contains(out.String(), "-presenting") {
		t.Errorf("demo --help (%d lines):\n%s", n, out.String())
	}
}

func TestAccessibleWanted(t *testing.T) {
	for _, c := range []struct {
		flag      bool
		env, term string
		want      bool
	}{
		{false, "", "xterm", false}, {true, "", "xterm", true}, {false, "", "dumb", true},
		{false, "1", "xterm", true}, {false, "yes", "xterm", true},
		{false, "0", "dumb", false}, {false, "false", "xterm", false}, {true, "0", "xterm", true},
	} {
		if got := accessibleWanted(c.flag, c.env, c.term); got != c.want {
			t.Errorf("accessibleWanted(%v, %q, %q) = %v, want %v", c.flag, c.env, c.term, got, c.want)
		}
	}
}

// sandboxCommand runs `mjrecover sandbox args...` until ctx ends, and
// returns the two lines it prints on standard output (key first), what it
// said on standard error by then, and its exit code once it stops.
func sandboxCommand(t *testing.T, ctx context.Context, args ...string) (pair []string, status string, done <-chan int) {
	t.Helper()
	outR, outW := io.Pipe()
	var errOut syncBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, append([]string{"sandbox"}, args...), outW, &errOut)
		outW.Close()
	}()
	lines := bufio.NewScanner(outR)
	for len(pair) < 2 && lines.Scan() {
		pair = append(pair, lines.Text())
	}
	go io.Copy(io.Discard, outR)
	if len(pair) != 2 || pair[0] != "MJ_APIKEY_PUBLIC="+sandbox.DemoMasterKey || pair[1] != "MJ_APIKEY_PRIVATE="+sandbox.DemoMasterSecret {
		t.Fatalf("sandbox printed %q; stderr %q", pair, errOut.String())
	}
	// Standard error is written before the pair.
	return pair, errOut.String(), exit
}

func waitExit(t *testing.T, done <-chan int) {
	t.Helper()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("sandbox exit code %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the sandbox did not stop")
	}
}

// TestSandboxCommandPrintsTheKeyPair runs `mjrecover sandbox`, reads the
// key and the secret it prints (key first) and signs in with them.
func TestSandboxCommandPrintsTheKeyPair(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, status, done := sandboxCommand(t, ctx, "--listen", "127.0.0.1:0")
	// stderr says where it listens: "Sandbox listening on http://... for ..."
	fields := strings.Fields(status)
	if len(fields) < 4 || !strings.HasPrefix(fields[3], "http://127.0.0.1:") {
		t.Fatalf("status line %q", status)
	}
	api := mailjet.New(fields[3], mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secretOf(sandbox.DemoMasterSecret)})
	if err := api.CheckAuth(ctx); err != nil {
		t.Fatalf("the printed pair does not sign in: %v", err)
	}
	cancel()
	waitExit(t, done)
}

// TestSandboxCommandOverTLS runs `mjrecover sandbox --tls --cert FILE`:
// a client that trusts only the printed certificate signs in and sends in
// sandbox mode; the certificate stays where it was asked for.
func TestSandboxCommandOverTLS(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	certPath := filepath.Join(t.TempDir(), "sandbox.pem")
	_, status, done := sandboxCommand(t, ctx, "--tls", "--cert", certPath, "--listen", "127.0.0.1:0")
	fields := strings.Fields(status)
	if len(fields) < 4 || !strings.HasPrefix(fields[3], "https://127.0.0.1:") {
		t.Fatalf("status line %q", status)
	}
	for _, want := range []string{"Certificate: " + certPath, "NODE_EXTRA_CA_CERTS=" + certPath, "SSL_CERT_FILE=" + certPath + " mjrecover --api-url " + fields[3]} {
		if !strings.Contains(status, want) {
			t.Errorf("stderr lacks %q:\n%s", want, status)
		}
	}
	pem, err := os.ReadFile(certPath)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", certPath)
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}}
	api := mailjet.New(fields[3], mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secretOf(sandbox.DemoMasterSecret)}, mailjet.WithHTTPClient(hc))
	if err := api.CheckAuth(ctx); err != nil {
		t.Fatalf("sign in over HTTPS with the printed certificate: %v", err)
	}
	got, err := api.Send(ctx, []mailjet.Message{{From: mailjet.Address{Email: "shop@lafleur-bakery.example"},
		To: []mailjet.Address{{Email: sandbox.DemoEmail}}, Subject: "hello", TextPart: "hello"}}, true)
	if err != nil || len(got) != 1 || !got[0].OK() {
		t.Fatalf("send in sandbox mode over HTTPS: %+v, %v", got, err)
	}
	if err := mailjet.New(fields[3], mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secretOf(sandbox.DemoMasterSecret)}).CheckAuth(ctx); err == nil {
		t.Error("a client that does not trust the certificate signed in")
	}
	cancel()
	waitExit(t, done)
	if _, err := os.Stat(certPath); err != nil {
		t.Errorf("the certificate asked for with --cert is gone: %v", err)
	}
}

func TestDemoSetUp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := ui.Config{}
	cleanup, err := setUpDemo(ctx, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	root := cfg.ScanRoot
	if _, err := os.Stat(filepath.Join(root, "public_html", "wp-config.php")); err != nil {
		t.Fatalf("demo web root: %v", err)
	}
	api := mailjet.New(cfg.APIBaseURL, *cfg.Credentials)
	if err := api.CheckAuth(ctx); err != nil {
		t.Fatalf("demo credentials against the demo sandbox: %v", err)
	}
	if !cfg.Demo || cfg.RecoveryURL != cfg.APIBaseURL || cfg.Breaches == nil {
		t.Fatalf("demo config %+v", cfg)
	}
	cleanup()
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Fatalf("the demo folder is left behind: %v", err)
	}
}

func secretOf(s string) secret.Secret { return secret.New(s) }

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
