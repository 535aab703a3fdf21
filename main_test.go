package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
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
		{[]string{"demo", "-h"}, exitOK, "-recovery-url", ""},
		{[]string{"help"}, exitOK, "Exit codes", ""},
		{[]string{"sandbox", "--help"}, exitOK, "-listen", ""},
		{[]string{"sandbox", "extra"}, exitUsage, "", `unexpected argument "extra"`},
		{[]string{"--version"}, exitOK, "mjrecover ", ""},
		{[]string{"version"}, exitOK, "mjrecover ", ""},
		{[]string{"--no-such-flag"}, exitUsage, "", "flag provided but not defined"},
		{[]string{"demo", "extra"}, exitUsage, "", `unexpected argument "extra"`},
		{[]string{"sandbox", "--listen"}, exitUsage, "", "flag needs an argument"},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		code := run(context.Background(), c.args, &out, &errOut)
		if code != c.code || !strings.Contains(out.String(), c.out) || !strings.Contains(errOut.String(), c.err) {
			t.Errorf("mjrecover %s: code %d, stdout %q, stderr %q", strings.Join(c.args, " "), code, out.String(), errOut.String())
		}
	}
}

// TestSandboxCommandPrintsTheKeyPair runs `mjrecover sandbox`, reads the
// key and the secret it prints (key first) and signs in with them.
func TestSandboxCommandPrintsTheKeyPair(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sandbox", "--listen", "127.0.0.1:0"}, outW, &errOut)
		outW.Close()
	}()
	lines := bufio.NewScanner(outR)
	var got []string
	for len(got) < 2 && lines.Scan() {
		got = append(got, lines.Text())
	}
	go io.Copy(io.Discard, outR)
	if len(got) != 2 || got[0] != "MJ_APIKEY_PUBLIC="+sandbox.DemoMasterKey || got[1] != "MJ_APIKEY_PRIVATE="+sandbox.DemoMasterSecret {
		t.Fatalf("sandbox printed %q", got)
	}
	// stderr says where it listens: "Sandbox listening on http://... for ..."
	fields := strings.Fields(errOut.String())
	if len(fields) < 4 || !strings.HasPrefix(fields[3], "http://127.0.0.1:") {
		t.Fatalf("status line %q", errOut.String())
	}
	api := mailjet.New(fields[3], mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secretOf(sandbox.DemoMasterSecret)})
	if err := api.CheckAuth(ctx); err != nil {
		t.Fatalf("the printed pair does not sign in: %v", err)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("sandbox exit code %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the sandbox did not stop")
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
