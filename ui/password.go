package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/password"
	"github.com/mjrecover/mjrecover/steps/support"
)

type passwordState int

const (
	passwordEntry passwordState = iota
	passwordWorking
	passwordGuided
	passwordDone
)

// passwordScreen takes the new password twice, shows its strength while it
// is typed, and refuses it with a reason until it passes the rules.
type passwordScreen struct {
	c       *Common
	state   passwordState
	checker *password.Checker
	fields  [2]field
	focus   int
	reveal  revealer
	working string // what the spinner is waiting for
	// strength and problem describe the first field; they are worked out
	// when it changes, not on every redraw (zxcvbn is not free).
	strength password.Strength
	problem  string
	err      string
	note     string
	status   support.Status
}

// Messages of the password screen.
type (
	passwordCheckedMsg struct {
		verdict password.Verdict
		pw      secret.Secret
	}
	passwordChangedMsg struct{ err error }
)

func newPassword(c *Common) *passwordScreen {
	s := &passwordScreen{
		c:       c,
		checker: password.NewChecker(c.Session.Breaches, c.Session.CommonPasswords),
		fields: [2]field{
			newSecretField("New password", "at least 15 characters", password.MaxLength),
			newSecretField("Type it again", "the same password", password.MaxLength),
		},
		reveal: newRevealer(revealPassword, c.Session.Presenting),
	}
	return s
}

func (s *passwordScreen) Init() tea.Cmd {
	if s.state == passwordEntry {
		return s.focusField(s.focus)
	}
	return nil
}

func (s *passwordScreen) Busy() bool { return s.state == passwordWorking }

func (s *passwordScreen) focusField(i int) tea.Cmd {
	s.focus = i
	s.fields[1-i].Blur()
	return s.fields[i].Focus()
}

func (s *passwordScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	switch s.state {
	case passwordEntry:
		return []key.Binding{k.Continue, k.Next, k.RevealTxt, k.Clear, k.Back}
	case passwordGuided:
		return []key.Binding{withHelp(k.Yes, "it is done"), withHelp(k.No, "back")}
	case passwordDone:
		return []key.Binding{k.Continue}
	}
	return nil
}

func (s *passwordScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		for i := range s.fields {
			s.fields[i].SetWidth(min(msg.Width, 60))
		}
	case passwordCheckedMsg:
		return s, s.checked(msg)
	case hideMsg:
		s.reveal.expire(msg)
	case leaveMsg:
		s.reveal.hide()
	case passwordChangedMsg:
		if msg.err != nil {
			s.state, s.err = passwordEntry, "Mailjet did not take the new password: "+errText(msg.err)
			return s, s.focusField(0)
		}
		s.finish(support.StatusDone)
	case tea.PasteMsg:
		if s.state == passwordEntry {
			return s, s.updateField(msg)
		}
	case tea.KeyPressMsg:
		return s, s.handleKey(msg)
	}
	return s, nil
}

func (s *passwordScreen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	if cmd, ok := s.reveal.answerKey(msg, k); ok {
		return cmd
	}
	switch s.state {
	case passwordEntry:
		switch {
		case key.Matches(msg, k.Continue):
			if s.focus == 0 {
				return s.focusField(1)
			}
			return s.submit()
		case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
			return s.focusField(1 - s.focus)
		case key.Matches(msg, k.RevealTxt):
			return s.reveal.toggle()
		case key.Matches(msg, k.Clear):
			s.fields[s.focus].Clear()
			s.err = ""
			s.measure()
			return nil
		case key.Matches(msg, k.Back):
			return stepBack
		}
		return s.updateField(msg)
	case passwordGuided:
		switch {
		case key.Matches(msg, k.Yes):
			s.finish(support.StatusGuided)
		case key.Matches(msg, k.No), key.Matches(msg, k.Back):
			s.state = passwordEntry
			return s.focusField(0)
		}
	case passwordDone:
		if key.Matches(msg, k.Continue) {
			return stepDone(s.stepResult())
		}
	}
	return nil
}

func (s *passwordScreen) updateField(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	s.fields[s.focus], cmd = s.fields[s.focus].Update(msg)
	s.err, s.note = "", ""
	s.measure()
	return cmd
}

// measure refreshes the live meter and hint for the first field.
func (s *passwordScreen) measure() {
	pw, email := s.fields[0].input.Value(), s.c.Session.Account.Email
	s.strength, s.problem = password.Strength{}, ""
	if pw != "" {
		s.strength, s.problem = s.checker.Strength(pw, email), s.checker.Problem(pw, email)
	}
}

func (s *passwordScreen) submit() tea.Cmd {
	// Compare and send the normalized form: it is what the rules checked,
	// and the same password typed on another keyboard must still match.
	pw, again := password.NormalizeSecret(s.fields[0].Secret()), password.NormalizeSecret(s.fields[1].Secret())
	email := s.c.Session.Account.Email
	if p := s.checker.Problem(pw.Reveal(), email); p != "" {
		s.err = p
		return s.focusField(0)
	}
	if !pw.Equal(again) {
		s.err = "The two passwords are not the same. Type the second one again."
		s.fields[1].Clear()
		return s.focusField(1)
	}
	s.state, s.working, s.err = passwordWorking, "Checking the password against known breaches…", ""
	checker, ctx := s.checker, s.c.Session.Context
	check := func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return passwordCheckedMsg{verdict: checker.Check(ctx, pw, email), pw: pw}
	}
	return tea.Batch(check, s.c.Spinner.Tick)
}

func (s *passwordScreen) checked(msg passwordCheckedMsg) tea.Cmd {
	s.note = msg.verdict.Note
	if !msg.verdict.OK {
		// A refused password is no use in either field: start afresh.
		s.state, s.err = passwordEntry, msg.verdict.Reason
		s.fields[0].Clear()
		s.fields[1].Clear()
		s.measure()
		return s.focusField(0)
	}
	rec := s.c.Session.Recovery
	if rec == nil {
		s.state = passwordGuided
		return nil
	}
	s.working = "Setting the new password…"
	ctx := s.c.Session.Context
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		return passwordChangedMsg{err: rec.ChangePassword(ctx, msg.pw)}
	}
}

// finish forgets the password: it is at Mailjet now, or in the user's head.
func (s *passwordScreen) finish(status support.Status) {
	for i := range s.fields {
		s.fields[i].Clear()
		s.fields[i].Blur()
	}
	s.measure()
	s.reveal.hide()
	s.state, s.status = passwordDone, status
}

func (s *passwordScreen) stepResult() support.StepResult {
	detail := "The password was changed through the recovery service; it passed the breach and strength checks."
	if s.status == support.StatusGuided {
		detail = "The user set the new password on Mailjet's site after it passed the breach and strength checks."
	}
	return support.StepResult{Number: stepPassword, Name: stepInfos()[stepPassword].Name, Status: s.status, Detail: detail}
}

func (s *passwordScreen) View() string {
	st := s.c.Styles
	w := s.c.Width
	var b strings.Builder
	b.WriteString("\n")
	switch s.state {
	case passwordDone:
		if s.status == support.StatusGuided {
			b.WriteString(st.Success.Render("Thank you: your new password is set on Mailjet's site.") + "\n")
		} else {
			b.WriteString(st.Success.Render("Your password is changed.") + "\n")
		}
		b.WriteString("\n" + wrap("Sign in with it from now on. If a password manager kept the old one, update it there too.", w) + "\n")
		return b.String()
	case passwordGuided:
		b.WriteString(st.Success.Render("This password passes every check.") + "\n\n")
		b.WriteString(wrap("Mailjet's API cannot change a password, so set it on the site:", w) + "\n\n")
		b.WriteString(wrap("1. Open https://app.mailjet.com/account and sign in.", w) + "\n")
		b.WriteString(wrap("2. In your account settings, change the password to the one you just typed.", w) + "\n\n")
		b.WriteString("Is it done? y / n\n")
		return b.String()
	}
	b.WriteString(wrap("Use at least 15 characters. A few unrelated words make a strong password that is "+
		"easy to remember; no special characters are needed.", w) + "\n\n")
	b.WriteString(s.fields[0].View(st, s.reveal.shown) + "\n")
	b.WriteString(s.meter() + "\n\n")
	b.WriteString(s.fields[1].View(st, s.reveal.shown) + "\n")
	if p := s.reveal.promptView(st, w); p != "" {
		return b.String() + p
	}
	switch {
	case s.state == passwordWorking:
		b.WriteString("\n" + s.c.Spinner.View() + " " + s.working + "\n")
	case s.err != "":
		b.WriteString("\n" + st.Error.Render(wrap("✗ "+s.err, w)) + "\n")
	case s.problem != "":
		b.WriteString("\n" + st.Muted.Render(wrap(s.problem, w)) + "\n")
	}
	if s.note != "" {
		b.WriteString(st.Warning.Render(wrap(s.note, w)) + "\n")
	}
	return b.String()
}

// meter draws the live strength bar of the first field.
func (s *passwordScreen) meter() string {
	st := s.c.Styles
	pw := s.fields[0].input.Value()
	if pw == "" {
		return st.Muted.Render("Strength: –")
	}
	strength := s.strength
	const cells = 20
	filled := (strength.Score + 1) * cells / 5
	style := st.MeterLow
	if strength.Score >= 3 {
		style = st.MeterFull
	}
	bar := style.Render(strings.Repeat("█", filled)) + st.Muted.Render(strings.Repeat("░", cells-filled))
	return fmt.Sprintf("Strength: %s %s · %d characters", bar, strength.Label, len([]rune(pw)))
}
