package kiosk

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/steps/kioskstore"
	"github.com/mjrecover/mjrecover/steps/kioskstore/storetest"
)

// postgres is the throwaway PostgreSQL of this test binary (started once,
// through .ci/postgres), for the kiosks that share one.
var postgres *storetest.Server

func TestMain(m *testing.M) {
	// A command run without --state-dir must not meet the state folder
	// of whoever runs the tests.
	home, err := os.MkdirTemp("", "kiosk-test-state-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_STATE_HOME", home)
	postgres = storetest.Start()
	code := m.Run()
	postgres.Stop()
	os.RemoveAll(home)
	os.Exit(code)
}

// openStore opens the store at url as one more host would, closed after
// the test.
func openStore(t *testing.T, url string) *kioskstore.Store {
	t.Helper()
	st, err := kioskstore.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newTestServer is a demo server over a SQLite store of its own, for the
// tests that drive its pages without SSH; opts gives the rest.
func newTestServer(t *testing.T, opts Options) *Server {
	t.Helper()
	dir := t.TempDir()
	opts.Demo, opts.HostKeyPath = true, filepath.Join(dir, "host")
	opts.Store = openStore(t, kioskstore.URLIn(dir))
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.audit.Close() }) // before the store closes
	return srv
}

// auditLines are the lines of the store's audit chain (after k.stop, which
// writes what is queued).
func auditLines(t *testing.T, url string) [][]byte {
	t.Helper()
	var out [][]byte
	err := openStore(t, url).AuditLines(context.Background(), 0, func(_ int64, line []byte) error {
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// auditEntries are the entries of the store's audit chain.
func auditEntries(t *testing.T, url string) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	for _, line := range auditLines(t, url) {
		var e audit.Entry
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		out = append(out, e)
	}
	return out
}
