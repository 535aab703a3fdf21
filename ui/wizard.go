// Package ui is the wizard's Bubble Tea state machine: a root model that
// routes to one screen per recovery step.
package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/support"
)

// The wizard's steps. Index 0 is the welcome screen; 1 to 5 are the
// recovery steps Mailjet asks for.
const (
	stepWelcome = iota
	stepInvestigate
	stepRotate
	stepPassword
	stepTwoFactor
	stepSupport
	stepCount
)

// stepTotal is the number of recovery steps shown as "Step N of 5".
const stepTotal = stepCount - 1

// stepInfo names a step and says in one sentence why it matters.
type stepInfo struct {
	Name string
	Why  string
}

func stepInfos() [stepCount]stepInfo {
	return [stepCount]stepInfo{
		stepWelcome:     {"Welcome", "Get your Mailjet account back, one step at a time."},
		stepInvestigate: {"Investigate", "Find where your keys leaked, so the new ones do not leak the same way."},
		stepRotate:      {"Rotate API keys", "New secrets lock out whoever copied the old ones."},
		stepPassword:    {"New password", "Whoever got in may know your password too."},
		stepTwoFactor:   {"Two-factor authentication", "A code from your phone stops anyone who only has your password."},
		stepSupport:     {"Contact support", "Mailjet switches your account back on once support has the report."},
	}
}

// Minimum window size; below it the wizard asks for a bigger window
// instead of drawing a broken layout.
const (
	minWidth  = 60
	minHeight = 18
)

// Outcome is what the wizard leaves for main to print after exit.
type Outcome struct {
	Finished       bool
	TimedOut       bool // ended for inactivity or the session's time limit
	IdleOut        bool // TimedOut because no key was pressed for IdleLimit
	ReportMarkdown string
	ReportJSON     string
	Ticket         string
}

// Wizard is the root model.
type Wizard struct {
	common  *Common
	pages   []page
	current int

	width, height int
	confirmQuit   bool
	finished      bool
	timedOut      bool
	idleOut       bool
	help          help.Model

	started, lastKey time.Time
	idleWarning      time.Duration // time left, shown while > 0
	progressErr      string        // why the last save failed, shown until the next one works
}

// progressSavedMsg reports a save of the progress.
type progressSavedMsg struct{ err error }

// saveProgress writes what the session has done so far.
func (w *Wizard) saveProgress() tea.Cmd {
	sess := w.common.Session
	if sess.Progress == nil {
		return nil
	}
	store, key, st := *sess.Progress, sess.ProgressKey, sess.snapshot()
	return func() tea.Msg { return progressSavedMsg{err: store.Save(key, st)} }
}

// forgetProgress drops the saved progress of a finished recovery.
func (w *Wizard) forgetProgress() tea.Cmd {
	sess := w.common.Session
	if sess.Progress == nil {
		return nil
	}
	store, key := *sess.Progress, sess.ProgressKey
	return func() tea.Msg { return progressSavedMsg{err: store.Delete(key)} }
}

// clockMsg drives the inactivity and session timers.
type clockMsg time.Time

// clockTick checks the timers every second, or more often for limits so
// short that a second is coarse.
func (w *Wizard) clockTick() tea.Cmd {
	every := time.Second
	s := w.common.Session
	for _, d := range []time.Duration{s.IdleWarn, s.IdleLimit, s.MaxSession} {
		if d > 0 {
			every = min(every, max(d/10, 10*time.Millisecond))
		}
	}
	return tea.Tick(every, func(t time.Time) tea.Msg { return clockMsg(t) })
}

// New builds the wizard for cfg.
func New(cfg Config) *Wizard {
	sess := &Session{Config: cfg, Results: map[int]support.StepResult{}, Actions: map[string][]support.Line{}}
	if cfg.Credentials != nil {
		sess.UseCredentials(*cfg.Credentials)
	}
	c := &Common{Styles: DefaultStyles(), Keys: DefaultKeyMap(), Session: sess, DarkBackground: true,
		Spinner: spinner.New(spinner.WithSpinner(spinner.Dot))}
	w := &Wizard{common: c, help: help.New(), width: 80, height: 24}
	w.started = cfg.Now()
	w.lastKey = w.started
	w.pages = []page{
		{stepWelcome, newWelcome(c)},
		{stepInvestigate, newInvestigate(c)},
		{stepRotate, newRotate(c)},
		{stepRotate, newFiles(c)},
		{stepPassword, newPassword(c)},
		{stepTwoFactor, newTwoFactor(c)},
		{stepSupport, newReview(c)},
		{stepSupport, newSupport(c)},
	}
	w.resize(w.width, w.height)
	return w
}

// Outcome reports how the wizard ended.
func (w *Wizard) Outcome() Outcome {
	s := w.common.Session
	return Outcome{Finished: w.finished, TimedOut: w.timedOut, IdleOut: w.idleOut, ReportMarkdown: s.ReportMarkdown, ReportJSON: s.ReportJSON, Ticket: s.Ticket}
}

// Init implements tea.Model.
func (w *Wizard) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, w.screen().Init()}
	if w.timed() {
		cmds = append(cmds, w.clockTick())
	}
	return tea.Batch(cmds...)
}

func (w *Wizard) timed() bool {
	s := w.common.Session
	return s.IdleLimit > 0 || s.MaxSession > 0
}

// checkClock ends the session when it sat idle or ran out of time, and
// otherwise keeps the warning up to date.
func (w *Wizard) checkClock(now time.Time) tea.Cmd {
	s := w.common.Session
	idle := now.Sub(w.lastKey)
	switch {
	case s.IdleLimit > 0 && idle >= s.IdleLimit:
		w.idleOut = true
		w.end()
		return tea.Quit
	case s.MaxSession > 0 && now.Sub(w.started) >= s.MaxSession:
		w.end()
		return tea.Quit
	case s.IdleLimit > 0 && s.IdleWarn > 0 && idle >= s.IdleWarn:
		w.idleWarning = s.IdleLimit - idle
	default:
		w.idleWarning = 0
	}
	return w.clockTick()
}

// end closes a timed-out session: the screen goes blank and the session's
// secrets are dropped, so nothing is left for the next person at the
// keyboard or in memory.
func (w *Wizard) end() {
	w.timedOut = true
	s := w.common.Session
	s.API, s.Recovery, s.Credentials = nil, nil, nil
	s.Rotated, s.OldMaster = nil, secret.Secret{}
	w.pages = nil
}

// Update implements tea.Model.
func (w *Wizard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if w.timedOut {
		return w, nil // the session is over; its screens are gone
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		w.resize(msg.Width, msg.Height)
		return w, w.forward(w.bodySize())
	case tea.BackgroundColorMsg:
		w.common.DarkBackground = msg.IsDark()
		return w, nil
	case clockMsg:
		return w, w.checkClock(time.Time(msg))
	case tea.KeyPressMsg:
		w.lastKey = w.common.Session.Now()
		w.idleWarning = 0
		if w.confirmQuit {
			return w, w.answerQuit(msg)
		}
		if key.Matches(msg, w.common.Keys.Quit) {
			w.confirmQuit = true
			return w, nil
		}
		if w.tooSmall() {
			return w, nil // keys are not for a screen the user cannot see
		}
	case stepDoneMsg:
		sess := w.common.Session
		step := w.pages[w.current].step
		sess.Results[step] = msg.result
		if sess.OnStep != nil {
			sess.OnStep(sess.Account.Email, msg.result)
		}
		if step == stepSupport {
			return w, tea.Batch(w.forgetProgress(), w.move(w.current+1))
		}
		return w, tea.Batch(w.saveProgress(), w.move(w.current+1))
	case pageDoneMsg:
		// A page within a step (the files, the account review) adds what
		// it did to the report.
		w.common.Session.Actions[msg.name] = msg.lines
		return w, tea.Batch(w.saveProgress(), w.move(w.current+1))
	case resumeMsg:
		// The welcome screen restored an earlier run: go on from its first
		// step not done.
		next := 1
		for next < len(w.pages)-1 && w.common.Session.Results[w.pages[next].step].Status != "" {
			next++
		}
		return w, w.move(next)
	case progressSavedMsg:
		w.progressErr = ""
		if msg.err != nil {
			w.progressErr = "Progress could not be saved (" + errText(msg.err) + "): if the connection drops, some steps may need doing again."
		}
		return w, nil
	case stepBackMsg:
		if w.current > stepWelcome {
			return w, w.move(w.current - 1)
		}
		return w, nil
	case finishMsg:
		w.finished = true
		return w, tea.Quit
	case spinner.TickMsg:
		// The spinner stops when the screen is no longer busy: no ticks,
		// no redraws, while the user reads.
		var cmd tea.Cmd
		if w.screen().Busy() {
			w.common.Spinner, cmd = w.common.Spinner.Update(msg)
		}
		return w, tea.Batch(cmd, w.forward(msg))
	}
	return w, w.forward(msg)
}

// page is one screen of the wizard and the step it belongs to; a step can
// have more than one page (rotating the keys, then putting them in place).
type page struct {
	step int
	s    screen
}

// whyer is a page that says its own "why" instead of its step's.
type whyer interface{ Why() string }

// pageDoneMsg ends a page within a step; lines go to the report.
type pageDoneMsg struct {
	name  string
	lines []support.Line
}

func (w *Wizard) screen() screen { return w.pages[w.current].s }

// forward hands msg to the active screen.
func (w *Wizard) forward(msg tea.Msg) tea.Cmd {
	s, cmd := w.screen().Update(msg)
	w.pages[w.current].s = s
	return cmd
}

// move switches to step i; past the last step the wizard ends.
func (w *Wizard) move(i int) tea.Cmd {
	if i >= len(w.pages) {
		return func() tea.Msg { return finishMsg{} }
	}
	leave := w.forward(leaveMsg{})
	w.current = i
	return tea.Batch(leave, w.forward(w.bodySize()), w.screen().Init())
}

func (w *Wizard) answerQuit(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, w.common.Keys.Yes), key.Matches(msg, w.common.Keys.Quit):
		return tea.Quit
	case key.Matches(msg, w.common.Keys.No), key.Matches(msg, w.common.Keys.Back):
		w.confirmQuit = false
	}
	return nil
}

func (w *Wizard) resize(width, height int) {
	w.width, w.height = width, height
	bw, bh := w.bodyDims()
	w.common.Width, w.common.Height = bw, bh
}

// bodyDims is the area left to a screen: the app's side padding, the
// title and why lines above, the help line below.
func (w *Wizard) bodyDims() (int, int) {
	return max(0, w.width-2), max(0, w.height-3)
}

func (w *Wizard) bodySize() tea.WindowSizeMsg {
	bw, bh := w.bodyDims()
	return tea.WindowSizeMsg{Width: bw, Height: bh}
}

func (w *Wizard) tooSmall() bool { return w.width < minWidth || w.height < minHeight }

// View implements tea.Model.
func (w *Wizard) View() tea.View {
	v := tea.NewView(w.render())
	v.AltScreen = true
	v.WindowTitle = "mjrecover"
	return v
}

func (w *Wizard) render() string {
	st := w.common.Styles
	if w.timedOut {
		return ""
	}
	if w.tooSmall() {
		msg := fmt.Sprintf("This window is %d×%d.\nPlease enlarge it to at least %d×%d.\n\nctrl+c quits.",
			w.width, w.height, minWidth, minHeight)
		return lipgloss.NewStyle().MaxWidth(w.width).MaxHeight(w.height).Render(msg)
	}
	bw, bh := w.bodyDims()
	step := w.pages[w.current].step
	info := stepInfos()[step]
	if wy, ok := w.screen().(whyer); ok {
		info.Why = wy.Why()
	}

	title := "mjrecover · Recover your Mailjet account"
	if step != stepWelcome {
		title = fmt.Sprintf("Step %d of %d · %s", step, stepTotal, info.Name)
	}
	header := st.Title.Render(title)
	var badges []string
	if w.common.Session.Presenting {
		badges = append(badges, st.Badge.Render("presenting: secrets hidden"))
	}
	if w.common.Session.Demo {
		badges = append(badges, st.Badge.Render("demo"))
	}
	if len(badges) > 0 {
		badge := strings.Join(badges, " ")
		if gap := bw - lipgloss.Width(header) - lipgloss.Width(badge); gap > 0 {
			header += strings.Repeat(" ", gap) + badge
		}
	}
	why := st.Why.Render(truncate(info.Why, bw))
	if w.progressErr != "" {
		why = st.Warning.Render(truncate(w.progressErr, bw))
	}
	if w.idleWarning > 0 {
		why = st.Error.Render(truncate(fmt.Sprintf("No key pressed for a while: this session ends in %s. Press any key to stay.",
			w.idleWarning.Round(time.Second)), bw))
	}

	var body string
	if w.confirmQuit {
		body = w.quitPrompt(bw)
	} else {
		body = w.screen().View()
	}
	body = fitBlock(body, bw, bh)

	bindings := w.screen().ShortHelp()
	if w.confirmQuit {
		bindings = []key.Binding{w.common.Keys.Yes, w.common.Keys.No}
	}
	helpLine := w.helpLine(bindings, bw)

	page := lipgloss.JoinVertical(lipgloss.Left, header, why, body, helpLine)
	return st.App.Render(page)
}

// helpLine lists the screen's keys and the quit key; when they do not fit
// the width, the screen's last (least needed) keys give way, rather than
// the help cutting off the quit key.
func (w *Wizard) helpLine(bindings []key.Binding, width int) string {
	for {
		line := w.help.ShortHelpView(append(bindings[:len(bindings):len(bindings)], w.common.Keys.Quit))
		if lipgloss.Width(line) <= width || len(bindings) <= 1 {
			return line
		}
		bindings = bindings[:len(bindings)-1]
	}
}

func (w *Wizard) quitPrompt(width int) string {
	st := w.common.Styles
	text := "Quit mjrecover now?\n\nWhat you finished stays done at Mailjet"
	if w.common.Session.Progress != nil {
		text += ", and the wizard remembers it: run it again to go on from here."
	} else {
		text += ", but the wizard keeps no progress here: you would start again from the beginning."
	}
	text += "\n\ny: quit    n: stay"
	box := st.Confirm.Width(min(width, 60)).Render(text)
	return "\n" + box
}
