package record

import (
	"slices"
	"time"

	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/replace"
	"github.com/mjrecover/mjrecover/steps/review"
	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
)

// Record is where a recovery stands: its journal folded.
type Record struct {
	Open    Open
	Opened  time.Time
	Updated time.Time
	// Current is the stage last entered and not done: where a resumed
	// recovery goes back to.
	Current string
	Done    map[string]support.StepResult // by stage id
	Scan    *Scan
	Usage   []review.KeyUsage
	Keys    []rotate.Entry     // the rotation's journal, kept across a restart
	Sends   []rotate.SendCheck // the last test email of each new key, in the order first tried
	Files   Files
	Review  Reviewed
	Saved   []SavedFile
	Report  *Report
	// Lines are report lines carried over from a journal of version 1.
	Lines    []support.Line
	Finished bool

	ledger rotate.Ledger // Keys folded
}

// Files is what happened to the customer's files.
type Files struct {
	Outcome    replace.Outcome
	Quarantine string
	// Pending are files an update or a move had started on when the
	// session ended: whether it happened is checked on the disk.
	Pending []FileOp
	// Decided are the paths decided (updated, moved, left, failed).
	Decided map[string]FileOpKind
}

// Reviewed is what the account review did.
type Reviewed struct {
	Acts    []support.Line // items acted on, as they happened
	Pending []ReviewOp     // acts started when the session ended
	Lines   []support.Line // the whole review, once the customer moved on
}

// Ledger is the key rotation's journal folded. It is shared: callers read
// it and must not change it.
func (r Record) Ledger() rotate.Ledger {
	if r.ledger == nil {
		return rotate.Fold(r.Keys)
	}
	return r.ledger
}

// KeysReplacedAt is when the old secrets stopped working: the main
// secret switched (or taken) if it was, else the first old sub-account
// key switched off.
func (r Record) KeysReplacedAt() (time.Time, bool) {
	var first time.Time
	for _, e := range r.Keys {
		if e.Phase != rotate.Done {
			continue
		}
		if e.Master && (e.Op == rotate.OpActivate || e.Op == rotate.OpAccept) {
			return e.At, true
		}
		if e.Op == rotate.OpDeactivate && first.IsZero() {
			first = e.At
		}
	}
	return first, !first.IsZero()
}

// Started reports whether the recovery got anywhere worth resuming.
func (r Record) Started() bool { return len(r.Done) > 0 || len(r.Keys) > 0 }

// Fold reads events in order.
func Fold(events []Event) Record {
	r := Record{Done: map[string]support.StepResult{}}
	for _, e := range events {
		r.add(e)
	}
	r.ledger = rotate.Fold(r.Keys)
	return r
}

func (r *Record) add(e Event) {
	if r.Opened.IsZero() {
		r.Opened = e.At
	}
	if e.At.After(r.Updated) {
		r.Updated = e.At
	}
	switch e.Type {
	case Opened:
		if e.Open != nil {
			r.Open = *e.Open
		}
	case Restarted:
		keys, usage, saved, sends := r.Keys, r.Usage, r.Saved, r.Sends
		*r = Record{Open: r.Open, Opened: r.Opened, Updated: r.Updated, Done: map[string]support.StepResult{},
			Keys: keys, Usage: usage, Saved: saved, Sends: sends}
	case Entered:
		r.Current = e.Stage
	case StageDone:
		if e.Step != nil {
			r.Done[e.Stage] = *e.Step
		}
		if r.Current == e.Stage {
			r.Current = ""
		}
	case Scanned:
		if e.Scan != nil {
			s := *e.Scan
			r.Scan = &s
		}
	case UsageRead:
		r.Usage = slices.Clone(e.Usage)
	case Rotation:
		if e.Key != nil {
			r.Keys = append(r.Keys, *e.Key)
		}
	case SendTest:
		if e.Send != nil {
			r.addSend(*e.Send)
		}
	case File:
		if e.File != nil {
			r.Files.add(*e.File)
		}
	case Review:
		if e.Review != nil {
			r.Review.add(*e.Review)
		}
	case Saved:
		if e.Saved != nil {
			r.Saved = append(r.Saved, *e.Saved)
		}
	case Reported:
		if e.Report != nil {
			rep := *e.Report
			r.Report = &rep
		}
	case Finished:
		r.Finished = true
	}
}

// addSend keeps a key's latest test email: a second try replaces the first.
func (r *Record) addSend(c rotate.SendCheck) {
	for i := range r.Sends {
		if r.Sends[i].APIKey == c.APIKey {
			r.Sends[i] = c
			return
		}
	}
	r.Sends = append(r.Sends, c)
}

func (f *Files) add(op FileOp) {
	if f.Decided == nil {
		f.Decided = map[string]FileOpKind{}
	}
	o := &f.Outcome
	if op.Quarantine != "" {
		f.Quarantine = op.Quarantine
	}
	if op.Op == FileUpdate || op.Op == FileMove {
		f.Pending = slices.DeleteFunc(f.Pending, func(p FileOp) bool { return p.Path == op.Path })
		switch op.Phase {
		case rotate.Intent:
			f.Pending = append(f.Pending, op)
			return
		case Undone:
			return
		}
	}
	switch {
	case op.Op == FilePlanned:
		o.EnvNotes, o.Manual = op.EnvNotes, op.Manual
		return
	case op.Op == FileCheck:
		if op.Check != nil {
			c := *op.Check
			o.Check = &c
		}
		return
	case op.Op == FileLeave:
		o.Skipped = append(o.Skipped, op.Path)
	case op.Phase == rotate.Failed || op.Phase == rotate.Unknown:
		o.Failed = append(o.Failed, replace.Failure{Path: op.Path, Problem: op.Problem, Say: op.ProblemSay})
	case op.Applied != nil:
		o.Applied = append(o.Applied, *op.Applied)
	case op.Removed != nil:
		o.Removed = append(o.Removed, *op.Removed)
	}
	f.Decided[op.Path] = op.Op
}

func (rv *Reviewed) add(op ReviewOp) {
	if op.Lines != nil {
		rv.Lines = slices.Clone(op.Lines)
		return
	}
	rv.Pending = slices.DeleteFunc(rv.Pending, func(p ReviewOp) bool { return p.Target == op.Target && p.Area == op.Area })
	switch {
	case op.Phase == rotate.Intent:
		rv.Pending = append(rv.Pending, op)
	case op.Line != nil:
		rv.Acts = append(rv.Acts, *op.Line)
	}
}

// ReportLines are the report's "other actions", in p's language (nil:
// English, for the report's JSON), each with its messages (for the
// report's Markdown to say in the customer's language): the test emails,
// the files changed or left, and the account review (what it found, or
// what was done before an interruption cut it short). The test emails and
// the files are said again from what the journal kept; the review's lines
// from the messages the journal kept with them. A line of an older
// journal, kept in English only, is said as it was kept (its marked
// messages translated).
func (r Record) ReportLines(p *lang.Printer) []support.Line {
	var out []support.Line
	for _, l := range r.Lines {
		out = append(out, l.Say(p))
	}
	for _, c := range r.Sends {
		out = append(out, support.Said(lang.Msg("Test email"), lang.Msg("%[1]s (%[2]s)", c.Name, c.APIKey), c.Msg()).Say(p))
	}
	for _, l := range r.Files.Outcome.Lines(r.scanRoot(), p) {
		out = append(out, support.Line{Area: l.Area, Finding: l.Finding, Action: l.Action,
			AreaMsg: l.AreaMsg, FindingMsg: l.FindingMsg, ActionMsg: l.ActionMsg})
	}
	// The review's last word, and what earlier sessions did that it no
	// longer sees (a webhook deleted before the interruption is gone).
	for _, l := range r.Review.Lines {
		out = append(out, l.Say(p))
	}
	for _, a := range r.Review.Acts {
		if !slices.ContainsFunc(r.Review.Lines, a.Same) {
			out = append(out, a.Say(p))
		}
	}
	return out
}

func (r Record) scanRoot() string {
	if r.Scan == nil || r.Scan.Sites {
		return ""
	}
	return r.Scan.Root
}
