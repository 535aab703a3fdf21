package record_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/kioskstore"
	"github.com/mjrecover/mjrecover/steps/record"
)

// Journals in the kiosk's store (steps/kioskstore, SQLite here; its own
// tests run the same on PostgreSQL): two hosts stand for two Stores
// opened on one database.

var at = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func hosts(t *testing.T) (*kioskstore.Store, record.Store, record.Store) {
	t.Helper()
	url := "sqlite:" + filepath.Join(t.TempDir(), "state.db")
	var stores []*kioskstore.Store
	for range 2 {
		s, err := kioskstore.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	return stores[0], record.Store{Backend: stores[0].Journals()}, record.Store{Backend: stores[1].Journals()}
}

func events() []record.Event {
	return []record.Event{
		{V: record.Version, At: at, Type: record.Opened, Open: &record.Open{Account: "jane@example.com", MasterKey: "4a91", Mode: "kiosk"}},
		{At: at, Type: record.Entered, Stage: "investigate"},
	}
}

// A journal written through one host is read, locked and written on
// through the other, whole.
func TestJournalInTheStoreAcrossHosts(t *testing.T) {
	_, a, b := hosts(t)
	const id = "state-key-of-a-code"
	j, err := a.Open(id)
	if err != nil {
		t.Fatal(err)
	}
	if !j.OnDisk() || j.Path() != "" || a.Path(id) != "" {
		t.Errorf("a journal in the store: kept %v, path %q", j.OnDisk(), j.Path())
	}
	if err := j.Write(events()...); err != nil {
		t.Fatal(err)
	}
	j.Add(record.Event{At: at, Type: record.Entered, Stage: "plan"})
	if !j.Unsaved() {
		t.Error("Add wrote at once")
	}
	if err := j.Save(); err != nil {
		t.Fatal(err)
	}
	// While it is open on a, it is busy on b.
	if _, err := b.Open(id); !errors.Is(err, record.ErrBusy) {
		t.Fatalf("open on the other host while open: %v, want ErrBusy", err)
	}
	if rec, ok, err := b.Peek(id); err != nil || !ok || rec.Current != "plan" {
		t.Errorf("peek on the other host: %+v %v %v", rec.Current, ok, err)
	}
	j.Close()
	if err := j.Write(record.Event{At: at, Type: record.Entered, Stage: "rotate"}); err == nil {
		t.Error("a closed journal still writes")
	}

	j2, err := b.Open(id)
	if err != nil {
		t.Fatalf("open on the other host after close: %v", err)
	}
	defer j2.Close()
	if got := j2.Events(); len(got) != 3 || j2.Record().Open.Account != "jane@example.com" || j2.Record().Current != "plan" {
		t.Fatalf("the other host reads %+v", got)
	}
	if err := j2.Write(record.Event{At: at, Type: record.Entered, Stage: "rotate"}); err != nil {
		t.Fatal(err)
	}
	if rec, _, _ := a.Peek(id); rec.Current != "rotate" {
		t.Errorf("after a write on the other host: current %q", rec.Current)
	}
	if rec, ok, err := a.Peek("another"); ok || err != nil || rec.Current != "" {
		t.Errorf("peek of no journal: %v %v", ok, err)
	}
}

// A session that lost its hold (another wrote since it read) writes
// nothing: Write keeps no event that did not reach the store.
func TestJournalInTheStoreRefusesAStaleWrite(t *testing.T) {
	st, a, _ := hosts(t)
	const id = "k"
	j, err := a.Open(id)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := j.Write(events()...); err != nil {
		t.Fatal(err)
	}
	key := record.Key(id)
	cur, err := st.Recovery(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AppendRecovery(context.Background(), key, cur.Version, []byte(`{"type":"entered","stage":"files"}`+"\n")); err != nil {
		t.Fatal(err)
	}
	err = j.Write(record.Event{At: at, Type: record.Entered, Stage: "plan"})
	if !errors.Is(err, record.ErrChanged) {
		t.Fatalf("a write after another's: %v, want ErrChanged", err)
	}
	if n := len(j.Events()); n != 2 {
		t.Errorf("the refused write kept its event: %d events", n)
	}
}

// Deleting forgets the journal on every host; a journal whose last line
// was cut is repaired when opened.
func TestJournalInTheStoreDeleteAndRepair(t *testing.T) {
	st, a, b := hosts(t)
	j, err := a.Open("k")
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Write(events()...); err != nil {
		t.Fatal(err)
	}
	if err := j.Delete(); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := b.Peek("k"); ok {
		t.Error("a deleted journal is still there")
	}
	j2, err := b.Open("k") // the lock went with the delete
	if err != nil {
		t.Fatal(err)
	}
	if len(j2.Events()) != 0 {
		t.Errorf("a deleted journal reopens with %d events", len(j2.Events()))
	}
	if err := j2.Write(events()...); err != nil {
		t.Fatalf("write after a delete: %v", err)
	}
	j2.Close()

	ctx := context.Background()
	key := record.Key("cut")
	if _, err := st.AppendRecovery(ctx, key, 0, []byte(`{"v":2,"type":"opened"}`+"\n"+`{"type":"ent`)); err != nil {
		t.Fatal(err)
	}
	j3, err := a.Open("cut")
	if err != nil {
		t.Fatal(err)
	}
	defer j3.Close()
	if err := j3.Write(record.Event{At: at, Type: record.Entered, Stage: "plan"}); err != nil {
		t.Fatal(err)
	}
	got, err := st.Recovery(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	var types []record.Type
	for _, e := range j3.Events() {
		types = append(types, e.Type)
	}
	if want := []record.Type{record.Opened, record.Entered}; !slices.Equal(types, want) ||
		string(got.Data[:24]) != `{"v":2,"type":"opened"}`+"\n" {
		t.Errorf("after a cut line: events %v, stored %q", types, got.Data)
	}
}
