package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/kioskstore/storetest"
)

// The benchmark run small, as CI can afford: a few sessions through the
// real kiosk binary (built once for the test binary), with the real
// PostgreSQL for two hosts when the kiosk takes --store. No timing is
// asserted: what must hold is that every session got in, and every key
// was seen on screen.

var (
	kioskPath string // the mjrecover binary the tests run
	postgres  *storetest.Server
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mjrecover-loadtest-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if kioskPath, err = buildKiosk(context.Background(), dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	postgres = storetest.Start()
	code := m.Run()
	postgres.Stop()
	os.RemoveAll(dir)
	os.Exit(code)
}

// configFor parses flags as the command does, with the test's binary and
// folder.
func configFor(t *testing.T, args ...string) config {
	t.Helper()
	args = append([]string{"--kiosk", kioskPath, "--keep", t.TempDir(), "--settle", "200ms", "--think", "20ms"}, args...)
	var stdout, stderr bytes.Buffer
	cfg, code, ok := parseFlags(t.Context(), args, &stdout, &stderr)
	if !ok {
		t.Fatalf("parseFlags: status %d: %s", code, stderr.String())
	}
	return cfg
}

// bench runs cfg's runs and returns their results and the table.
func bench(t *testing.T, cfg config) ([]result, string) {
	t.Helper()
	var log, table bytes.Buffer
	results, err := benchmark(t.Context(), cfg, &log)
	if err != nil {
		t.Fatalf("benchmark: %v\n%s", err, log.String())
	}
	report(&table, describeMachine(), cfg, results)
	return results, table.String()
}

// requireAllThrough checks that every session reached the wizard and
// every key showed on screen, on hosts whose memory was read.
func requireAllThrough(t *testing.T, r result, keys int) {
	t.Helper()
	n := r.spec.sessions
	if len(r.admission) != n || r.admittedWithin != n || len(r.failures) > 0 {
		t.Fatalf("%s: %d admitted (%d in time), failures %v", r.spec, len(r.admission), r.admittedWithin, r.failures)
	}
	if len(r.redraws) != n*keys || r.missed > 0 || len(r.typingErrs) > 0 {
		t.Fatalf("%s: %d of %d keys redrawn, %d missed: %v", r.spec, len(r.redraws), n*keys, r.missed, r.typingErrs)
	}
	if len(r.hosts) != r.spec.hosts {
		t.Fatalf("%s: numbers for %d hosts", r.spec, len(r.hosts))
	}
	for i, h := range r.hosts {
		if h.base.rss <= 0 || h.idle.rss <= 0 || h.end.hwm < h.idle.rss {
			t.Errorf("%s: host %d: memory not read: %+v", r.spec, i, h)
		}
	}
}

func TestOneHostAdmitsEverySessionAndSeesEveryKey(t *testing.T) {
	const keys = 10 // more than maxTyped: letters, then backspaces
	cfg := configFor(t, "--runs", "3x1", "--keys", fmt.Sprint(keys))
	results, table := bench(t, cfg)
	if len(results) != 1 {
		t.Fatalf("%d results, want 1", len(results))
	}
	requireAllThrough(t, results[0], keys)
	if !strings.Contains(table, "| 3 | 1 | default | 3 of 3 |") {
		t.Errorf("the table does not show the run:\n%s", table)
	}
}

func TestTwoHostsShareTheStore(t *testing.T) {
	const keys = 4
	probe := configFor(t, "--runs", "4x2", "--keys", fmt.Sprint(keys), "--store", "postgres://127.0.0.1:1/unused")
	if !probe.bin.takesStore() {
		// The kiosk cannot share its state yet: the run says so instead
		// of starting hosts that would not share their codes.
		results, table := bench(t, probe)
		if len(results) != 1 || !strings.Contains(results[0].skipped, "does not accept --store") {
			t.Fatalf("a two-host run should be skipped, got %+v", results)
		}
		if !strings.Contains(table, "skipped") {
			t.Errorf("the table does not say the run was skipped:\n%s", table)
		}
		t.Skip("this mjrecover kiosk does not accept --store yet")
	}
	cfg := configFor(t, "--runs", "4x2", "--keys", fmt.Sprint(keys), "--store", postgres.NewDatabase(t))
	results, table := bench(t, cfg)
	if len(results) != 1 || results[0].skipped != "" {
		t.Fatalf("want one run made, got %+v", results)
	}
	// Every code was issued through the first host: the second host's
	// sessions got in with codes it never issued.
	requireAllThrough(t, results[0], keys)
	if results[0].storeName != "PostgreSQL" || !strings.Contains(table, "| 4 | 2 | PostgreSQL | 4 of 4 |") {
		t.Errorf("the table does not show the two-host run:\n%s", table)
	}
}

func TestSeveralHostsWithoutAStoreAreSkipped(t *testing.T) {
	cfg := configFor(t, "--runs", "2x2")
	results, _ := bench(t, cfg)
	if len(results) != 1 || !strings.Contains(results[0].skipped, "none given") {
		t.Fatalf("want the run skipped for want of --store, got %+v", results)
	}
}

func TestParseRuns(t *testing.T) {
	runs, err := parseRuns("50x1, 200x2")
	if err != nil || len(runs) != 2 || runs[0] != (runSpec{50, 1}) || runs[1] != (runSpec{200, 2}) {
		t.Fatalf("parseRuns: %v, %v", runs, err)
	}
	for _, bad := range []string{"", "50", "x2", "0x1", "2x3", "50x1,abc"} {
		if _, err := parseRuns(bad); err == nil {
			t.Errorf("parseRuns(%q) accepted it", bad)
		}
	}
}

func TestPercentileByNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond} {
		if got := percentile(ds, p); got != want {
			t.Errorf("p%v = %s, want %s", p, got, want)
		}
	}
	if got := percentile(nil, 99); got != 0 {
		t.Errorf("p99 of nothing = %s", got)
	}
}

func TestFieldKeysChangeTheFieldEachTime(t *testing.T) {
	f := &field{base: "http://127.0.0.1:8080/"}
	seen := f.base
	for range 3 * maxTyped {
		key, want := f.next()
		if want == seen || key == "" {
			t.Fatalf("key %q leaves the field as %q", key, want)
		}
		if !fieldShows(want)("│ "+want+" │") || fieldShows(want)("│ "+want+"z │") {
			t.Fatalf("fieldShows(%q) misreads the field", want)
		}
		seen = want
	}
}

func TestClientAddressesAreLoopbackOnes(t *testing.T) {
	if got := clientAddress("127.0.0.1:2222", 0, 200); got.String() != "127.0.0.2" {
		t.Errorf("first address %s, want 127.0.0.2", got)
	}
	if got := clientAddress("127.0.0.1:2222", 300, 1000); got.String() != "127.0.1.46" {
		t.Errorf("address 300: %s, want 127.0.1.46", got)
	}
	if got := clientAddress("127.0.0.1:2222", 7, 1); got.String() != "127.0.0.2" {
		t.Errorf("with one address: %s", got)
	}
	if got := clientAddress("192.0.2.1:22", 0, 10); got != nil {
		t.Errorf("a kiosk off loopback: %s, want none", got)
	}
}
