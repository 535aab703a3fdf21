package kiosk

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/steps/access"
	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/steps/kioskstore"
	"github.com/mjrecover/mjrecover/steps/record"
	"github.com/mjrecover/mjrecover/steps/support"
)

// The kiosk's state in its store, over the real OpenSSH client: two hosts
// with homes and state folders of their own share one PostgreSQL; one
// host keeps it in its default SQLite file; a first start imports the
// files of the kiosk before the store.

// TestTwoHostsShareOnePostgres: a code issued through host A opens the
// wizard on host B; the recovery open on A cannot open on B meanwhile;
// dropped on A, it resumes through B at the step it was at.
func TestTwoHostsShareOnePostgres(t *testing.T) {
	requireSSH(t)
	url := postgres.NewDatabase(t)
	a := startKiosk(t, "--store", url)
	b := startKiosk(t, "--store", url)
	if a.stateDir == b.stateDir || a.home == b.home {
		t.Fatal("the hosts share a folder")
	}
	recoveryAcrossHosts(t, a, b)
	// Both hosts wrote to one chain, which holds together.
	a.stop()
	b.stop()
	if rep, err := audit.VerifyChain(context.Background(), openStore(t, url).AuditChain()); err != nil || rep.Lines == 0 {
		t.Errorf("the shared audit chain: %+v, %v", rep, err)
	}
	var hosts []string
	for _, e := range auditEntries(t, url) {
		if e.Event == audit.EventSessionStart {
			hosts = append(hosts, e.Session)
		}
	}
	if len(hosts) < 4 {
		t.Errorf("%d sessions in the shared chain, want the 4 of both hosts", len(hosts))
	}
}

// TestOneHostWithSQLite: the same on one host, with its default store.
func TestOneHostWithSQLite(t *testing.T) {
	requireSSH(t)
	k := startKiosk(t)
	if !strings.Contains(k.stderr.String(), "State in sqlite:"+filepath.Join(k.stateDir, "state.db")) {
		t.Errorf("the kiosk did not say where its state is:\n%s", k.stderr.String())
	}
	recoveryAcrossHosts(t, k, k)
}

// recoveryAcrossHosts walks one recovery through hosts a and b (one host
// twice, for a single kiosk).
func recoveryAcrossHosts(t *testing.T, a, b *kioskUnderTest) {
	t.Helper()
	code := a.issue(t)
	id := codeID(t, a.store, code)

	// Issued through A, it opens the wizard on B.
	first := b.enter(t, code)
	first.waitFor(sandbox.DemoEmail)
	first.send("\x03")
	first.waitFor("Quit mjrecover now?")
	first.send("y")
	first.wait()
	waitFree(t, a.store, id)

	// On A, up to Step 2.
	onA := a.enter(t, code)
	onA.send("\r")
	if onA.waitAny("Step 1 of 5", "Pick up where you left off?") != "Step 1 of 5" {
		onA.send("n")
	}
	onA.waitFor("Step 1 of 5", "Web sites to check")
	onA.send("\r")
	onA.waitFor("CRITICAL")
	onA.send("\r")
	onA.waitFor("Step 2 of 5", "Leaked")

	// Meanwhile the code cannot open on B: the plain message of today,
	// and the session goes on at the code screen.
	second := b.openTerm(t, nil)
	second.waitFor("Access code")
	second.typeSlowly(code)
	second.send("\r")
	second.waitFor("This code is open in another session right now.")
	second.send("\x03")
	second.waitFor("Quit mjrecover now?")
	second.send("y")
	second.wait()

	// The line drops on A; through B the recovery goes on at Step 2.
	onA.drop()
	waitFree(t, a.store, id)
	onB := b.enter(t, code)
	onB.send("\r")
	onB.waitFor("You have started this recovery before", "Pick up where you left off?")
	onB.send("y")
	onB.waitFor("Step 2 of 5", "Leaked")
	onB.send("\x03")
	onB.waitFor("Quit mjrecover now?")
	onB.send("y")
	onB.wait()
}

// codeID is the record id of code in the store at url.
func codeID(t *testing.T, url, code string) string {
	t.Helper()
	g, err := openStore(t, url).RedeemCode(context.Background(), code)
	if err != nil {
		t.Fatalf("the code in the store: %v", err)
	}
	return g.ID
}

// waitFree waits until no session holds the code with record id: its
// session ended on whichever host had it (the lock is taken and given
// back at once here).
func waitFree(t *testing.T, url, id string) {
	t.Helper()
	st := openStore(t, url)
	ctx := context.Background()
	for deadline := time.Now().Add(waitLimit); ; {
		l, err := st.Lock(ctx, codeLock(id))
		if err == nil {
			if err := l.Unlock(ctx); err != nil {
				t.Fatal(err)
			}
			return
		}
		if !errors.Is(err, kioskstore.ErrLocked) {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("the code's session never ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestFirstStartImportsTheFiles: a kiosk that kept its state in files
// (codes.json, audit.jsonl, progress/) starts with the default store: it
// says what it imported, the code issued before opens, its recovery goes
// on where it was, and the audit chain goes on from the file's.
func TestFirstStartImportsTheFiles(t *testing.T) {
	requireSSH(t)
	k := newKioskUnderTest(t, nil)
	files := kioskstore.FilesIn(k.stateDir)
	codes := &access.Store{Path: files.Codes}
	issued, err := codes.Issue(sandbox.DemoEmail, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	grant, err := codes.Redeem(issued.Code)
	if err != nil {
		t.Fatal(err)
	}
	log, err := audit.Open(files.Audit, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []audit.Entry{{Event: audit.EventCodeIssued, CodeID: issued.ID}, {Event: audit.EventCodeAccepted, CodeID: issued.ID}} {
		if err := log.Append(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	log.Close()
	j, err := record.Store{Dir: files.Progress}.Open(grant.StateKey)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC()
	signedIn := support.StepResult{Number: 0, Name: "Sign in", Status: support.StatusDone, Detail: "Signed in as " + sandbox.DemoEmail}
	if err := j.Write(
		record.Event{V: record.Version, At: at, Type: record.Opened,
			Open: &record.Open{Account: sandbox.DemoEmail, MasterKey: sandbox.DemoMasterKey, Mode: "kiosk"}},
		record.Event{At: at, Type: record.StageDone, Stage: "connect", Step: &signedIn},
		record.Event{At: at, Type: record.Entered, Stage: "investigate"},
	); err != nil {
		t.Fatal(err)
	}
	j.Close()

	runKiosk(t, k)
	if say := k.stderr.String(); !strings.Contains(say, "Imported the files of the kiosk before the store, from "+k.stateDir) ||
		!strings.Contains(say, "1 access code, 2 audit lines, 1 recovery journal.") {
		t.Errorf("the kiosk's log says:\n%s", say)
	}
	tm := k.enter(t, issued.Code)
	tm.send("\r")
	tm.waitFor("You have started this recovery before", "Pick up where you left off?")
	tm.send("y")
	tm.waitFor("Step 1 of 5", "Web sites to check")
	tm.send("\x03")
	tm.waitFor("Quit mjrecover now?")
	tm.send("y")
	tm.wait()

	// The chain goes on from the file's two lines; a second start imports
	// nothing again.
	k.stop()
	entries := auditEntries(t, k.store)
	if len(entries) < 4 || entries[0].Event != audit.EventCodeIssued || entries[1].Event != audit.EventCodeAccepted ||
		entries[2].Seq != 3 {
		t.Errorf("the chain after the import: %+v", entries)
	}
	again := *k
	runKiosk(t, &again).stop()
	if strings.Contains(again.stderr.String(), "Imported") {
		t.Errorf("the second start imported again:\n%s", again.stderr.String())
	}
}

// TestSignAndVerifyTheStoresChain: sign-audit signs the store's chain
// with the host key; verify-audit --signed proves it, says which lines
// came after, and refuses a signed head changed in the database.
func TestSignAndVerifyTheStoresChain(t *testing.T) {
	k := newKioskUnderTest(t, nil)
	state := k.stateDir
	if _, _, _, err := loadHostKey(k.hostKey); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		k.issue(t)
	}
	status, out := run("verify-audit", "--signed", "--state-dir", state)
	if status != 1 || !strings.Contains(out, "NOT SIGNED") {
		t.Errorf("verify-audit --signed before signing: %d\n%s", status, out)
	}
	status, out = run("sign-audit", "--state-dir", state)
	signer := hostSigner(t, k.hostKey)
	fp := gossh.FingerprintSHA256(signer.PublicKey())
	if status != 0 || !strings.Contains(out, "signed up to line 2 with host key "+fp) || !strings.Contains(out, "kept in the store") {
		t.Fatalf("sign-audit: %d\n%s", status, out)
	}
	k.issue(t)
	status, out = run("verify-audit", "--signed", "--state-dir", state)
	if status != 0 || !strings.Contains(out, "intact, 3 lines.") || !strings.Contains(out, "Signed up to line 2 by host key "+fp) ||
		!strings.Contains(out, "That is the kiosk's host key") || !strings.Contains(out, "Lines 3 to 3 came after the signature") {
		t.Errorf("verify-audit --signed: %d\n%s", status, out)
	}
	// The signed head changed in the database to cover one line less.
	db := sqliteDB(t, filepath.Join(state, "state.db"))
	if _, err := db.Exec(`UPDATE anchors SET data = CAST(REPLACE(CAST(data AS TEXT), '"lines":2', '"lines":1') AS BLOB) WHERE name = ?`,
		kioskstore.SignedHeadAnchor); err != nil {
		t.Fatal(err)
	}
	if status, out := run("verify-audit", "--state-dir", state); status != 1 || !strings.Contains(out, "FORGED") {
		t.Errorf("verify-audit, a forged signed head: %d\n%s", status, out)
	}
	if status, out := run("sign-audit", "--state-dir", state); status != 1 || !strings.Contains(out, "not signed: FORGED") {
		t.Errorf("sign-audit over a forged signed head: %d\n%s", status, out)
	}
	if status, out := run("verify-audit", "--state-dir", state, "--head", "x"); status != 2 || !strings.Contains(out, "--head goes with a log FILE") {
		t.Errorf("verify-audit --head without FILE: %d\n%s", status, out)
	}
}

func hostSigner(t *testing.T, path string) gossh.Signer {
	t.Helper()
	_, signer, _, err := loadHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	return signer
}
