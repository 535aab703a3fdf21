package kioskstore

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/kioskstore/storetest"
)

// The PostgreSQL tests need a server: TestMain starts a throwaway cluster
// through .ci/postgres once for the package (storetest), or uses
// MJRECOVER_STORE_TEST_URL; each test gets a database of its own.
const (
	envChildURL       = "KIOSKSTORE_TEST_CHILD_URL"
	envChildLock      = "KIOSKSTORE_TEST_CHILD_LOCK"
	childLockedSignal = "locked"
)

// postgres is the server of this run.
var postgres *storetest.Server

func TestMain(m *testing.M) {
	if os.Getenv(envChildURL) != "" {
		os.Exit(holdLockChild())
	}
	postgres = storetest.Start()
	code := m.Run()
	postgres.Stop()
	os.Exit(code)
}

// backend is one of the two backends the suite runs on.
type backend struct {
	name   string
	newURL func(t *testing.T) string // a new, empty store
}

var backends = []backend{
	{SQLite, func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "state.db") }},
	{Postgres, newPostgresURL},
}

// onBoth runs test on each backend.
func onBoth(t *testing.T, test func(t *testing.T, url string)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b.newURL(t)) })
	}
}

// newPostgresURL makes a database of the test's own, dropped after it.
func newPostgresURL(t *testing.T) string { return postgres.NewDatabase(t) }

// adminDB is a plain connection to rawURL, closed after the test.
func adminDB(t *testing.T, rawURL string) *sql.DB { return storetest.Connect(t, rawURL) }

// clock is a test's time, shared by its hosts, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 20, 4, 14, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// open opens url as one host, closed after the test.
func open(t *testing.T, url string, c *clock) *Store {
	t.Helper()
	s, err := Open(context.Background(), url, WithClock(c.Now))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// holdLockChild is a host that takes a lock and then waits to be killed
// (TestLockFreedWhenHostDies): it says "locked" on stdout once it holds it.
func holdLockChild() int {
	ctx := context.Background()
	s, err := Open(ctx, os.Getenv(envChildURL))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := s.Lock(ctx, os.Getenv(envChildLock)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(childLockedSignal)
	io.Copy(io.Discard, os.Stdin) // until killed
	return 0
}
