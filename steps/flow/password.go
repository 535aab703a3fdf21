package flow

import (
	"context"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
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

const (
	fieldPassword = "password"
	fieldAgain    = "again"
)

// passwording takes the new password twice, measures it as it is typed,
// and refuses it with a reason until it passes the rules.
type passwording struct {
	base
	f       *Flow
	state   passwordState
	checker *password.Checker
	form    form
	reveal  revealer
	working string
	// strength and problem describe the first field; they are worked out
	// when it changes, not on every redraw (zxcvbn is not free).
	strength password.Strength
	problem  string
	err      string
	note     string
	// unchecked says what could not be checked about the password set
	// (the breach database unreachable): said as such, never "passed". It
	// is one of password's marked messages, in English.
	unchecked  string
	suggestion secret.Secret // a passphrase that meets every rule, to take or not
	status     support.Status
}

// Messages of the password stage.
type (
	passwordCheckedMsg struct {
		verdict password.Verdict
		pw      secret.Secret
	}
	passwordChangedMsg struct{ err error }
	ruleMsg            struct {
		rule password.Rule
		ok   bool
	}
)

func newPassword(f *Flow) *passwording {
	base := f.cfg.Passwords
	if base == nil {
		base = password.NewChecker(nil, f.cfg.CommonPasswords)
	}
	return &passwording{
		f: f,
		// The password always ends up at Mailjet, whatever the mode: its
		// rule applies on top of NIST's, unless the recovery API announces
		// its own.
		checker: base.WithBreaches(f.cfg.Breaches).WithRule(password.MailjetRule()).WithLang(f.Lang()),
		form: newForm(
			Field{ID: fieldPassword, Label: f.T("New password"), Placeholder: f.T("at least 15 characters"), Limit: password.MaxLength, Width: 60, Secret: true},
			Field{ID: fieldAgain, Label: f.T("Type it again"), Placeholder: f.T("the same password"), Limit: password.MaxLength, Width: 60, Secret: true},
		),
		reveal: f.revealer(),
	}
}

func (s *passwording) enter() []Cmd {
	var cmds []Cmd
	if s.suggestion.IsZero() && len(s.f.cfg.PassphraseWords) > 0 {
		if pw, err := s.checker.Suggest(s.f.cfg.Rand, s.f.cfg.PassphraseWords, s.f.account.Email); err == nil {
			s.suggestion = secret.New(pw)
		}
	}
	if rec := s.f.rec; rec != nil {
		cmds = append(cmds, func(ctx context.Context) Msg {
			ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			r, ok, err := rec.PasswordRule(ctx)
			if err != nil || !ok {
				return ruleMsg{} // the published rule stays
			}
			return ruleMsg{ok: true, rule: password.Rule{Service: r.Service, MinLength: r.MinLength, Digits: r.MinDigits, Specials: r.MinSpecials}}
		})
	}
	return cmds
}

func (s *passwording) leave() { s.reveal.hide() }

func (s *passwording) drop() {
	s.form.clear(fieldPassword, fieldAgain)
	s.measure()
}

func (s *passwording) edit(id, v string) []Cmd {
	if s.state != passwordEntry || !s.form.set(id, v) {
		return nil
	}
	s.err, s.note = "", ""
	if id == fieldPassword {
		s.measure()
	}
	return nil
}

// measure refreshes the live meter and hint for the first field.
func (s *passwording) measure() {
	pw, email := s.form.secret(fieldPassword).Reveal(), s.f.account.Email
	s.strength, s.problem = password.Strength{}, ""
	if pw != "" {
		s.strength, s.problem = s.checker.Strength(pw, email), s.checker.Problem(pw, email)
	}
}

func (s *passwording) do(a ActionID) []Cmd {
	if cmds, ok := s.reveal.answerAction(a); ok {
		return cmds
	}
	switch s.state {
	case passwordEntry:
		switch a {
		case Continue:
			if s.form.focus == fieldPassword {
				s.form.focusOn(fieldAgain)
				return nil
			}
			return s.submit()
		case Reveal:
			s.reveal.toggle()
		case Back:
			return s.f.back()
		}
	case passwordGuided:
		switch a {
		case Yes:
			s.finishWith(support.StatusGuided)
		case No, Back:
			s.state = passwordEntry
			s.form.focusOn(fieldPassword)
		}
	case passwordDone:
		if a == Continue {
			return s.f.finish(s.result())
		}
	}
	return nil
}

func (s *passwording) submit() []Cmd {
	// Compare and send the normalized form: it is what the rules checked,
	// and the same password typed on another keyboard must still match.
	pw, again := password.NormalizeSecret(s.form.secret(fieldPassword)), password.NormalizeSecret(s.form.secret(fieldAgain))
	email := s.f.account.Email
	if p := s.checker.Problem(pw.Reveal(), email); p != "" {
		s.err = p
		s.form.focusOn(fieldPassword)
		return nil
	}
	if !pw.Equal(again) {
		s.err = s.f.T("The two passwords are not the same. Type the second one again.")
		s.form.clear(fieldAgain)
		s.form.focusOn(fieldAgain)
		return nil
	}
	s.state, s.working, s.err = passwordWorking, s.f.T("Checking that the password is not on the lists of stolen passwords…"), ""
	checker := s.checker
	return []Cmd{func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return passwordCheckedMsg{verdict: checker.Check(ctx, pw, email), pw: pw}
	}}
}

func (s *passwording) update(msg Msg) []Cmd {
	switch m := msg.(type) {
	case hideMsg:
		s.reveal.expire(m)
	case ruleMsg:
		if m.ok {
			s.checker = s.checker.WithRule(m.rule)
			s.measure()
		}
	case passwordCheckedMsg:
		return s.checked(m)
	case passwordChangedMsg:
		if m.err != nil {
			s.state, s.err = passwordEntry, s.f.explain(s.f.T("Mailjet did not take the new password"), m.err)
			s.form.focusOn(fieldPassword)
			return nil
		}
		s.finishWith(support.StatusDone)
	}
	return nil
}

func (s *passwording) checked(m passwordCheckedMsg) []Cmd {
	s.note, s.unchecked = m.verdict.Note, m.verdict.Unchecked
	if !m.verdict.OK {
		// A refused password is no use in either field: start afresh.
		s.state, s.err = passwordEntry, m.verdict.Reason
		s.form.clear(fieldPassword, fieldAgain)
		s.form.focusOn(fieldPassword)
		s.measure()
		return nil
	}
	rec := s.f.rec
	if rec == nil {
		s.state = passwordGuided
		return nil
	}
	s.working = s.f.T("Setting the new password…")
	return []Cmd{func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		return passwordChangedMsg{err: rec.ChangePassword(ctx, m.pw)}
	}}
}

// finishWith forgets the password: it is at Mailjet now, or in the
// user's head.
func (s *passwording) finishWith(status support.Status) {
	s.form.clear(fieldPassword, fieldAgain)
	s.measure()
	s.reveal.hide()
	s.state, s.status = passwordDone, status
}

func (s *passwording) result() support.StepResult {
	// A message: the journal keeps it with its English (the report's
	// JSON), the report's Markdown says it in the customer's language.
	// What could not be checked is one of password's marked messages.
	guided := s.status == support.StatusGuided
	var say lang.Message
	switch {
	case s.unchecked == "" && guided:
		say = lang.Msg("The user set the new password on Mailjet's site; it passed the breach and strength checks and Mailjet's rule.")
	case s.unchecked == "":
		say = lang.Msg("The password was changed through the recovery service; it passed the breach and strength checks and Mailjet's rule.")
	case guided:
		say = lang.Msg("The user set the new password on Mailjet's site; it passed the strength checks and Mailjet's rule; "+
			"not checked: %s.", lang.Kept(s.unchecked))
	default:
		say = lang.Msg("The password was changed through the recovery service; it passed the strength checks and Mailjet's rule; "+
			"not checked: %s.", lang.Kept(s.unchecked))
	}
	return support.StepResult{Status: s.status, Say: say}
}

// passes says what the password passed, and what could not be checked.
func (s *passwording) passes() Block {
	if s.unchecked != "" {
		return toned(Warn, s.f.T("This password passes the checks that could be made. Not checked: %s "+
			"(it is not on the list of common passwords that comes with the wizard).", s.f.Lang().Text(s.unchecked)))
	}
	return toned(Good, s.f.T("This password passes every check."))
}

func (s *passwording) screen() Screen {
	f := s.f
	var sc Screen
	switch s.state {
	case passwordDone:
		head := f.T("Your password is changed.")
		if s.status == support.StatusGuided {
			head = f.T("Thank you: your new password is set on Mailjet's site.")
		}
		sc.Blocks = []Block{toned(Good, head), text(f.T("Sign in with it from now on. If a password manager kept the old one, update it there too."))}
		if s.unchecked != "" {
			sc.Blocks = append(sc.Blocks, s.passes())
		}
		sc.Actions = []Action{act(Continue, f.T("continue"))}
		return sc
	case passwordGuided:
		sc.Blocks = []Block{s.passes(),
			text(f.T("The wizard cannot change the password for you, so set it on Mailjet's site:")),
			text(f.T("1. Open https://app.mailjet.com/account and sign in.")),
			tight(text(f.T("2. In your account settings, change the password to the one you just typed."))),
			question(f.T("Is it done? y / n"))}
		sc.Actions = []Action{act(Yes, f.T("it is done")), act(No, f.T("back"))}
		return sc
	}
	sc.Busy = s.state == passwordWorking
	sc.Fields, sc.Focus = s.form.view(s.reveal.shown), s.form.focus
	sc.Blocks = []Block{text(s.checker.Advice())}
	if !s.suggestion.IsZero() {
		// A suggestion is a password: hidden on a shared screen until asked.
		sc.Blocks = append(sc.Blocks, tight(Block{Kind: PairsBlock, Pairs: []Pair{{Label: f.T("For example"), Secret: s.suggestion,
			Shown: !f.cfg.Presenting || s.reveal.shown, Mask: f.T("(hidden: show it with ctrl+r)")}}}))
	}
	sc.Blocks = append(sc.Blocks, input(fieldPassword))
	if pw := s.form.secret(fieldPassword); !pw.IsZero() {
		sc.Blocks = append(sc.Blocks, tight(Block{Kind: MeterBlock, Meter: &Meter{Score: s.strength.Score, Label: s.strength.Label, Chars: len([]rune(pw.Reveal()))}}))
	} else {
		sc.Blocks = append(sc.Blocks, tight(toned(Muted, f.T("Strength: –"))))
	}
	sc.Blocks = append(sc.Blocks, input(fieldAgain))
	if s.reveal.ask(&sc) {
		return sc
	}
	switch {
	case s.state == passwordWorking:
		sc.Blocks = append(sc.Blocks, working(s.working))
	case s.err != "":
		sc.Blocks = append(sc.Blocks, toned(Bad, "✗ "+s.err))
	case s.problem != "":
		sc.Blocks = append(sc.Blocks, toned(Muted, s.problem))
	}
	if s.note != "" {
		sc.Blocks = append(sc.Blocks, tight(toned(Warn, s.note)))
	}
	if s.state == passwordEntry {
		sc.Actions = []Action{act(Continue, f.T("continue")), act(Reveal, f.T("show/hide")), act(Back, f.T("back"))}
	}
	return sc
}
