package audit

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// written is a log of n steps written by Append, its lines (with their
// newlines) and its head.
type written struct {
	path  string
	lines []string
	head  Head
}

func writeLog(t *testing.T, n int) written {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l := openLog(t, path)
	for i := range n {
		if err := l.Append(t.Context(), step(i)); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.SplitAfter(mustRead(t, path), "\n")
	h, ok, err := FileHeads{Path: HeadPath(path)}.LoadHead(t.Context())
	if err != nil || !ok {
		t.Fatalf("no head after appending: %v", err)
	}
	return written{path: path, lines: lines[:len(lines)-1], head: h}
}

// rewrite changes an entry's result and recomputes the line's own hash,
// as someone who read this package would.
func rewrite(t *testing.T, line, result string) string {
	t.Helper()
	var e Entry
	if err := json.Unmarshal([]byte(strings.TrimSuffix(line, "\n")), &e); err != nil {
		t.Fatal(err)
	}
	e.Result = result
	out, err := encodeLine(e)
	if err != nil {
		t.Fatal(err)
	}
	return string(out) + "\n"
}

func join(parts ...[]string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(strings.Join(p, ""))
	}
	return b.String()
}

func one(s string) []string { return []string{s} }

func TestVerifyNamesTheFirstChangedLine(t *testing.T) {
	w := writeLog(t, 5)
	l := w.lines
	changed3 := strings.Replace(l[2], `"done"`, `"skipped"`, 1)
	// The whole rest rewritten from line 3 on, every hash recomputed:
	// consistent in itself, so only the head can tell.
	var forged []string
	prev := LineHash([]byte(strings.TrimSuffix(l[1], "\n")))
	for _, line := range l[2:] {
		var e Entry
		json.Unmarshal([]byte(strings.TrimSuffix(line, "\n")), &e)
		e.Result, e.Prev = "skipped", prev
		out, _ := encodeLine(e)
		forged = append(forged, string(out)+"\n")
		prev = LineHash(out)
	}
	cases := []struct {
		name string
		text string
		head *Head
		line int64
		sure bool
	}{
		{"line 3 changed", join(l[:2], one(changed3), l[3:]), &w.head, 3, true},
		{"line 3 changed, its hash recomputed", join(l[:2], one(rewrite(t, l[2], "skipped")), l[3:]), &w.head, 3, false},
		{"last line changed", join(l[:4], one(strings.Replace(l[4], `"done"`, `"skipped"`, 1))), &w.head, 5, true},
		{"last line changed, its hash recomputed", join(l[:4], one(rewrite(t, l[4], "skipped"))), &w.head, 5, false},
		{"lines 3 to 5 rewritten", join(l[:2], forged), &w.head, 5, false},
		{"middle line removed", join(l[:2], l[3:]), &w.head, 3, true},
		{"first line removed", join(l[1:]), &w.head, 1, true},
		{"last two lines cut", join(l[:3]), &w.head, 4, true},
		{"all lines cut", "", &w.head, 1, true},
		{"a line repeated", join(l[:3], one(l[2]), l[3:]), &w.head, 4, true},
		{"not JSON", join(l[:1], one("hello\n"), l[1:]), &w.head, 2, true},
		{"cut mid-line", join(l)[:len(join(l))-5], &w.head, 5, true},
	}
	for _, c := range cases {
		_, err := Verify(strings.NewReader(c.text), c.head)
		var broken *BrokenError
		if !errors.As(err, &broken) || broken.Line != c.line || broken.Sure != c.sure {
			t.Errorf("%s: got %v (%+v), want line %d (sure %v)", c.name, err, broken, c.line, c.sure)
		}
	}
	// Without its head, only the changes the chain itself shows.
	if _, err := Verify(strings.NewReader(join(l[:3])), nil); err != nil {
		t.Errorf("a cut log without its head: %v (a chain cannot see a cut end)", err)
	}
	rep, err := Verify(strings.NewReader(join(l)), &w.head)
	if err != nil || rep.Lines != 5 || !rep.Anchored || rep.After != 0 || rep.Sealed != 0 {
		t.Errorf("the intact log: %+v, %v", rep, err)
	}
}

// A forged line inserted with the right number and links: the line after
// it gives it away.
func TestVerifyFindsAnInsertedLine(t *testing.T) {
	w := writeLog(t, 4)
	l := w.lines
	var e Entry
	json.Unmarshal([]byte(strings.TrimSuffix(l[2], "\n")), &e)
	e.Result = "forged" // Seq and Prev as line 3's: it poses as line 3
	out, _ := encodeLine(e)
	_, err := Verify(strings.NewReader(join(l[:2], one(string(out)+"\n"), l[2:])), &w.head)
	var broken *BrokenError
	if !errors.As(err, &broken) || broken.Line != 3 || !strings.Contains(broken.Reason, "inserted") {
		t.Fatalf("got %v, want line 3 inserted", err)
	}
}

// legacyLog is a log of the first format (before numbers and own hashes).
func legacyLog(t *testing.T, n int) []string {
	t.Helper()
	type oldEntry struct {
		Time   time.Time `json:"time"`
		Event  string    `json:"event"`
		Result string    `json:"result,omitempty"`
		Prev   string    `json:"prev"`
	}
	var lines []string
	prev := ""
	for i := range n {
		b, err := json.Marshal(oldEntry{Time: time.Unix(int64(1e9+i), 0).UTC(), Event: EventStep, Result: "done", Prev: prev})
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b)+"\n")
		prev = LineHash(b)
	}
	return lines
}

func TestOldLogsStillVerifyAndGoOn(t *testing.T) {
	ctx := t.Context()
	l := legacyLog(t, 4)
	rep, err := Verify(strings.NewReader(join(l)), nil)
	if err != nil || rep.Lines != 4 || rep.Legacy != 4 || rep.Anchored {
		t.Fatalf("an old log: %+v, %v", rep, err)
	}
	var broken *BrokenError
	if _, err := Verify(strings.NewReader(join(l[:2], one(strings.Replace(l[2], "done", "skipped", 1)), l[3:])), nil); !errors.As(err, &broken) || broken.Line != 3 {
		t.Errorf("old log, line 3 changed: %v", err)
	}

	// The kiosk, upgraded, appends to the old log: the chain goes on, with
	// numbers from line 5, and the head anchors it.
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	if err := os.WriteFile(path, []byte(join(l)), 0o600); err != nil {
		t.Fatal(err)
	}
	log := openLog(t, path)
	for i := range 2 {
		if err := log.Append(ctx, step(i)); err != nil {
			t.Fatal(err)
		}
	}
	rep, err = VerifyFile(ctx, path, nil)
	if err != nil || rep.Lines != 6 || rep.Legacy != 4 || !rep.Anchored {
		t.Fatalf("an old log with new lines: %+v, %v", rep, err)
	}
	if !strings.Contains(mustRead(t, path), `{"seq":5,`) {
		t.Errorf("the first new line is not numbered 5:\n%s", mustRead(t, path))
	}
}

// Append does not let a new head hide a log cut behind the kiosk's back:
// it says so in the log first.
func TestAppendRecordsALogThatNoLongerMatchesItsHead(t *testing.T) {
	ctx := t.Context()
	w := writeLog(t, 5)
	if err := os.WriteFile(w.path, []byte(join(w.lines[:3])), 0o600); err != nil {
		t.Fatal(err)
	}
	log := openLog(t, w.path)
	if err := log.Append(ctx, step(9)); err != nil {
		t.Fatal(err)
	}
	_, err := VerifyFile(ctx, w.path, nil)
	var broken *BrokenError
	if !errors.As(err, &broken) || broken.Line != 4 || !strings.Contains(broken.Reason, "its head said 5") {
		t.Fatalf("verify after a cut and an append: %v", err)
	}

	// The head file removed: the same.
	w = writeLog(t, 3)
	os.Remove(HeadPath(w.path))
	log = openLog(t, w.path)
	if err := log.Append(ctx, step(9)); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyFile(ctx, w.path, nil); !errors.As(err, &broken) || broken.Line != 4 || !strings.Contains(broken.Reason, "no head") {
		t.Fatalf("verify after the head was removed: %v", err)
	}
}

// A crash between a line and its head leaves the head one line behind:
// not a break; the next append anchors it again.
func TestHeadOneLineBehind(t *testing.T) {
	ctx := t.Context()
	w := writeLog(t, 3)
	behind := writeLog(t, 2).head
	// The head of the first two lines of w: same lines, as step(i) is
	// deterministic.
	if behind.Hash != LineHash([]byte(strings.TrimSuffix(w.lines[1], "\n"))) {
		t.Fatal("the fixture's lines differ")
	}
	if err := (FileHeads{Path: HeadPath(w.path)}).SaveHead(ctx, behind); err != nil {
		t.Fatal(err)
	}
	rep, err := VerifyFile(ctx, w.path, nil)
	if err != nil || !rep.Anchored || rep.After != 1 {
		t.Fatalf("head one line behind: %+v, %v", rep, err)
	}
	log := openLog(t, w.path)
	if err := log.Append(ctx, step(3)); err != nil {
		t.Fatal(err)
	}
	if rep, err := VerifyFile(ctx, w.path, nil); err != nil || rep.After != 0 || rep.Lines != 4 {
		t.Fatalf("after the next append: %+v, %v", rep, err)
	}
}

func hostKey(t *testing.T) gossh.Signer {
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

func TestSignedHead(t *testing.T) {
	ctx := t.Context()
	w := writeLog(t, 4)
	key := hostKey(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	rep, err := Sign(ctx, w.path, nil, key, now)
	if err != nil || rep.Sealed != 4 {
		t.Fatalf("sign: %+v, %v", rep, err)
	}
	// Lines written after the signing keep the seal and are anchored by
	// the head only.
	log := openLog(t, w.path)
	if err := log.Append(ctx, step(4)); err != nil {
		t.Fatal(err)
	}
	rep, err = VerifyFile(ctx, w.path, nil)
	if err != nil || rep.Sealed != 4 || rep.Lines != 5 || !rep.SealTime.Equal(now) ||
		string(rep.SealKey.Marshal()) != string(key.PublicKey().Marshal()) {
		t.Fatalf("verify a signed log: %+v, %v", rep, err)
	}

	// Whoever can write both files rewrites the log and its head to
	// match; the signature gives them away.
	heads := FileHeads{Path: HeadPath(w.path)}
	h, _, _ := heads.LoadHead(ctx)
	lines := strings.SplitAfter(mustRead(t, w.path), "\n")
	lines = lines[:len(lines)-1]
	forgedLog := join(lines[:2]) // lines 3 to 5 removed
	forgedHead := Head{Lines: 2, Hash: LineHash([]byte(strings.TrimSuffix(lines[1], "\n"))), Time: h.Time}

	withSeal := func(s Seal) *Head {
		fh := forgedHead
		fh.Seal = &s
		return &fh
	}
	moved := *h.Seal
	moved.Lines, moved.Hash = forgedHead.Lines, forgedHead.Hash // the old signature over new numbers
	other := hostKey(t)
	resigned, err := newSeal(other, forgedHead.Lines, forgedHead.Hash, now)
	if err != nil {
		t.Fatal(err)
	}
	var broken *BrokenError
	if _, err := Verify(strings.NewReader(forgedLog), withSeal(*h.Seal)); !errors.As(err, &broken) || broken.Line != 3 {
		t.Errorf("log cut below the signed head: %v", err)
	}
	if _, err := Verify(strings.NewReader(forgedLog), withSeal(moved)); !errors.Is(err, ErrForgedSeal) {
		t.Errorf("a seal moved to the forged head: %v, want it forged", err)
	}
	rep, err = Verify(strings.NewReader(forgedLog), withSeal(*resigned))
	if err != nil || string(rep.SealKey.Marshal()) == string(key.PublicKey().Marshal()) {
		t.Errorf("signed again with another key: %+v, %v; want a valid seal by the other key, for the caller to refuse", rep, err)
	}
	if rep, err := Verify(strings.NewReader(forgedLog), &forgedHead); err != nil || rep.Sealed != 0 {
		t.Errorf("the seal dropped: %+v, %v; want an unsigned, anchored log", rep, err)
	}

	// A broken log is not signed.
	os.WriteFile(w.path, []byte(strings.Replace(mustRead(t, w.path), `"done"`, `"skipped"`, 1)), 0o600)
	if _, err := Sign(ctx, w.path, nil, key, now); !errors.As(err, &broken) {
		t.Errorf("signed a changed log: %v", err)
	}
}

func TestHeadFileIsPrivateAndReplacedWhole(t *testing.T) {
	w := writeLog(t, 2)
	info, err := os.Stat(HeadPath(w.path))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("head file: %v, mode %v", err, info.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(w.path))
	if len(entries) != 2 {
		t.Errorf("files next to the log: %v (a temporary file left?)", entries)
	}
	if w.head.Lines != 2 || w.head.Hash != LineHash([]byte(strings.TrimSuffix(w.lines[1], "\n"))) {
		t.Errorf("head %+v", w.head)
	}
	os.WriteFile(HeadPath(w.path), []byte("{nonsense"), 0o600)
	if _, err := VerifyFile(t.Context(), w.path, nil); err == nil || !strings.Contains(err.Error(), "not a head file") {
		t.Errorf("a damaged head file: %v", err)
	}
}
