// Package rotate plans and performs the rotation of an account's API keys,
// safely across interruptions: sub-account keys are replaced (a new key is
// made, its secret handed to the customer, then the old key is switched
// off), and the master key gets a new secret (prepared through the
// recovery API, handed over, then switched on; without a recovery API, the
// customer resets it on Mailjet's site and types it in).
//
// Every request is written to a journal before it is sent and after it is
// answered (Entry), and the journal folded (Ledger) decides what each
// slot needs next (SlotLog.Next), so a rotation cut at any point goes on
// from where it stopped without making a second key.
package rotate

import (
	"cmp"
	"slices"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// APIKeysPage is where a user resets a secret by hand, as Mailjet's own
// documentation and SDK READMEs link it.
const APIKeysPage = "https://app.mailjet.com/account/api_keys"

// SMTPGraceNote tells users why an old secret may still send mail for a
// while: Mailjet switches the REST API at once, SMTP after about an hour.
var SMTPGraceNote = lang.Mark("Mailjet keeps accepting the old secret for sending through SMTP for about an hour after a reset; the REST API refuses it at once.")

// Action is what the plan does with one key.
type Action int

const (
	ReplaceSubKey Action = iota // make a replacement, hand it over, switch the old key off
	ResetMaster                 // a new master secret through the recovery API
	GuidedMaster                // the user resets it on APIKeysPage and types the new secret in
	SkipInactive                // already switched off: nothing to do
	Finish                      // an earlier session of this recovery started it: go on
	DoneEarlier                 // rotated earlier in this recovery
	RetireSubKey                // nobody uses it: switch it off, make no replacement
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
	case Finish:
		return "finish what the last session started"
	case DoneEarlier:
		return "done earlier in this recovery"
	case RetireSubKey:
		return "nobody uses it: turn it off, with no replacement"
	}
	return "unknown action"
}

// Slot is one key of the account and what happens to it.
type Slot struct {
	Old    mailjet.APIKey
	Leaked bool
	Action Action
	// Unused: a sub-account key nobody uses (see Plan.Offer), which the
	// customer may switch off instead of replacing; LastSent is when it
	// last sent an email (zero: never).
	Unused   bool
	LastSent time.Time
}

// Plan is the ordered list of slots: sub-account keys first, the master
// key last (its new secret changes the credentials the wizard itself uses,
// and is switched on only once everything else is handed over).
type Plan struct {
	Slots []Slot
}

// NewPlan builds the plan for keys; leaked holds the public keys the scan
// found; canResetMaster is true when a recovery API is available; ledger
// is what earlier sessions of this recovery did (nil: nothing). Keys the
// rotation made are not slots of their own.
func NewPlan(keys []mailjet.APIKey, leaked map[string]bool, canResetMaster bool, ledger Ledger) Plan {
	slots := make([]Slot, 0, len(keys))
	for _, k := range keys {
		if ledger.Made(k.APIKey) {
			continue
		}
		s := Slot{Old: k, Leaked: leaked[k.APIKey]}
		log, known := ledger[k.APIKey]
		switch {
		case known && log.Next(s, noneHeld, canResetMaster).Op == "" && log.Skipped == "":
			s.Action = DoneEarlier
		case known && log.Retired:
			s.Action, s.Unused, s.LastSent = RetireSubKey, true, log.LastSent
		case known && len(log.Made)+len(log.Unknown) > 0:
			s.Action = Finish
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

func noneHeld(string) bool { return false }

// Offer marks the sub-account key key as unused (it last sent an email
// at lastSent; zero: never) and plans to switch it off with no
// replacement, when it was to be replaced: a key nobody uses is only one
// more key that can leak. The customer may still choose to replace it
// (Choose).
func (p Plan) Offer(key string, lastSent time.Time) {
	for i := range p.Slots {
		s := &p.Slots[i]
		if s.Old.APIKey == key && !s.Old.IsMaster && s.Action == ReplaceSubKey {
			s.Unused, s.LastSent, s.Action = true, lastSent, RetireSubKey
		}
	}
}

// Choose switches slot i of an unused key between being switched off
// (retire true) and being replaced. It reports whether the slot can be
// chosen for (an unused key the rotation has not started on).
func (p Plan) Choose(i int, retire bool) bool {
	if i < 0 || i >= len(p.Slots) {
		return false
	}
	s := &p.Slots[i]
	if !s.Unused || (s.Action != RetireSubKey && s.Action != ReplaceSubKey) {
		return false
	}
	s.Action = ReplaceSubKey
	if retire {
		s.Action = RetireSubKey
	}
	return true
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
	NewWorks   bool   `json:"new_works"`         // the new pair authenticates
	OldRefused bool   `json:"old_refused"`       // the old pair gets 401
	Problem    string `json:"problem,omitempty"` // why it could not be checked, in plain words; "" when checked
}

// OK reports whether the rotation is verified.
func (c Check) OK() bool { return c.NewWorks && c.OldRefused && c.Problem == "" }

// Result is a slot's new pair: what apps need and the report tells.
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

// Rotator makes the rotation's requests, each written to Journal before
// it is sent and after it is answered. After a master secret is switched
// on, it uses the new pair, so later calls keep working.
type Rotator struct {
	API      *mailjet.Client  // authenticated with the master pair
	Recovery *recovery.Client // nil when there is no recovery API

	// ReadyTries and ReadyWait bound the wait for a new key or secret to
	// be accepted, and for an old one to be refused (0: the defaults).
	ReadyTries int
	ReadyWait  time.Duration
	// Now dates journal entries and new key names (nil: time.Now).
	Now func() time.Time
	// Journal hears of each request before it is sent and after it is
	// answered. A rotation without one changes nothing.
	Journal Journal
	// Lang is the customer's language for the errors (nil: English); the
	// journal's words stay English.
	Lang *lang.Printer
}

// Journal keeps entries where a crash cannot lose them.
type Journal interface {
	// Intend records requests about to be sent. It returns nil once they
	// are on disk; on an error nothing is kept, and the request is not sent.
	Intend(...Entry) error
	// Note records what happened. It is kept even when it cannot reach
	// the disk now (the error says so): it happened either way.
	Note(...Entry) error
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
