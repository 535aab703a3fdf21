package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mjrecover/mjrecover/steps/review"
	"github.com/mjrecover/mjrecover/steps/support"
)

type reviewState int

const (
	reviewLoading reviewState = iota
	reviewList
	reviewDetail
	reviewConfirm
	reviewFailed
)

// reviewScreen shows, read-only from the API, what an attacker may have
// left in the account (webhooks, parse routes, senders, unused keys,
// sending spikes), and acts where the API allows, when the user says so.
type reviewScreen struct {
	c        *Common
	state    reviewState
	busy     bool
	rev      review.Review
	selected int
	offset   int
	smtp     *review.SMTPCheck
	err      string
}

// Messages of the review page.
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

func newReview(c *Common) *reviewScreen { return &reviewScreen{c: c} }

func (s *reviewScreen) Why() string {
	return "What else an attacker may have left behind in the account."
}

func (s *reviewScreen) Init() tea.Cmd {
	if s.state != reviewLoading {
		return nil
	}
	sess := s.c.Session
	in := review.Input{AccountEmail: sess.Account.Email, Usage: sess.Usage, Replacements: sess.Replacements, Now: sess.Now()}
	api, ctx := sess.API, sess.Context
	s.busy = true
	return tea.Batch(func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		rev, err := review.Run(ctx, api, in)
		return reviewedMsg{rev: rev, err: err}
	}, s.c.Spinner.Tick)
}

func (s *reviewScreen) Busy() bool { return s.busy }

func (s *reviewScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	switch s.state {
	case reviewList:
		b := []key.Binding{k.Continue}
		if it, ok := s.current(); ok && it.CanAct() {
			b = append(b, withHelp(k.Act, reviewActionWords(it.Action)))
		}
		if s.smtpDue() {
			b = append(b, withHelp(k.Check, "check the old SMTP login"))
		}
		return append(b, k.Up, k.Details)
	case reviewDetail:
		return []key.Binding{withHelp(k.Back, "back to the list")}
	case reviewConfirm:
		return []key.Binding{k.Yes, k.No}
	case reviewFailed:
		return []key.Binding{k.Retry, withHelp(k.Continue, "go on without it")}
	}
	return nil
}

// reviewActionWords is what the act key does, in a few words.
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

func (s *reviewScreen) current() (review.Item, bool) {
	if s.selected < 0 || s.selected >= len(s.rev.Items) {
		return review.Item{}, false
	}
	return s.rev.Items[s.selected], true
}

// smtpDue: the old master secret can be tried over SMTP now that its
// grace time is over.
func (s *reviewScreen) smtpDue() bool {
	sess := s.c.Session
	return s.smtp == nil && !sess.MasterResetAt.IsZero() && !sess.OldMaster.IsZero() &&
		!sess.Now().Before(sess.MasterResetAt.Add(review.SMTPRecheckAfter))
}

func (s *reviewScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case reviewedMsg:
		s.busy = false
		if msg.err != nil {
			s.state, s.err = reviewFailed, "Could not review the account: "+errText(msg.err)
			return s, nil
		}
		s.rev, s.state, s.err = msg.rev, reviewList, ""
	case actedMsg:
		s.busy = false
		s.rev.Items[msg.index] = msg.item
		if msg.err != nil {
			s.err = "That did not work: " + errText(msg.err)
		}
	case smtpCheckedMsg:
		s.busy = false
		s.smtp = &msg.check
	case tea.KeyPressMsg:
		return s, s.handleKey(msg)
	}
	return s, nil
}

func (s *reviewScreen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	if s.busy {
		return nil
	}
	switch s.state {
	case reviewFailed:
		switch {
		case key.Matches(msg, k.Retry):
			s.state = reviewLoading
			return s.Init()
		case key.Matches(msg, k.Continue):
			return s.leave()
		}
	case reviewList:
		it, ok := s.current()
		switch {
		case key.Matches(msg, k.Up):
			s.selected = max(0, s.selected-1)
		case key.Matches(msg, k.Down):
			s.selected = min(len(s.rev.Items)-1, s.selected+1)
		case key.Matches(msg, k.Details) && ok:
			s.state = reviewDetail
		case key.Matches(msg, k.Act) && ok && it.CanAct():
			s.state, s.err = reviewConfirm, ""
		case key.Matches(msg, k.Check) && s.smtpDue():
			return s.checkSMTP()
		case key.Matches(msg, k.Continue):
			return s.leave()
		}
	case reviewDetail:
		if key.Matches(msg, k.Back, k.Details, k.Continue) {
			s.state = reviewList
		}
	case reviewConfirm:
		switch {
		case key.Matches(msg, k.Yes):
			s.state = reviewList
			return s.act(s.selected)
		case key.Matches(msg, k.No, k.Back):
			s.state = reviewList
		}
	}
	return nil
}

func (s *reviewScreen) act(i int) tea.Cmd {
	it, api, ctx := s.rev.Items[i], s.c.Session.API, s.c.Session.Context
	s.busy = true
	return tea.Batch(func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		done, err := review.Act(ctx, api, it)
		return actedMsg{index: i, item: done, err: err}
	}, s.c.Spinner.Tick)
}

func (s *reviewScreen) checkSMTP() tea.Cmd {
	sess := s.c.Session
	key, old, ctx := sess.API.Credentials().APIKey, sess.OldMaster, sess.Context
	s.busy = true
	return tea.Batch(func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		return smtpCheckedMsg{review.SMTPChecker{}.CheckLogin(ctx, key, old)}
	}, s.c.Spinner.Tick)
}

// leave gives the report what was reviewed and done.
func (s *reviewScreen) leave() tea.Cmd {
	var lines []support.Line
	for _, l := range s.rev.Lines() {
		lines = append(lines, support.Line(l))
	}
	if l, ok := s.smtpLine(); ok {
		lines = append(lines, l)
	}
	return func() tea.Msg { return pageDoneMsg{name: reviewPage, lines: lines} }
}

// smtpLine is the report's line on the old master secret over SMTP.
func (s *reviewScreen) smtpLine() (support.Line, bool) {
	sess := s.c.Session
	switch {
	case s.smtp != nil:
		return support.Line(s.smtp.Line()), true
	case !sess.MasterResetAt.IsZero():
		until := sess.MasterResetAt.Add(review.SMTPRecheckAfter)
		return support.Line{Area: string(review.AreaSMTP),
			Finding: "Mailjet may accept the old master secret for SMTP sending until about " + until.UTC().Format("15:04 UTC") + ".",
			Action:  "Not checked yet: the customer is told to check that it stops"}, true
	}
	return support.Line{}, false
}

func (s *reviewScreen) View() string {
	st := s.c.Styles
	w, h := s.c.Width, s.c.Height
	var b strings.Builder
	b.WriteString("\n")
	switch s.state {
	case reviewLoading:
		b.WriteString(s.c.Spinner.View() + " Looking through the account's webhooks, senders, keys and sending…\n")
		return b.String()
	case reviewFailed:
		b.WriteString(st.Error.Render(wrap(s.err, w)) + "\n\n" + wrap("Press r to try again, or Enter to go on without it.", w) + "\n")
		return b.String()
	case reviewDetail:
		it, _ := s.current()
		b.WriteString(st.Title.Render(clean(it.Title)) + st.Muted.Render("  "+clean(string(it.Area))+" · "+it.Verdict.String()) + "\n\n")
		b.WriteString(wrap(clean(it.Explain), w) + "\n\n")
		b.WriteString(st.Label.Render("What to do") + "\n" + wrap(clean(it.Recommend), w) + "\n")
		if it.Result != "" {
			b.WriteString("\n" + st.Success.Render(wrap(clean(it.Result), w)) + "\n")
		}
		return b.String()
	}
	sus, check := s.rev.Count(review.Suspicious), s.rev.Count(review.Check)
	head := "Nothing in the account looks left behind by an attacker."
	if sus+check > 0 {
		head = fmt.Sprintf("%s, %s. Space shows why; x acts on it.",
			plural(sus, "thing looks suspicious", "things look suspicious"), plural(check, "is worth a look", "are worth a look"))
	}
	b.WriteString(wrap(head, w) + "\n\n")
	rows := max(3, h-lipglossHeight(b.String())-5)
	s.offset = scrollWindow(s.selected, s.offset, rows, len(s.rev.Items))
	for i := s.offset; i < len(s.rev.Items) && i < s.offset+rows; i++ {
		it := s.rev.Items[i]
		mark := map[review.Verdict]string{review.Suspicious: st.Error.Render("!"), review.Check: st.Warning.Render("?"), review.OK: st.Success.Render("✓")}[it.Verdict]
		if it.Done {
			mark = st.Success.Render("✓")
		}
		line := truncate(fmt.Sprintf(" %s %-20s %s", mark, truncate(clean(string(it.Area)), 20), clean(it.Title)), w)
		if i == s.selected {
			line = st.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	if it, ok := s.current(); ok {
		note := it.Recommend
		if it.Result != "" {
			note = it.Result
		}
		b.WriteString("\n" + st.Muted.Render(truncate(clean(note), w)) + "\n")
	}
	switch {
	case s.state == reviewConfirm:
		it, _ := s.current()
		b.WriteString(st.Confirm.Width(min(w, 78)).Render(fmt.Sprintf("%s: %s?\n\ny / n", clean(it.Title), reviewActionWords(it.Action))))
	case s.err != "":
		b.WriteString(st.Error.Render(wrap(s.err, w)) + "\n")
	case s.smtp != nil:
		b.WriteString(wrap(clean(s.smtp.Words()), w) + "\n")
	case s.smtpDue():
		b.WriteString(wrap("Press c to check that Mailjet's email server now refuses the old master secret.", w) + "\n")
	default:
		if l, ok := s.smtpLine(); ok {
			b.WriteString(st.Muted.Render(wrap(l.Finding+" Check your apps have the new one by then.", w)) + "\n")
		}
	}
	return b.String()
}
