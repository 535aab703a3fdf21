package audit

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func openLog(t *testing.T, path string) *Log {
	t.Helper()
	l, err := Open(path, func(err error) { t.Error(err) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func step(n int) Entry {
	return Entry{Time: time.Unix(int64(1e9+n), 0), Event: EventStep, Session: SessionHash("s"), Account: "jane@example.com",
		Step: "Rotate API keys", StepNum: 2, Result: "done", Client: "192.0.2.1:5000", Version: "test"}
}

func TestChainVerifiesAndSurvivesReopening(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "audit", "audit.jsonl")
	l := openLog(t, path)
	for i := range 3 {
		if err := l.Append(ctx, step(i)); err != nil {
			t.Fatal(err)
		}
	}
	// A new process opens the same file: the chain goes on from its last
	// line.
	l2 := openLog(t, path)
	if err := l2.Append(ctx, step(3)); err != nil {
		t.Fatal(err)
	}
	rep, err := VerifyFile(ctx, path, nil)
	if err != nil || rep.Lines != 4 || !rep.Anchored {
		t.Fatalf("verify: %+v, %v", rep, err)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", info.Mode().Perm())
	}
	lines := strings.Split(strings.TrimSpace(mustRead(t, path)), "\n")
	if !strings.Contains(lines[0], `"prev":""`) || !strings.Contains(lines[3], `"prev":"`+LineHash([]byte(lines[2]))+`"`) {
		t.Fatalf("chain fields wrong:\n%s", strings.Join(lines, "\n"))
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAppendAfterACrashMidLine(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l := openLog(t, path)
	if err := l.Append(ctx, step(0)); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"time":"2026-`)
	f.Close()
	if err := l.Append(ctx, step(1)); err != nil {
		t.Fatal(err)
	}
	var broken *BrokenError
	if _, err := VerifyFile(ctx, path, nil); !errors.As(err, &broken) || broken.Line != 2 {
		t.Fatalf("verify: %v, want line 2 broken", err)
	}
	if !strings.HasSuffix(mustRead(t, path), "}\n") {
		t.Fatal("the next entry was glued to the cut line")
	}
}

func TestConcurrentWritersKeepTheChain(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a, b := openLog(t, path), openLog(t, path) // two processes' worth
	var wg sync.WaitGroup
	for _, l := range []*Log{a, b} {
		wg.Add(1)
		go func(l *Log) {
			defer wg.Done()
			for i := range 25 {
				l.Post(step(i))
			}
		}(l)
	}
	wg.Wait()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := VerifyFile(ctx, path, nil)
	if err != nil || rep.Lines != 50 || !rep.Anchored {
		t.Fatalf("verify: %+v, %v", rep, err)
	}
}

func TestLongLogTail(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l := openLog(t, path)
	e := step(0)
	e.Detail = strings.Repeat("word ", 70) // lines longer than a read block in total
	for range 40 {
		if err := l.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if rep, err := VerifyFile(ctx, path, nil); err != nil || rep.Lines != 40 {
		t.Fatalf("verify: %+v, %v", rep, err)
	}
}

func TestScrubRemovesSecrets(t *testing.T) {
	secrets := []string{
		"7d3f1a2b9c8e4f5a6b7c8d9e0f1a2b3c", // an API secret
		"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", // a TOTP seed
		"ghp_16C7e42F292c6912E7710c838347Ae178B4a",
	}
	text := "rotated: new secret " + secrets[0] + ", seed " + secrets[1] + "\x1b[31m token " + secrets[2]
	got := Scrub(text)
	for _, s := range secrets {
		if strings.Contains(got, s) {
			t.Errorf("Scrub kept %s: %q", s, got)
		}
	}
	if strings.ContainsRune(got, 0x1b) {
		t.Errorf("Scrub kept a control character: %q", got)
	}
	plain := "Signed in as jane@lafleur-bakery.example; 3 keys rotated, 2 sub-account keys replaced."
	if Scrub(plain) != plain {
		t.Errorf("Scrub changed plain text: %q", Scrub(plain))
	}
	if r := []rune(Scrub(strings.Repeat("a ", 1000))); len(r) > maxDetail+1 {
		t.Errorf("Scrub kept %d characters", len(r))
	}
}

func TestAppendScrubsDetail(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l := openLog(t, path)
	e := step(0)
	e.Detail = "secret 7d3f1a2b9c8e4f5a6b7c8d9e0f1a2b3c"
	if err := l.Append(ctx, e); err != nil {
		t.Fatal(err)
	}
	if data := mustRead(t, path); strings.Contains(data, "7d3f1a2b9c8e4f5a6b7c8d9e0f1a2b3c") || !bytes.Contains([]byte(data), []byte("2b3c")) {
		t.Fatalf("log line: %s", data)
	}
}
