// Package rotate plans and performs the rotation of an account's API keys:
// sub-account keys are replaced (create a new key, then deactivate the
// old), the master secret is reset through the recovery API or, without
// one, by the user on Mailjet's site. Every rotation is then verified.
package rotate

import (
	"cmp"
	"slices"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/secret"
)

// APIKeysPage is where a user resets the master secret by hand.
const APIKeysPage = "https://app.mailjet.com/account/apikeys"

// SMTPGraceNote tells users why an old secret may still send mail for a
// while: Mailjet switches the REST API at once, SMTP after about an hour.
const SMTPGraceNote = "Mailjet keeps accepting the old secret for sending through SMTP for about an hour after a reset; the REST API refuses it at once."

// Action is what the plan does with one key.
type Action int

const (
	ReplaceSubKey Action = iota // create a replacement, then deactivate the old key
	ResetMaster                 // reset the master secret through the recovery API
	GuidedMaster                // the user resets it on APIKeysPage and pastes the new secret
	SkipInactive                // already inactive: nothing to do
	ResumeSub                   // a replacement was under way when the last session ended
	KeepNew                     // a key this recovery made: nothing to do
	DoneEarlier                 // rotated earlier in this recovery
)

// String describes the action in plain words.
func (a Action) String() string {
	switch a {
	case ReplaceSubKey:
		return "create a new key, then turn the old one off"
	case ResetMaster:
		return "give the main key a new secret"
	case GuidedMaster:
		return "give the main key a new secret on Mailjet's site, then paste it here"
	case SkipInactive:
		return "already turned off: nothing to do"
	case ResumeSub:
		return "finish the replacement started in the last session"
	case KeepNew:
		return "made in this recovery: nothing to do"
	case DoneEarlier:
		return "done earlier in this recovery"
	}
	return "unknown action"
}

// Slot is one key of the account and what happens to it.
type Slot struct {
	Old    mailjet.APIKey
	Leaked bool
	Action Action
	// Pending is the journal entry a ResumeSub slot continues from.
	Pending Entry
}

// Plan is the ordered list of slots: sub-account keys first, the master
// key last (its reset changes the credentials the wizard itself uses).
type Plan struct {
	Slots []Slot
}

// NewPlan builds the plan for keys; leaked holds the public keys the scan
// found; canResetMaster is true when a recovery API is available.
func NewPlan(keys []mailjet.APIKey, leaked map[string]bool, canResetMaster bool) Plan {
	slots := make([]Slot, 0, len(keys))
	for _, k := range keys {
		s := Slot{Old: k, Leaked: leaked[k.APIKey]}
		switch {
		case !k.IsActive:
			s.Action = SkipInactive
		case !k.IsMaster:
			s.Action = ReplaceSubKey
		case canResetMaster:
			s.Action = ResetMaster
		default:
			s.Action = GuidedMaster
		}
		slots = append(slots, s)
	}
	slices.SortStableFunc(slots, func(a, b Slot) int {
		return cmp.Or(compareBool(a.Old.IsMaster, b.Old.IsMaster), cmp.Compare(a.Old.ID, b.Old.ID))
	})
	return Plan{Slots: slots}
}

// WithJournal adapts a plan to what an earlier session of this recovery
// did, as its journal says: keys it made are kept, keys it rotated are not
// rotated again, and a replacement it left half-made is resumed rather than
// made twice. A master reset that may have been cut short is simply done
// again: one more reset does no harm.
func (p Plan) WithJournal(entries []Entry) Plan {
	made := map[string]bool{}
	for _, e := range entries {
		if e.NewKey != "" && e.NewKey != e.OldKey {
			made[e.NewKey] = true
		}
	}
	pending := map[string]Entry{}
	for _, e := range Pending(entries) {
		if !e.Master {
			pending[e.OldKey] = e
		}
	}
	out := Plan{Slots: slices.Clone(p.Slots)}
	for i := range out.Slots {
		s := &out.Slots[i]
		key := s.Old.APIKey
		e, isPending := pending[key]
		switch {
		case made[key]:
			s.Action = KeepNew
		case isPending && s.Action == ReplaceSubKey:
			s.Action, s.Pending = ResumeSub, e
		case isPending && s.Action == SkipInactive:
			// The old key was turned off but the session ended before
			// noting it: the replacement still needs its check.
			s.Action, s.Pending = ResumeSub, e
		case Done(entries, key):
			s.Action = DoneEarlier
		}
	}
	return out
}

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// Check is the verification of one rotation.
type Check struct {
	NewWorks   bool   // the new pair authenticates
	OldRefused bool   // the old pair gets 401
	Problem    string // why it could not be checked, in plain words; "" when checked
}

// OK reports whether the rotation is verified.
func (c Check) OK() bool { return c.NewWorks && c.OldRefused && c.Problem == "" }

// Result is the outcome of one slot.
type Result struct {
	Slot      Slot
	NewKey    string // public key of the replacement (the same key for the master)
	NewID     int64
	NewSecret secret.Secret
	Check     Check
}

// Defaults for waiting until a new key or secret works: Mailjet says a
// new key is usable after "a few seconds".
const (
	DefaultReadyTries = 6
	DefaultReadyWait  = 2 * time.Second
)

// Rotator performs the plan. It is meant for one wizard run, one slot at
// a time: after a master reset it switches API and Recovery to the new
// pair, so later calls keep working.
type Rotator struct {
	API      *mailjet.Client  // authenticated with the master pair
	Recovery *recovery.Client // nil when there is no recovery API

	// ReadyTries and ReadyWait bound the wait for a new key or secret to
	// be accepted, and for an old one to be refused (0: the defaults).
	ReadyTries int
	ReadyWait  time.Duration
	// Now dates new key names (nil: time.Now).
	Now func() time.Time
	// Journal, when set, hears of each change before it is made and
	// after, so an interrupted rotation can be resumed (see Resume).
	Journal Journal
}

func (r *Rotator) readyTries() int {
	if r.ReadyTries > 0 {
		return r.ReadyTries
	}
	return DefaultReadyTries
}

func (r *Rotator) readyWait() time.Duration {
	if r.ReadyWait > 0 {
		return r.ReadyWait
	}
	return DefaultReadyWait
}

func (r *Rotator) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}
