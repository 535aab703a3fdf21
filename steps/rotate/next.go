package rotate

// Step is the next thing a slot needs.
type Step struct {
	Op      Op
	Made    Made // the key or secret the step is about (a replacement to switch off, hand over, switch on or check)
	Attempt int  // OpCreate, OpPrepare, OpAccept: the attempt to make
	// Key and ID name the key OpDeactivate switches off: the slot's old
	// key, or a replacement (then also Made).
	Key string
	ID  int64
}

// Next says what the slot needs next, from what the journal says and from
// which new secrets this process holds (held, by Made.Ref). An empty Op
// means nothing: the slot is finished, skipped, or has nothing to rotate.
//
// The order makes every interruption safe. Nothing is switched off before
// the customer has the new secret: a replacement is made, its secret
// handed over (shown or saved), and only then is the old key switched off;
// a new master secret is prepared, handed over, and only then switched on.
// A request without an answer is settled by looking before anything is
// sent again, and a replacement whose secret nobody has is switched off
// and made again, so every active key ends with a secret the customer has.
func (s *SlotLog) Next(slot Slot, held func(ref string) bool, canReset bool) Step {
	switch {
	case s.Skipped != "":
		return s.nextSkipped()
	case slot.Old.IsMaster || s.Master:
		return s.nextMaster(held, canReset)
	case s.Retired:
		return s.nextRetired(slot)
	}
	if len(s.Unknown) > 0 {
		return Step{Op: OpLookup}
	}
	oldOn := slot.Old.IsActive && !s.OldOff
	if !oldOn && len(s.Made) == 0 {
		return Step{} // switched off before this recovery: nothing to replace
	}
	keep, ok := s.Current(held)
	if !ok {
		return Step{Op: OpCreate, Attempt: s.Tries + 1}
	}
	for _, m := range s.Made {
		if !m.Off && m.Ref != keep.Ref {
			return Step{Op: OpDeactivate, Made: m, Key: m.Key, ID: m.ID}
		}
	}
	switch {
	case !keep.Has():
		return Step{Op: OpHandover, Made: keep}
	case oldOn:
		return Step{Op: OpDeactivate, Key: slot.Old.APIKey, ID: slot.Old.ID}
	case keep.Check == nil:
		return Step{Op: OpVerify, Made: keep}
	}
	return Step{}
}

func (s *SlotLog) nextMaster(held func(ref string) bool, canReset bool) Step {
	if active, ok := s.Active(); ok && !active.Lost {
		if active.Check == nil {
			return Step{Op: OpVerify, Made: active}
		}
		return Step{}
	}
	if !canReset {
		return Step{Op: OpAccept, Attempt: s.Tries + 1}
	}
	// An activation that got no answer is settled by activating again:
	// the recovery API makes a repeat harmless.
	for _, u := range s.Unknown {
		if m := s.byAttempt(u.Attempt); u.Op == OpActivate && m != nil && !m.Off && held(m.Ref) {
			return Step{Op: OpActivate, Made: *m}
		}
	}
	pending, ok := s.Current(held)
	switch {
	case !ok:
		return Step{Op: OpPrepare, Attempt: s.Tries + 1}
	case !pending.Has():
		return Step{Op: OpHandover, Made: pending}
	}
	return Step{Op: OpActivate, Made: pending}
}

// nextSkipped cleans up after the customer chose to leave a key as it is:
// a replacement whose secret they do not have is switched off again (a
// master secret that was only prepared never works, so it needs nothing).
func (s *SlotLog) nextSkipped() Step {
	if s.Master {
		return Step{}
	}
	if len(s.Unknown) > 0 {
		return Step{Op: OpLookup}
	}
	for _, m := range s.Made {
		if !m.Off && !m.Has() {
			return Step{Op: OpDeactivate, Made: m, Key: m.Key, ID: m.ID}
		}
	}
	return Step{}
}

// nextRetired switches an unused key off with no replacement: an
// unanswered request is settled by looking first, a replacement made
// before the customer chose so (whose secret they do not have) is
// switched off too, then the old key, and last the old pair is checked to
// be refused.
func (s *SlotLog) nextRetired(slot Slot) Step {
	if len(s.Unknown) > 0 {
		return Step{Op: OpLookup}
	}
	for _, m := range s.Made {
		if !m.Off {
			return Step{Op: OpDeactivate, Made: m, Key: m.Key, ID: m.ID}
		}
	}
	switch {
	case slot.Old.IsActive && !s.OldOff:
		return Step{Op: OpDeactivate, Key: slot.Old.APIKey, ID: slot.Old.ID}
	case s.OffCheck == nil:
		return Step{Op: OpVerify, Key: slot.Old.APIKey, ID: slot.Old.ID}
	}
	return Step{}
}
