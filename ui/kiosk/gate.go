package kiosk

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/mjrecover/mjrecover/steps/access"
	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/ui"
)

// The access code screen, the first of every kiosk session: it asks for
// the one-time code support issued, slows down wrong ones, and hands over
// to the wizard once the code is right.

type gateState int

const (
	gateTyping   gateState = iota
	gateChecking           // a code is being checked (and a wrong one's answer delayed)
	gateOpen               // the code was right; the wizard is starting
	gateClosing            // showing why the session ends, then ending it
	gateBlank              // ended for inactivity: nothing on screen
)

// Why a session ended at the gate (for the audit log and the last words).
const (
	reasonLeft      = "left"
	reasonTimedOut  = "timed out"
	reasonWrongCode = "too many wrong codes"
)

// maxInput bounds what the code field takes (a code is 14 characters with
// its dashes).
const maxInput = 24

// closingPause is how long the last message stays before the session
// ends.
const closingPause = 4 * time.Second

// minGateWidth and minGateHeight: below them the screen asks for a bigger
// window.
const (
	minGateWidth  = 40
	minGateHeight = 12
)

type gate struct {
	srv *Server
	ks  *session
	st  *ui.Styles

	width, height int
	state         gateState
	input         string
	notice        string // under the field: what happened
	noticeIsError bool
	wrong         int // wrong codes in this session
	confirmQuit   bool
	reason        string // why the session ends, once it does

	started, lastKey time.Time
	idleWarning      time.Duration
}

// checkedMsg is the answer to a code, after any delay.
type checkedMsg struct {
	grant  *access.Grant
	err    error
	locked time.Duration // the address has no tries left for this long
	left   int           // tries the address has left (after a wrong code)
}

// grantedMsg tells the root the code was right.
type grantedMsg struct{ grant access.Grant }

// gateClockMsg drives the gate's inactivity timer.
type gateClockMsg time.Time

// gateCloseMsg ends the session after the closing message.
type gateCloseMsg struct{}

func newGate(srv *Server, ks *session) *gate {
	now := time.Now()
	return &gate{srv: srv, ks: ks, st: ui.DefaultStyles(), width: 80, height: 24, started: now, lastKey: now}
}

func (g *gate) Init() tea.Cmd {
	if left, wait := g.srv.throttle.Left(g.ks.ip); left <= 0 {
		return g.close(reasonWrongCode, lockedText(wait))
	}
	return g.clockTick()
}

func lockedText(wait time.Duration) string {
	mins := int(wait.Round(time.Minute) / time.Minute)
	return fmt.Sprintf("Too many wrong codes came from your network. Please try again in %d minute%s, "+
		"or ask Mailjet support for help.", max(mins, 1), plural(max(mins, 1)))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// clockTick checks the timer every second, or more often for limits so
// short that a second is coarse (tests).
func (g *gate) clockTick() tea.Cmd {
	every := min(time.Second, max(g.srv.opts.IdleWarn/10, 10*time.Millisecond))
	return tea.Tick(every, func(t time.Time) tea.Msg { return gateClockMsg(t) })
}

// close shows why the session ends, then ends it.
func (g *gate) close(reason, text string) tea.Cmd {
	g.state, g.reason = gateClosing, reason
	g.notice, g.noticeIsError = text, true
	g.confirmQuit = false
	return tea.Tick(closingPause, func(time.Time) tea.Msg { return gateCloseMsg{} })
}

func (g *gate) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		g.width, g.height = msg.Width, msg.Height
		return nil
	case gateClockMsg:
		return g.checkClock(time.Time(msg))
	case gateCloseMsg:
		return tea.Quit
	case checkedMsg:
		return g.checked(msg)
	case tea.PasteMsg:
		if g.state == gateTyping && !g.confirmQuit {
			g.lastKey = time.Now()
			g.addText(msg.Content)
		}
		return nil
	case tea.KeyPressMsg:
		return g.key(msg)
	}
	return nil
}

func (g *gate) key(msg tea.KeyPressMsg) tea.Cmd {
	g.lastKey = time.Now()
	g.idleWarning = 0
	k := msg.String()
	switch {
	case g.state == gateClosing:
		if k == "enter" || k == "ctrl+c" {
			return tea.Quit
		}
		return nil
	case g.state != gateTyping && g.state != gateChecking:
		return nil
	case g.confirmQuit:
		switch k {
		case "y", "Y", "ctrl+c":
			g.reason = reasonLeft
			return tea.Quit
		case "n", "N", "esc":
			g.confirmQuit = false
		}
		return nil
	case k == "ctrl+c":
		g.confirmQuit = true
		return nil
	case g.state == gateChecking:
		return nil // one code at a time
	}
	switch k {
	case "enter":
		code := strings.TrimSpace(g.input)
		if code == "" {
			g.notice, g.noticeIsError = "Type the access code first.", true
			return nil
		}
		g.state = gateChecking
		g.notice, g.noticeIsError = "Checking the code…", false
		return g.check(code)
	case "backspace", "ctrl+h":
		if g.input != "" {
			_, size := utf8.DecodeLastRuneInString(g.input)
			g.input = g.input[:len(g.input)-size]
		}
	case "ctrl+u":
		g.input = ""
	default:
		g.addText(msg.Text)
	}
	return nil
}

// addText keeps the characters a code can have.
func (g *gate) addText(s string) {
	for _, r := range s {
		ok := (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '-' || r == ' '
		if ok && len(g.input) < maxInput {
			g.input += strings.ToUpper(string(r))
		}
	}
}

// check redeems code in a command: the address's tries are counted first
// (so tries at once from one address are all counted), and the answer to
// a wrong code comes only after a delay that doubles with each one.
func (g *gate) check(code string) tea.Cmd {
	srv, ks, wrongHere := g.srv, g.ks, g.wrong
	return func() tea.Msg {
		attempt, ok, wait := srv.throttle.Try(ks.ip)
		if !ok {
			return checkedMsg{locked: wait}
		}
		grant, err := srv.codes.Redeem(code)
		if err == nil {
			attempt.Right() // the right code, whether or not it is free
			if !srv.claim(grant.ID) {
				return checkedMsg{err: access.ErrInUse, left: srv.opts.CodeTries}
			}
			return checkedMsg{grant: &grant}
		}
		switch {
		case !errors.Is(err, access.ErrWrongCode) && !errors.Is(err, access.ErrExpired) && !errors.Is(err, access.ErrUsed):
			// The store failed (the error names the file, not the code):
			// not the person's fault, so not counted.
			attempt.Right()
			fmt.Fprintln(srv.opts.Log, "mjrecover kiosk: check an access code:", err)
			return checkedMsg{err: err}
		}
		delay := srv.throttle.Delay(max(attempt.Wrong(), wrongHere+1))
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ks.ctx.Done():
		}
		left, _ := srv.throttle.Left(ks.ip)
		return checkedMsg{err: err, left: left}
	}
}

func (g *gate) checked(msg checkedMsg) tea.Cmd {
	g.state = gateTyping
	entry := audit.Entry{Event: audit.EventCodeRefused, Session: g.ks.hash, Client: g.ks.client, Version: g.srv.opts.Version}
	switch {
	case msg.locked > 0:
		entry.Result = "address locked"
		g.srv.audit.Post(entry)
		return g.close(reasonWrongCode, lockedText(msg.locked))
	case msg.grant != nil:
		g.state = gateOpen
		g.notice, g.noticeIsError = "The code is right. Starting the wizard…", false
		g.srv.audit.Post(audit.Entry{Event: audit.EventCodeAccepted, Session: g.ks.hash, Account: msg.grant.Account,
			CodeID: msg.grant.ID, Client: g.ks.client, Version: g.srv.opts.Version})
		grant := *msg.grant
		return func() tea.Msg { return grantedMsg{grant} }
	case errors.Is(msg.err, access.ErrInUse):
		entry.Result = "open in another session"
		g.srv.audit.Post(entry)
		g.input = ""
		g.notice, g.noticeIsError = "This code is open in another session right now. Close that session first: "+
			"this code then goes on with the same recovery.", true
		return nil
	case !errors.Is(msg.err, access.ErrWrongCode) && !errors.Is(msg.err, access.ErrExpired) && !errors.Is(msg.err, access.ErrUsed):
		g.notice, g.noticeIsError = "The kiosk cannot check codes right now. Please try again in a moment, or tell Mailjet support.", true
		return nil
	}
	g.wrong++
	g.input = ""
	left := min(g.srv.opts.CodeTries-g.wrong, msg.left)
	var what string
	switch {
	case errors.Is(msg.err, access.ErrExpired):
		entry.Result, what = "expired", "This code has expired: ask Mailjet support for a new one."
	case errors.Is(msg.err, access.ErrUsed):
		entry.Result, what = "already used", "This code's recovery is finished: it opens nothing any more. Ask Mailjet support for a new one if you need to."
	default:
		entry.Result, what = "wrong", "That code is not right. Check it and type it again."
	}
	g.srv.audit.Post(entry)
	if left <= 0 {
		return g.close(reasonWrongCode, what+" That was the last try: this session ends now.")
	}
	g.notice = fmt.Sprintf("%s %d tr%s left.", what, left, map[bool]string{true: "y", false: "ies"}[left == 1])
	g.noticeIsError = true
	return nil
}

// checkClock ends a session nobody types in, and one that stays on this
// screen for longer than the idle limit even with typing.
func (g *gate) checkClock(now time.Time) tea.Cmd {
	if g.state == gateBlank || g.state == gateClosing || g.state == gateOpen {
		return nil
	}
	o := g.srv.opts
	idle := now.Sub(g.lastKey)
	switch {
	case idle >= o.IdleLimit || now.Sub(g.started) >= o.IdleLimit:
		g.state, g.reason = gateBlank, reasonTimedOut
		g.input = ""
		return tea.Quit
	case idle >= o.IdleWarn:
		g.idleWarning = o.IdleLimit - idle
	default:
		g.idleWarning = 0
	}
	return g.clockTick()
}

func (g *gate) View() string {
	if g.state == gateBlank {
		return ""
	}
	st := g.st
	if g.width < minGateWidth || g.height < minGateHeight {
		msg := fmt.Sprintf("This window is %d×%d.\nPlease enlarge it to at least %d×%d.",
			g.width, g.height, minGateWidth, minGateHeight)
		return lipgloss.NewStyle().MaxWidth(g.width).MaxHeight(g.height).Render(msg)
	}
	w := min(g.width-2, 78)
	wrap := func(s string) string { return lipgloss.NewStyle().Width(w).Render(s) }

	var b strings.Builder
	title := st.Title.Render("mjrecover · Recover your Mailjet account")
	if g.srv.opts.Demo {
		badge := st.Badge.Render("demo")
		if gap := w - lipgloss.Width(title) - lipgloss.Width(badge); gap > 0 {
			title += strings.Repeat(" ", gap) + badge
		}
	}
	b.WriteString(title + "\n")
	if g.idleWarning > 0 {
		b.WriteString(st.Error.Render(wrap(fmt.Sprintf("No key pressed for a while: this session ends in %s. Press any key to stay.",
			g.idleWarning.Round(time.Second)))) + "\n\n")
	} else {
		b.WriteString(st.Why.Render("Welcome to the recovery kiosk of Mailjet support.") + "\n\n")
	}

	if g.confirmQuit {
		b.WriteString(st.Confirm.Width(min(w, 60)).Render("Leave now?\n\ny: leave    n: stay") + "\n")
		return st.App.Render(b.String())
	}

	b.WriteString(wrap("Mailjet support gave you a one-time access code for this session. "+
		"Type it below and press Enter.") + "\n")
	b.WriteString(st.Muted.Render("It looks like this: ABCD-EFGH-JKMN") + "\n\n")
	b.WriteString(st.Label.Render("Access code") + "\n")
	field := "› " + g.input
	if g.state == gateTyping {
		field += "█"
	}
	b.WriteString(field + "\n\n")
	if g.notice != "" {
		mark := ""
		style := st.Muted
		if g.noticeIsError {
			mark, style = "✗ ", st.Error
		}
		b.WriteString(style.Render(wrap(mark+g.notice)) + "\n\n")
	} else {
		b.WriteString("\n\n")
	}
	b.WriteString(st.Muted.Render(wrap(fmt.Sprintf("This session shows only the recovery wizard. It ends after %s "+
		"without a key press, and after %s in all.", humanDuration(g.srv.opts.IdleLimit), humanDuration(g.srv.opts.MaxSession)))) + "\n\n")

	help := "enter check the code • ctrl+u clear • ctrl+c quit"
	if g.state == gateClosing {
		help = "enter close"
	}
	page := lipgloss.NewStyle().Height(max(0, g.height-2)).Render(strings.TrimRight(b.String(), "\n"))
	return st.App.Render(page + "\n" + st.Help.Render(help))
}

// humanDuration says d in whole minutes, or seconds below one.
func humanDuration(d time.Duration) string {
	if d < time.Minute {
		s := int(d.Round(time.Second) / time.Second)
		return fmt.Sprintf("%d second%s", s, plural(s))
	}
	m := int(d.Round(time.Minute) / time.Minute)
	return fmt.Sprintf("%d minute%s", m, plural(m))
}
