package kioskstore

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/access"
	"github.com/mjrecover/mjrecover/steps/audit"
)

// The suite: every case runs on both backends, each host a Store of its
// own on the same URL.
func TestStore(t *testing.T) {
	cases := []struct {
		name string
		test func(t *testing.T, url string)
	}{
		{"code issued on one host opens on another", testCodeAcrossHosts},
		{"code expires, finishes, and is never stored", testCodeLifecycle},
		{"one code redeemed at once by two hosts: one session", testConcurrentRedeem},
		{"lock held by one host, released by unlock and by close", testLockAcrossHosts},
		{"audit appends from two hosts make one chain", testAuditConcurrent},
		{"audit check finds a change and a cut", testAuditTampered},
		{"recovery state compare and set", testRecoveryCAS},
		{"recovery created by two hosts at once", testRecoveryCreateRace},
		{"attempts shared by hosts, within a window", testAttempts},
		{"anchors", testAnchors},
		{"migrations twice and at once", testMigrations},
		{"import is idempotent", testImportIdempotent},
		{"import refuses another chain", testImportOtherChain},
		{"journals across hosts (steps/record)", testJournalsAcrossHosts},
		{"audit chain and anchored heads (steps/audit)", testAuditChainAdapter},
		{"throttle shared by hosts (steps/access)", testThrottleSharedByHosts},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { onBoth(t, c.test) })
	}
}

func testCodeAcrossHosts(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	a, b := open(t, url, c), open(t, url, c)
	issued, err := a.IssueCode(ctx, " customer@example.com ", 0)
	if err != nil {
		t.Fatal(err)
	}
	if issued.Account != "customer@example.com" || !issued.Expires.Equal(c.Now().Add(access.DefaultValid)) {
		t.Errorf("issued %+v", issued)
	}
	// Typed the way people type it: lower case, spaces, an O for a 0.
	typed := strings.ToLower(strings.ReplaceAll(issued.Code, "-", " "))
	typed = strings.ReplaceAll(typed, "0", "o")
	g, err := b.RedeemCode(ctx, typed)
	if err != nil {
		t.Fatalf("redeem through the other host: %v", err)
	}
	if g.ID != issued.ID || g.Account != issued.Account || g.Resumed || g.StateKey == "" || !g.Expires.Equal(issued.Expires) {
		t.Errorf("first grant %+v", g)
	}
	again, err := a.RedeemCode(ctx, issued.Code)
	if err != nil || !again.Resumed || again.StateKey != g.StateKey {
		t.Errorf("second redeem: %+v, %v; want the same recovery, resumed", again, err)
	}
	recs, err := a.Codes(ctx)
	if err != nil || len(recs) != 1 || recs[0].Used == nil || !recs[0].Used.Equal(c.Now()) || recs[0].Finished != nil {
		t.Errorf("records %+v, %v", recs, err)
	}
}

func testCodeLifecycle(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	a, b := open(t, url, c), open(t, url, c)
	short, err := a.IssueCode(ctx, "a@example.com", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	long, err := a.IssueCode(ctx, "b@example.com", 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "not a code", "ABCD-EFGH-JKM", "ABCD-EFGH-JKMN"} {
		if _, err := b.RedeemCode(ctx, bad); !errors.Is(err, access.ErrWrongCode) {
			t.Errorf("redeem %q: %v, want ErrWrongCode", bad, err)
		}
	}
	for _, tc := range []struct {
		account string
		valid   time.Duration
	}{{"no-at-sign", 0}, {"a b@example.com", 0}, {"a@example.com", -time.Minute}, {"a@example.com", access.MaxValid + 1}} {
		if _, err := a.IssueCode(ctx, tc.account, tc.valid); err == nil {
			t.Errorf("issued for %q valid %s", tc.account, tc.valid)
		}
	}
	c.Advance(time.Minute)
	if _, err := b.RedeemCode(ctx, short.Code); !errors.Is(err, access.ErrExpired) {
		t.Errorf("redeem after a minute: %v, want ErrExpired", err)
	}
	g, err := b.RedeemCode(ctx, long.Code)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.FinishCode(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.RedeemCode(ctx, long.Code); !errors.Is(err, access.ErrUsed) {
		t.Errorf("redeem after finish: %v, want ErrUsed", err)
	}
	if err := a.FinishCode(ctx, "0000000000000000"); err == nil {
		t.Error("finished a code that does not exist")
	}
	// The store keeps hashes only.
	recs, err := a.Codes(ctx)
	if err != nil || len(recs) != 2 {
		t.Fatalf("records %+v, %v", recs, err)
	}
	for _, code := range []string{short.Code, long.Code} {
		raw, _ := access.Normalize(code)
		dump, _ := json.Marshal(recs)
		if bytes.Contains(dump, []byte(raw)) || bytes.Contains(dump, []byte(code)) {
			t.Errorf("a record holds the code: %s", dump)
		}
		if !slices.ContainsFunc(recs, func(r access.Record) bool { return r.Hash == access.Hash(raw) }) {
			t.Errorf("no record with the code's hash")
		}
	}
	if path, ok := strings.CutPrefix(a.String(), "sqlite:"); ok {
		for _, f := range []string{path, path + "-wal"} {
			data, _ := os.ReadFile(f)
			for _, code := range []string{short.Code, long.Code} {
				raw, _ := access.Normalize(code)
				if bytes.Contains(data, []byte(raw)) {
					t.Errorf("%s holds a code", f)
				}
			}
		}
	}
	// A code that opens nothing stays a day (to say why), then goes when
	// the next is issued.
	c.Advance(access.KeepSpent - time.Second)
	if _, err := a.IssueCode(ctx, "c@example.com", 0); err != nil {
		t.Fatal(err)
	}
	if recs, _ = a.Codes(ctx); len(recs) != 3 {
		t.Errorf("within the day: %d codes, want 3", len(recs))
	}
	c.Advance(time.Second)
	if _, err := a.IssueCode(ctx, "d@example.com", 0); err != nil {
		t.Fatal(err)
	}
	recs, _ = a.Codes(ctx)
	if len(recs) != 2 || recs[0].Account != "c@example.com" || recs[1].Account != "d@example.com" {
		t.Errorf("after the day: %+v, want c's and d's codes", recs)
	}
	// Errors name no code.
	b.Close()
	if _, err := b.RedeemCode(ctx, long.Code); err == nil || strings.Contains(err.Error(), long.Code) ||
		strings.Contains(err.Error(), access.Hash(mustNormalize(long.Code))) {
		t.Errorf("redeem on a closed store: %v", err)
	}
}

func mustNormalize(code string) string {
	raw, _ := access.Normalize(code)
	return raw
}

func testConcurrentRedeem(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	hosts := []*Store{open(t, url, c), open(t, url, c)}
	issued, err := hosts[0].IssueCode(ctx, "customer@example.com", 0)
	if err != nil {
		t.Fatal(err)
	}
	const sessions = 8
	type result struct {
		grant access.Grant
		lock  *Lock
		err   error
	}
	results := make([]result, sessions)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range sessions {
		wg.Go(func() {
			start.Wait()
			s := hosts[i%2]
			g, err := s.RedeemCode(ctx, issued.Code)
			if err != nil {
				results[i].err = err
				return
			}
			results[i].grant = g
			results[i].lock, results[i].err = s.Lock(ctx, "code:"+g.ID)
		})
	}
	start.Done()
	wg.Wait()
	first, opened := 0, 0
	for _, r := range results {
		switch {
		case r.err == nil:
			opened++
			defer r.lock.Unlock(ctx)
		case !errors.Is(r.err, ErrLocked):
			t.Errorf("session: %v", r.err)
		}
		if r.grant.ID != "" && !r.grant.Resumed {
			first++
		}
	}
	if first != 1 || opened != 1 {
		t.Errorf("%d sessions saw the code unused and %d opened it; want 1 and 1", first, opened)
	}
}

func testLockAcrossHosts(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	a, b := open(t, url, c), open(t, url, c)
	la, err := a.Lock(ctx, "recovery:1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Lock(ctx, "recovery:1"); !errors.Is(err, ErrLocked) {
		t.Fatalf("host B took a lock host A holds: %v", err)
	}
	if _, err := a.Lock(ctx, "recovery:1"); !errors.Is(err, ErrLocked) {
		t.Fatalf("a second session on host A took the lock: %v", err)
	}
	if _, err := b.Lock(ctx, "recovery:2"); err != nil {
		t.Fatalf("another name: %v", err)
	}
	// The session ends (with its context already cancelled, as a
	// session's is when it ends).
	ended, cancel := context.WithCancel(ctx)
	cancel()
	if err := la.Unlock(ended); err != nil {
		t.Fatal(err)
	}
	if err := la.Unlock(ctx); err != nil {
		t.Fatalf("second unlock: %v", err)
	}
	lb, err := b.Lock(ctx, "recovery:1")
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	if lb.Name() != "recovery:1" {
		t.Errorf("name %q", lb.Name())
	}
	if _, err := a.Lock(ctx, "recovery:1"); !errors.Is(err, ErrLocked) {
		t.Fatalf("host A took the lock host B holds: %v", err)
	}
	// Host B goes away without unlocking.
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"recovery:1", "recovery:2"} {
		if _, err := a.Lock(ctx, name); err != nil {
			t.Errorf("%s after host B closed: %v", name, err)
		}
	}
	if err := lb.Unlock(ctx); err != nil {
		t.Errorf("unlock after close: %v", err)
	}
	if _, err := b.Lock(ctx, "recovery:3"); err == nil {
		t.Error("locked through a closed store")
	}
}

// auditLine is what the suite appends: a line that names its host and
// carries the hash it was given, as steps/audit's entries do.
type auditLine struct {
	Host string `json:"host"`
	N    int    `json:"n"`
	Seq  int64  `json:"seq"`
	Prev string `json:"prev"`
}

func appendLine(s *Store, host string, n int) error {
	_, err := s.AppendAudit(context.Background(), func(prev string, seq int64) ([]byte, error) {
		return json.Marshal(auditLine{host, n, seq, prev})
	})
	return err
}

func testAuditConcurrent(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	hosts := []*Store{open(t, url, c), open(t, url, c)}
	const writers, each = 4, 12
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for n := range each {
				if err := appendLine(hosts[w%2], fmt.Sprint("host", w%2, "-", w), n); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	head, err := hosts[1].CheckAudit(ctx)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if head.Count != writers*each {
		t.Fatalf("head %+v, want %d lines", head, writers*each)
	}
	seen := map[string]bool{}
	var prev string
	var want int64 = 1
	err = hosts[0].AuditLines(ctx, 0, func(seq int64, line []byte) error {
		var l auditLine
		if err := json.Unmarshal(line, &l); err != nil {
			return err
		}
		if seq != want || l.Seq != seq || l.Prev != prev {
			return fmt.Errorf("line %d (want %d): %s, want prev %q", seq, want, line, prev)
		}
		seen[fmt.Sprint(l.Host, l.N)] = true
		prev, want = audit.LineHash(line), want+1
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != writers*each || prev != head.Hash {
		t.Errorf("%d distinct lines, last hash %s; head %+v", len(seen), prev, head)
	}
	var tail []int64
	hosts[0].AuditLines(ctx, head.Count-2, func(seq int64, _ []byte) error { tail = append(tail, seq); return nil })
	if !slices.Equal(tail, []int64{head.Count - 1, head.Count}) {
		t.Errorf("lines after %d: %v", head.Count-2, tail)
	}
	if _, err := hosts[0].AppendAudit(ctx, func(string, int64) ([]byte, error) { return []byte("two\nlines"), nil }); err == nil {
		t.Error("appended a line with a newline")
	}
	if _, err := hosts[0].AppendAudit(ctx, func(string, int64) ([]byte, error) { return nil, errors.New("no line") }); err == nil {
		t.Error("appended after the line failed")
	}
	if h, _ := hosts[0].AuditHead(ctx); h != head {
		t.Errorf("refused appends moved the head: %+v", h)
	}
}

func testAuditTampered(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	s := open(t, url, c)
	for n := range 5 {
		if err := appendLine(s, "a", n); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CheckAudit(ctx); err != nil {
		t.Fatal(err)
	}
	var broken *AuditBreak
	// A line changed (its hash left as it was).
	if _, err := s.db.Exec(`UPDATE audit_lines SET line = $1 WHERE seq = 3`, []byte(`{"host":"b"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CheckAudit(ctx); !errors.As(err, &broken) || broken.Seq != 3 {
		t.Errorf("changed line 3: %v", err)
	}
	// The last line cut, head and all but the head.
	if _, err := s.db.Exec(`DELETE FROM audit_lines WHERE seq >= 3`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CheckAudit(ctx); !errors.As(err, &broken) || broken.Seq != 3 || !strings.Contains(broken.Reason, "5 lines") {
		t.Errorf("cut after line 2: %v", err)
	}
}

func testRecoveryCAS(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	a, b := open(t, url, c), open(t, url, c)
	const key = "0123456789abcdef01234567"
	r, err := b.Recovery(ctx, key)
	if err != nil || r.Exists || r.Version != 0 || r.Data != nil {
		t.Fatalf("before: %+v, %v", r, err)
	}
	step := func(what string, got int64, err error, want int64) {
		t.Helper()
		if err != nil || got != want {
			t.Fatalf("%s: version %d, %v; want %d", what, got, err, want)
		}
	}
	stale := func(what string, _ int64, err error) {
		t.Helper()
		if !errors.Is(err, ErrStale) {
			t.Fatalf("%s: %v, want ErrStale", what, err)
		}
	}
	v, err := a.AppendRecovery(ctx, key, 0, []byte("line 1\n"))
	step("A creates", v, err, 1)
	v, err = b.AppendRecovery(ctx, key, 0, []byte("B's line 1\n"))
	stale("B creates it too", v, err)
	binary := []byte{0, 0xff, 0xfe, '\r', 0, 'x', '\n'}
	v, err = b.AppendRecovery(ctx, key, 1, binary)
	step("B appends", v, err, 2)
	v, err = a.AppendRecovery(ctx, key, 1, []byte("A's stale line\n"))
	stale("A appends what it read before", v, err)
	r, err = a.Recovery(ctx, key)
	if want := append([]byte("line 1\n"), binary...); err != nil || !r.Exists || r.Version != 2 || !bytes.Equal(r.Data, want) || !r.Updated.Equal(c.Now()) {
		t.Fatalf("after: %+v, %v; want %q", r, err, want)
	}
	v, err = a.PutRecovery(ctx, key, 1, []byte("x"))
	stale("put on version 1", v, err)
	v, err = a.PutRecovery(ctx, key, 2, []byte("replaced\n"))
	step("put", v, err, 3)
	v, err = b.DeleteRecovery(ctx, key, 2)
	stale("delete on version 2", v, err)
	v, err = b.DeleteRecovery(ctx, key, 3)
	step("delete", v, err, 4)
	r, _ = a.Recovery(ctx, key)
	if r.Exists || r.Version != 4 || len(r.Data) != 0 {
		t.Fatalf("deleted: %+v", r)
	}
	// A host that read it before it was deleted writes nothing.
	v, err = a.AppendRecovery(ctx, key, 3, []byte("late\n"))
	stale("append after delete", v, err)
	v, err = a.AppendRecovery(ctx, key, 0, []byte("late\n"))
	stale("create a deleted one as new", v, err)
	v, err = a.AppendRecovery(ctx, key, 4, []byte("again\n"))
	step("start again", v, err, 5)
	if r, _ = b.Recovery(ctx, key); !r.Exists || string(r.Data) != "again\n" {
		t.Fatalf("started again: %+v", r)
	}
	if _, err := a.AppendRecovery(ctx, "", 0, nil); err == nil {
		t.Error("wrote a recovery without a key")
	}
}

func testRecoveryCreateRace(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	hosts := []*Store{open(t, url, c), open(t, url, c)}
	const key = "race0123456789abcdef0123"
	errs := make([]error, 6)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range errs {
		wg.Go(func() {
			start.Wait()
			_, errs[i] = hosts[i%2].AppendRecovery(ctx, key, 0, []byte(fmt.Sprintf("writer %d\n", i)))
		})
	}
	start.Done()
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, ErrStale):
			t.Errorf("writer: %v", err)
		}
	}
	r, _ := hosts[0].Recovery(ctx, key)
	if won != 1 || r.Version != 1 || bytes.Count(r.Data, []byte("\n")) != 1 {
		t.Errorf("%d writers won; %+v", won, r)
	}
}

func testAttempts(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	a, b := open(t, url, c), open(t, url, c)
	const window = 15 * time.Minute
	t0 := c.Now()
	if got, err := a.AddAttempt(ctx, ScopeCode, "192.0.2.1", window); err != nil || len(got) != 1 || !got[0].Equal(t0) {
		t.Fatalf("first: %v, %v", got, err)
	}
	c.Advance(10 * time.Minute)
	if got, _ := b.AddAttempt(ctx, ScopeCode, "192.0.2.1", window); len(got) != 2 {
		t.Fatalf("through host B: %v", got)
	}
	if got, _ := b.AddAttempt(ctx, ScopeCode, "192.0.2.2", window); len(got) != 1 {
		t.Fatalf("another address: %v", got)
	}
	if got, _ := a.Attempts(ctx, "other", "192.0.2.1", window); len(got) != 0 {
		t.Fatalf("another scope: %v", got)
	}
	c.Advance(5 * time.Minute) // the first is 15 minutes old: out of the window
	got, err := a.Attempts(ctx, ScopeCode, "192.0.2.1", window)
	if err != nil || len(got) != 1 || !got[0].Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("after 15 minutes: %v, %v", got, err)
	}
	if _, err := a.AddAttempt(ctx, ScopeCode, "192.0.2.1", 0); err == nil {
		t.Error("counted with no window")
	}
	// Old attempts are dropped, not only hidden.
	var rows int
	if err := a.db.QueryRow(`SELECT COUNT(*) FROM attempts WHERE at_ns <= $1`, nanos(c.Now().Add(-window))).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("%d old rows before the next attempt, %v", rows, err)
	}
	b.AddAttempt(ctx, ScopeCode, "192.0.2.3", window)
	a.db.QueryRow(`SELECT COUNT(*) FROM attempts WHERE at_ns <= $1`, nanos(c.Now().Add(-window))).Scan(&rows)
	if rows != 0 {
		t.Errorf("%d old rows kept", rows)
	}
}

func testAnchors(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	a, b := open(t, url, c), open(t, url, c)
	if _, ok, err := b.Anchor(ctx, "audit-head"); ok || err != nil {
		t.Fatalf("before: %v, %v", ok, err)
	}
	for _, v := range []string{`{"lines":1}`, `{"lines":2}`} {
		if err := a.SaveAnchor(ctx, "audit-head", []byte(v)); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := b.Anchor(ctx, "audit-head"); !ok || err != nil || string(got) != v {
			t.Fatalf("got %q, %v, %v; want %q", got, ok, err, v)
		}
	}
}

func testMigrations(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	// Two hosts starting at once on a new database.
	stores := make([]*Store, 3)
	errs := make([]error, len(stores))
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = Open(ctx, url, WithClock(c.Now)) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("host %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	s := stores[0]
	ms, _ := loadMigrations(s.Backend())
	count := func() (n int) {
		if err := s.db.QueryRow(`SELECT COUNT(*) FROM schema_version`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(ms) || count() != len(ms) {
		t.Fatalf("version %d (%v), %d rows; want %d", v, err, count(), len(ms))
	}
	if _, err := s.IssueCode(ctx, "a@example.com", 0); err != nil {
		t.Fatal(err)
	}
	if err := s.migrate(ctx); err != nil {
		t.Fatalf("again: %v", err)
	}
	again := open(t, url, c)
	if recs, _ := again.Codes(ctx); count() != len(ms) || len(recs) != 1 {
		t.Errorf("after migrating again: %d rows, %d codes", count(), len(recs))
	}
	// A schema from a newer mjrecover is refused, not touched.
	if _, err := s.db.Exec(`INSERT INTO schema_version (version, applied_ns) VALUES ($1, 0)`, len(ms)+1); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, url); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("newer schema: %v", err)
	}
}

// The other half of the lock's promise: a host that dies (killed, no
// Close) frees its locks.
func TestLockFreedWhenHostDies(t *testing.T) {
	onBoth(t, func(t *testing.T, url string) {
		ctx := context.Background()
		survivor := open(t, url, newClock())
		const name = "recovery:dies"
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envChildURL+"="+url, envChildLock+"="+name)
		stdin, err := cmd.StdinPipe() // kept open: the child waits on it
		if err != nil {
			t.Fatal(err)
		}
		defer stdin.Close()
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		if strings.TrimSpace(line) != childLockedSignal {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the other host did not take the lock: %q, %s", line, stderr.String())
		}
		if _, err := survivor.Lock(ctx, name); !errors.Is(err, ErrLocked) {
			t.Fatalf("while the other host lives: %v", err)
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		if survivor.Backend() == Postgres {
			// The server frees a dead session's locks when it sees its
			// connection end: wait for that, in the server's own queue.
			waitAdvisoryFree(t, url, name)
		}
		l, err := survivor.Lock(ctx, name)
		if err != nil {
			t.Fatalf("after the other host died: %v", err)
		}
		l.Unlock(ctx)
	})
}

// waitAdvisoryFree waits (a blocking pg_advisory_lock, bounded) until
// nobody holds name, then lets it go.
func waitAdvisoryFree(t *testing.T, url, name string) {
	t.Helper()
	db := adminDB(t, url)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lockKey(name)); err != nil {
		t.Fatalf("wait for the dead host's lock: %v", err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, lockKey(name)); err != nil {
		t.Fatal(err)
	}
}

// On PostgreSQL the locks live on one connection: when the server ends it
// (a network cut, a restart), another host may take them, and the host
// that lost them gets back only those nobody took.
func TestPostgresLockConnectionLost(t *testing.T) {
	url := newPostgresURL(t)
	ctx, c := context.Background(), newClock()
	a, b, third := open(t, url, c), open(t, url, c), open(t, url, c)
	lost, err := a.Lock(ctx, "recovery:lost")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Lock(ctx, "recovery:kept"); err != nil {
		t.Fatal(err)
	}
	pid := a.locks.(*pgLocker).conn.PgConn().PID()
	var ended bool
	if err := b.db.QueryRow(`SELECT pg_terminate_backend($1, 10000)`, pid).Scan(&ended); err != nil || !ended {
		t.Fatalf("end host A's lock connection: %v, %v", ended, err)
	}
	lb, err := b.Lock(ctx, "recovery:lost")
	if err != nil {
		t.Fatalf("host B, after host A's connection ended: %v", err)
	}
	// Host A's next lock makes a new connection and takes back what is free.
	if _, err := a.Lock(ctx, "recovery:new"); err != nil {
		t.Fatalf("host A after its connection ended: %v", err)
	}
	if _, err := third.Lock(ctx, "recovery:kept"); !errors.Is(err, ErrLocked) {
		t.Errorf("host A's free lock was not taken back: %v", err)
	}
	// Unlocking what it lost must not release host B's.
	if err := lost.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := third.Lock(ctx, "recovery:lost"); !errors.Is(err, ErrLocked) {
		t.Errorf("host A's unlock of a lost lock freed host B's: %v", err)
	}
	lb.Unlock(ctx)
	if _, err := third.Lock(ctx, "recovery:lost"); err != nil {
		t.Errorf("after host B unlocked: %v", err)
	}
}

func TestSQLiteFiles(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "kiosk")
	path := filepath.Join(dir, "state.db")
	s := open(t, "sqlite://"+path, newClock())
	if s.String() != "sqlite:"+path || s.Backend() != SQLite {
		t.Errorf("store %s (%s)", s, s.Backend())
	}
	if _, err := s.IssueCode(ctx, "a@example.com", 0); err != nil {
		t.Fatal(err)
	}
	l, err := s.Lock(ctx, "recovery:1")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock(ctx)
	var mode string
	s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal mode %q", mode)
	}
	for name, want := range map[string]os.FileMode{dir: 0o700, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600, path + ".locks": 0o700} {
		info, err := os.Stat(name)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", name, got, want)
		}
	}
	for _, bad := range []string{"sqlite:", "sqlite:a?b.db", "mysql://u:hunter2@db/x", "host=db password=hunter2"} {
		_, err := Open(ctx, bad)
		if err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open(%q): %v", bad, err)
		}
	}
	link := filepath.Join(dir, "link.db")
	os.Symlink(path, link)
	if _, err := Open(ctx, "sqlite:"+link); err == nil {
		t.Error("opened a database through a symlink")
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://kiosk:hunter2@db.example:5432/state":         "postgres://kiosk:xxxxx@db.example:5432/state",
		"postgres://db.example/state?password=hunter2&x=1":       "postgres://db.example/state?password=xxxxx&x=1",
		"postgresql://kiosk@db.example/state?sslmode=require":    "postgresql://kiosk@db.example/state?sslmode=require",
		"postgres://kiosk:hunter2@db.example:bad port/state\x7f": "(a URL that cannot be read)",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
	_, err := Open(context.Background(), "postgres://kiosk:hunter2@127.0.0.1:1/state?connect_timeout=5")
	if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "xxxxx") {
		t.Errorf("Open with a password: %v", err)
	}
}

// The store's codes are steps/access's: a code the codes file issued
// opens through the store, with the same state key.
func TestCodeCompatibleWithAccess(t *testing.T) {
	files := &access.Store{Path: filepath.Join(t.TempDir(), "codes.json")}
	issued, err := files.Issue("customer@example.com", 0)
	if err != nil {
		t.Fatal(err)
	}
	s := open(t, "sqlite:"+filepath.Join(t.TempDir(), "state.db"), newClock())
	ctx := context.Background()
	if _, err := s.Import(ctx, Files{Codes: files.Path}); err != nil {
		t.Fatal(err)
	}
	want, err := files.Redeem(issued.Code)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.RedeemCode(ctx, issued.Code)
	if err != nil {
		t.Fatal(err)
	}
	if got.StateKey != want.StateKey || got.ID != want.ID || got.Account != want.Account {
		t.Errorf("store grant %+v, file grant %+v", got, want)
	}
	// And the other way: a code the store issued opens from the file's
	// record format (one helper draws and hashes both).
	issued, err = s.IssueCode(ctx, "other@example.com", 0)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := s.Codes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := access.Normalize(issued.Code)
	i := slices.IndexFunc(recs, func(r access.Record) bool { return r.ID == issued.ID })
	if i < 0 || recs[i].Hash != access.Hash(code) {
		t.Fatalf("the store's record of %s: %+v", issued.ID, recs)
	}
	fromRecord, err := recs[i].Grant(code, s.Now())
	fromStore, serr := s.RedeemCode(ctx, issued.Code)
	if err != nil || serr != nil || fromRecord.ID != issued.ID || fromRecord.StateKey != fromStore.StateKey {
		t.Errorf("the store's record opens %+v, %v; the store %+v, %v", fromRecord, err, fromStore, serr)
	}
}
