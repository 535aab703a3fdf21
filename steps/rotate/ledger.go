package rotate

import (
	"slices"
	"strconv"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
)

// Op is a change (or a look) the rotation makes at Mailjet, or a fact
// about the customer that the rotation depends on (a handover).
type Op string

const (
	OpCreate     Op = "create"     // make a replacement sub-account key
	OpDeactivate Op = "deactivate" // switch a key off: the old one, or a replacement whose secret nobody has
	OpLookup     Op = "lookup"     // read the key list to settle what an unanswered request did
	OpPrepare    Op = "prepare"    // get a new master secret that is not switched on yet (recovery API)
	OpActivate   Op = "activate"   // switch the prepared master secret on
	OpAccept     Op = "accept"     // take a master secret the customer reset on Mailjet's site
	OpHandover   Op = "handover"   // the customer has (or has lost) a new secret
	OpVerify     Op = "verify"     // the new pair works, the old one is refused
	OpSkip       Op = "skip"       // the customer chose to leave this key as it is
	OpRetire     Op = "retire"     // the customer chose to switch this unused key off, with no replacement
)

// Phase is where one Op stands.
type Phase string

const (
	Intent  Phase = "intent"  // about to be sent: written before the request
	Done    Phase = "done"    // it happened (Mailjet said so, or a look proved it)
	Failed  Phase = "failed"  // it did not happen (Mailjet refused it, or a look proved it)
	Unknown Phase = "unknown" // no answer: it may have happened; look before retrying
)

// How a customer got a new secret (Entry.How of an OpHandover).
const (
	HandShown  = "shown"  // on the screen, after the customer asked to see it
	HandSaved  = "saved"  // to a file only they can read (Entry.Path)
	HandTyped  = "typed"  // they typed or pasted it into the wizard
	HandLost   = "lost"   // they no longer have it (Failed handover)
	HandListed = "listed" // Mailjet still showed it in the key list: the wizard holds it, the customer not yet
)

// Entry is one line of the rotation's journal: an intent written before a
// request, or what came of it. It names keys by their public key and id,
// and a secret by its last four characters only: a journal holds no secret.
type Entry struct {
	At      time.Time `json:"at"`
	Slot    string    `json:"slot"` // the old public key of the slot
	Master  bool      `json:"master,omitempty"`
	Op      Op        `json:"op"`
	Phase   Phase     `json:"phase"`
	Attempt int       `json:"attempt,omitempty"` // of OpCreate, OpPrepare, OpAccept, and what refers to their result
	Name    string    `json:"name,omitempty"`    // the name a replacement is created with
	Key     string    `json:"key,omitempty"`     // the key made, switched off or handed over
	ID      int64     `json:"id,omitempty"`
	Hint    string    `json:"hint,omitempty"` // a new secret's last four characters
	How     string    `json:"how,omitempty"`  // OpHandover: Hand*
	Path    string    `json:"path,omitempty"` // OpHandover by HandSaved: the file
	Check   *Check    `json:"check,omitempty"`
	Problem string    `json:"problem,omitempty"` // plain words
	// LastSent is, for OpRetire, when the key last sent an email (absent:
	// never). Journals written before OpRetire existed do not have it.
	LastSent time.Time `json:"last_sent,omitzero"`
}

// Made is a key the rotation made for a slot (a sub-account key) or a new
// secret it prepared or took for the master key.
type Made struct {
	Ref     string // names its secret in memory: the key, or "master#attempt"
	Attempt int
	Name    string
	Key     string
	ID      int64
	Hint    string
	At      time.Time
	Off     bool   // switched off again, or (master) can no longer be switched on
	Active  bool   // master: the secret in use now
	Handed  string // how the customer got its secret; "" not yet
	Path    string // the file it was saved to
	Lost    bool   // the customer said they no longer have its secret
	Check   *Check // the last verification of this key
}

// Has reports whether the customer holds the secret (as far as anyone can tell).
func (m Made) Has() bool { return m.Handed != "" && m.Handed != HandListed && !m.Lost }

// SlotLog is what the journal says about one slot.
type SlotLog struct {
	Slot    string
	Master  bool
	Tries   int     // the last attempt number used
	Made    []Made  // in the order they were made
	Unknown []Entry // requests sent without a clear answer, not yet settled
	OldOff  bool    // a sub-account slot's old key is switched off
	Skipped string  // why the customer left the key as it is; "" not skipped
	Problem string  // the last failure, in plain words
	// Retired: the customer chose to switch this unused sub-account key
	// off with no replacement (OpRetire); LastSent is when it last sent an
	// email (zero: never), OffCheck the check that its pair is refused.
	Retired  bool
	LastSent time.Time
	OffCheck *Check
}

// Ledger is the journal folded per slot (by the slot's old public key).
type Ledger map[string]*SlotLog

// Fold reads a journal's entries, in order.
func Fold(entries []Entry) Ledger {
	l := Ledger{}
	for _, e := range entries {
		l.Add(e)
	}
	return l
}

// Log returns the slot's log, empty when the journal never named it.
func (l Ledger) Log(slot string) *SlotLog {
	if s, ok := l[slot]; ok {
		return s
	}
	return &SlotLog{Slot: slot}
}

// Made reports whether key is one the rotation made (a replacement), so
// it is never taken for a slot of its own.
func (l Ledger) Made(key string) bool {
	for _, s := range l {
		for _, m := range s.Made {
			if !s.Master && m.Key == key {
				return true
			}
		}
	}
	return false
}

// Add folds one more entry in.
func (l Ledger) Add(e Entry) {
	s, ok := l[e.Slot]
	if !ok {
		s = &SlotLog{Slot: e.Slot}
		l[e.Slot] = s
	}
	s.Master = s.Master || e.Master
	if e.Attempt > s.Tries && (e.Op == OpCreate || e.Op == OpPrepare || e.Op == OpAccept) {
		s.Tries = e.Attempt
	}
	switch e.Phase {
	case Intent:
		s.settle(e)
		s.Unknown = append(s.Unknown, e)
		return
	case Unknown:
		s.settle(e)
		e.Phase = Intent
		s.Unknown = append(s.Unknown, e)
		return
	case Failed:
		s.settle(e)
		s.Problem = e.Problem
		s.failed(e)
		return
	}
	s.settle(e)
	s.done(e)
}

// settle drops the unknown request e answers.
func (s *SlotLog) settle(e Entry) {
	s.Unknown = slices.DeleteFunc(s.Unknown, func(u Entry) bool {
		return u.Op == e.Op && u.Attempt == e.Attempt && (e.Op != OpDeactivate || u.Key == e.Key)
	})
}

func (s *SlotLog) failed(e Entry) {
	switch e.Op {
	case OpActivate:
		// A prepared secret that could not be switched on (expired or
		// replaced) never will be.
		if m := s.byAttempt(e.Attempt); m != nil {
			m.Off = true
		}
	case OpHandover:
		if m := s.find(e); m != nil {
			m.Lost = true
		}
	}
}

func (s *SlotLog) done(e Entry) {
	switch e.Op {
	case OpCreate:
		if s.byKey(e.Key) == nil {
			s.Made = append(s.Made, Made{Ref: e.Key, Attempt: e.Attempt, Name: e.Name, Key: e.Key, ID: e.ID, Hint: e.Hint, At: e.At})
		}
	case OpPrepare, OpAccept:
		m := Made{Ref: masterRef(e.Slot, e.Attempt), Attempt: e.Attempt, Key: e.Slot, Hint: e.Hint, At: e.At}
		if e.Op == OpAccept {
			m.Handed = HandTyped
		}
		if e.Check != nil {
			c := *e.Check
			m.Check = &c
		}
		s.Made = append(s.Made, m)
		if e.Op == OpAccept {
			s.activate(e.Attempt)
		}
	case OpActivate:
		s.activate(e.Attempt)
	case OpDeactivate:
		if e.Key == s.Slot {
			s.OldOff = true
		} else if m := s.byKey(e.Key); m != nil {
			m.Off = true
		}
	case OpHandover:
		if m := s.find(e); m != nil {
			m.Handed, m.Path, m.Lost = e.How, e.Path, false
		}
	case OpVerify:
		if !s.Master && !e.Master && e.Key == s.Slot && e.Check != nil {
			c := *e.Check
			s.OffCheck = &c
		} else if m := s.find(e); m != nil && e.Check != nil {
			c := *e.Check
			m.Check = &c
		}
	case OpRetire:
		s.Retired, s.LastSent = true, e.LastSent
	case OpSkip:
		s.Skipped = e.Problem
		if s.Skipped == "" {
			s.Skipped = "left as it is"
		}
	}
}

// activate makes the master secret of attempt the one in use.
func (s *SlotLog) activate(attempt int) {
	for i := range s.Made {
		s.Made[i].Active = s.Made[i].Attempt == attempt && !s.Made[i].Off
	}
}

// find is the made key an entry refers to: by key for sub-account keys,
// by attempt for the master's secrets.
func (s *SlotLog) find(e Entry) *Made {
	if s.Master || e.Master {
		return s.byAttempt(e.Attempt)
	}
	return s.byKey(e.Key)
}

func (s *SlotLog) byKey(key string) *Made {
	for i := range s.Made {
		if s.Made[i].Key == key {
			return &s.Made[i]
		}
	}
	return nil
}

func (s *SlotLog) byAttempt(n int) *Made {
	for i := len(s.Made) - 1; i >= 0; i-- {
		if s.Made[i].Attempt == n {
			return &s.Made[i]
		}
	}
	return nil
}

// Active is the master secret in use, when the rotation switched one on.
func (s *SlotLog) Active() (Made, bool) {
	for _, m := range s.Made {
		if m.Active {
			return m, true
		}
	}
	return Made{}, false
}

// Current is the replacement a sub-account slot keeps, or the master's
// secret in use or about to be: what the customer needs now.
func (s *SlotLog) Current(held func(ref string) bool) (Made, bool) {
	if s.Master {
		if m, ok := s.Active(); ok && !m.Lost {
			return m, true
		}
		return s.newest(func(m Made) bool { return !m.Active && !m.Off && held(m.Ref) })
	}
	return s.newest(func(m Made) bool { return !m.Off && (held(m.Ref) || m.Has()) })
}

func (s *SlotLog) newest(ok func(Made) bool) (Made, bool) {
	for i := len(s.Made) - 1; i >= 0; i-- {
		if ok(s.Made[i]) {
			return s.Made[i], true
		}
	}
	return Made{}, false
}

// Rotated reports whether the slot is finished: its key was replaced (or
// its secret changed), the customer has the new secret, and nothing is
// left to switch off.
func (s *SlotLog) Rotated() bool {
	step := s.Next(Slot{Old: slotKey(s)}, func(string) bool { return false }, true)
	return step.Op == "" && s.Skipped == ""
}

// slotKey is what Next needs to know of a slot when only the log is at
// hand: its old key, switched off as the log says.
func slotKey(s *SlotLog) mailjet.APIKey {
	return mailjet.APIKey{APIKey: s.Slot, IsMaster: s.Master, IsActive: !s.OldOff}
}

func masterRef(slot string, attempt int) string { return slot + "#" + strconv.Itoa(attempt) }
