package flow

import (
	"context"
	"fmt"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/record"
	"github.com/mjrecover/mjrecover/steps/review"
	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
)

type reviewState int

const (
	reviewLoading reviewState = iota
	reviewList
	reviewDetail
	reviewConfirm
	reviewLeave // suspicious items are still in place: go on anyway?
	reviewFailed
)

// reviewing shows, read from the API, what an attacker may have left in
// the account (webhooks, parse routes, senders, unused keys, sending
// spikes), and acts where the API allows, when the customer says so.
type reviewing struct {
	base
	f        *Flow
	state    reviewState
	busy     bool
	rev      review.Review
	selected int
	smtp     *review.SMTPCheck
	err      string
}

// Messages of the review.
type (
	reviewedMsg struct {
		rev review.Review
		err error
	}
	actedMsg struct {
		index int
		item  review.Item
		err   error
	}
	smtpCheckedMsg struct{ check review.SMTPCheck }
)

func newReview(f *Flow) *reviewing { return &reviewing{f: f} }

func (s *reviewing) enter() []Cmd {
	if s.state != reviewLoading {
		return nil
	}
	f := s.f
	rec := f.Record()
	in := review.Input{AccountEmail: f.account.Email, Usage: rec.Usage, Replacements: replacements(rec.Ledger()), Now: f.cfg.Now()}
	api := f.api
	s.busy = true
	return []Cmd{func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		rev, err := review.Run(ctx, api, in)
		return reviewedMsg{rev: rev, err: err}
	}}
}

// replacements link the sub-account keys the rotation replaced to their
// replacements.
func replacements(l rotate.Ledger) []review.Replacement {
	var out []review.Replacement
	for slot, log := range l {
		if log.Master {
			continue
		}
		for _, m := range log.Made {
			if !m.Off {
				out = append(out, review.Replacement{OldKey: slot, NewKey: m.Key})
			}
		}
	}
	return out
}

// masterReset is when the master secret was changed in this recovery, if
// it was (over SMTP the old one works about an hour more).
func (f *Flow) masterReset() time.Time {
	if !f.masterResetAt.IsZero() {
		return f.masterResetAt
	}
	for _, e := range f.Record().Keys {
		if e.Master && e.Phase == rotate.Done && (e.Op == rotate.OpActivate || e.Op == rotate.OpAccept) {
			return e.At
		}
	}
	return time.Time{}
}

// oldMasterSecret is the master secret from before the rotation, when this
// session knows it.
func (f *Flow) oldMasterSecret() secret.Secret {
	if f.api == nil || f.oldMaster.Equal(f.api.Credentials().Secret) {
		return secret.Secret{}
	}
	return f.oldMaster
}

// smtpDue: the old master secret can be tried over SMTP now that its
// grace time is over.
func (s *reviewing) smtpDue() bool {
	reset := s.f.masterReset()
	return s.smtp == nil && !reset.IsZero() && !s.f.oldMasterSecret().IsZero() &&
		!s.f.cfg.Now().Before(reset.Add(review.SMTPRecheckAfter))
}

func (s *reviewing) pick(i int) {
	if s.state == reviewList && i >= 0 && i < len(s.rev.Items) {
		s.selected = i
	}
}

func (s *reviewing) current() (review.Item, bool) {
	if s.selected < 0 || s.selected >= len(s.rev.Items) {
		return review.Item{}, false
	}
	return s.rev.Items[s.selected], true
}

func (s *reviewing) update(msg Msg) []Cmd {
	switch m := msg.(type) {
	case reviewedMsg:
		s.busy = false
		if m.err != nil {
			s.state, s.err = reviewFailed, s.f.explain("Could not review the account", m.err)
			return nil
		}
		s.rev, s.state, s.err = m.rev, reviewList, ""
	case actedMsg:
		s.busy = false
		s.rev.Items[m.index] = m.item
		if m.err != nil {
			s.err = s.f.explain("That did not work", m.err)
		}
	case smtpCheckedMsg:
		s.busy = false
		s.smtp = &m.check
	}
	return nil
}

func (s *reviewing) do(a ActionID) []Cmd {
	switch s.state {
	case reviewFailed:
		switch a {
		case Retry:
			s.state = reviewLoading
			return s.enter()
		case Continue:
			return s.leaveReview()
		}
	case reviewList:
		it, ok := s.current()
		switch {
		case a == Details && ok:
			s.state = reviewDetail
		case a == Act && ok && it.CanAct():
			s.state, s.err = reviewConfirm, ""
		case a == Check && s.smtpDue():
			return s.checkSMTP()
		case a == Continue && s.undecided() > 0:
			s.state = reviewLeave
		case a == Continue:
			return s.leaveReview()
		}
	case reviewLeave:
		switch a {
		case Yes:
			s.state = reviewList
			return s.leaveReview()
		case No, Back:
			s.state = reviewList
		}
	case reviewDetail:
		if a == Back || a == Details || a == Continue {
			s.state = reviewList
		}
	case reviewConfirm:
		switch a {
		case Yes:
			s.state = reviewList
			return s.act(s.selected)
		case No, Back:
			s.state = reviewList
		}
	}
	return nil
}

// undecided counts the suspicious items the wizard could act on that are
// still in place: moving on leaves them, so it is asked, not assumed.
func (s *reviewing) undecided() int {
	n := 0
	for _, it := range s.rev.Items {
		if it.Verdict == review.Suspicious && it.CanAct() {
			n++
		}
	}
	return n
}

// act deletes or switches off what the item names, noting the intent
// first and what happened after.
func (s *reviewing) act(i int) []Cmd {
	it, api, j := s.rev.Items[i], s.f.api, s.f.journal
	s.busy = true
	return []Cmd{func(ctx context.Context) Msg {
		op := record.ReviewOp{Phase: rotate.Intent, Area: string(it.Area), Title: it.Title, Target: it.TargetID}
		if err := j.Write(record.Event{At: time.Now(), Type: record.Review, Review: &op}); err != nil {
			return actedMsg{index: i, item: it, err: fmt.Errorf("the wizard could not note its progress, so it changed nothing (%w)", err)}
		}
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		done, err := review.Act(ctx, api, it)
		op.Phase = rotate.Failed
		if err == nil && done.Done {
			line := support.Line{Area: string(done.Area), Finding: done.Title + ": " + done.Explain, Action: done.Result}
			op.Phase, op.Line = rotate.Done, &line
		}
		_ = j.Keep(record.Event{At: time.Now(), Type: record.Review, Review: &op})
		return actedMsg{index: i, item: done, err: err}
	}}
}

func (s *reviewing) checkSMTP() []Cmd {
	key, old := s.f.api.Credentials().APIKey, s.f.oldMasterSecret()
	s.busy = true
	return []Cmd{func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		return smtpCheckedMsg{review.SMTPChecker{}.CheckLogin(ctx, key, old)}
	}}
}

// leaveReview gives the report what was reviewed and done.
func (s *reviewing) leaveReview() []Cmd {
	var lines []support.Line
	for _, l := range s.rev.Lines() {
		lines = append(lines, support.Line(l))
	}
	if l, ok := s.smtpLine(); ok {
		lines = append(lines, l)
	}
	if lines == nil {
		lines = []support.Line{}
	}
	cmds := []Cmd{s.f.note(record.Event{Type: record.Review, Review: &record.ReviewOp{Lines: lines}})}
	sus := s.rev.Count(review.Suspicious)
	detail := fmt.Sprintf("%d items reviewed; %s", len(s.rev.Items), plural(sus, "looked suspicious", "looked suspicious"))
	return append(cmds, s.f.finish(support.StepResult{Status: support.StatusDone, Detail: detail + "."})...)
}

// smtpLine is the report's line on the old master secret over SMTP.
func (s *reviewing) smtpLine() (support.Line, bool) {
	reset := s.f.masterReset()
	switch {
	case s.smtp != nil:
		return support.Line(s.smtp.Line()), true
	case !reset.IsZero():
		until := reset.Add(review.SMTPRecheckAfter)
		return support.Line{Area: string(review.AreaSMTP),
			Finding: "Mailjet may accept the old master secret for SMTP sending until about " + until.UTC().Format("15:04 UTC") + ".",
			Action:  "Not checked yet: the customer is told to check that it stops"}, true
	}
	return support.Line{}, false
}

// reviewActionWords is what the act action does, in a few words.
func reviewActionWords(a review.Action) string {
	switch a {
	case review.DeleteWebhook:
		return "delete the webhook"
	case review.DeleteParseRoute:
		return "delete the route"
	case review.DeleteSender:
		return "delete the sender"
	case review.DeactivateKey:
		return "turn the key off"
	}
	return "do it"
}

func (s *reviewing) screen() Screen {
	var sc Screen
	switch s.state {
	case reviewLoading:
		sc.Busy = true
		sc.Blocks = []Block{working("Looking through the account's webhooks, senders, keys and sending…")}
		return sc
	case reviewFailed:
		sc.Blocks = []Block{toned(Bad, s.err), text("Press r to try again, or Enter to go on without it.")}
		sc.Actions = []Action{act(Retry, "try again"), act(Continue, "go on without it")}
		return sc
	case reviewDetail:
		it, _ := s.current()
		sc.Blocks = []Block{toned(Title, clean(it.Title)+"  "+clean(string(it.Area))+" · "+it.Verdict.String()),
			text(clean(it.Explain)), toned(Strong, "What to do"), tight(text(clean(it.Recommend)))}
		if it.Result != "" {
			sc.Blocks = append(sc.Blocks, toned(Good, clean(it.Result)))
		}
		sc.Actions = []Action{act(Back, "back to the list")}
		return sc
	}
	sc.Busy = s.busy
	sus, check := s.rev.Open(review.Suspicious), s.rev.Open(review.Check)
	head := "Nothing in the account looks left behind by an attacker."
	if sus+check > 0 {
		head = fmt.Sprintf("%s, %s. Space shows why; x acts on it.",
			plural(sus, "thing looks suspicious", "things look suspicious"), plural(check, "is worth a look", "are worth a look"))
	}
	sc.Blocks = []Block{text(head)}
	l := &List{Selected: s.selected}
	for _, it := range s.rev.Items {
		mark, tone := map[review.Verdict]string{review.Suspicious: "!", review.Check: "?", review.OK: "✓"}[it.Verdict],
			map[review.Verdict]Tone{review.Suspicious: Bad, review.Check: Warn, review.OK: Good}[it.Verdict]
		if it.Done {
			mark, tone = "✓", Good
		}
		l.Items = append(l.Items, Item{Mark: mark, MarkTone: tone, Cols: []string{clean(string(it.Area)), clean(it.Title)}})
	}
	if len(l.Items) > 0 {
		sc.Blocks = append(sc.Blocks, Block{Kind: ListBlock, List: l})
	}
	if it, ok := s.current(); ok {
		note := it.Recommend
		if it.Result != "" {
			note = it.Result
		}
		sc.Blocks = append(sc.Blocks, toned(Muted, clean(note)))
	}
	switch {
	case s.state == reviewConfirm:
		it, _ := s.current()
		sc.Blocks = append(sc.Blocks, box(fmt.Sprintf("%s: %s?\n\ny / n", clean(it.Title), reviewActionWords(it.Action))))
		sc.Actions = yesNo()
		return sc
	case s.state == reviewLeave:
		q := fmt.Sprintf("%d suspicious things are still in place. Leave them as they are? Whoever put them there "+
			"can go on using them, and the report says you chose to leave them.", s.undecided())
		if s.undecided() == 1 {
			q = "1 suspicious thing is still in place. Leave it as it is? Whoever put it there can go on using it, " +
				"and the report says you chose to leave it."
		}
		sc.Blocks = append(sc.Blocks, box(q+"\n\ny / n"))
		sc.Actions = yesNo()
		return sc
	case s.err != "":
		sc.Blocks = append(sc.Blocks, toned(Bad, s.err))
	case s.smtp != nil:
		sc.Blocks = append(sc.Blocks, text(clean(s.smtp.Words())))
	case s.smtpDue():
		sc.Blocks = append(sc.Blocks, text("Press c to check that Mailjet's email server now refuses the old master secret."))
	default:
		if l, ok := s.smtpLine(); ok {
			sc.Blocks = append(sc.Blocks, toned(Muted, l.Finding+" Check your apps have the new one by then."))
		}
	}
	sc.Actions = []Action{act(Continue, "continue")}
	if it, ok := s.current(); ok && it.CanAct() {
		sc.Actions = append(sc.Actions, act(Act, reviewActionWords(it.Action)))
	}
	if s.smtpDue() {
		sc.Actions = append(sc.Actions, act(Check, "check the old SMTP login"))
	}
	if len(s.rev.Items) > 0 {
		sc.Actions = append(sc.Actions, act(Details, "details"))
	}
	return sc
}
