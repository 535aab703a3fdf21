package kioskstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/access"
	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/steps/record"
)

// The adapters, on both backends: what steps/record, steps/audit and
// steps/access see of the store.

func testJournalsAcrossHosts(t *testing.T, url string) {
	c := newClock()
	a, b := record.Store{Backend: open(t, url, c).Journals()}, record.Store{Backend: open(t, url, c).Journals()}
	j, err := a.Open("state key")
	if err != nil {
		t.Fatal(err)
	}
	opened := record.Event{V: record.Version, Type: record.Opened, Open: &record.Open{Account: "jane@example.com"}}
	if err := j.Write(opened); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Open("state key"); !errors.Is(err, record.ErrBusy) {
		t.Fatalf("open on another host while open: %v, want ErrBusy", err)
	}
	j.Close()
	j2, err := b.Open("state key")
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	if j2.Record().Open.Account != "jane@example.com" {
		t.Errorf("the other host reads %+v", j2.Events())
	}
	if err := j2.Write(record.Event{Type: record.Entered, Stage: "plan"}); err != nil {
		t.Fatal(err)
	}
	// A version read before the other host wrote is stale.
	if _, err := a.Backend.AppendJournal(context.Background(), record.Key("state key"), 1, []byte("{}\n")); !errors.Is(err, record.ErrChanged) {
		t.Errorf("a stale append: %v, want ErrChanged", err)
	}
}

func testAuditChainAdapter(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	a, b := open(t, url, c), open(t, url, c)
	la, lb := audit.OpenChain(a.AuditChain(), nil), audit.OpenChain(b.AuditChain(), nil)
	for i := range 3 {
		for _, l := range []*audit.Log{la, lb} {
			if err := l.Append(ctx, audit.Entry{Event: audit.EventStep, StepNum: i + 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	la.Close()
	lb.Close()
	rep, err := audit.VerifyChain(ctx, b.AuditChain())
	if err != nil || rep.Lines != 6 {
		t.Fatalf("verify: %+v, %v", rep, err)
	}
	if head, err := a.CheckAudit(ctx); err != nil || head.Count != 6 || head.Hash != rep.LastHash {
		t.Errorf("the store's check: %+v, %v; the chain's last hash %s", head, err, rep.LastHash)
	}
	// The signed head is an anchor, kept whole.
	heads := AnchorHeads{Store: a, Name: "a head"}
	if _, ok, err := heads.LoadHead(ctx); ok || err != nil {
		t.Errorf("a head before any: %v %v", ok, err)
	}
	want := audit.Head{Lines: 6, Hash: rep.LastHash, Time: c.Now(), Seal: &audit.Seal{Lines: 6, Hash: rep.LastHash}}
	if err := heads.SaveHead(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := AnchorHeads{Store: b, Name: "a head"}.LoadHead(ctx)
	if err != nil || !ok || got.Lines != 6 || got.Hash != want.Hash || !got.Time.Equal(want.Time) || got.Seal == nil || got.Seal.Lines != 6 {
		t.Errorf("the head through the other host: %+v %v %v", got, ok, err)
	}
}

func testThrottleSharedByHosts(t *testing.T, url string) {
	ctx, c := context.Background(), newClock()
	a := &access.Throttle{PerAddress: 2, Window: 10 * time.Minute, Attempts: open(t, url, c)}
	b := &access.Throttle{PerAddress: 2, Window: 10 * time.Minute, Attempts: open(t, url, c)}
	for _, th := range []*access.Throttle{a, b} {
		try, ok, _, err := th.Try(ctx, "192.0.2.5")
		if err != nil || !ok {
			t.Fatalf("try: %v %v", ok, err)
		}
		if _, err := try.Wrong(ctx); err != nil {
			t.Fatal(err)
		}
		c.Advance(time.Minute)
	}
	if left, wait, err := a.Left(ctx, "192.0.2.5"); err != nil || left != 0 || wait != 8*time.Minute {
		t.Errorf("after a wrong code through each host: %d left, wait %v, %v; want 0 and 8m", left, wait, err)
	}
	if _, ok, _, _ := b.Try(ctx, "192.0.2.5"); ok {
		t.Error("a third wrong code went through the other host")
	}
	c.Advance(8 * time.Minute)
	if left, _, _ := b.Left(ctx, "192.0.2.5"); left != 1 {
		t.Errorf("after the first left the window: %d left, want 1", left)
	}
}
