package record

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/replace"
	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
)

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func opened() Event {
	return Event{V: Version, At: t0, Type: Opened, Open: &Open{Account: "jane@example.com", MasterKey: "4a91", Mode: "live"}}
}

func TestJournalIsDurableAndPrivate(t *testing.T) {
	store := Store{Dir: filepath.Join(t.TempDir(), "state")}
	j, err := store.Open("4a91a1b977547f206f136fc678d365fa")
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Write(opened()); err != nil {
		t.Fatal(err)
	}
	j.Add(Event{At: t0, Type: Entered, Stage: "investigate"})
	if !j.Unsaved() {
		t.Fatal("Add wrote at once")
	}
	if err := j.Save(); err != nil {
		t.Fatal(err)
	}
	entry := rotate.Entry{Slot: "06d3", Op: rotate.OpCreate, Phase: rotate.Intent, Attempt: 1, Name: "Shop (created 2026-12-01)"}
	if err := j.Write(Event{At: t0, Type: Rotation, Key: &entry}); err != nil {
		t.Fatal(err)
	}
	j.Close()

	path := store.Path("4a91a1b977547f206f136fc678d365fa")
	if strings.Contains(path, "4a91") {
		t.Errorf("the file name shows the key: %s", path)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, store.Dir: 0o700} {
		info, err := os.Stat(p)
		if err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: %v %v, want %v", p, info.Mode().Perm(), err, want)
		}
	}
	j2, err := store.Open("4a91a1b977547f206f136fc678d365fa")
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	rec := j2.Record()
	if rec.Open.Account != "jane@example.com" || rec.Current != "investigate" || len(rec.Keys) != 1 {
		t.Fatalf("record = %+v", rec)
	}
	if log := rec.Ledger().Log("06d3"); len(log.Unknown) != 1 {
		t.Errorf("the intent without an answer is not unknown: %+v", log)
	}
}

// A crash while writing leaves half a line: it is skipped and cut off,
// and what follows starts a line of its own.
func TestTornLastLine(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	j, _ := store.Open("k")
	j.Write(opened(), Event{At: t0, Type: Entered, Stage: "plan"})
	j.Close()
	f, _ := os.OpenFile(store.Path("k"), os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"at":"2026-12-01T10:00:00Z","type":"ent`)
	f.Close()

	j, err := store.Open("k")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(j.Events()); n != 2 {
		t.Fatalf("%d events", n)
	}
	j.Write(Event{At: t0, Type: Entered, Stage: "rotate"})
	j.Close()
	j, _ = store.Open("k")
	defer j.Close()
	if got := j.Record().Current; got != "rotate" {
		t.Errorf("current = %q after the repair", got)
	}
}

// One recovery, one writer: a second Open fails while the first holds it.
func TestJournalIsLocked(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	j, err := store.Open("k")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open("k"); !errors.Is(err, ErrBusy) {
		t.Errorf("second open: %v", err)
	}
	j.Close()
	j2, err := store.Open("k")
	if err != nil {
		t.Errorf("after Close: %v", err)
	}
	j2.Close()
}

// Write keeps nothing it could not write (an intent not on disk must not
// be acted on); Keep keeps what happened in memory anyway.
func TestWriteAndKeepOnAFullDisk(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	j, _ := store.Open("k")
	j.Write(opened())
	j.file.Close() // every write fails from here
	if err := j.Write(Event{At: t0, Type: Entered, Stage: "plan"}); err == nil {
		t.Fatal("Write to a closed file worked")
	}
	if n := len(j.Events()); n != 1 {
		t.Errorf("a failed Write kept its event: %d events", n)
	}
	if err := j.Keep(Event{At: t0, Type: Entered, Stage: "rotate"}); err == nil {
		t.Fatal("Keep to a closed file worked")
	}
	if got := j.Record().Current; got != "rotate" {
		t.Errorf("Keep lost its event: current %q", got)
	}
	if !j.Unsaved() {
		t.Error("the kept event is not waiting to be written")
	}
}

func TestNewerVersionIsNotRead(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	line, _ := json.Marshal(Event{V: Version + 1, At: t0, Type: Opened})
	os.WriteFile(store.Path("k"), append(line, '\n'), 0o600)
	if _, err := store.Open("k"); !errors.Is(err, ErrNewVersion) {
		t.Errorf("err = %v", err)
	}
}

func TestMemoryJournal(t *testing.T) {
	j, err := Store{}.Open("k")
	if err != nil || j.OnDisk() {
		t.Fatalf("open: %v on disk %v", err, j.OnDisk())
	}
	if err := j.Write(opened()); err != nil {
		t.Fatal(err)
	}
	if j.Record().Open.Account == "" || j.Unsaved() {
		t.Error("memory journal")
	}
	if _, ok, _ := (Store{}).Peek("k"); ok {
		t.Error("a memory store peeks something")
	}
}

// Starting again forgets stages, scan and decisions, not the key journal.
func TestRestartKeepsTheKeys(t *testing.T) {
	entry := rotate.Entry{Slot: "06d3", Op: rotate.OpCreate, Phase: rotate.Done, Attempt: 1, Key: "1f99"}
	step := support.StepResult{Status: support.StatusDone}
	rec := Fold([]Event{
		opened(),
		{At: t0, Type: StageDone, Stage: "investigate", Step: &step},
		{At: t0, Type: Scanned, Scan: &Scan{Root: "/var/www"}},
		{At: t0, Type: Rotation, Key: &entry},
		{At: t0, Type: File, File: &FileOp{Op: FileLeave, Path: "/var/www/.env"}},
		{At: t0.Add(time.Minute), Type: Restarted},
	})
	if len(rec.Done) != 0 || rec.Scan != nil || len(rec.Files.Outcome.Skipped) != 0 {
		t.Errorf("restart kept %+v", rec)
	}
	if len(rec.Keys) != 1 || rec.Open.Account == "" || !rec.Updated.Equal(t0.Add(time.Minute)) {
		t.Errorf("restart lost %+v", rec)
	}
}

// An update cut short is pending until the next session settles it; the
// report's lines cover what was done before and after.
func TestFilesAndReportLines(t *testing.T) {
	upd := FileOp{Op: FileUpdate, Phase: rotate.Intent, Path: "/var/www/wp-config.php", Backups: "/home/jane/b"}
	rec := Fold([]Event{opened(),
		{At: t0, Type: Scanned, Scan: &Scan{Root: "/var/www"}},
		{At: t0, Type: File, File: &upd},
	})
	if len(rec.Files.Pending) != 1 {
		t.Fatalf("pending = %+v", rec.Files.Pending)
	}
	done := upd
	done.Phase, done.Applied = rotate.Done, &replace.Applied{Path: upd.Path, Backup: "/home/jane/b/wp-config.php.bak", Keys: []string{"06d3"}}
	line := support.Line{Area: "Event webhook", Finding: "Webhook to evil.example", Action: "Deleted"}
	rec = Fold([]Event{opened(),
		{At: t0, Type: Scanned, Scan: &Scan{Root: "/var/www"}},
		{At: t0, Type: File, File: &upd},
		{At: t0, Type: File, File: &done},
		{At: t0, Type: Review, Review: &ReviewOp{Phase: rotate.Done, Line: &line}},
	})
	if len(rec.Files.Pending) != 0 || len(rec.Files.Outcome.Applied) != 1 {
		t.Fatalf("files = %+v", rec.Files)
	}
	text := ""
	for _, l := range rec.ReportLines(nil) {
		text += l.Area + ": " + l.Finding + ": " + l.Action + "\n"
	}
	for _, want := range []string{"wp-config.php held the old key 06d3", "Webhook to evil.example: Deleted"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lines lack %q:\n%s", want, text)
		}
	}
}

// A recovery saved by version 1 (state and rotation journal) is read as
// events, and its old files go.
func TestMigrateVersion1(t *testing.T) {
	dir := t.TempDir()
	key := Key("4a91a1b977547f206f136fc678d365fa")
	state := `{"version":1,"account":"jane@example.com","master_api_key":"4a91","updated_at":"2026-11-25T10:00:00Z",
	  "steps":{"1":{"number":1,"name":"Investigate","status":"done","detail":"x"},"2":{"number":2,"name":"Rotate API keys","status":"done"}},
	  "scan_root":"/var/www","findings":[{"severity":"critical","path":".env","secret":"590b"}],"leaked_keys":["06d3"]}`
	journal := `{"at":"2026-11-25T09:00:00Z","old_id":7,"old_key":"06d3","phase":"creating","name":"Shop (created 2026-11-25)"}
{"at":"2026-11-25T09:00:01Z","old_id":7,"old_key":"06d3","phase":"created","name":"Shop (created 2026-11-25)","new_id":9,"new_key":"1f99"}
{"at":"2026-11-25T09:00:02Z","old_id":7,"old_key":"06d3","phase":"done","new_id":9,"new_key":"1f99"}
`
	os.WriteFile(filepath.Join(dir, key+".json"), []byte(state), 0o600)
	os.WriteFile(filepath.Join(dir, key+".jsonl"), []byte(journal), 0o600)
	j, err := Store{Dir: dir}.Open("4a91a1b977547f206f136fc678d365fa")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	rec := j.Record()
	if rec.Open.Account != "jane@example.com" || rec.Scan == nil || rec.Scan.Root != "/var/www" {
		t.Fatalf("record = %+v", rec)
	}
	for _, st := range []string{"investigate", "plan", "rotate", "files"} {
		if _, ok := rec.Done[st]; !ok {
			t.Errorf("stage %s not done", st)
		}
	}
	log := rec.Ledger().Log("06d3")
	if !log.OldOff || len(log.Made) != 1 || !log.Made[0].Has() || len(log.Unknown) != 0 {
		t.Errorf("ledger = %+v", log)
	}
	for _, old := range []string{key + ".json", key + ".jsonl"} {
		if _, err := os.Stat(filepath.Join(dir, old)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there", old)
		}
	}
}

// UpgradeV1 turns a folder's version 1 recoveries into journals without
// knowing their ids (the kiosk's import), once: a second pass finds none.
func TestUpgradeVersion1Folder(t *testing.T) {
	dir := t.TempDir()
	key := Key("4a91a1b977547f206f136fc678d365fa")
	state := `{"version":1,"account":"jane@example.com","master_api_key":"4a91","updated_at":"2026-11-25T10:00:00Z",
	  "steps":{"1":{"number":1,"name":"Investigate","status":"done","detail":"x"}},"scan_root":"/var/www"}`
	if err := os.WriteFile(filepath.Join(dir, key+".json"), []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	n, err := UpgradeV1(dir)
	if err != nil || n != 1 {
		t.Fatalf("UpgradeV1 = %d, %v", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, key+".json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the version 1 file is still there: %v", err)
	}
	j, err := Store{Dir: dir}.Open("4a91a1b977547f206f136fc678d365fa")
	if err != nil {
		t.Fatal(err)
	}
	rec := j.Record()
	j.Close()
	if rec.Open.Account != "jane@example.com" || rec.Done["investigate"].Status == "" {
		t.Errorf("record = %+v", rec)
	}
	if n, err := UpgradeV1(dir); err != nil || n != 0 {
		t.Errorf("second pass: %d, %v", n, err)
	}
}
