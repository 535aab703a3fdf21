package flow

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
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
	in := review.Input{AccountEmail: f.account.Email, Usage: rec.Usage, Replacements: replacements(rec.Ledger()), Now: f.cfg.Now(), Lang: f.Lang()}
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
			s.state, s.err = reviewFailed, s.f.explain(s.f.T("Could not review the account"), m.err)
			return nil
		}
		s.rev, s.state, s.err = m.rev, reviewList, ""
	case actedMsg:
		s.busy = false
		s.rev.Items[m.index] = m.item
		if m.err != nil {
			s.err = s.f.explain(s.f.T("That did not work"), m.err)
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
	it, api, j, p := s.rev.Items[i], s.f.api, s.f.journal, s.f.Lang()
	s.busy = true
	return []Cmd{func(ctx context.Context) Msg {
		op := record.ReviewOp{Phase: rotate.Intent, Area: string(it.Area), Title: it.Title.String(), Target: it.TargetID}
		if err := j.Write(record.Event{At: time.Now(), Type: record.Review, Review: &op}); err != nil {
			return actedMsg{index: i, item: it, err: fmt.Errorf("%s (%w)", p.T("the wizard could not note its progress, so it changed nothing"), err)}
		}
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		done, err := review.Act(ctx, api, it)
		op.Phase = rotate.Failed
		if err == nil && done.Done {
			line := support.Line(done.Line())
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
	// Each item is in the report's other actions.
	say := lang.Msg("%[1]s; %[2]s.", lang.Msg("%d item reviewed", len(s.rev.Items)),
		lang.Msg("%d looked suspicious", s.rev.Count(review.Suspicious)))
	return append(cmds, s.f.finish(support.StepResult{Status: support.StatusDone, Say: say})...)
}

// smtpLine is the report's line on the old master secret over SMTP.
func (s *reviewing) smtpLine() (support.Line, bool) {
	reset := s.f.masterReset()
	switch {
	case s.smtp != nil:
		return support.Line(s.smtp.Line()), true
	case !reset.IsZero():
		// The report keeps UTC.
		until := reset.Add(review.SMTPRecheckAfter)
		return support.Said(review.AreaSMTP.Msg(),
			lang.Msg("Mailjet may accept the old master secret for SMTP sending until about %s.", until.UTC().Format("15:04 UTC")),
			lang.Msg("Not checked yet: the customer is told to check that it stops")), true
	}
	return support.Line{}, false
}

// smtpUntil says on screen, in the customer's local time, until when the
// old master secret may still work over SMTP.
func (s *reviewing) smtpUntil() (string, bool) {
	reset := s.f.masterReset()
	if s.smtp != nil || reset.IsZero() {
		return "", false
	}
	until := reset.Add(review.SMTPRecheckAfter)
	return s.f.T("Mailjet's email server (SMTP, which apps and plugins use to send) may accept the old secret "+
		"of the main key until about %s. Check that your apps have the new one by then.", s.f.Lang().Clock(until.Local())), true
}

// actionWords is what the act action does, in a few words.
func (s *reviewing) actionWords(a review.Action) string {
	switch a {
	case review.DeleteWebhook:
		return s.f.T("delete the webhook")
	case review.DeleteParseRoute:
		return s.f.T("delete the route")
	case review.DeleteSender:
		return s.f.T("delete the sender")
	case review.DeactivateKey:
		return s.f.T("turn the key off")
	}
	return s.f.T("do it")
}

func (s *reviewing) screen() Screen {
	f := s.f
	var sc Screen
	switch s.state {
	case reviewLoading:
		sc.Busy = true
		sc.Blocks = []Block{working(f.T("Looking through the account's webhooks, senders, keys and recent sending…"))}
		return sc
	case reviewFailed:
		sc.Blocks = []Block{toned(Bad, s.err), text(f.T("Press r to try again, or Enter to go on without it."))}
		sc.Actions = []Action{act(Retry, f.T("try again")), act(Continue, f.T("go on without it"))}
		return sc
	case reviewDetail:
		it, _ := s.current()
		p := f.Lang()
		sc.Blocks = []Block{toned(Title, clean(p.Say(it.Title))+"  "+clean(it.Area.Words(p))+" · "+it.Verdict.Words(p)),
			text(clean(p.Say(it.Explain))), toned(Strong, f.T("What to do")), tight(text(clean(p.Say(it.Recommend))))}
		if !it.Result.IsZero() {
			sc.Blocks = append(sc.Blocks, toned(Good, clean(p.Say(it.Result))))
		}
		sc.Actions = []Action{act(Back, f.T("back to the list"))}
		return sc
	}
	sc.Busy = s.busy
	sus, check := s.rev.Open(review.Suspicious), s.rev.Open(review.Check)
	head := f.T("Nothing in the account looks left behind by an attacker.")
	if sus+check > 0 {
		var counts []string
		if sus > 0 {
			counts = append(counts, f.T("%d thing looks suspicious", sus))
		}
		switch {
		case check > 0 && sus > 0:
			counts = append(counts, f.T("%d is worth a look", check))
		case check > 0:
			counts = append(counts, f.T("%d thing is worth a look", check))
		}
		head = f.T("%s.", strings.Join(counts, ", ")) + " " + f.T("Space shows why; x acts on it.")
	}
	sc.Blocks = []Block{text(head)}
	l := &List{Selected: s.selected}
	for _, it := range s.rev.Items {
		mark, tone := map[review.Verdict]string{review.Suspicious: "!", review.Check: "?", review.OK: "✓"}[it.Verdict],
			map[review.Verdict]Tone{review.Suspicious: Bad, review.Check: Warn, review.OK: Good}[it.Verdict]
		if it.Done {
			mark, tone = "✓", Good
		}
		l.Items = append(l.Items, Item{Mark: mark, MarkTone: tone, Cols: []string{clean(it.Area.Words(f.Lang())), clean(f.Lang().Say(it.Title))}})
	}
	if len(l.Items) > 0 {
		sc.Blocks = append(sc.Blocks, Block{Kind: ListBlock, List: l})
	}
	if it, ok := s.current(); ok {
		note := it.Recommend
		if !it.Result.IsZero() {
			note = it.Result
		}
		sc.Blocks = append(sc.Blocks, toned(Muted, clean(f.Lang().Say(note))))
	}
	switch {
	case s.state == reviewConfirm:
		it, _ := s.current()
		sc.Blocks = append(sc.Blocks, box(f.T("%[1]s: %[2]s?", clean(f.Lang().Say(it.Title)), s.actionWords(it.Action))+f.T("\n\ny / n")))
		sc.Actions = f.yesNo()
		return sc
	case s.state == reviewLeave:
		sc.Blocks = append(sc.Blocks, box(f.T("%d suspicious thing is still in place. Leave it as it is? Whoever put it there "+
			"can go on using it, and the report says you chose to leave it.", s.undecided())+f.T("\n\ny / n")))
		sc.Actions = f.yesNo()
		return sc
	case s.err != "":
		sc.Blocks = append(sc.Blocks, toned(Bad, s.err))
	case s.smtp != nil:
		sc.Blocks = append(sc.Blocks, text(clean(s.smtp.Words(s.f.Lang()))))
	case s.smtpDue():
		sc.Blocks = append(sc.Blocks, text(f.T("Press c to check that Mailjet's email server now refuses the old secret of the main key.")))
	default:
		if until, ok := s.smtpUntil(); ok {
			sc.Blocks = append(sc.Blocks, toned(Muted, until))
		}
	}
	sc.Actions = []Action{act(Continue, f.T("continue"))}
	if it, ok := s.current(); ok && it.CanAct() {
		sc.Actions = append(sc.Actions, act(Act, s.actionWords(it.Action)))
	}
	if s.smtpDue() {
		sc.Actions = append(sc.Actions, act(Check, f.T("check the old secret on the email server")))
	}
	if len(s.rev.Items) > 0 {
		sc.Actions = append(sc.Actions, act(Details, f.T("details")))
	}
	return sc
}
