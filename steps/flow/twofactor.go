package flow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/support"
	"github.com/mjrecover/mjrecover/steps/twofactor"
	"github.com/mjrecover/mjrecover/steps/wording"
)

type twoFactorState int

const (
	tfIntro twoFactorState = iota
	tfPreparing
	tfScan
	tfChecking
	tfGuided
)

const fieldCode = "code"

// enrolling sets up an authenticator app: a QR code, then a first code.
// Without a recovery API it guides the user to Mailjet's own settings.
type enrolling struct {
	base
	f          *Flow
	state      twoFactorState
	enrollment *twofactor.Enrollment
	form       form
	key        revealer // the key to type by hand; in presenting mode, the QR code too
	err        string
	waitUntil  time.Time
	now        time.Time
}

// Messages of the two-factor stage.
type (
	enrolledMsg struct {
		enrollment *twofactor.Enrollment
		err        error
	}
	codeCheckedMsg struct{ err error }
	backoffTickMsg time.Time
)

func newTwoFactor(f *Flow) *enrolling {
	s := &enrolling{f: f, key: f.revealer()}
	s.form = newForm(Field{ID: fieldCode, Label: f.T("Code from the app"), Placeholder: f.T("6 digits"), Limit: 7, Width: 20, Digits: true})
	if f.cfg.RecoveryURL == "" {
		s.state = tfGuided
	}
	return s
}

func (s *enrolling) enter() []Cmd { return nil }

func (s *enrolling) leave() { s.key.hide() }

func (s *enrolling) drop() { s.forget() }

func (s *enrolling) edit(id, v string) []Cmd {
	if s.state == tfScan && s.form.set(id, v) && !s.waiting() {
		s.err = ""
	}
	return nil
}

func (s *enrolling) waiting() bool { return s.now.Before(s.waitUntil) }

func (s *enrolling) do(a ActionID) []Cmd {
	if cmds, ok := s.key.answerAction(a); ok {
		return cmds
	}
	switch s.state {
	case tfIntro:
		switch a {
		case Continue:
			return s.prepare()
		case Back:
			return s.f.back()
		}
	case tfScan:
		switch a {
		case Continue:
			return s.checkCode()
		case Reveal:
			s.key.toggle()
		}
	case tfGuided:
		switch a {
		case Yes:
			s.forget()
			return s.f.finish(support.StepResult{Status: support.StatusGuided,
				Say: lang.Msg("The user turned on two-factor authentication in Mailjet's account settings.")})
		case No, Back:
			return s.f.back()
		}
	}
	return nil
}

func (s *enrolling) prepare() []Cmd {
	f := s.f
	rec, account, rnd := f.rec, f.account.Email, f.cfg.Rand
	s.state, s.err = tfPreparing, ""
	return []Cmd{func(ctx context.Context) Msg {
		e, err := twofactor.New(f.Lang(), account, rnd)
		if err != nil {
			return enrolledMsg{err: err}
		}
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if err := e.Start(ctx, rec); err != nil {
			return enrolledMsg{err: err}
		}
		return enrolledMsg{enrollment: e}
	}}
}

func (s *enrolling) checkCode() []Cmd {
	if s.waiting() {
		return nil
	}
	code := strings.ReplaceAll(s.form.text(fieldCode), " ", "")
	f := s.f
	e, rec, now := s.enrollment, f.rec, f.cfg.Now()
	s.state, s.err = tfChecking, ""
	return []Cmd{func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		return codeCheckedMsg{err: e.Confirm(ctx, rec, code, now)}
	}}
}

// tick wakes the countdown of a wait once a second.
func (s *enrolling) tick() Cmd {
	after, now := s.f.cfg.After, s.f.cfg.Now
	return func(ctx context.Context) Msg {
		select {
		case <-after(time.Second):
			return backoffTickMsg(now())
		case <-ctx.Done():
			return nil
		}
	}
}

func (s *enrolling) update(msg Msg) []Cmd {
	switch m := msg.(type) {
	case hideMsg:
		s.key.expire(m)
	case backoffTickMsg:
		s.now = time.Time(m)
		if s.waiting() {
			return []Cmd{s.tick()}
		}
		s.err = ""
	case enrolledMsg:
		if m.err != nil {
			s.state, s.err = tfIntro, s.f.explain(s.f.T("Could not start two-factor set-up"), m.err)
			return nil
		}
		s.enrollment, s.state = m.enrollment, tfScan
		s.form.focusOn(fieldCode)
	case codeCheckedMsg:
		return s.codeChecked(m.err)
	}
	return nil
}

func (s *enrolling) codeChecked(err error) []Cmd {
	var wrong *twofactor.WrongCodeError
	var backoff *twofactor.BackoffError
	s.state = tfScan
	s.form.clear(fieldCode)
	s.form.focusOn(fieldCode)
	switch {
	case err == nil:
		s.forget()
		return s.f.finish(support.StepResult{Status: support.StatusDone,
			Say: lang.Msg("An authenticator app was enrolled and confirmed with a code.")})
	case errors.As(err, &backoff):
		s.now = s.f.cfg.Now()
		s.waitUntil = s.now.Add(backoff.Wait)
		s.err = errText(err)
		return []Cmd{s.tick()}
	case errors.As(err, &wrong), errors.Is(err, twofactor.ErrFormat):
		s.err = errText(err)
	default:
		s.err = s.f.explain(s.f.T("Could not check the code"), err)
	}
	return nil
}

// forget drops the key: it is in the app now.
func (s *enrolling) forget() {
	s.enrollment = nil
	s.key.hide()
}

func (s *enrolling) screen() Screen {
	f := s.f
	var sc Screen
	switch s.state {
	case tfIntro, tfPreparing:
		sc.Blocks = []Block{
			text(f.T("With two-factor authentication, signing in needs your password and a " +
				"6-digit code from an app on your phone. A stolen password alone is then not enough.")),
			text(f.T("You need an authenticator app, for example Google Authenticator, Microsoft " +
				"Authenticator, 1Password or Bitwarden. Open it now.")),
		}
		if s.state == tfPreparing {
			sc.Busy = true
			sc.Blocks = append(sc.Blocks, working(f.T("Preparing your key…")))
		} else {
			sc.Blocks = append(sc.Blocks, question(f.T("Press Enter to show the QR code to scan.")))
			sc.Actions = []Action{act(Continue, f.T("continue")), act(Back, f.T("back"))}
		}
		if s.err != "" {
			sc.Blocks = append(sc.Blocks, toned(Bad, s.err))
		}
	case tfGuided:
		sc.Blocks = []Block{
			text(f.T("The wizard cannot turn on two-factor authentication for you, so do it on Mailjet's site:")),
			text(f.T("1. Open https://app.mailjet.com/account and sign in with your new password.")),
			tight(text(f.T("2. In your account settings, turn on two-factor authentication and scan the " +
				"QR code Mailjet shows with an authenticator app."))),
			tight(text(f.T("3. Keep the backup codes Mailjet gives you somewhere safe, away from your computer."))),
			question(f.T("Is it on? y / n")),
		}
		sc.Actions = s.f.yesNo()
	case tfScan, tfChecking:
		return s.scanScreen()
	}
	return sc
}

func (s *enrolling) scanScreen() Screen {
	f := s.f
	sc := Screen{Fields: s.form.view(false), Focus: fieldCode, Busy: s.state == tfChecking}
	if s.key.ask(&sc) {
		return sc
	}
	seed := s.enrollment.Seed()
	if !s.f.cfg.Presenting || s.key.shown {
		sc.Secret = true
		sc.Blocks = append(sc.Blocks, Block{Kind: QRBlock, URI: secret.New(s.enrollment.URI()),
			Text: f.T("If the code looks like a negative, press i.")})
	}
	sc.Blocks = append(sc.Blocks,
		text(f.T("1. In your authenticator app, add an account and scan this code.")),
		text(f.T("2. Type the 6-digit code the app shows:")),
		tight(input(fieldCode)))
	switch {
	case s.state == tfChecking:
		sc.Blocks = append(sc.Blocks, working(f.T("Checking…")))
	case s.waiting():
		left := wording.Duration(s.f.Lang(), s.waitUntil.Sub(s.now))
		sc.Blocks = append(sc.Blocks, tight(toned(Bad, f.T("%[1]s (%[2]s left)", s.err, left))))
	case s.err != "":
		sc.Blocks = append(sc.Blocks, tight(toned(Bad, s.err)))
	}
	switch {
	case s.key.shown:
		sc.Secret = true
		sc.Blocks = append(sc.Blocks, Block{Kind: PairsBlock, Pairs: []Pair{{Label: f.T("Key to type by hand (time-based)"),
			Secret: secret.New(twofactor.GroupsOf4(seed.Reveal())), Shown: true}}})
	case f.cfg.Presenting:
		sc.Blocks = append(sc.Blocks, toned(Warn, f.T("Your screen may be shared, so the QR code is hidden. "+
			"Show it (ctrl+r) when no one else can see your screen.")))
	default:
		sc.Blocks = append(sc.Blocks, toned(Muted, f.T("Cannot scan? ctrl+r shows the key to type by hand.")))
	}
	if s.state == tfScan {
		label := f.T("show the key")
		if s.key.shown {
			label = f.T("hide the key")
		}
		sc.Actions = []Action{act(Continue, f.T("check the code")), act(Reveal, label)}
	}
	return sc
}

type codesState int

const (
	codesLoading codesState = iota
	codesFailed
	codesShown
	codesConfirm
)

// coding issues the recovery codes and sees that the customer keeps them:
// saved to a file or written down. Codes nobody kept are issued again by
// a resumed recovery (a new set replaces the old).
type coding struct {
	base
	f         *Flow
	state     codesState
	codes     []secret.Secret
	reveal    revealer
	file      saving // the codes, saved to a file the customer asked for
	wroteDown bool
	err       string
}

type codesMsg struct {
	codes []secret.Secret
	err   error
}

func newCodes(f *Flow) *coding {
	return &coding{f: f, reveal: f.revealer(), file: saving{what: savedCodes, prefix: "mjrecover-recovery-codes-"}}
}

func (s *coding) enter() []Cmd {
	if s.f.rec == nil {
		return s.f.finish(support.StepResult{Status: support.StatusGuided,
			Say: lang.Msg("The user turned on two-factor authentication in Mailjet's account settings and kept its backup codes.")})
	}
	if s.state != codesLoading {
		return nil
	}
	rec := s.f.rec
	return []Cmd{func(ctx context.Context) Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		codes, err := rec.RecoveryCodes(ctx)
		return codesMsg{codes: codes, err: err}
	}}
}

func (s *coding) leave() { s.reveal.hide() }

func (s *coding) drop() { s.codes = nil }

func (s *coding) update(msg Msg) []Cmd {
	switch m := msg.(type) {
	case hideMsg:
		s.reveal.expire(m)
	case codesMsg:
		if m.err != nil {
			s.state, s.err = codesFailed, s.f.explain(s.f.T("Two-factor authentication is on, but the recovery codes could not be made"), m.err)
			return nil
		}
		s.codes, s.state, s.err = m.codes, codesShown, ""
	case fileSavedMsg:
		cmd, err := s.file.done(s.f, m)
		s.err = errText(err)
		return []Cmd{cmd}
	}
	return nil
}

func (s *coding) do(a ActionID) []Cmd {
	if cmds, ok := s.reveal.answerAction(a); ok {
		return cmds
	}
	switch s.state {
	case codesFailed:
		switch a {
		case Retry:
			s.state = codesLoading
			return s.enter()
		case Skip:
			return s.f.finish(support.StepResult{Status: support.StatusDone,
				Say: lang.Msg("An authenticator app was enrolled; the recovery codes could not be made " +
					"(the customer makes them later in Mailjet's settings).")})
		}
	case codesShown:
		switch a {
		case Reveal:
			s.reveal.toggle()
		case Save:
			return s.save()
		case WroteDown:
			// Nobody can write down what they cannot see.
			if !s.reveal.shown {
				s.err = s.f.T("Press r to show the codes first, then write them down.")
				return nil
			}
			s.err, s.state = "", codesConfirm
		case Continue:
			if s.file.path != "" || s.wroteDown {
				return s.done()
			}
		}
	case codesConfirm:
		switch a {
		case Yes:
			s.wroteDown, s.state = true, codesShown
		case No, Back:
			s.state = codesShown
		}
	}
	return nil
}

func (s *coding) save() []Cmd {
	account, codes := s.f.account.Email, append([]secret.Secret(nil), s.codes...)
	return s.file.start(s.f, func(path string) error { return twofactor.SaveCodes(s.f.Lang(), path, account, codes) })
}

// done forgets the codes: they are shown once. The outcome is a message:
// the journal keeps it with its English (the report's JSON), the report's
// Markdown says it in the customer's language.
func (s *coding) done() []Cmd {
	n := len(s.codes)
	say := lang.Msg("An authenticator app was enrolled and confirmed with a code; %d recovery code was issued.", n)
	switch {
	case s.file.path != "":
		say = lang.Msg("An authenticator app was enrolled and confirmed with a code; %d recovery code was issued and saved to a file.", n)
	case s.wroteDown:
		say = lang.Msg("An authenticator app was enrolled and confirmed with a code; %d recovery code was issued and written down.", n)
	}
	s.codes = nil
	s.reveal.hide()
	return s.f.finish(support.StepResult{Status: support.StatusDone, Say: say})
}

func (s *coding) screen() Screen {
	f := s.f
	var sc Screen
	switch s.state {
	case codesLoading:
		sc.Busy = true
		sc.Blocks = []Block{toned(Good, f.T("Two-factor authentication is on.")), working(f.T("Making your recovery codes…"))}
		return sc
	case codesFailed:
		sc.Blocks = []Block{toned(Warn, s.err), text(f.T("Press r to try again, or s to go on without them " +
			"(make them later in Mailjet's account settings)."))}
		sc.Actions = []Action{act(Retry, f.T("try again")), act(Skip, f.T("go on without them"))}
		return sc
	}
	if s.reveal.ask(&sc) {
		return sc
	}
	keep := f.T("If you lose your phone, these recovery codes let you sign in. Each works once. " +
		"They are shown only now: save them to a file or write them down.")
	if f.cfg.Kiosk {
		keep = f.T("If you lose your phone, these recovery codes let you sign in. Each works once. " +
			"They are shown only now: write them down (this session keeps no file for you).")
	}
	sc.Blocks = []Block{toned(Good, f.T("Two-factor authentication is on.")), text(keep)}
	var pairs []Pair
	for i, c := range s.codes {
		pairs = append(pairs, Pair{Label: fmt.Sprintf("%2d.", i+1), Secret: c, Shown: s.reveal.shown, Mask: maskCode(c.Reveal())})
	}
	sc.Secret, sc.Busy = s.reveal.shown, s.file.busy
	sc.Blocks = append(sc.Blocks, Block{Kind: PairsBlock, Pairs: pairs})
	switch {
	case s.state == codesConfirm:
		sc.Blocks = append(sc.Blocks, box(f.T("Write all %d codes on paper now. Done? y / n", len(s.codes))))
		sc.Actions = s.f.yesNo()
		return sc
	case s.err != "":
		sc.Blocks = append(sc.Blocks, toned(Bad, s.err))
	case s.file.path != "":
		sc.Blocks = append(sc.Blocks, s.file.blocks(s.f)...)
	case s.wroteDown:
		sc.Blocks = append(sc.Blocks, toned(Good, f.T("Good. Keep the paper away from your computer.")))
	}
	if s.file.path != "" || s.wroteDown {
		sc.Actions = append(sc.Actions, act(Continue, f.T("continue")))
	}
	sc.Actions = append(sc.Actions, act(Reveal, f.T("show/hide codes")))
	if s.file.path == "" && !f.cfg.Kiosk {
		sc.Actions = append(sc.Actions, act(Save, f.T("save to a file")))
	}
	sc.Actions = append(sc.Actions, act(WroteDown, f.T("I wrote them down")))
	return sc
}

// maskCode keeps a code's shape (its dashes) and hides its characters.
func maskCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return r
		}
		return '•'
	}, code)
}
