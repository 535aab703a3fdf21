package rotate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
)

// Phase is how far the rotation of one key got.
type Phase string

const (
	PhaseCreating  Phase = "creating"  // a replacement was about to be created
	PhaseCreated   Phase = "created"   // the replacement exists; the old key may still be active
	PhaseResetting Phase = "resetting" // the master secret was about to be reset
	PhaseDone      Phase = "done"      // rotated (and checked as far as possible)
)

// Entry is one line of the rotation journal. It names keys by their
// public key and id only: a journal holds no secret.
type Entry struct {
	At     time.Time `json:"at"`
	OldID  int64     `json:"old_id"`
	OldKey string    `json:"old_key"`
	Master bool      `json:"master,omitempty"`
	Phase  Phase     `json:"phase"`
	Name   string    `json:"name,omitempty"` // the replacement's name
	NewID  int64     `json:"new_id,omitempty"`
	NewKey string    `json:"new_key,omitempty"`
}

// Journal keeps entries where a crash cannot lose them (written and
// synced before the change they announce is made).
type Journal interface {
	Record(Entry) error
}

// record writes e to the journal, if there is one. Failing to record is
// an error: a change the journal does not know of cannot be resumed.
func (r *Rotator) record(e Entry) error {
	if r.Journal == nil {
		return nil
	}
	e.At = r.now()
	if err := r.Journal.Record(e); err != nil {
		return fmt.Errorf("The wizard could not note its progress, so it changes nothing (%w).", err)
	}
	return nil
}

// Pending returns, for each key the journal names, its last entry when
// that entry is not PhaseDone: the rotations a crash interrupted.
func Pending(entries []Entry) []Entry {
	last := map[string]Entry{}
	var order []string
	for _, e := range entries {
		if _, seen := last[e.OldKey]; !seen {
			order = append(order, e.OldKey)
		}
		last[e.OldKey] = e
	}
	var out []Entry
	for _, k := range order {
		if e := last[k]; e.Phase != PhaseDone {
			out = append(out, e)
		}
	}
	return out
}

// Done reports whether the journal says key was rotated.
func Done(entries []Entry, key string) bool {
	done := false
	for _, e := range entries {
		if e.OldKey == key {
			done = e.Phase == PhaseDone
		}
	}
	return done
}

// ErrNothingCreated: an interrupted replacement never reached Mailjet, so
// the key can simply be replaced now.
var ErrNothingCreated = errors.New("the interrupted replacement was never created")

// Resume finishes a sub-account key's rotation that the journal says was
// interrupted, without creating a second replacement: it finds the
// replacement among the account's keys, turns the old key off if it is
// still on, and verifies. The replacement's secret is in the result when
// Mailjet still shows it; otherwise Check.Problem says to reset it.
// ErrNothingCreated means no replacement exists: call RotateSub.
func (r *Rotator) Resume(ctx context.Context, slot Slot, e Entry, keys []mailjet.APIKey) (Result, error) {
	res := Result{Slot: slot}
	if r.API == nil {
		return res, errors.New("rotate: no connection to Mailjet was set up")
	}
	if slot.Old.IsMaster {
		return res, errors.New("rotate: the main key is not resumed here")
	}
	repl, ok := findReplacement(e, keys)
	if !ok {
		return res, ErrNothingCreated
	}
	res.NewKey, res.NewID, res.NewSecret = repl.APIKey, repl.ID, repl.Secret
	if e.Phase == PhaseCreating {
		// Mailjet made the key but the session ended before it said so.
		if err := r.record(Entry{OldID: slot.Old.ID, OldKey: slot.Old.APIKey, Phase: PhaseCreated,
			Name: e.Name, NewID: repl.ID, NewKey: repl.APIKey}); err != nil {
			return res, err
		}
	}
	if res.NewSecret.IsZero() {
		// Without the secret the new key cannot be checked or used; the
		// old key stays on so the account keeps a working key.
		res.Check.Problem = "Mailjet no longer shows the secret of the new key " + repl.APIKey +
			": reset its secret on the API keys page (" + APIKeysPage + "), then turn off " + slot.Old.APIKey + " there."
		return res, nil
	}
	if !slot.Old.IsActive {
		r.verifyNew(ctx, &res.Check, res.NewKey, res.NewSecret)
		res.Check.OldRefused = true
		return res, r.record(Entry{OldID: slot.Old.ID, OldKey: slot.Old.APIKey, Phase: PhaseDone, NewID: res.NewID, NewKey: res.NewKey})
	}
	return r.retireOld(ctx, res)
}

// findReplacement looks for the key the journal entry announced: by its
// public key once it was known, else by the name it was given and a
// creation time no earlier than the entry (with a minute of clock skew).
func findReplacement(e Entry, keys []mailjet.APIKey) (mailjet.APIKey, bool) {
	for _, k := range keys {
		if e.NewKey != "" && k.APIKey == e.NewKey {
			return k, true
		}
	}
	if e.NewKey != "" || e.Name == "" {
		return mailjet.APIKey{}, false
	}
	for _, k := range keys {
		if k.Name == e.Name && k.APIKey != e.OldKey && !k.IsMaster &&
			(k.CreatedAt.IsZero() || !k.CreatedAt.Before(e.At.Add(-time.Minute))) {
			return k, true
		}
	}
	return mailjet.APIKey{}, false
}
