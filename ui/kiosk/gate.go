package kiosk

import (
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mjrecover/mjrecover/steps/access"
	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/wording"
	"github.com/mjrecover/mjrecover/ui"
)

// The access code page, the first of every kiosk session: a page of the
// wizard (the frame around it gives the title, the idle clock, the quit
// prompt, the too-small screen and the help line). It asks for the
// one-time code support issued, slows down wrong ones, and opens the
// recovery once the code is right.

type gateState int

const (
	gateTyping   gateState = iota
	gateChecking           // a code is being checked (and a wrong one's answer delayed)
	gateOpening            // the code was right; the recovery is being prepared
	gateClosing            // showing why the session ends, then ending it
)

// Why a session ended at the gate (for the audit log and the last words).
const (
	reasonCodeTime  = "code screen time limit"
	reasonWrongCode = "too many wrong codes"
	reasonFull      = "kiosk full"
	reasonFailed    = "failed"
)

// sampleCode shows what a code looks like.
const sampleCode = "ABCD-EFGH-JKMN"

// maxInput bounds what the code field takes (a code is 14 characters with
// its dashes).
const maxInput = 24

// closingPause is how long the last message stays before the session
// ends.
const closingPause = 4 * time.Second

type gate struct {
	srv *Server
	ks  *session
	st  *ui.Styles

	width, height int
	state         gateState
	code          ui.TextField
	notice        string // under the field: what happened
	noticeIsError bool
	wrong         int    // wrong codes in this session
	reason        string // why the session ends, once it does
	keys          gateKeys
}

type gateKeys struct{ check, clear, close key.Binding }

// checkedMsg is the answer to a code, after any delay.
type checkedMsg struct {
	grant  *access.Grant
	err    error
	locked time.Duration // the address has no tries left for this long
	left   int           // tries the address has left (after a wrong code)
}

// grantedMsg: the code was right.
type grantedMsg struct{ grant access.Grant }

// wizardReadyMsg carries the recovery's configuration, prepared in a
// command (the demo starts a sandbox and unpacks files).
type wizardReadyMsg struct {
	cfg ui.Config
	err error
}

// codeTimeUpMsg: the session's time at the gate is over.
type codeTimeUpMsg struct{}

// lockedOutMsg: the session's address has no tries left, for wait.
type lockedOutMsg struct{ wait time.Duration }

// gateCloseMsg ends the session after the closing message.
type gateCloseMsg struct{}

func newGate(srv *Server, ks *session) *gate {
	p := ks.lang
	g := &gate{srv: srv, ks: ks, st: ui.DefaultStyles(), width: 78, height: 21,
		code: ui.NewTextField(p.T("Access code"), sampleCode, maxInput)}
	g.keys = gateKeys{
		check: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", p.T("check the code"))),
		clear: key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", p.T("clear"))),
		close: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", p.T("close"))),
	}
	return g
}

func (g *gate) Init() tea.Cmd {
	return tea.Batch(g.code.Focus(), g.waitTimeUp(), g.lockedOut())
}

// lockedOut asks the store, off the program's loop, whether the session's
// address may still try codes (its wrong ones on every host count).
func (g *gate) lockedOut() tea.Cmd {
	srv, ks := g.srv, g.ks
	return func() tea.Msg {
		left, wait, err := srv.throttle.Left(ks.ctx, ks.ip)
		switch {
		case err != nil:
			// A code typed meets the same trouble and says so.
			srv.logf("count the wrong codes of an address: %v", err)
		case left <= 0:
			return lockedOutMsg{wait}
		}
		return nil
	}
}

// waitTimeUp hears when the session's time at the gate is over (the
// ticket's clock: the same limit whether or not someone types).
func (g *gate) waitTimeUp() tea.Cmd {
	up, done := g.ks.codeTimeUp, g.ks.ctx.Done()
	if up == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case <-up:
			return codeTimeUpMsg{}
		case <-done:
			return nil
		}
	}
}

// plural is "s" for n other than 1 (the English of support's commands,
// which stay in English).
func plural[N int | int64](n N) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (g *gate) lockedText(wait time.Duration) string {
	mins := max(1, int(wait.Round(time.Minute)/time.Minute))
	return g.ks.lang.T("Too many wrong codes came from your network. Please try again in %d minute, "+
		"or ask Mailjet support for help.", mins)
}

// close shows why the session ends, then ends it.
func (g *gate) close(reason, text string) tea.Cmd {
	g.state, g.reason = gateClosing, reason
	g.notice, g.noticeIsError = text, true
	g.code.Blur()
	return tea.Tick(closingPause, func(time.Time) tea.Msg { return gateCloseMsg{} })
}

func (g *gate) SetSize(w, h int) {
	g.width, g.height = w, h
	g.code.SetWidth(min(w, 40))
}

func (g *gate) Busy() bool { return g.state == gateChecking || g.state == gateOpening }

func (g *gate) Header() ui.Header {
	p := g.ks.lang
	return ui.Header{Title: p.T("mjrecover · Recover your Mailjet account"), Why: p.T("Welcome to the recovery kiosk of Mailjet support.")}
}

func (g *gate) Leaving() string {
	return g.ks.lang.T("Nothing has started yet. You can come back with your access code while it is valid.")
}

func (g *gate) ShortHelp() []key.Binding {
	switch g.state {
	case gateClosing:
		return []key.Binding{g.keys.close}
	case gateTyping:
		return []key.Binding{g.keys.check, g.keys.clear}
	}
	return nil
}

func (g *gate) FullHelp() [][]key.Binding { return [][]key.Binding{g.ShortHelp()} }

func (g *gate) Update(msg tea.Msg) (ui.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case codeTimeUpMsg:
		return g, g.timeUp()
	case lockedOutMsg:
		if g.state != gateTyping {
			return g, nil // a code is being checked, or the session is ending
		}
		g.srv.refusals.note(g.ks.ip, refusedLocked)
		return g, g.close(reasonWrongCode, g.lockedText(msg.wait))
	case gateCloseMsg:
		return g, tea.Quit
	case checkedMsg:
		if g.state == gateClosing {
			return g, nil // the session is ending already
		}
		return g, g.checked(msg)
	case grantedMsg:
		g.ks.grant = msg.grant
		srv, ks := g.srv, g.ks
		return g, func() tea.Msg {
			cfg, err := srv.wizardConfig(ks, time.Now())
			return wizardReadyMsg{cfg, err}
		}
	case wizardReadyMsg:
		if msg.err != nil {
			g.srv.logf("start the wizard: %v", msg.err)
			return g, g.close(reasonFailed, g.ks.lang.T("Sorry, the wizard could not start. Please try again, or tell Mailjet support."))
		}
		return g, ui.Open(msg.cfg)
	case tea.PasteMsg:
		if g.state == gateTyping {
			g.addText(msg.Content)
		}
	case tea.KeyPressMsg:
		return g, g.key(msg)
	}
	return g, nil
}

func (g *gate) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case g.state == gateClosing:
		if key.Matches(msg, g.keys.close) {
			return tea.Quit
		}
		return nil
	case g.state != gateTyping:
		return nil // one code at a time
	case key.Matches(msg, g.keys.check):
		code := strings.TrimSpace(g.code.Text())
		if code == "" {
			g.notice, g.noticeIsError = g.ks.lang.T("Type the access code first."), true
			return nil
		}
		g.state = gateChecking
		g.notice, g.noticeIsError = g.ks.lang.T("Checking the code…"), false
		return g.check(code)
	case key.Matches(msg, g.keys.clear):
		g.code.Clear()
		return nil
	case msg.Text != "":
		g.addText(msg.Text)
		return nil
	}
	var cmd tea.Cmd
	g.code, cmd = g.code.Update(msg) // backspace, arrows
	return cmd
}

// addText keeps the characters a code can have, in capitals.
func (g *gate) addText(s string) {
	var b strings.Builder
	for _, r := range s {
		if (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '-' || r == ' ' {
			b.WriteString(strings.ToUpper(string(r)))
		}
	}
	if text := g.code.Text() + b.String(); len(text) <= maxInput {
		g.code.SetValue(text)
	}
}

// check redeems code in a command: the address's tries are counted first
// (so tries at once from one address are all counted), and the answer to
// a wrong code comes only after a delay that doubles with each one. A
// right code is then claimed: one live session per code, on every host.
func (g *gate) check(code string) tea.Cmd {
	srv, ks, wrongHere := g.srv, g.ks, g.wrong
	return func() tea.Msg {
		attempt, ok, wait, err := srv.throttle.Try(ks.ctx, ks.ip)
		switch {
		case errors.Is(err, access.ErrBusy):
			return checkedMsg{err: err}
		case err != nil:
			srv.logf("count the wrong codes of an address: %v", err)
			return checkedMsg{err: err}
		case !ok:
			return checkedMsg{locked: wait}
		}
		grant, err := srv.store.RedeemCode(ks.ctx, code)
		if err == nil {
			attempt.Right() // the right code, whether or not it is free
			return srv.open(ks, grant)
		}
		if !wrongCode(err) {
			// The store failed (the error names the store, not the
			// code): not the person's fault, so not counted.
			attempt.Right()
			srv.logf("check an access code: %v", err)
			return checkedMsg{err: err}
		}
		wrong, werr := attempt.Wrong(ks.ctx)
		if werr != nil {
			srv.logf("count a wrong code: %v", werr)
		}
		srv.opts.Sleep(ks.ctx, srv.throttle.Delay(max(wrong, wrongHere+1)))
		left, _, lerr := srv.throttle.Left(ks.ctx, ks.ip)
		if lerr != nil {
			left = srv.opts.CodeTries // the session's own count still holds
		}
		return checkedMsg{err: err, left: left}
	}
}

// open claims a right code's recovery for the session and takes its place
// past the code, or says why not.
func (s *Server) open(ks *session, grant access.Grant) checkedMsg {
	claim, err := s.claim(ks.ctx, grant.ID)
	switch {
	case errors.Is(err, access.ErrInUse):
		return checkedMsg{err: access.ErrInUse, left: s.opts.CodeTries}
	case err != nil:
		s.logf("claim an access code: %v", err)
		return checkedMsg{err: err}
	case !ks.hold(claim):
		return checkedMsg{err: errTimeUp} // the session ended meanwhile
	}
	// Past the code: a place among the sessions, unless they are all taken
	// or the time at the gate ran out meanwhile.
	if err := ks.ticket.admit(); err != nil {
		ks.letGo()
		return checkedMsg{err: err}
	}
	return checkedMsg{grant: &grant}
}

// wrongCode: the person typed a code that opens nothing.
func wrongCode(err error) bool {
	return errors.Is(err, access.ErrWrongCode) || errors.Is(err, access.ErrExpired) || errors.Is(err, access.ErrUsed)
}

func (g *gate) checked(msg checkedMsg) tea.Cmd {
	p := g.ks.lang
	g.state = gateTyping
	entry := audit.Entry{Event: audit.EventCodeRefused, Session: g.ks.hash, Client: g.ks.client, Version: g.srv.opts.Version}
	switch {
	case msg.locked > 0:
		entry.Result = "address locked"
		g.srv.audit.Post(entry)
		return g.close(reasonWrongCode, g.lockedText(msg.locked))
	case msg.grant != nil:
		g.state = gateOpening
		g.notice, g.noticeIsError = p.T("The code is right. Starting the wizard…"), false
		g.code.Blur()
		g.srv.audit.Post(audit.Entry{Event: audit.EventCodeAccepted, Session: g.ks.hash, Account: msg.grant.Account,
			CodeID: msg.grant.ID, Client: g.ks.client, Version: g.srv.opts.Version})
		grant := *msg.grant
		return func() tea.Msg { return grantedMsg{grant} }
	case errors.Is(msg.err, access.ErrInUse):
		entry.Result = "open in another session"
		g.srv.audit.Post(entry)
		g.code.Clear()
		g.notice, g.noticeIsError = p.T("This code is open in another session right now. Close that session first: "+
			"this code then goes on with the same recovery."), true
		return nil
	case errors.Is(msg.err, errTimeUp):
		return nil // the time at the gate is over: the session is ending
	case errors.Is(msg.err, access.ErrBusy):
		// Many codes from this address at once: not this person's
		// mistake, and no lockout; their code is kept for another try.
		entry.Result = "busy"
		g.srv.audit.Post(entry)
		g.notice, g.noticeIsError = p.T("Many codes from your address are being checked right now. Press Enter again in a moment."), true
		return nil
	case errors.Is(msg.err, errKioskFull):
		entry.Result = reasonFull
		g.srv.audit.Post(entry)
		return g.close(reasonFull, fullText(p))
	case !wrongCode(msg.err):
		g.notice, g.noticeIsError = p.T("The kiosk cannot check codes right now. Please try again in a moment, or tell Mailjet support."), true
		return nil
	}
	g.wrong++
	g.code.Clear()
	left := min(g.srv.opts.CodeTries-g.wrong, msg.left)
	var what string
	switch {
	case errors.Is(msg.err, access.ErrExpired):
		entry.Result, what = "expired", p.T("This code has expired: ask Mailjet support for a new one.")
	case errors.Is(msg.err, access.ErrUsed):
		entry.Result, what = "already used", p.T("This code's recovery is finished: it opens nothing any more. Ask Mailjet support for a new one if you need to.")
	default:
		entry.Result, what = "wrong", p.T("That code is not right. Check it and type it again.")
	}
	g.srv.audit.Post(entry)
	if left <= 0 {
		return g.close(reasonWrongCode, what+" "+p.T("That was the last try: this session ends now."))
	}
	g.notice = what + " " + p.T("%d try left.", left)
	g.noticeIsError = true
	return nil
}

// fullText: the code was right, but every session of the kiosk is taken.
func fullText(p *lang.Printer) string {
	return p.T("The code is right, but the recovery kiosk is full right now. Your code stays valid: please connect again in a few minutes.")
}

// timeUp ends a session whose time at the gate is over, typing or not
// (the frame ends one nobody types in sooner): the last words say why.
func (g *gate) timeUp() tea.Cmd {
	if g.state == gateClosing || g.state == gateOpening {
		return nil
	}
	g.reason = reasonCodeTime
	g.code.Clear()
	return func() tea.Msg { return ui.EndMsg{Reason: reasonCodeTime} }
}

func (g *gate) View() string {
	st, p := g.st, g.ks.lang
	w := g.width
	wrap := func(s string) string { return st.Text.Width(w).Render(s) }
	var b strings.Builder
	b.WriteString("\n" + wrap(p.T("Mailjet support gave you a one-time access code for this session. "+
		"Type it below and press Enter.")) + "\n")
	b.WriteString(st.Muted.Render(p.T("It looks like this: %s", sampleCode)) + "\n\n")
	b.WriteString(g.code.View(st, true) + "\n\n")
	if g.notice != "" {
		mark, style := "", st.Muted
		if g.noticeIsError {
			mark, style = "✗ ", st.Error
		}
		b.WriteString(style.Render(wrap(mark+g.notice)) + "\n\n")
	}
	b.WriteString(st.Muted.Render(wrap(p.T("This screen waits %s for the code.", wording.Duration(p, g.srv.opts.CodeScreenLimit)) + " " +
		p.T("This session shows only the recovery wizard. It ends after %s "+
			"without a key press, and after %s in all.", wording.Duration(p, g.srv.opts.IdleLimit), wording.Duration(p, g.srv.opts.MaxSession)))))
	return b.String()
}
