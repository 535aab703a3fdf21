package kioskstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/access"
	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/steps/internal/filelock"
)

// kioskFiles is a kiosk's state folder as the files-based kiosk left it.
type kioskFiles struct {
	Files
	used, unused access.Issued // codes: one a session opened, one not yet
	auditLines   [][]byte      // the log's lines, the last cut short by a crash
	journalKey   string
	journal      []byte // the journal's whole lines (a cut line follows them in the file)
}

func writeKioskFiles(t *testing.T, c *clock) kioskFiles {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "kiosk")
	k := kioskFiles{Files: FilesIn(dir), journalKey: "00112233445566778899aabb"}
	codes := &access.Store{Path: k.Codes, Now: c.Now}
	var err error
	if k.used, err = codes.Issue("used@example.com", time.Hour); err != nil {
		t.Fatal(err)
	}
	if k.unused, err = codes.Issue("unused@example.com", time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := codes.Redeem(k.used.Code); err != nil {
		t.Fatal(err)
	}

	// The audit log: chained lines as steps/audit writes them, the last
	// one cut short.
	var log bytes.Buffer
	prev := ""
	for _, event := range []string{"code-issued", "code-issued", "session-start\r"} {
		line, _ := json.Marshal(map[string]string{"time": c.Now().Format(time.RFC3339Nano), "event": event, "prev": prev})
		k.auditLines = append(k.auditLines, line)
		log.Write(append(line, '\n'))
		prev = audit.LineHash(line)
	}
	cut := []byte(`{"time":"2026-11-20T04:14:00Z","eve`)
	k.auditLines = append(k.auditLines, cut)
	log.Write(cut)
	if err := os.WriteFile(k.Audit, log.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	// A recovery's journal, its last line cut short; a file of the first
	// progress format; something else.
	if err := os.MkdirAll(k.Progress, 0o700); err != nil {
		t.Fatal(err)
	}
	k.journal = []byte("{\"v\":2,\"type\":\"opened\"}\n{\"type\":\"entered\",\"stage\":\"connect\"}\n")
	files := map[string]string{
		k.journalKey + ".journal":       string(k.journal) + `{"type":"stage-do`,
		"ffeeddccbbaa998877665544.json": `{"version":1}`,
		"README":                        "not a journal",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(k.Progress, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return k
}

func testImportIdempotent(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	k := writeKioskFiles(t, c)
	s := open(t, url, c)
	got, err := s.Import(ctx, k.Files)
	if err != nil {
		t.Fatal(err)
	}
	// The file of the first progress format is a recovery too (made a
	// journal first, as opening it would).
	if got.Codes != 2 || got.AuditLines != 4 || got.Recoveries != 2 || len(got.Notes) != 0 {
		t.Fatalf("first import: %+v", got)
	}

	// Another host finds codes and progress as they were.
	other := open(t, url, c)
	g, err := other.RedeemCode(ctx, k.used.Code)
	if err != nil || !g.Resumed || g.Account != "used@example.com" {
		t.Errorf("the used code: %+v, %v; want it to resume", g, err)
	}
	g, err = other.RedeemCode(ctx, k.unused.Code)
	if err != nil || g.Resumed || g.ID != k.unused.ID {
		t.Errorf("the unused code: %+v, %v", g, err)
	}
	r, err := other.Recovery(ctx, k.journalKey)
	if err != nil || !r.Exists || r.Version != 1 || !bytes.Equal(r.Data, k.journal) {
		t.Errorf("recovery %+v, %v; want %q", r, err, k.journal)
	}
	head, err := other.CheckAudit(ctx)
	if err != nil || head.Count != 4 || head.Hash != audit.LineHash(k.auditLines[3]) {
		t.Errorf("audit head %+v, %v", head, err)
	}
	var lines [][]byte
	other.AuditLines(ctx, 0, func(_ int64, line []byte) error { lines = append(lines, line); return nil })
	if len(lines) != 4 || !bytes.Equal(lines[2], k.auditLines[2]) || !bytes.Equal(lines[3], k.auditLines[3]) {
		t.Errorf("audit lines %q", lines)
	}

	// Life goes on in the store; the files import nothing again, not even
	// what the store has since dropped.
	if err := appendLine(other, "after", 0); err != nil {
		t.Fatal(err)
	}
	if err := other.FinishCode(ctx, k.used.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := other.DeleteRecovery(ctx, k.journalKey, 1); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		again, err := s.Import(ctx, k.Files)
		if err != nil || again.Codes != 0 || again.AuditLines != 0 || again.Recoveries != 0 || len(again.Notes) != 0 {
			t.Fatalf("import again: %+v, %v", again, err)
		}
	}
	if _, err := other.RedeemCode(ctx, k.used.Code); !errors.Is(err, access.ErrUsed) {
		t.Errorf("a finished code after another import: %v", err)
	}
	if r, _ := other.Recovery(ctx, k.journalKey); r.Exists {
		t.Errorf("a forgotten recovery came back: %+v", r)
	}
	if head, err := other.CheckAudit(ctx); err != nil || head.Count != 5 {
		t.Errorf("audit after another import: %+v, %v", head, err)
	}
}

func testImportOtherChain(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	k := writeKioskFiles(t, c)
	s := open(t, url, c)
	if err := appendLine(s, "already here", 0); err != nil {
		t.Fatal(err)
	}
	for range 2 { // refused each time, never marked as imported
		_, err := s.Import(ctx, Files{Audit: k.Audit})
		if err == nil || !strings.Contains(err.Error(), "differs from the file at line 1") {
			t.Fatalf("import over another chain: %v", err)
		}
	}
	if head, err := s.CheckAudit(ctx); err != nil || head.Count != 1 {
		t.Errorf("chain after the refusal: %+v, %v", head, err)
	}

	// A journal open in a running kiosk stops its folder's import.
	f, err := os.Open(filepath.Join(k.Progress, k.journalKey+".journal"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := filelock.Lock(f); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, Files{Progress: k.Progress}); err == nil || !strings.Contains(err.Error(), "running mjrecover") {
		t.Errorf("import of an open journal: %v", err)
	}
	filelock.Unlock(f)
	if got, err := s.Import(ctx, Files{Progress: k.Progress, Codes: filepath.Join(t.TempDir(), "none.json")}); err != nil || got.Recoveries != 2 || got.Codes != 0 {
		t.Errorf("import once it closed: %+v, %v", got, err)
	}
}
