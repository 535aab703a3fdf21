package rotate

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

// retireSlot is the Newsletter slot, offered as unused and chosen to be
// switched off, with the choice journaled as the wizard does.
func (e *env) retireSlot(t *testing.T, lastSent time.Time) Slot {
	t.Helper()
	plan := NewPlan(e.keys(t), nil, false, nil)
	plan.Offer(sandbox.DemoNewsletterKey, lastSent)
	for _, s := range plan.Slots {
		if s.Old.APIKey == sandbox.DemoNewsletterKey {
			if s.Action != RetireSubKey || !s.Unused {
				t.Fatalf("the offered slot is %v", s.Action)
			}
			if err := e.journal().Note(Retired(s)); err != nil {
				t.Fatal(err)
			}
			return s
		}
	}
	t.Fatal("no Newsletter slot")
	return Slot{}
}

// A key switched off with no replacement: the old key goes off, its pair
// is checked to be refused, and no key is made.
func TestRetireSwitchesOffOnly(t *testing.T) {
	e := newEnv(t, false)
	since := time.Date(2025, 10, 8, 0, 0, 0, 0, time.UTC)
	slot := e.retireSlot(t, since)
	ops := e.finish(t, slot)
	if got := opsString(ops); got != "deactivate,verify" {
		t.Fatalf("ops = %s", got)
	}
	if keyActive(e.sb, sandbox.DemoNewsletterKey) {
		t.Error("the unused key is still on")
	}
	if n, _ := e.activeFor(sandbox.DemoNewsletterName); n != 0 {
		t.Errorf("%d replacements made", n)
	}
	if n := e.sb.Requests(http.MethodPost, "/v3/REST/apikey"); n != 0 {
		t.Errorf("%d creates", n)
	}
	if err := e.authWith(t, sandbox.DemoNewsletterKey, secret.New(sandbox.DemoNewsletterSecret)); !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("the switched-off pair: %v, want refused", err)
	}
	log := e.ledger().Log(sandbox.DemoNewsletterKey)
	if !log.Retired || !log.LastSent.Equal(since) || log.OffCheck == nil || !log.OffCheck.OffOK() || !log.Rotated() {
		t.Errorf("ledger: %+v", log)
	}
	if len(log.Made) != 0 {
		t.Errorf("made %v", log.Made)
	}
	// A plan made again (a resumed session) sees it done.
	again := NewPlan(e.keys(t), nil, false, e.ledger())
	for _, s := range again.Slots {
		if s.Old.APIKey == sandbox.DemoNewsletterKey && s.Action != DoneEarlier {
			t.Errorf("resumed plan: %v", s.Action)
		}
	}
}

// The answer to the switch-off is lost (the process may die there): the
// next step looks at the key list before anything else, which settles it
// either way, and the slot ends with the key off and no replacement.
func TestRetireInterruptedDeactivate(t *testing.T) {
	for _, tookEffect := range []bool{true, false} {
		e := newEnv(t, false)
		slot := e.retireSlot(t, time.Time{})
		if tookEffect {
			e.proxy.LoseAnswer(http.MethodPut, "/v3/REST/apikey/", 10)
		} else {
			e.sb.FailNext(http.MethodPut, "/v3/REST/apikey/", http.StatusBadGateway, 10)
		}
		if step, err := e.step(t, slot); step.Op != OpDeactivate || err == nil {
			t.Fatalf("%s: %v", step.Op, err)
		}
		e.sb.ClearFaults()
		// A new session: the plan is made from the key list and the journal.
		plan := NewPlan(e.keys(t), nil, false, e.ledger())
		for _, s := range plan.Slots {
			if s.Old.APIKey == sandbox.DemoNewsletterKey {
				if s.Action != RetireSubKey {
					t.Fatalf("resumed plan: %v, want the retire kept", s.Action)
				}
				slot = s
			}
		}
		if got := e.next(slot).Op; got != OpLookup {
			t.Fatalf("took effect %v: next is %s, want a lookup first", tookEffect, got)
		}
		want := "lookup,verify"
		if !tookEffect {
			want = "lookup,deactivate,verify"
		}
		if got := opsString(e.finish(t, slot)); got != want {
			t.Errorf("took effect %v: ops = %s, want %s", tookEffect, got, want)
		}
		if keyActive(e.sb, sandbox.DemoNewsletterKey) {
			t.Error("the unused key is still on")
		}
		if n := e.sb.Requests(http.MethodPost, "/v3/REST/apikey"); n != 0 {
			t.Errorf("%d creates", n)
		}
	}
}

// Next, from the journal alone: a retired slot switches its key off,
// checks it, and never asks for a new key or a handover.
func TestNextForARetiredSlot(t *testing.T) {
	slot := Slot{Old: mailjet.APIKey{APIKey: "old", ID: 7, IsActive: true}, Action: RetireSubKey, Unused: true}
	at := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	entries := []Entry{Retired(slot)}
	next := func() Step { return Fold(entries).Log("old").Next(slot, noneHeld, false) }
	if s := next(); s.Op != OpDeactivate || s.Key != "old" || s.ID != 7 {
		t.Fatalf("first: %+v", s)
	}
	entries = append(entries, Entry{At: at, Slot: "old", Op: OpDeactivate, Phase: Intent, Key: "old", ID: 7})
	if s := next(); s.Op != OpLookup {
		t.Fatalf("after an intent with no answer: %+v", s)
	}
	entries = append(entries, Entry{At: at, Slot: "old", Op: OpDeactivate, Phase: Done, Key: "old", ID: 7})
	if s := next(); s.Op != OpVerify || s.Key != "old" {
		t.Fatalf("after the switch-off: %+v", s)
	}
	entries = append(entries, Entry{At: at, Slot: "old", Op: OpVerify, Phase: Done, Key: "old", ID: 7, Check: &Check{OldRefused: true}})
	if s := next(); s.Op != "" {
		t.Fatalf("after the check: %+v", s)
	}
	if !Fold(entries).Log("old").Rotated() {
		t.Error("a switched-off slot is not finished")
	}
	// A replacement made before the choice (whose secret nobody has) goes off too.
	entries = []Entry{
		{At: at, Slot: "old", Op: OpCreate, Phase: Done, Attempt: 1, Key: "new", ID: 8},
		Retired(slot),
	}
	if s := next(); s.Op != OpDeactivate || s.Key != "new" {
		t.Fatalf("with a replacement: %+v", s)
	}
}

// The retire entry is optional JSON: a journal written before it loads
// as it did, and the entry keeps when the key last sent.
func TestRetireEntryJSON(t *testing.T) {
	since := time.Date(2025, 10, 8, 0, 0, 0, 0, time.UTC)
	b, err := json.Marshal(Retired(Slot{Old: mailjet.APIKey{APIKey: "old"}, LastSent: since}))
	if err != nil {
		t.Fatal(err)
	}
	var e Entry
	if err := json.Unmarshal(b, &e); err != nil || e.Op != OpRetire || !e.LastSent.Equal(since) {
		t.Fatalf("%s → %+v, %v", b, e, err)
	}
	never, _ := json.Marshal(Retired(Slot{Old: mailjet.APIKey{APIKey: "old"}}))
	var old Entry
	if err := json.Unmarshal([]byte(`{"at":"2026-03-14T09:00:00Z","slot":"old","op":"deactivate","phase":"done","key":"old"}`), &old); err != nil {
		t.Fatal(err)
	}
	if l := Fold([]Entry{old}).Log("old"); l.Retired || !l.OldOff {
		t.Errorf("an old journal's entry: %+v", l)
	}
	if string(never) == string(b) {
		t.Error("a key that never sent is kept like one that did")
	}
}

// RotateAll journals the choice itself.
func TestRotateAllRetires(t *testing.T) {
	e := newEnv(t, false)
	plan := NewPlan(e.keys(t), nil, false, nil)
	plan.Offer(sandbox.DemoNewsletterKey, time.Time{})
	if !plan.Choose(0, false) && !plan.Choose(1, false) {
		t.Fatal("nothing to choose")
	}
	for i, s := range plan.Slots {
		if s.Old.APIKey == sandbox.DemoNewsletterKey {
			plan.Choose(i, true)
		}
	}
	res, err := e.rot.RotateAll(context.Background(), Plan{Slots: plan.Slots[:len(plan.Slots)-1]})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Slot.Old.APIKey != sandbox.DemoShopKey {
		t.Errorf("results: %+v", res)
	}
	if keyActive(e.sb, sandbox.DemoNewsletterKey) || keyActive(e.sb, sandbox.DemoShopKey) {
		t.Error("an old key is on")
	}
}
