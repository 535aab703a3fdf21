package rotate

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
)

// memJournal keeps entries in memory; fail makes Record fail.
type memJournal struct {
	entries []Entry
	fail    bool
}

func (j *memJournal) Record(e Entry) error {
	if j.fail {
		return errors.New("disk full")
	}
	j.entries = append(j.entries, e)
	return nil
}

func phases(entries []Entry) []Phase {
	var out []Phase
	for _, e := range entries {
		out = append(out, e.Phase)
	}
	return out
}

func activeNamed(keys []mailjet.APIKey, prefix string) int {
	n := 0
	for _, k := range keys {
		if k.IsActive && len(k.Name) >= len(prefix) && k.Name[:len(prefix)] == prefix {
			n++
		}
	}
	return n
}

func TestRotateSubWritesTheJournal(t *testing.T) {
	e := newEnv(t, true)
	j := &memJournal{}
	e.rot.Journal = j
	if _, err := e.rot.RotateSub(context.Background(), e.slot(t, sandbox.DemoShopKey)); err != nil {
		t.Fatal(err)
	}
	got := phases(j.entries)
	want := []Phase{PhaseCreating, PhaseCreated, PhaseDone}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("journal phases %v, want %v", got, want)
	}
	if j.entries[1].NewKey == "" || j.entries[1].NewID == 0 {
		t.Fatalf("created entry lacks the new key: %+v", j.entries[1])
	}
	if len(Pending(j.entries)) != 0 || !Done(j.entries, sandbox.DemoShopKey) {
		t.Fatal("a finished rotation is still pending")
	}
}

func TestRotateSubChangesNothingWithoutAJournal(t *testing.T) {
	e := newEnv(t, true)
	e.rot.Journal = &memJournal{fail: true}
	before := len(e.keys(t))
	if _, err := e.rot.RotateSub(context.Background(), e.slot(t, sandbox.DemoShopKey)); err == nil {
		t.Fatal("rotation went on although its progress could not be noted")
	}
	if after := len(e.keys(t)); after != before {
		t.Fatalf("%d keys before, %d after: a key was created", before, after)
	}
}

// TestResumeAfterACrashBetweenCreateAndDeactivate: the session dropped
// after the new key was made; resuming turns the old key off without
// making a second replacement.
func TestResumeAfterACrashBetweenCreateAndDeactivate(t *testing.T) {
	e := newEnv(t, true)
	j := &memJournal{}
	e.rot.Journal = j
	slot := e.slot(t, sandbox.DemoShopKey)
	e.sb.FailNext("PUT", "/v3/REST/apikey", 500, 100) // the deactivation never gets through
	e.sb.FailNext("GET", "/v3/REST/apikey", 500, 100)
	if _, err := e.rot.RotateSub(context.Background(), slot); err == nil {
		t.Fatal("want the half-done error")
	}
	e.sb.ClearFaults()
	pending := Pending(j.entries)
	if len(pending) != 1 || pending[0].Phase != PhaseCreated {
		t.Fatalf("pending %+v", pending)
	}

	// A new session: a new Rotator, the keys read again.
	keys := e.keys(t)
	before := len(keys)
	rot := &Rotator{API: e.rot.API, ReadyTries: 3, ReadyWait: 10 * time.Millisecond, Journal: j}
	res, err := rot.Resume(context.Background(), slot, pending[0], keys)
	if err != nil {
		t.Fatal(err)
	}
	if res.NewKey != pending[0].NewKey || res.NewSecret.IsZero() || !res.Check.OK() {
		t.Fatalf("resumed result %+v", res)
	}
	after := e.keys(t)
	if len(after) != before {
		t.Fatalf("resume created a key: %d → %d", before, len(after))
	}
	if n := activeNamed(after, "Shop"); n != 1 {
		t.Fatalf("%d active Shop keys, want exactly 1", n)
	}
	if len(Pending(j.entries)) != 0 {
		t.Fatal("still pending after resume")
	}
}

// TestResumeFindsAKeyCreatedWhileTheAnswerWasLost: the journal says a key
// was about to be created and nothing more; Mailjet did create it.
func TestResumeFindsAKeyCreatedWhileTheAnswerWasLost(t *testing.T) {
	e := newEnv(t, true)
	slot := e.slot(t, sandbox.DemoShopKey)
	name := e.rot.replacementName(slot.Old.Name)
	entry := Entry{At: time.Now(), OldID: slot.Old.ID, OldKey: slot.Old.APIKey, Phase: PhaseCreating, Name: name}
	made, err := e.rot.API.CreateAPIKey(context.Background(), name) // the POST that got through
	if err != nil {
		t.Fatal(err)
	}
	before := len(e.keys(t))
	j := &memJournal{}
	e.rot.Journal = j
	res, err := e.rot.Resume(context.Background(), slot, entry, e.keys(t))
	if err != nil {
		t.Fatal(err)
	}
	if res.NewKey != made.APIKey || !res.Check.OK() {
		t.Fatalf("resume adopted %q (want %q): %+v", res.NewKey, made.APIKey, res.Check)
	}
	if got := len(e.keys(t)); got != before {
		t.Fatalf("resume created a key: %d → %d", before, got)
	}
	if got := phases(j.entries); len(got) != 2 || got[0] != PhaseCreated || got[1] != PhaseDone {
		t.Fatalf("journal %v", got)
	}
}

func TestResumeWhenNothingWasCreated(t *testing.T) {
	e := newEnv(t, true)
	slot := e.slot(t, sandbox.DemoShopKey)
	entry := Entry{At: time.Now(), OldID: slot.Old.ID, OldKey: slot.Old.APIKey, Phase: PhaseCreating,
		Name: e.rot.replacementName(slot.Old.Name)}
	if _, err := e.rot.Resume(context.Background(), slot, entry, e.keys(t)); !errors.Is(err, ErrNothingCreated) {
		t.Fatalf("err %v, want ErrNothingCreated", err)
	}
}

func TestPendingKeepsTheLastEntryPerKey(t *testing.T) {
	entries := []Entry{
		{OldKey: "a", Phase: PhaseCreating},
		{OldKey: "b", Phase: PhaseResetting, Master: true},
		{OldKey: "a", Phase: PhaseCreated, NewKey: "a2"},
		{OldKey: "c", Phase: PhaseCreating},
		{OldKey: "c", Phase: PhaseDone},
	}
	p := Pending(entries)
	if len(p) != 2 || p[0].OldKey != "a" || p[0].Phase != PhaseCreated || p[1].OldKey != "b" {
		t.Fatalf("pending %+v", p)
	}
	if !Done(entries, "c") || Done(entries, "a") {
		t.Fatal("Done is wrong")
	}
}

func TestPlanWithJournal(t *testing.T) {
	keys := []mailjet.APIKey{
		{ID: 1, APIKey: "master", IsMaster: true, IsActive: true},
		{ID: 2, APIKey: "shop", IsActive: false},
		{ID: 3, APIKey: "news", IsActive: true},
		{ID: 4, APIKey: "shop2", IsActive: true},
		{ID: 5, APIKey: "other", IsActive: true},
	}
	entries := []Entry{
		{OldKey: "master", Master: true, Phase: PhaseResetting},
		{OldKey: "master", Master: true, Phase: PhaseDone},
		{OldKey: "shop", OldID: 2, Phase: PhaseCreating, Name: "Shop (created …)"},
		{OldKey: "shop", OldID: 2, Phase: PhaseCreated, NewKey: "shop2", NewID: 4},
		{OldKey: "news", OldID: 3, Phase: PhaseCreating, Name: "News (created …)"},
	}
	plan := NewPlan(keys, nil, true).WithJournal(entries)
	want := map[string]Action{"shop": ResumeSub, "news": ResumeSub, "shop2": KeepNew, "other": ReplaceSubKey, "master": DoneEarlier}
	for _, s := range plan.Slots {
		if s.Action != want[s.Old.APIKey] {
			t.Errorf("%s: %v, want %v", s.Old.APIKey, s.Action, want[s.Old.APIKey])
		}
		if s.Action == ResumeSub && s.Pending.OldKey != s.Old.APIKey {
			t.Errorf("%s resumes the wrong entry %+v", s.Old.APIKey, s.Pending)
		}
	}
}
