package rotate

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/mjrecover/mjrecover/api/secret"
)

// MemoryJournal keeps entries in memory: for scripts and tests that run a
// whole rotation in one go and need no resume.
type MemoryJournal struct {
	mu      sync.Mutex
	entries []Entry
}

// Intend implements Journal.
func (j *MemoryJournal) Intend(es ...Entry) error { return j.Note(es...) }

// Note implements Journal.
func (j *MemoryJournal) Note(es ...Entry) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries = append(j.entries, es...)
	return nil
}

// Entries returns a copy of what was recorded.
func (j *MemoryJournal) Entries() []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.entries)
}

// RotateAll runs every slot of plan to its end without pausing, handing
// each new secret over to the caller (who must keep it: the results carry
// it) as soon as it exists. It is the whole rotation for scripts and
// tests; the wizard runs the same steps one at a time, with the customer
// in the loop. With a nil r.Journal it keeps one in memory.
func (r *Rotator) RotateAll(ctx context.Context, plan Plan) ([]Result, error) {
	mem, ok := r.Journal.(*MemoryJournal)
	if !ok {
		mem = &MemoryJournal{}
		if r.Journal == nil {
			r.Journal = mem
		} else {
			r.Journal = teeJournal{r.Journal, mem}
		}
	}
	held := Secrets{}
	old := r.API.Credentials().Secret
	var out []Result
	for _, slot := range plan.Slots {
		if slot.Action == SkipInactive {
			continue
		}
		res, err := r.runSlot(ctx, slot, mem, held, old)
		if err != nil {
			return out, err
		}
		if res.NewKey != "" {
			out = append(out, res)
		}
	}
	return out, nil
}

// maxSteps bounds one slot's steps: a slot needs a handful; more means
// Mailjet keeps answering in a way the rotation cannot settle.
const maxSteps = 50

func (r *Rotator) runSlot(ctx context.Context, slot Slot, mem *MemoryJournal, held Secrets, old secret.Secret) (Result, error) {
	isHeld := func(ref string) bool { return !held[ref].IsZero() }
	slotOld := slot.Old.Secret
	if slot.Old.IsMaster {
		slotOld = old
	}
	if slot.Action == RetireSubKey && !Fold(mem.Entries()).Log(slot.Old.APIKey).Retired {
		if err := r.note(Retired(slot)); err != nil {
			return Result{}, err
		}
	}
	for range maxSteps {
		log := Fold(mem.Entries()).Log(slot.Old.APIKey)
		step := log.Next(slot, isHeld, r.Recovery != nil)
		switch step.Op {
		case "":
			cur, _ := log.Current(isHeld)
			res := Result{Slot: slot, NewKey: cur.Key, NewID: cur.ID, NewSecret: held[cur.Ref]}
			if slot.Old.IsMaster {
				res.NewKey, res.NewID = slot.Old.APIKey, slot.Old.ID
			}
			if cur.Check != nil {
				res.Check = *cur.Check
			}
			return res, nil
		case OpHandover:
			if err := r.note(HandedOver(slot, step.Made, HandTyped, "")); err != nil {
				return Result{}, err
			}
			continue
		case OpAccept:
			return Result{}, fmt.Errorf("rotate: the main key %s needs its secret reset on Mailjet's site", slot.Old.APIKey)
		}
		got, err := r.Do(ctx, slot, *log, step, held[step.Made.Ref], slotOld)
		for ref, s := range got {
			held[ref] = s
		}
		if err != nil {
			return Result{}, err
		}
	}
	return Result{}, fmt.Errorf("rotate: %s did not settle", slot.Old.APIKey)
}

// teeJournal writes to two journals.
type teeJournal struct{ a, b Journal }

func (t teeJournal) Intend(es ...Entry) error {
	if err := t.a.Intend(es...); err != nil {
		return err
	}
	return t.b.Intend(es...)
}

func (t teeJournal) Note(es ...Entry) error {
	err := t.a.Note(es...)
	if err2 := t.b.Note(es...); err == nil {
		err = err2
	}
	return err
}
