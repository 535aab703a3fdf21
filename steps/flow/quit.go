package flow

import (
	"strings"

	"github.com/mjrecover/mjrecover/steps/rotate"
)

// Leaving says, in plain words, what quitting now keeps and what it
// loses: per mode and per stage, with a warning when new secrets or codes
// have not been shown or saved yet.
func (f *Flow) Leaving() string {
	var b strings.Builder
	switch {
	case f.cfg.Demo && !f.cfg.Kiosk:
		b.WriteString(f.T("This is the demo: nothing is kept. Running it again starts over with a fresh practice account."))
	case f.cfg.Kiosk:
		b.WriteString(f.T("What you finished stays done at Mailjet. Your access code opens this recovery again where you stopped, until the code expires."))
	case f.journal != nil && f.journal.OnDisk():
		b.WriteString(f.T("What you finished stays done at Mailjet, and the wizard remembers it (no secret is kept): run the same command again to go on from here."))
	case f.journal == nil && f.cfg.StateDir != "":
		b.WriteString(f.T("Nothing has changed at Mailjet yet."))
	default:
		b.WriteString(f.T("What you finished stays done at Mailjet, but no progress is kept here: the next run starts from the beginning."))
	}
	if w := f.unseen(); w != "" {
		b.WriteString("\n\n" + w)
	}
	return b.String()
}

// unseen warns about secrets the customer does not have yet.
func (f *Flow) unseen() string {
	if f.journal == nil {
		return ""
	}
	if r, ok := f.stages[Rotate].(*rotation); ok && f.current == Rotate {
		if r.state == rotRunning {
			return f.T("A change at Mailjet is under way: if you quit, the next run first checks what it did.")
		}
		if len(r.waiting()) > 0 {
			return f.T("Warning: the new keys' secrets have not been shown or saved yet. If you quit now they are lost: " +
				"the next run makes new keys (and switches these off). The old keys still work.")
		}
	}
	if f.current == Files {
		ledger := f.Record().Ledger()
		for _, slot := range f.plan.Slots {
			log := ledger.Log(slot.Old.APIKey)
			if m, ok := log.Current(func(ref string) bool { return !f.held[ref].IsZero() }); ok && m.Handed == rotate.HandShown && !slot.Old.IsMaster {
				return f.T("The new secrets are kept only while the wizard runs: if you quit before your files are updated, " +
					"the next run asks you for them (from the file you saved, or as you copied them).")
			}
		}
	}
	if c, ok := f.stages[RecoveryCodes].(*coding); ok && f.current == RecoveryCodes && len(c.codes) > 0 && c.file.path == "" && !c.wroteDown {
		return f.T("Warning: the recovery codes have not been saved or written down. If you quit now, the next run makes a new set.")
	}
	return ""
}
