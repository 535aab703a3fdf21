package audit_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/steps/kioskstore"
)

// The chain in the kiosk's store (steps/kioskstore, SQLite here; its own
// tests append from two hosts on PostgreSQL too).

func openStores(t *testing.T, n int) (string, []*kioskstore.Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	var out []*kioskstore.Store
	for range n {
		s, err := kioskstore.Open(context.Background(), "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out = append(out, s)
	}
	return path, out
}

// Two hosts post at once: one chain, every entry once, in one order.
func TestChainInTheStoreFromTwoHosts(t *testing.T) {
	_, stores := openStores(t, 2)
	const each = 40
	var wg sync.WaitGroup
	for h, s := range stores {
		log := audit.OpenChain(s.AuditChain(), func(err error) { t.Error(err) })
		wg.Go(func() {
			for i := range each {
				log.Post(audit.Entry{Event: audit.EventStep, Detail: fmt.Sprintf("host %d entry %d", h, i)})
			}
			if err := log.Close(); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	chain := stores[0].AuditChain()
	rep, err := audit.VerifyChain(context.Background(), chain)
	if err != nil || rep.Lines != 2*each || !rep.Anchored || rep.After != 0 || rep.Sealed != 0 {
		t.Fatalf("verify: %+v, %v", rep, err)
	}
	seen := map[string]bool{}
	var seq int64
	err = chain.ChainLines(context.Background(), rep.Lines, func(line []byte) error {
		seq++
		if !strings.Contains(string(line), fmt.Sprintf(`"seq":%d,`, seq)) {
			return fmt.Errorf("line %d: %s", seq, line)
		}
		seen[string(line[strings.Index(string(line), `"detail"`):])] = true
		return nil
	})
	if err != nil || len(seen) != 2*each {
		t.Errorf("%d distinct lines, %v", len(seen), err)
	}
}

// A change made in the database behind the kiosk's back is named; so is
// a line removed from the end.
func TestChainInTheStoreNamesTheChangedLine(t *testing.T) {
	path, stores := openStores(t, 1)
	log := audit.OpenChain(stores[0].AuditChain(), nil)
	for i := range 4 {
		if err := log.Append(context.Background(), audit.Entry{Event: audit.EventStep, Result: fmt.Sprint("result-", i)}); err != nil {
			t.Fatal(err)
		}
	}
	log.Close()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	chain := stores[0].AuditChain()

	if _, err := db.Exec(`DELETE FROM audit_lines WHERE seq = 4`); err != nil {
		t.Fatal(err)
	}
	var broken *audit.BrokenError
	if _, err := audit.VerifyChain(context.Background(), chain); !errors.As(err, &broken) || broken.Line != 4 || !strings.HasPrefix(broken.Reason, "missing") {
		t.Errorf("the last line removed: %v", err)
	}
	if _, err := db.Exec(`UPDATE audit_lines SET line = CAST(REPLACE(CAST(line AS TEXT), 'result-1', 'result-X') AS BLOB) WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := audit.VerifyChain(context.Background(), chain); !errors.As(err, &broken) || broken.Line != 2 || !broken.Sure {
		t.Errorf("line 2 changed: %v", err)
	}
}

// SignChain signs the head; lines after it are said to be after it.
func TestSignChainInTheStore(t *testing.T) {
	_, stores := openStores(t, 2)
	log := audit.OpenChain(stores[0].AuditChain(), nil)
	defer log.Close()
	for range 3 {
		if err := log.Append(context.Background(), audit.Entry{Event: audit.EventStep}); err != nil {
			t.Fatal(err)
		}
	}
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	signer, err := gossh.NewSignerFromKey(key)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 4, 14, 0, 0, time.UTC)
	rep, err := audit.SignChain(context.Background(), stores[1].AuditChain(), signer, now)
	if err != nil || rep.Sealed != 3 || !rep.SealTime.Equal(now) {
		t.Fatalf("sign: %+v, %v", rep, err)
	}
	if err := log.Append(context.Background(), audit.Entry{Event: audit.EventStep}); err != nil {
		t.Fatal(err)
	}
	rep, err = audit.VerifyChain(context.Background(), stores[0].AuditChain())
	if err != nil || rep.Lines != 4 || rep.Sealed != 3 || gossh.FingerprintSHA256(rep.SealKey) != gossh.FingerprintSHA256(signer.PublicKey()) {
		t.Errorf("verify after signing: %+v, %v", rep, err)
	}
}
