// Package ui holds the wizard's front-ends: the Bubble Tea wizard (this
// package: a frame that routes to pages sharing one exported contract,
// Page), the accessible line mode (ui/plain), the kiosk (ui/kiosk) and the
// command-line tools. None holds its own copy of the recovery: the flow
// model (steps/flow) does, and the pages draw it.
package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/mjrecover/mjrecover/steps/flow"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/wording"
)

// Config is what main (or the kiosk) wires into the wizard: the
// recovery's own configuration, and the frame's.
type Config struct {
	flow.Config

	// IdleWarn and IdleLimit end a session nobody types in: a warning
	// after IdleWarn without a key press, the end after IdleLimit. Only
	// key presses count: a spinner or countdown on screen does not keep
	// the session alive. MaxSession ends it regardless. Zero: no limit.
	IdleWarn, IdleLimit, MaxSession time.Duration

	Context context.Context // cancelled when the program must stop
}

// Minimum window size; below it the wizard asks for a bigger window
// instead of drawing a broken layout.
const (
	minWidth  = 60
	minHeight = 18
)

// Outcome is what the wizard leaves for main to print after exit.
type Outcome struct {
	flow.Outcome
	TimedOut bool   // ended for inactivity or the session's time limit
	IdleOut  bool   // TimedOut because no key was pressed for IdleLimit
	Quit     bool   // the user chose to quit
	Reason   string // why a page ended the session (EndMsg)
}

// common is what every page shares: styles, keys, the spinner, the
// terminal's background.
type common struct {
	styles *Styles
	keys   *KeyMap
	// spinner is the one busy indicator; the frame keeps it turning while
	// the page is Busy.
	spinner spinner.Model
	// darkBackground is the terminal's background as it reported it (dark
	// when it did not answer); the QR code's polarity follows it.
	darkBackground bool
	ctx            context.Context
	lang           *lang.Printer // the customer's language (nil: English)
}

// Wizard is the root model: the frame around one page.
type Wizard struct {
	cfg    Config
	common *common
	page   Page
	flow   *flowPage // the recovery, once it is the page

	width, height int
	spinning      bool // a spinner tick is on its way
	confirmQuit   bool
	fullHelp      bool // every key of the page is listed instead of the page
	// helpScroll is the full key help's first line on screen, helpMax the
	// last it can start at (0: it fits).
	helpScroll, helpMax int
	bodyW, bodyH        int  // the size the page was last given
	ended               bool // the session is over: the screen stays blank
	outcome             Outcome
	help                help.Model

	started, lastKey time.Time
	idleWarning      time.Duration // time left, shown while > 0
}

// Option changes how New builds the wizard.
type Option func(*Wizard)

// WithFirstPage shows p before the recovery; p opens the recovery with
// Open (a kiosk's access-code page).
func WithFirstPage(p Page) Option { return func(w *Wizard) { w.page = p } }

// New builds the wizard for cfg.
func New(cfg Config, opts ...Option) *Wizard {
	if cfg.Context == nil {
		cfg.Context = context.Background()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &common{styles: DefaultStyles(), keys: DefaultKeyMap(cfg.Lang), darkBackground: true, ctx: cfg.Context, lang: cfg.Lang,
		spinner: spinner.New(spinner.WithSpinner(spinner.Dot))}
	w := &Wizard{cfg: cfg, common: c, help: help.New(), width: 80, height: 24}
	w.started = cfg.Now()
	w.lastKey = w.started
	for _, o := range opts {
		o(w)
	}
	if w.page == nil {
		w.flow = newFlowPage(c, cfg)
		w.page = w.flow
	}
	w.resize(w.width, w.height)
	return w
}

// Outcome reports how the wizard ended.
func (w *Wizard) Outcome() Outcome {
	if w.flow != nil {
		w.outcome.Outcome = w.flow.f.Outcome()
	}
	return w.outcome
}

// Flow is the recovery the wizard drives (nil before a first page opened it).
func (w *Wizard) Flow() *flow.Flow {
	if w.flow == nil {
		return nil
	}
	return w.flow.f
}

// Close releases what the recovery holds open (its journal's lock), so
// the next session of the same recovery can go on. Progress stays.
func (w *Wizard) Close() error {
	if w.flow == nil {
		return nil
	}
	return w.flow.f.Close()
}

// clockMsg drives the inactivity and session timers.
type clockMsg time.Time

// clockTick checks the timers every second, or more often for limits so
// short that a second is coarse.
func (w *Wizard) clockTick() tea.Cmd {
	every := time.Second
	for _, d := range []time.Duration{w.cfg.IdleWarn, w.cfg.IdleLimit, w.cfg.MaxSession} {
		if d > 0 {
			every = min(every, max(d/10, 10*time.Millisecond))
		}
	}
	return tea.Tick(every, func(t time.Time) tea.Msg { return clockMsg(t) })
}

func (w *Wizard) timed() bool { return w.cfg.IdleLimit > 0 || w.cfg.MaxSession > 0 }

// Init implements tea.Model.
func (w *Wizard) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, w.page.Init()}
	if w.timed() {
		cmds = append(cmds, w.clockTick())
	}
	return tea.Batch(cmds...)
}

// checkClock ends the session when it sat idle or ran out of time, and
// otherwise keeps the warning up to date.
func (w *Wizard) checkClock(now time.Time) tea.Cmd {
	idle := now.Sub(w.lastKey)
	switch {
	case w.cfg.IdleLimit > 0 && idle >= w.cfg.IdleLimit:
		w.outcome.IdleOut = true
		return w.end(ReasonTimedOut)
	case w.cfg.MaxSession > 0 && now.Sub(w.started) >= w.cfg.MaxSession:
		return w.end(ReasonTimedOut)
	case w.cfg.IdleLimit > 0 && w.cfg.IdleWarn > 0 && idle >= w.cfg.IdleWarn:
		w.idleWarning = w.cfg.IdleLimit - idle
	default:
		w.idleWarning = 0
	}
	return w.clockTick()
}

// end closes a session that timed out (or that its page ended): the screen
// goes blank and the recovery's secrets are dropped, so nothing is left
// for the next person at the keyboard or in memory.
func (w *Wizard) end(reason string) tea.Cmd {
	w.ended = true
	w.outcome.TimedOut = reason == ReasonTimedOut
	w.outcome.Reason = reason
	if w.flow != nil {
		w.flow.f.End()
	}
	return tea.Quit
}

// ReasonTimedOut ends a session that sat idle or ran out of time.
const ReasonTimedOut = "timed out"

// finishedMsg ends the wizard after the last stage.
type finishedMsg struct{}

// Update implements tea.Model.
func (w *Wizard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if w.ended {
		return w, nil // the session is over; its screens are gone
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		w.resize(msg.Width, msg.Height)
		return w, nil
	case tea.BackgroundColorMsg:
		w.common.darkBackground = msg.IsDark()
		return w, nil
	case clockMsg:
		return w, w.checkClock(time.Time(msg))
	case tea.KeyPressMsg:
		w.lastKey = w.cfg.Now()
		w.idleWarning = 0
		if w.confirmQuit {
			return w, w.answerQuit(msg)
		}
		if key.Matches(msg, w.common.keys.Quit) {
			w.confirmQuit, w.fullHelp = true, false
			return w, nil
		}
		if w.tooSmall() {
			return w, nil // keys are not for a screen the user cannot see
		}
		if w.fullHelp {
			if !w.helpKeyScrolls(msg) {
				w.fullHelp = false // any other key closes it, and does nothing else
			}
			return w, nil
		}
		if w.helpKey(msg) {
			w.fullHelp, w.helpScroll = true, 0
			return w, nil
		}
	case tea.PasteMsg:
		w.lastKey = w.cfg.Now()
		if w.confirmQuit || w.tooSmall() {
			return w, nil
		}
	case OpenMsg:
		return w, w.open(msg.Config)
	case EndMsg:
		return w, w.end(msg.Reason)
	case finishedMsg:
		return w, tea.Quit
	case spinner.TickMsg:
		// The spinner stops when the page is no longer busy: no ticks, no
		// redraws, while the user reads.
		if w.page.Busy() {
			var cmd tea.Cmd
			w.common.spinner, cmd = w.common.spinner.Update(msg)
			return w, tea.Batch(cmd, w.forward(msg)) // the page redraws what moves (a scan's time)
		}
		w.spinning = false
		return w, nil
	}
	return w, w.forward(msg)
}

// open replaces the first page with the recovery.
func (w *Wizard) open(cfg Config) tea.Cmd {
	cfg.Context = w.cfg.Context
	if cfg.Now == nil {
		cfg.Now = w.cfg.Now
	}
	w.cfg.Config = cfg.Config
	if cfg.MaxSession > 0 {
		w.cfg.MaxSession = cfg.MaxSession + w.cfg.Now().Sub(w.started)
	}
	w.flow = newFlowPage(w.common, cfg)
	w.page = w.flow
	w.resize(w.width, w.height)
	return w.page.Init()
}

// forward hands msg to the page.
func (w *Wizard) forward(msg tea.Msg) tea.Cmd {
	p, cmd := w.page.Update(msg)
	w.page = p
	if w.page.Busy() && !w.spinning {
		w.spinning = true
		cmd = tea.Batch(cmd, w.common.spinner.Tick)
	}
	if w.flow != nil && w.flow.f.Finished() {
		return tea.Batch(cmd, func() tea.Msg { return finishedMsg{} })
	}
	return cmd
}

// helpKey reports whether msg asks for the full key help: "?" unless a
// text field takes it (a password may hold one), F1 always.
func (w *Wizard) helpKey(msg tea.KeyPressMsg) bool {
	if !key.Matches(msg, w.common.keys.Help) {
		return false
	}
	if t, ok := w.page.(typist); ok && t.Typing() {
		return msg.String() == "f1"
	}
	return true
}

func (w *Wizard) answerQuit(msg tea.KeyPressMsg) tea.Cmd {
	k := w.common.keys
	switch {
	case key.Matches(msg, k.Yes), key.Matches(msg, k.Quit):
		w.outcome.Quit = true
		return tea.Quit
	case key.Matches(msg, k.No), key.Matches(msg, k.Back):
		w.confirmQuit = false
	}
	return nil
}

func (w *Wizard) resize(width, height int) {
	w.width, w.height = width, height
	w.bodyW, w.bodyH = w.bodyDims()
	w.page.SetSize(w.bodyW, w.bodyH)
}

// bodyDims is the area left to a page: the app's side padding, the title
// and the why line (wrapped, at most two lines) above, the help line below.
func (w *Wizard) bodyDims() (int, int) {
	bw := max(0, w.width-2)
	return bw, max(0, w.height-2-len(w.whyLines(bw)))
}

// whyLines is the line under the title, wrapped to width: at most two
// lines, so the page keeps its room.
func (w *Wizard) whyLines(width int) []string {
	why := w.page.Header().Why
	if w.idleWarning > 0 {
		why = w.common.lang.T("No key pressed for a while: this session ends in %s. Press any key to stay.", wording.Duration(w.common.lang, w.idleWarning))
	}
	lines := strings.Split(wrap(why, width), "\n")
	if len(lines) > 2 {
		lines = lines[:2]
		lines[1] = truncate(lines[1]+" …", width)
	}
	return lines
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
	st := w.common.styles
	if w.ended {
		return ""
	}
	if w.tooSmall() {
		msg := w.common.lang.T("This window is %d×%d.\nPlease enlarge it to at least %d×%d.\n\nctrl+c quits.",
			w.width, w.height, minWidth, minHeight)
		return lipgloss.NewStyle().MaxWidth(w.width).MaxHeight(w.height).Render(msg)
	}
	bw, bh := w.bodyDims()
	if bw != w.bodyW || bh != w.bodyH {
		w.page.SetSize(bw, bh) // the why line changed its height
		w.bodyW, w.bodyH = bw, bh
	}
	h := w.page.Header()
	header := st.Title.Render(h.Title)
	var badges []string
	if w.cfg.Presenting {
		badges = append(badges, st.Badge.Render(w.common.lang.T("presenting: secrets hidden")))
	}
	if w.cfg.Demo {
		badges = append(badges, st.Badge.Render(w.common.lang.T("demo")))
	}
	if len(badges) > 0 {
		badge := strings.Join(badges, " ")
		if gap := bw - lipgloss.Width(header) - lipgloss.Width(badge); gap > 0 {
			header += strings.Repeat(" ", gap) + badge
		}
	}
	whyStyle := st.Why
	switch {
	case w.idleWarning > 0:
		whyStyle = st.Error
	case h.Alert:
		whyStyle = st.Warning
	}
	why := whyStyle.Render(strings.Join(w.whyLines(bw), "\n"))

	body, bindings := w.page.View(), w.page.ShortHelp()
	if w.fullHelp {
		body, bindings = w.fullHelpView(bw, bh), nil
	}
	if w.confirmQuit {
		body, bindings = w.quitPrompt(bw), []key.Binding{w.common.keys.Yes, w.common.keys.No}
	}
	body = fitBlock(body, bw, bh)
	page := lipgloss.JoinVertical(lipgloss.Left, header, why, body, w.helpLine(bindings, bw))
	return st.App.Render(page)
}

// helpLine lists the page's keys, the one next key first, and the quit
// key. When they do not fit the width, the last (least needed) keys give
// way to "? more keys", which lists them all.
func (w *Wizard) helpLine(bindings []key.Binding, width int) string {
	k, p := w.common.keys, w.common.lang
	if w.fullHelp {
		if w.helpMax == 0 {
			return w.help.ShortHelpView([]key.Binding{withHelp(k.Help, p.T("close this list")), k.Quit})
		}
		// It scrolls: the keys that move it (any other closes it, the
		// list says).
		var keys []key.Binding
		if w.helpScroll < w.helpMax {
			keys = append(keys, k.PageDown)
		}
		if w.helpScroll > 0 {
			keys = append(keys, k.PageUp)
		}
		return w.help.ShortHelpView(append(keys, k.Quit))
	}
	line := w.help.ShortHelpView(append(bindings[:len(bindings):len(bindings)], k.Quit))
	if lipgloss.Width(line) <= width {
		return line
	}
	more := k.Help
	if t, ok := w.page.(typist); ok && t.Typing() {
		more.SetHelp("f1", p.T("more keys"))
	}
	if len(bindings) < 2 {
		return line // nothing to hide: the next key stays
	}
	for n := len(bindings) - 1; n > 1; n-- {
		if line = w.help.ShortHelpView(append(bindings[:n:n], more, k.Quit)); lipgloss.Width(line) <= width {
			return line
		}
	}
	// A long next key (a translation's): the quit key gives way, it is
	// in the full list; then "more keys".
	for _, keys := range [][]key.Binding{{bindings[0], more, k.Quit}, {bindings[0], more}} {
		if line = w.help.ShortHelpView(keys); lipgloss.Width(line) <= width {
			return line
		}
	}
	return truncate(w.help.ShortHelpView(bindings[:1]), width)
}

// glossed is a page that can explain the words it uses (the recovery).
type glossed interface{ Glossary() []flow.Term }

// helpKeyScrolls reports whether msg moves the full key help instead of
// closing it (it is taller than the window).
func (w *Wizard) helpKeyScrolls(msg tea.KeyPressMsg) bool {
	k := w.common.keys
	switch {
	case w.helpMax == 0:
		return false
	case key.Matches(msg, k.PageDown):
		w.helpScroll += max(1, w.bodyH/2)
	case key.Matches(msg, k.Down):
		w.helpScroll++
	case key.Matches(msg, k.PageUp):
		w.helpScroll -= max(1, w.bodyH/2)
	case key.Matches(msg, k.Up):
		w.helpScroll--
	default:
		return false
	}
	w.helpScroll = max(0, min(w.helpScroll, w.helpMax))
	return true
}

// fullHelpView lists every key of the page, one per line, wrapped, then
// what the words of the screen mean. What does not fit in height scrolls.
func (w *Wizard) fullHelpView(width, height int) string {
	st, p := w.common.styles, w.common.lang
	var b strings.Builder
	b.WriteString("\n" + st.Title.Render(p.T("Keys on this screen")) + "\n\n")
	seen := map[string]bool{}
	for _, col := range append(w.page.FullHelp(), []key.Binding{w.common.keys.Quit}) {
		for _, kb := range col {
			h := kb.Help()
			if h.Key == "" || seen[h.Key+h.Desc] {
				continue
			}
			seen[h.Key+h.Desc] = true
			b.WriteString(wrap(fmt.Sprintf("%-10s %s", h.Key, h.Desc), width) + "\n")
		}
	}
	if g, ok := w.page.(glossed); ok {
		if terms := g.Glossary(); len(terms) > 0 {
			b.WriteString("\n" + st.Title.Render(p.T("What the words mean")) + "\n")
			for _, t := range terms {
				b.WriteString("\n" + wrap(p.T("%s: %s", st.Label.Render(t.Word), t.Meaning), width) + "\n")
			}
		}
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	back := st.Muted.Render(p.T("Press any key to go back."))
	if len(lines)+2 <= height {
		w.helpMax, w.helpScroll = 0, 0
		return strings.Join(lines, "\n") + "\n\n" + back
	}
	// Taller than the window: a window on the list, and a line that says
	// how to see the rest.
	room := max(1, height-3)
	w.helpMax = max(0, len(lines)-room)
	w.helpScroll = max(0, min(w.helpScroll, w.helpMax))
	view := lines[w.helpScroll:min(len(lines), w.helpScroll+room)]
	var sign string
	switch {
	case w.helpScroll > 0 && w.helpScroll < w.helpMax:
		sign = p.T("More above and below: pgup / pgdn.")
	case w.helpScroll < w.helpMax:
		sign = p.T("More below: pgdn.")
	default:
		sign = p.T("More above: pgup.")
	}
	return strings.Join(view, "\n") + "\n\n" + st.Muted.Render(truncate(sign, width)) + "\n" + back
}

func (w *Wizard) quitPrompt(width int) string {
	p := w.common.lang
	text := p.T("Quit mjrecover now?") + "\n\n" + w.page.Leaving() + "\n\n" + p.T("y: quit    n: stay")
	return "\n" + w.common.styles.Confirm.Width(min(width, 70)).Render(text)
}
