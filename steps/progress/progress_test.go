package progress

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
)

func TestSaveLoadDelete(t *testing.T) {
	store := Store{Dir: filepath.Join(t.TempDir(), "state")}
	key := Key("4a91a1b977547f206f136fc678d365fa")
	if _, ok, err := store.Load(key); ok || err != nil {
		t.Fatalf("empty store: ok=%v err=%v", ok, err)
	}
	st := State{
		Account: "jane@example.com", MasterKey: "4a91a1b977547f206f136fc678d365fa",
		UpdatedAt: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC),
		Steps:     map[int]support.StepResult{1: {Number: 1, Name: "Investigate", Status: support.StatusDone}},
		Findings:  []support.Finding{{Severity: "critical", Path: ".env", Secret: "590b"}},
		Leaked:    []string{"4a91a1b977547f206f136fc678d365fa"},
	}
	if err := store.Save(key, st); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(store.Dir, key+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", info.Mode().Perm())
	}
	got, ok, err := store.Load(key)
	if err != nil || !ok || got.Account != st.Account || got.Steps[1].Status != support.StatusDone || len(got.Findings) != 1 {
		t.Fatalf("loaded %+v ok=%v err=%v", got, ok, err)
	}
	entries, _ := os.ReadDir(store.Dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".progress-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	if err := store.Delete(key); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := store.Load(key); ok {
		t.Fatal("state still there after Delete")
	}
}

func TestKeyHidesTheID(t *testing.T) {
	k := Key("4a91a1b977547f206f136fc678d365fa")
	if strings.Contains(k, "4a91") || len(k) != 24 || k == Key("other") {
		t.Fatalf("key %q", k)
	}
}

func TestLoadIgnoresAnotherVersionAndReportsGarbage(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	os.WriteFile(filepath.Join(store.Dir, "old.json"), []byte(`{"version":99}`), 0o600)
	if _, ok, err := store.Load("old"); ok || err != nil {
		t.Fatalf("another version: ok=%v err=%v", ok, err)
	}
	os.WriteFile(filepath.Join(store.Dir, "bad.json"), []byte(`{`), 0o600)
	if _, _, err := store.Load("bad"); err == nil {
		t.Fatal("garbage is not an error")
	}
}

func TestJournalSurvivesATornLastLine(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	j := store.Journal("k")
	for _, ph := range []rotate.Phase{rotate.PhaseCreating, rotate.PhaseCreated} {
		if err := j.Record(rotate.Entry{OldKey: "old", OldID: 7, Phase: ph, NewKey: "new"}); err != nil {
			t.Fatal(err)
		}
	}
	// A crash in the middle of writing a third line.
	f, err := os.OpenFile(filepath.Join(store.Dir, "k.jsonl"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"old_key":"old","pha`)
	f.Close()
	entries, err := store.Journal("k").Entries()
	if err != nil || len(entries) != 2 || entries[1].Phase != rotate.PhaseCreated {
		t.Fatalf("entries %+v err %v", entries, err)
	}
	if p := rotate.Pending(entries); len(p) != 1 || p[0].NewKey != "new" {
		t.Fatalf("pending %+v", p)
	}
	info, _ := os.Stat(filepath.Join(store.Dir, "k.jsonl"))
	if info.Mode().Perm() != 0o600 {
		t.Errorf("journal mode %v", info.Mode().Perm())
	}
	if err := store.Delete("k"); err != nil {
		t.Fatal(err)
	}
	if e, _ := store.Journal("k").Entries(); len(e) != 0 {
		t.Fatal("journal survives Delete")
	}
}
