package kioskstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The PostgreSQL tests need a server: TestMain starts a throwaway cluster
// through .ci/postgres once for the package, or uses
// MJRECOVER_STORE_TEST_URL (a role that may create databases: each test
// gets a database of its own).
const (
	envTestURL        = "MJRECOVER_STORE_TEST_URL"
	envRequire        = "MJRECOVER_REQUIRE_POSTGRES"
	envChildURL       = "KIOSKSTORE_TEST_CHILD_URL"
	envChildLock      = "KIOSKSTORE_TEST_CHILD_LOCK"
	pgNotInstalled    = 3 // .ci/postgres's exit status
	howToRunPostgres  = "install PostgreSQL (apt-get install postgresql) or set " + envTestURL + "=postgres://..."
	childLockedSignal = "locked"
)

// postgres is the server of this run: its URL, or why there is none.
var postgres struct {
	url     string
	skip    string // no PostgreSQL here: the tests skip, saying how to run them
	failure string // PostgreSQL should be there and is not: the tests fail
}

func TestMain(m *testing.M) {
	if os.Getenv(envChildURL) != "" {
		os.Exit(holdLockChild())
	}
	stop := startPostgres()
	code := m.Run()
	stop()
	os.Exit(code)
}

// startPostgres sets postgres up and returns what stops it.
func startPostgres() (stop func()) {
	if u := os.Getenv(envTestURL); u != "" {
		postgres.url = u
		return func() {}
	}
	dir, err := os.MkdirTemp("", "kioskstore-pg-")
	if err != nil {
		postgres.failure = err.Error()
		return func() {}
	}
	script, _ := filepath.Abs(filepath.Join("..", "..", ".ci", "postgres"))
	var stderr bytes.Buffer
	cmd := exec.Command("bash", script, "start", dir)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == pgNotInstalled && os.Getenv(envRequire) != "1":
		postgres.skip = "PostgreSQL tests skipped: " + strings.TrimSpace(stderr.String()) + "; to run them, " + howToRunPostgres
	case err != nil:
		postgres.failure = fmt.Sprintf(".ci/postgres start: %v: %s", err, strings.TrimSpace(stderr.String()))
	default:
		postgres.url = strings.TrimSpace(string(out))
	}
	return func() {
		if postgres.url != "" {
			if out, err := exec.Command("bash", script, "stop", dir).CombinedOutput(); err != nil {
				fmt.Fprintf(os.Stderr, ".ci/postgres stop: %v: %s\n", err, out)
			}
		}
		os.RemoveAll(dir)
	}
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

var databases atomic.Int64

// newPostgresURL makes a database of the test's own, dropped after it.
func newPostgresURL(t *testing.T) string {
	t.Helper()
	switch {
	case postgres.failure != "":
		t.Fatalf("PostgreSQL: %s", postgres.failure)
	case postgres.skip != "":
		t.Skip(postgres.skip)
	}
	admin := adminDB(t, postgres.url)
	name := fmt.Sprintf("kioskstore_%d_%d", os.Getpid(), databases.Add(1))
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create a test database: %v", err)
	}
	t.Cleanup(func() {
		// After the test's stores closed (cleanups run last first).
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop the test database: %v", err)
		}
	})
	u, err := url.Parse(postgres.url)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// adminDB is a plain connection to rawURL, closed after the test.
func adminDB(t *testing.T, rawURL string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", rawURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

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
