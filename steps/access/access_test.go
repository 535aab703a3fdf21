package access

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newStore(t *testing.T) (*Store, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
	return &Store{Path: filepath.Join(t.TempDir(), "kiosk", "codes.json"), Now: c.Now}, c
}

func TestIssueAndRedeemOnce(t *testing.T) {
	s, _ := newStore(t)
	is, err := s.Issue("jane@example.com", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(is.Code) != 14 || strings.Count(is.Code, "-") != 2 {
		t.Fatalf("code %q is not in the ABCD-EFGH-JKMN form", is.Code)
	}
	g, err := s.Redeem(is.Code)
	if err != nil {
		t.Fatalf("redeem: %v", err)
	}
	if g.Account != "jane@example.com" || g.ID != is.ID || g.StateKey == "" {
		t.Fatalf("grant %+v", g)
	}
	if g.Resumed {
		t.Fatal("a first use is marked resumed")
	}
	// Until the recovery is finished, the code reopens it.
	again, err := s.Redeem(is.Code)
	if err != nil || !again.Resumed || again.StateKey != g.StateKey || again.ID != g.ID {
		t.Fatalf("second use: %+v %v, want the same recovery, resumed", again, err)
	}
	if err := s.Finish(is.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Redeem(is.Code); !errors.Is(err, ErrUsed) {
		t.Fatalf("use after the recovery finished: %v, want ErrUsed", err)
	}
}

func TestCodeIsStoredHashedInAPrivateFile(t *testing.T) {
	s, _ := newStore(t)
	is, err := s.Issue("jane@example.com", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := Normalize(is.Code)
	if strings.Contains(string(data), plain) || strings.Contains(string(data), is.Code) {
		t.Fatalf("the codes file holds the code:\n%s", data)
	}
	info, err := os.Stat(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("codes file mode %v, want 0600", info.Mode().Perm())
	}
	dir, _ := os.Stat(filepath.Dir(s.Path))
	if dir.Mode().Perm() != 0o700 {
		t.Fatalf("codes folder mode %v, want 0700", dir.Mode().Perm())
	}
	g, _ := s.Redeem(is.Code)
	if strings.Contains(string(data), g.StateKey) {
		t.Fatal("the state key can be read from the codes file")
	}
}

func TestExpiredAndWrongCodes(t *testing.T) {
	s, c := newStore(t)
	is, err := s.Issue("jane@example.com", 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Redeem("ABCD-EFGH-JKMN"); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("unknown code: %v", err)
	}
	if _, err := s.Redeem("not a code"); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("malformed code: %v", err)
	}
	c.Add(30 * time.Minute)
	if _, err := s.Redeem(is.Code); !errors.Is(err, ErrExpired) {
		t.Fatalf("expired code: %v", err)
	}
	for _, err := range []error{ErrWrongCode, ErrExpired, ErrUsed} {
		if strings.Contains(err.Error(), is.Code) {
			t.Fatal("an error holds the code")
		}
	}
	// Spent codes leave the file after a day.
	c.Add(25 * time.Hour)
	if _, err := s.Issue("bob@example.com", 0); err != nil {
		t.Fatal(err)
	}
	recs, err := s.Records()
	if err != nil || len(recs) != 1 || recs[0].Account != "bob@example.com" {
		t.Fatalf("records after a day: %+v %v", recs, err)
	}
}

func TestCodesAreTypedLoosely(t *testing.T) {
	s, _ := newStore(t)
	is, err := s.Issue("jane@example.com", 0)
	if err != nil {
		t.Fatal(err)
	}
	typed := strings.ToLower(strings.ReplaceAll(is.Code, "-", " "))
	typed = strings.ReplaceAll(strings.ReplaceAll(typed, "0", "o"), "1", "l")
	if _, err := s.Redeem(" " + typed + " "); err != nil {
		t.Fatalf("redeem %q (for %q): %v", typed, is.Code, err)
	}
}

func TestIssueRefusesBadInput(t *testing.T) {
	s, _ := newStore(t)
	for _, acct := range []string{"", "jane", "jane @example.com"} {
		if _, err := s.Issue(acct, 0); err == nil {
			t.Errorf("issued a code for %q", acct)
		}
	}
	if _, err := s.Issue("jane@example.com", -time.Minute); err == nil {
		t.Error("issued a code valid for a negative time")
	}
	if _, err := s.Issue("jane@example.com", 8*24*time.Hour); err == nil {
		t.Error("issued a code valid for 8 days")
	}
}

// Two stores on one file stand for the server and issue-code: under the
// file lock, no code is lost.
func TestTwoProcessesShareTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "codes.json")
	a, b := &Store{Path: path}, &Store{Path: path}
	var wg sync.WaitGroup
	codes := make(chan string, 40)
	for _, s := range []*Store{a, b} {
		wg.Add(1)
		go func(s *Store) {
			defer wg.Done()
			for range 20 {
				is, err := s.Issue("jane@example.com", 0)
				if err != nil {
					t.Error(err)
					return
				}
				codes <- is.Code
			}
		}(s)
	}
	wg.Wait()
	close(codes)
	seen := map[string]bool{}
	for c := range codes {
		seen[c] = true
	}
	recs, err := a.Records()
	if err != nil || len(recs) != 40 || len(seen) != 40 {
		t.Fatalf("%d records, %d distinct codes, err %v; want 40", len(recs), len(seen), err)
	}
	for c := range seen {
		if _, err := b.Redeem(c); err != nil {
			t.Fatalf("redeem: %v", err)
		}
	}
}

func TestThrottleDoublesAndLocks(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: time.Unix(1e9, 0)}
	th := &Throttle{Base: 100 * time.Millisecond, Max: time.Second, PerAddress: 4, Window: 10 * time.Minute, Now: c.Now}
	if got := []time.Duration{th.Delay(1), th.Delay(2), th.Delay(3), th.Delay(5)}; got[0] != 100*time.Millisecond ||
		got[1] != 200*time.Millisecond || got[2] != 400*time.Millisecond || got[3] != time.Second {
		t.Fatalf("delays %v", got)
	}
	for i := 1; i <= 4; i++ {
		a, ok, _, err := th.Try(ctx, "192.0.2.1")
		if err != nil || !ok {
			t.Fatalf("try %d: ok %v, %v", i, ok, err)
		}
		if n, err := a.Wrong(ctx); n != i || err != nil {
			t.Fatalf("try %d: wrong %d, %v", i, n, err)
		}
		c.Add(time.Minute)
	}
	if _, ok, wait, _ := th.Try(ctx, "192.0.2.1"); ok || wait != 6*time.Minute {
		t.Fatalf("fifth try: ok %v wait %v; want refused for 6m", ok, wait)
	}
	if left, _, _ := th.Left(ctx, "192.0.2.2"); left != 4 {
		t.Fatalf("another address has %d tries", left)
	}
	c.Add(6 * time.Minute) // the first try leaves the window
	a, ok, _, _ := th.Try(ctx, "192.0.2.1")
	if !ok {
		t.Fatal("still locked after the window")
	}
	a.Right()
	if left, _, _ := th.Left(ctx, "192.0.2.1"); left != 1 {
		t.Fatalf("a right try still counts: %d left", left)
	}
}

// TestManyPeopleBehindOneAddress: sessions opening together from one
// address are not taken for guessing; wrong codes still lock it out.
func TestManyPeopleBehindOneAddress(t *testing.T) {
	ctx := context.Background()
	th := &Throttle{PerAddress: 3}
	var open []*Attempt
	for i := 0; i < 3*pendingFactor; i++ {
		a, ok, _, _ := th.Try(ctx, "10.0.0.1")
		if !ok {
			t.Fatalf("try %d refused while the others are being checked", i+1)
		}
		open = append(open, a)
	}
	// Beyond the bound the address is busy, not locked out: no wrong code
	// was typed.
	if _, ok, wait, err := th.Try(ctx, "10.0.0.1"); ok || !errors.Is(err, ErrBusy) || wait <= 0 {
		t.Fatalf("no bound on tries being checked at once (ok %v, err %v, wait %v)", ok, err, wait)
	}
	for _, a := range open {
		a.Right()
	}
	for i := 0; i < 3; i++ {
		a, ok, _, _ := th.Try(ctx, "10.0.0.1")
		if !ok {
			t.Fatalf("wrong try %d refused early", i+1)
		}
		if n, _ := a.Wrong(ctx); n != i+1 {
			t.Fatalf("wrong count %d, want %d", n, i+1)
		}
	}
	if _, ok, wait, err := th.Try(ctx, "10.0.0.1"); ok || wait <= 0 || err != nil {
		t.Fatalf("three wrong codes did not lock the address out (err %v)", err)
	}
}

// sharedAttempts stands for a store two hosts share: one list of tries.
type sharedAttempts struct {
	memoryAttempts
	adds int
}

func (s *sharedAttempts) AddAttempt(ctx context.Context, scope, address string, window time.Duration) ([]time.Time, error) {
	s.adds++
	return s.memoryAttempts.AddAttempt(ctx, scope, address, window)
}

// TestThrottleSharedByHosts: two hosts' throttles over one Attempts: the
// wrong tries through one count on the other, by the Attempts' clock;
// the tries being checked stay each host's own.
func TestThrottleSharedByHosts(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: time.Unix(1e9, 0)}
	shared := &sharedAttempts{memoryAttempts: memoryAttempts{now: c.Now, tries: map[string][]time.Time{}}}
	a := &Throttle{PerAddress: 2, Window: 10 * time.Minute, Attempts: shared}
	b := &Throttle{PerAddress: 2, Window: 10 * time.Minute, Attempts: shared}
	for _, th := range []*Throttle{a, b} {
		try, ok, _, err := th.Try(ctx, "192.0.2.5")
		if !ok || err != nil {
			t.Fatalf("try: %v %v", ok, err)
		}
		try.Wrong(ctx)
		c.Add(time.Minute)
	}
	if left, wait, _ := a.Left(ctx, "192.0.2.5"); left != 0 || wait != 8*time.Minute {
		t.Errorf("host a after a wrong code on each host: %d left, wait %v; want 0 and 8m", left, wait)
	}
	if _, ok, _, _ := b.Try(ctx, "192.0.2.5"); ok {
		t.Error("host b let a third wrong code through")
	}
	if shared.adds != 2 {
		t.Errorf("%d tries counted in the shared store, want 2", shared.adds)
	}
}
