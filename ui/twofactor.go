package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/support"
	"github.com/mjrecover/mjrecover/steps/twofactor"
)

type twoFactorState int

const (
	tfIntro twoFactorState = iota
	tfPreparing
	tfScan
	tfChecking
	tfCodes
	tfCodesConfirm
	tfGuided
	tfDone
)

// twoFactorScreen enrols an authenticator app: QR code, first code,
// recovery codes. Without a recovery API it guides the user to Mailjet's
// own settings.
type twoFactorScreen struct {
	c          *Common
	state      twoFactorState
	enrollment *twofactor.Enrollment
	code       field
	totp       revealer // the key: in presenting mode, the QR code too
	invert     bool
	err        string
	waitUntil  time.Time
	now        time.Time
	codes      []secret.Secret
	qr         qrCache
	codesShown revealer
	saved      string
	wroteDown  bool
	status     support.Status
}

// Messages of the two-factor screen.
type (
	enrolledMsg struct {
		enrollment *twofactor.Enrollment
		err        error
	}
	codeCheckedMsg struct{ err error }
	codesMsg       struct {
		codes []secret.Secret
		err   error
	}
	backoffTickMsg time.Time
)

func newTwoFactor(c *Common) *twoFactorScreen {
	s := &twoFactorScreen{
		c:          c,
		code:       newField("Code from the app", "6 digits", 7),
		totp:       newRevealer(revealTOTP, c.Session.Presenting),
		codesShown: newRevealer(revealCodes, c.Session.Presenting),
	}
	if c.Session.RecoveryURL == "" {
		s.state = tfGuided
	}
	return s
}

func (s *twoFactorScreen) Init() tea.Cmd {
	if s.state == tfScan {
		return s.code.Focus()
	}
	return nil
}

func (s *twoFactorScreen) Busy() bool { return s.state == tfPreparing || s.state == tfChecking }

func (s *twoFactorScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	switch s.state {
	case tfIntro:
		return []key.Binding{k.Continue, k.Back}
	case tfScan:
		return []key.Binding{withHelp(k.Continue, "check the code"), withHelp(k.RevealTxt, "show the key"), k.Invert}
	case tfCodes:
		var b []key.Binding
		if s.saved != "" || s.wroteDown {
			b = append(b, k.Continue)
		}
		b = append(b, withHelp(k.Reveal, "show/hide codes"))
		if s.saved == "" && !s.c.Session.Kiosk {
			b = append(b, k.Save)
		}
		return append(b, k.WroteDown)
	case tfCodesConfirm, tfGuided:
		return []key.Binding{k.Yes, k.No}
	case tfDone:
		return []key.Binding{k.Continue}
	}
	return nil
}

func (s *twoFactorScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.code.SetWidth(20)
	case backoffTickMsg:
		s.now = time.Time(msg)
		if s.now.Before(s.waitUntil) {
			return s, backoffTick()
		}
		s.err = ""
		return s, nil
	case enrolledMsg:
		if msg.err != nil {
			s.state, s.err = tfIntro, "Could not start two-factor set-up: "+errText(msg.err)
			return s, nil
		}
		s.enrollment, s.state = msg.enrollment, tfScan
		return s, s.code.Focus()
	case codeCheckedMsg:
		return s, s.codeChecked(msg.err)
	case hideMsg:
		s.totp.expire(msg)
		s.codesShown.expire(msg)
	case leaveMsg:
		s.totp.hide()
		s.codesShown.hide()
	case codesMsg:
		if msg.err != nil {
			s.state, s.err = tfDone, "Two-factor authentication is on, but the recovery codes could not be made: "+
				errText(msg.err)+". Make them later in Mailjet's account settings."
			return s, nil
		}
		s.codes, s.state, s.err = msg.codes, tfCodes, ""
	case fileSavedMsg:
		if msg.err != nil {
			s.err = "Could not save the file: " + errText(msg.err)
		} else {
			s.saved, s.err = msg.path, ""
		}
	case tea.PasteMsg:
		if s.state == tfScan {
			var cmd tea.Cmd
			s.code, cmd = s.code.Update(msg)
			return s, cmd
		}
	case tea.KeyPressMsg:
		return s, s.handleKey(msg)
	}
	return s, nil
}

func backoffTick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return backoffTickMsg(t) })
}

func (s *twoFactorScreen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	for _, r := range []*revealer{&s.totp, &s.codesShown} {
		if cmd, ok := r.answerKey(msg, k); ok {
			return cmd
		}
	}
	switch s.state {
	case tfIntro:
		switch {
		case key.Matches(msg, k.Continue):
			return s.prepare()
		case key.Matches(msg, k.Back):
			return stepBack
		}
	case tfScan:
		switch {
		case key.Matches(msg, k.Continue):
			return s.checkCode()
		case key.Matches(msg, k.RevealTxt):
			return s.totp.toggle()
		case key.Matches(msg, k.Invert):
			s.invert = !s.invert
		case key.Matches(msg, k.Clear):
			s.code.Clear()
		default:
			// The field takes digits only, so letters stay free for keys.
			if t := msg.Text; t != "" && strings.Trim(t, "0123456789 ") != "" {
				return nil
			}
			var cmd tea.Cmd
			s.code, cmd = s.code.Update(msg)
			if !s.waiting() {
				s.err = ""
			}
			return cmd
		}
	case tfCodes:
		switch {
		case key.Matches(msg, k.Reveal):
			return s.codesShown.toggle()
		case key.Matches(msg, k.Save) && s.saved == "" && !s.c.Session.Kiosk:
			return s.saveCodes()
		case key.Matches(msg, k.WroteDown):
			// Nobody can write down what they cannot see.
			if !s.codesShown.shown {
				s.err = "Press r to show the codes first, then write them down."
				return nil
			}
			s.err, s.state = "", tfCodesConfirm
		case key.Matches(msg, k.Continue) && (s.saved != "" || s.wroteDown):
			return s.leave(support.StatusDone)
		}
	case tfCodesConfirm:
		switch {
		case key.Matches(msg, k.Yes):
			s.wroteDown, s.state = true, tfCodes
		case key.Matches(msg, k.No), key.Matches(msg, k.Back):
			s.state = tfCodes
		}
	case tfGuided:
		if key.Matches(msg, k.Yes) {
			return s.leave(support.StatusGuided)
		}
		if key.Matches(msg, k.No) || key.Matches(msg, k.Back) {
			return stepBack
		}
	case tfDone:
		if key.Matches(msg, k.Continue) {
			return s.leave(support.StatusDone)
		}
	}
	return nil
}

func (s *twoFactorScreen) prepare() tea.Cmd {
	sess := s.c.Session
	rec, ctx, account, rnd := sess.Recovery, sess.Context, sess.Account.Email, sess.Rand
	s.state, s.err = tfPreparing, ""
	enroll := func() tea.Msg {
		e, err := twofactor.New(account, rnd)
		if err != nil {
			return enrolledMsg{err: err}
		}
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if err := e.Start(ctx, rec); err != nil {
			return enrolledMsg{err: err}
		}
		return enrolledMsg{enrollment: e}
	}
	return tea.Batch(enroll, s.c.Spinner.Tick)
}

func (s *twoFactorScreen) waiting() bool { return s.now.Before(s.waitUntil) }

func (s *twoFactorScreen) checkCode() tea.Cmd {
	if s.waiting() {
		return nil
	}
	code := strings.ReplaceAll(s.code.Text(), " ", "")
	sess := s.c.Session
	e, rec, ctx, now := s.enrollment, sess.Recovery, sess.Context, sess.Now()
	s.state, s.err = tfChecking, ""
	s.code.Blur()
	check := func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		return codeCheckedMsg{err: e.Confirm(ctx, rec, code, now)}
	}
	return tea.Batch(check, s.c.Spinner.Tick)
}

func (s *twoFactorScreen) codeChecked(err error) tea.Cmd {
	var wrong *twofactor.WrongCodeError
	var backoff *twofactor.BackoffError
	switch {
	case err == nil:
		s.totp.hide()
		s.code.Clear()
		rec, ctx := s.c.Session.Recovery, s.c.Session.Context
		s.state = tfChecking
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			codes, err := rec.RecoveryCodes(ctx)
			return codesMsg{codes: codes, err: err}
		}
	case errors.As(err, &backoff):
		s.now = s.c.Session.Now()
		s.waitUntil = s.now.Add(backoff.Wait)
		s.err = errText(err)
		s.state = tfScan
		s.code.Clear()
		return tea.Batch(s.code.Focus(), backoffTick())
	case errors.As(err, &wrong), errors.Is(err, twofactor.ErrFormat):
		s.err = errText(err)
	default:
		s.err = "Could not check the code: " + errText(err)
	}
	s.state = tfScan
	s.code.Clear()
	return s.code.Focus()
}

func (s *twoFactorScreen) saveCodes() tea.Cmd {
	sess := s.c.Session
	account := sess.Account.Email
	codes := append([]secret.Secret(nil), s.codes...)
	return saveFile(sess.ReportDir, "mjrecover-recovery-codes-", sess.Now(), func(path string) error {
		return twofactor.SaveCodes(path, account, codes)
	})
}

// leave forgets the key and the codes: they are shown once.
func (s *twoFactorScreen) leave(status support.Status) tea.Cmd {
	s.status = status
	s.enrollment, s.codes = nil, nil
	s.totp.hide()
	s.codesShown.hide()
	s.qr = qrCache{} // it holds the key too
	if s.state != tfGuided {
		s.state = tfDone
	}
	detail := "An authenticator app was enrolled and confirmed with a code; 10 recovery codes were issued"
	switch {
	case status == support.StatusGuided:
		detail = "The user turned on two-factor authentication in Mailjet's account settings"
	case s.saved != "":
		detail += " and saved to a file"
	case s.wroteDown:
		detail += " and written down"
	}
	return stepDone(support.StepResult{Number: stepTwoFactor, Name: stepInfos()[stepTwoFactor].Name, Status: status, Detail: detail + "."})
}

func (s *twoFactorScreen) View() string {
	st := s.c.Styles
	w := s.c.Width
	var b strings.Builder
	switch s.state {
	case tfIntro, tfPreparing:
		b.WriteString("\n" + wrap("With two-factor authentication, signing in needs your password and a "+
			"6-digit code from an app on your phone. A stolen password alone is then not enough.", w) + "\n\n")
		b.WriteString(wrap("You need an authenticator app, for example Google Authenticator, Microsoft "+
			"Authenticator, 1Password or Bitwarden. Open it now.", w) + "\n\n")
		if s.state == tfPreparing {
			b.WriteString(s.c.Spinner.View() + " Preparing your key…\n")
		} else {
			b.WriteString("Press Enter to show the QR code to scan.\n")
		}
		if s.err != "" {
			b.WriteString("\n" + st.Error.Render(wrap(s.err, w)) + "\n")
		}
	case tfScan, tfChecking:
		return s.scanView()
	case tfCodes, tfCodesConfirm:
		if p := s.codesShown.promptView(st, w); p != "" {
			return p
		}
		b.WriteString(s.codesView(w))
	case tfGuided:
		b.WriteString("\n" + wrap("Mailjet's API cannot turn on two-factor authentication, so do it on the site:", w) + "\n\n")
		b.WriteString(wrap("1. Open https://app.mailjet.com/account and sign in with your new password.", w) + "\n")
		b.WriteString(wrap("2. In your account settings, turn on two-factor authentication and scan the "+
			"QR code Mailjet shows with an authenticator app.", w) + "\n")
		b.WriteString(wrap("3. Keep the backup codes Mailjet gives you somewhere safe, away from your computer.", w) + "\n\n")
		b.WriteString("Is it on? y / n\n")
	case tfDone:
		b.WriteString("\n" + st.Success.Render("Two-factor authentication is on.") + "\n")
		if s.err != "" {
			b.WriteString("\n" + st.Warning.Render(wrap(s.err, w)) + "\n")
		}
	}
	return b.String()
}

// scanView puts the QR code beside the instructions when there is room,
// below them when not, and leaves it out (with a way forward) when the
// window is too small for it.
func (s *twoFactorScreen) scanView() string {
	w, h := s.c.Width, s.c.Height
	inkIsLight := s.c.DarkBackground != s.invert
	uri := s.enrollment.URI()
	if p := s.totp.promptView(s.c.Styles, w); p != "" {
		return p
	}
	if s.c.Session.Presenting && !s.totp.shown {
		return s.scanText(w) + "\n" + s.c.Styles.Warning.Render(wrap("Presenting: the QR code is hidden. "+
			"Press ctrl+r to show it when no one else can see your screen.", w))
	}

	if code, ok := s.qr.fit(uri, w-32, h, inkIsLight); ok {
		text := s.scanText(w - code.Width() - 2)
		return lipgloss.JoinHorizontal(lipgloss.Top, code.String(), "  ", text)
	}
	text := s.scanText(w)
	if code, ok := s.qr.fit(uri, w, h-lipgloss.Height(text)-1, inkIsLight); ok {
		return text + "\n" + code.String()
	}
	return text + "\n" + s.c.Styles.Warning.Render(wrap("The window is too small for the QR code. Enlarge it, "+
		"or press ctrl+r to show the key and type it into the app.", w))
}

func (s *twoFactorScreen) scanText(w int) string {
	st := s.c.Styles
	var b strings.Builder
	b.WriteString("\n" + wrap("1. In your authenticator app, add an account and scan this code.", w) + "\n\n")
	b.WriteString(wrap("2. Type the 6-digit code the app shows:", w) + "\n")
	b.WriteString(s.code.View(st, true) + "\n")
	switch {
	case s.state == tfChecking:
		b.WriteString(s.c.Spinner.View() + " Checking…\n")
	case s.waiting():
		left := s.waitUntil.Sub(s.now).Round(time.Second)
		b.WriteString(st.Error.Render(wrap(fmt.Sprintf("%s (%s left)", s.err, left), w)) + "\n")
	case s.err != "":
		b.WriteString(st.Error.Render(wrap(s.err, w)) + "\n")
	}
	b.WriteString("\n")
	if s.totp.shown {
		b.WriteString(wrap("Key to type by hand (time-based):", w) + "\n")
		b.WriteString(st.Secret.Render(wrap(twofactor.GroupsOf4(s.enrollment.Seed().Reveal()), w)) + "\n")
	} else {
		b.WriteString(st.Muted.Render(wrap("Cannot scan? ctrl+r shows the key to type by hand. "+
			"If the code looks like a negative, press i.", w)) + "\n")
	}
	return b.String()
}

func (s *twoFactorScreen) codesView(w int) string {
	st := s.c.Styles
	var b strings.Builder
	b.WriteString("\n" + st.Success.Render("Two-factor authentication is on.") + "\n\n")
	keep := "save them to a file or write them down."
	if s.c.Session.Kiosk {
		keep = "write them down (this session keeps no file for you)."
	}
	b.WriteString(wrap("If you lose your phone, these recovery codes let you sign in. Each works once. "+
		"They are shown only now: "+keep, w) + "\n\n")
	for i, c := range s.codes {
		text := maskCode(c.Reveal())
		if s.codesShown.shown {
			text = c.Reveal()
		}
		fmt.Fprintf(&b, "  %2d. %s\n", i+1, st.Secret.Render(text))
	}
	switch {
	case s.state == tfCodesConfirm:
		b.WriteString("\n" + st.Confirm.Width(min(w, 60)).Render("Write all 10 codes on paper now. Done? y / n"))
	case s.err != "":
		b.WriteString("\n" + st.Error.Render(wrap(s.err, w)) + "\n")
	case s.saved != "":
		b.WriteString("\n" + st.Success.Render("Saved") + st.Muted.Render(" (only you can read it) to:") + "\n" + wrap(clean(s.saved), w) + "\n")
	case s.wroteDown:
		b.WriteString("\n" + st.Success.Render("Good. Keep the paper away from your computer.") + "\n")
	}
	return b.String()
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
