// Package storetest gives tests a throwaway PostgreSQL for the kiosk's
// store: one cluster per test binary, started on loopback through the
// repository's .ci/postgres when a first test needs it (or the server
// MJRECOVER_STORE_TEST_URL names), and a database of its own for each
// test.
//
//	var pg *storetest.Server
//
//	func TestMain(m *testing.M) {
//		pg = storetest.Start()
//		code := m.Run()
//		pg.Stop()
//		os.Exit(code)
//	}
//
// A test then asks pg.NewDatabase(t) for a postgres:// URL. Where
// PostgreSQL is not installed the test is skipped, saying how to run it,
// unless MJRECOVER_REQUIRE_POSTGRES is 1 (CI sets it): then it fails.
package storetest

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// The environment a Server reads.
const (
	// EnvURL names a server to use instead of starting one: a role that
	// may create databases.
	EnvURL = "MJRECOVER_STORE_TEST_URL"
	// EnvRequire set to 1 makes a missing PostgreSQL a failure.
	EnvRequire = "MJRECOVER_REQUIRE_POSTGRES"
)

// notInstalled is .ci/postgres's exit status when PostgreSQL is missing.
const notInstalled = 3

const howTo = "install PostgreSQL (apt-get install postgresql) or set " + EnvURL + "=postgres://..."

// Server is the PostgreSQL of one test binary, or why there is none.
type Server struct {
	once    sync.Once
	url     string
	skip    string // no PostgreSQL here: tests skip, saying this
	failure string // PostgreSQL should be there and is not: tests fail
	dir     string // the cluster's folder, when it made one
	script  string
	dbs     atomic.Int64
}

// Start sets the server up. The cluster starts with the first test that
// asks for a database (a run of other tests starts none), or EnvURL's
// server is used. It never fails: what went wrong is said by each test
// that asks for a database.
func Start() *Server { return &Server{} }

// start starts the cluster, once.
func (s *Server) start() {
	if u := os.Getenv(EnvURL); u != "" {
		s.url = u
		return
	}
	root, err := moduleRoot()
	if err != nil {
		s.failure = err.Error()
		return
	}
	s.script = filepath.Join(root, ".ci", "postgres")
	// Under the temporary folder (/tmp): the cluster runs as the postgres
	// user when tests run as root, and that user must reach the folder.
	if s.dir, err = os.MkdirTemp("", "mjrecover-pg-"); err != nil {
		s.failure = err.Error()
		return
	}
	var stderr bytes.Buffer
	cmd := exec.Command("bash", s.script, "start", s.dir)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == notInstalled && os.Getenv(EnvRequire) != "1":
		s.skip = "PostgreSQL tests skipped: " + strings.TrimSpace(stderr.String()) + "; to run them, " + howTo
	case err != nil:
		s.failure = fmt.Sprintf(".ci/postgres start: %v: %s", err, strings.TrimSpace(stderr.String()))
	default:
		s.url = strings.TrimSpace(string(out))
	}
}

// Stop stops the cluster, if one was started, and removes its folder.
func (s *Server) Stop() {
	s.once.Do(func() {}) // none starts from here on
	if s.dir == "" {
		return
	}
	if s.url != "" {
		if out, err := exec.Command("bash", s.script, "stop", s.dir).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, ".ci/postgres stop: %v: %s\n", err, out)
		}
	}
	os.RemoveAll(s.dir)
}

// NewDatabase makes a database for t and returns its URL; it is dropped
// when t ends, after the cleanups t registers later (its stores close
// first). t is skipped when there is no PostgreSQL here and none is
// required.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	s.once.Do(s.start)
	switch {
	case s.failure != "":
		t.Fatalf("PostgreSQL: %s", s.failure)
	case s.skip != "":
		t.Skip(s.skip)
	}
	admin := s.Admin(t)
	name := fmt.Sprintf("mjrtest_%d_%d", os.Getpid(), s.dbs.Add(1))
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create a test database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop the test database: %v", err)
		}
	})
	u, err := url.Parse(s.url)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Admin is a plain connection to the server's first database, closed
// when t ends.
func (s *Server) Admin(t testing.TB) *sql.DB {
	t.Helper()
	return Connect(t, s.url)
}

// Connect is a plain connection to rawURL (a test database, to look at
// or break what the store keeps), closed when t ends.
func Connect(t testing.TB, rawURL string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", rawURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// moduleRoot is the folder of the go.mod above the working directory
// (a test runs in its package's folder).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("storetest: no go.mod above the working directory, so no .ci/postgres")
		}
		dir = parent
	}
}
