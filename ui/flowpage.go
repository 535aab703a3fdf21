package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/mjrecover/mjrecover/steps/flow"
)

// flowPage is the recovery as a page: it draws the flow model's Screen,
// turns keys into the screen's actions, and runs the model's work as
// commands whose results go back to the model. It holds no part of the
// recovery itself; only what is the screen's business (the text fields'
// cursors, the list's scroll, the QR code's drawing).
type flowPage struct {
	c      *common
	f      *flow.Flow
	screen flow.Screen

	inputs map[string]*input // by field id
	focus  string

	width, height int
	offset        int // the list's first row on screen
	// What does not fit scrolls: the first line shown, the last line it
	// can start at, and what was last brought into view (View sets them).
	scroll, maxScroll int
	anchorKey         string
	seenBlocks        int    // how many blocks the screen had when last drawn
	screenKey         string // which screen the scroll belongs to
	qr                qrCache
	invert            bool // the QR code drawn the other way (light themes)
}

// input is a text field and the model's revision of its value it shows.
type input struct {
	TextField
	rev int
}

// flowMsg carries the model's message through Bubble Tea.
type flowMsg struct{ msg flow.Msg }

func newFlowPage(c *common, cfg Config) *flowPage {
	p := &flowPage{c: c, f: flow.New(cfg.Config), inputs: map[string]*input{}, width: 78, height: 21}
	p.refresh()
	return p
}

func (p *flowPage) Init() tea.Cmd { return p.run(p.f.Start()) }

// run turns the model's work into commands.
func (p *flowPage) run(cmds []flow.Cmd) tea.Cmd {
	p.refresh()
	if len(cmds) == 0 {
		return nil
	}
	ctx := p.c.ctx
	out := make([]tea.Cmd, 0, len(cmds))
	for _, c := range cmds {
		out = append(out, func() tea.Msg {
			if m := c(ctx); m != nil {
				return flowMsg{m}
			}
			return nil
		})
	}
	return tea.Batch(out...)
}

// refresh takes the model's screen and brings the text fields in line.
func (p *flowPage) refresh() {
	p.screen = p.f.Screen()
	// Another screen starts at its top.
	if k := screenKey(p.screen); k != p.screenKey {
		p.screenKey, p.scroll, p.anchorKey, p.seenBlocks = k, 0, "", 0
	}
	for _, fd := range p.screen.Fields {
		in, ok := p.inputs[fd.ID]
		if !ok {
			in = &input{TextField: p.newField(fd), rev: -1}
			p.inputs[fd.ID] = in
		}
		if in.rev != fd.Rev {
			in.rev = fd.Rev
			if fd.Secret {
				in.Clear()
			} else {
				in.SetValue(fd.Value)
			}
		}
	}
	if p.screen.Focus != p.focus {
		p.setFocus(p.screen.Focus)
	}
}

// screenKey tells screens apart: the stage, and the first words of the
// screen, which change with its state.
func screenKey(sc flow.Screen) string {
	k := fmt.Sprint(sc.Step, sc.Name)
	for _, b := range sc.Blocks {
		if b.Kind == flow.TextBlock || b.Kind == flow.BoxBlock {
			return k + "|" + b.Text
		}
	}
	return k
}

func (p *flowPage) newField(fd flow.Field) field {
	f := newField(fd.Label, fd.Placeholder, fd.Limit)
	if fd.Secret {
		f = newSecretField(fd.Label, fd.Placeholder, fd.Limit, p.c.lang.T("(shown)"))
	}
	f.SetWidth(p.fieldWidth(fd))
	return f
}

func (p *flowPage) fieldWidth(fd flow.Field) int {
	if fd.Width > 0 {
		return min(p.width, fd.Width)
	}
	return p.width
}

func (p *flowPage) setFocus(id string) tea.Cmd {
	p.focus = id
	var cmd tea.Cmd
	for fid, in := range p.inputs {
		if fid == id {
			cmd = in.Focus()
		} else {
			in.Blur()
		}
	}
	return cmd
}

// typing reports that a text field has the keyboard: printable keys go to
// it. A question (y / n) takes the keys instead.
func (p *flowPage) typing() (*input, flow.Field, bool) {
	if p.focus == "" || p.has(flow.Yes) || p.screen.Busy {
		return nil, flow.Field{}, false
	}
	for _, fd := range p.screen.Fields {
		if fd.ID == p.focus {
			return p.inputs[fd.ID], fd, true
		}
	}
	return nil, flow.Field{}, false
}

// Typing reports that a text field takes printable keys.
func (p *flowPage) Typing() bool {
	_, fd, typing := p.typing()
	return typing && !fd.Digits // a digits field leaves "?" free
}

func (p *flowPage) has(a flow.ActionID) bool {
	for _, x := range p.screen.Actions {
		if x.ID == a {
			return true
		}
	}
	return false
}

func (p *flowPage) SetSize(width, height int) {
	p.width, p.height = width, height
	for _, fd := range p.screen.Fields {
		if in, ok := p.inputs[fd.ID]; ok {
			in.SetWidth(p.fieldWidth(fd))
		}
	}
}

func (p *flowPage) Busy() bool {
	if p.screen.Busy {
		return true
	}
	for _, b := range p.screen.Blocks {
		if b.Kind == flow.WorkingBlock {
			return true
		}
	}
	return false
}

func (p *flowPage) Leaving() string { return p.f.Leaving() }

// Glossary is what the words of the screen mean (the full key help lists
// them).
func (p *flowPage) Glossary() []flow.Term { return flow.Glossary(p.screen, p.f.Lang()) }

func (p *flowPage) Header() Header {
	sc := p.screen
	lp := p.c.lang
	title := lp.T("mjrecover · Recover your Mailjet account")
	if sc.Step > 0 {
		title = lp.T("Step %d of %d · %s", sc.Step, flow.StepCount, sc.Name)
	}
	return Header{Title: title, Why: sc.Why, Alert: sc.Alert}
}

func (p *flowPage) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case flowMsg:
		return p, p.run(p.f.Update(msg.msg))
	case spinner.TickMsg:
		p.refresh() // what the screen says moves with time (a scan's elapsed time)
	case tea.KeyPressMsg:
		return p, p.key(msg)
	case tea.PasteMsg:
		if in, _, ok := p.typing(); ok {
			return p, p.typed(in, msg)
		}
	}
	return p, nil
}

func (p *flowPage) key(msg tea.KeyPressMsg) tea.Cmd {
	k := p.c.keys
	in, fd, typing := p.typing()
	switch {
	case typing && key.Matches(msg, k.Next, k.Prev):
		return p.cycleFocus(key.Matches(msg, k.Prev))
	case typing && key.Matches(msg, k.Clear):
		in.Clear()
		return p.run(p.f.Edit(p.focus, ""))
	case key.Matches(msg, k.Up) && p.selectable() && !typing:
		return p.move(-1)
	case key.Matches(msg, k.Down) && p.selectable() && !typing:
		return p.move(1)
	case key.Matches(msg, k.PageDown) && p.maxScroll > 0:
		p.scroll = min(p.maxScroll, p.scroll+max(1, p.height/2))
		return nil
	case key.Matches(msg, k.PageUp) && p.maxScroll > 0:
		p.scroll = max(0, p.scroll-max(1, p.height/2))
		return nil
	case key.Matches(msg, k.Invert) && p.hasQR() && (!typing || fd.Digits):
		p.invert = !p.invert
		return nil
	}
	for _, a := range p.screen.Actions {
		if b, ok := k.forAction(a.ID, typing); ok && key.Matches(msg, b) {
			return p.run(p.f.Do(a.ID))
		}
	}
	if !typing {
		return nil
	}
	// A digits-only field leaves letters free for keys.
	if t := msg.Text; fd.Digits && t != "" && strings.Trim(t, "0123456789 ") != "" {
		return nil
	}
	return p.typed(in, msg)
}

// typed hands a key or a paste to the focused field and tells the model
// what the field holds now.
func (p *flowPage) typed(in *input, msg tea.Msg) tea.Cmd {
	before := in.input.Value()
	var cmd tea.Cmd
	in.TextField, cmd = in.TextField.Update(msg)
	if in.input.Value() == before {
		return cmd
	}
	return tea.Batch(cmd, p.run(p.f.Edit(p.focus, in.input.Value())))
}

func (p *flowPage) cycleFocus(back bool) tea.Cmd {
	fields := p.screen.Fields
	for i, fd := range fields {
		if fd.ID != p.focus {
			continue
		}
		j := (i + 1) % len(fields)
		if back {
			j = (i - 1 + len(fields)) % len(fields)
		}
		next := fields[j].ID
		cmd := p.setFocus(next)
		// The model hears where the cursor is (its Enter moves on from there).
		return tea.Batch(cmd, p.run(p.f.Edit(next, p.inputs[next].input.Value())))
	}
	return nil
}

// list is the screen's list to choose from, if any.
func (p *flowPage) list() *flow.List {
	for _, b := range p.screen.Blocks {
		if b.Kind == flow.ListBlock && b.List.Selected >= 0 {
			return b.List
		}
	}
	return nil
}

func (p *flowPage) selectable() bool { return p.list() != nil }

// move chooses the next row that is not a heading.
func (p *flowPage) move(delta int) tea.Cmd {
	l := p.list()
	for i := l.Selected + delta; i >= 0 && i < len(l.Items); i += delta {
		if !l.Items[i].Heading {
			p.f.Select(i)
			p.refresh()
			return nil
		}
	}
	return nil
}

func (p *flowPage) hasQR() bool {
	for _, b := range p.screen.Blocks {
		if b.Kind == flow.QRBlock {
			return true
		}
	}
	return false
}

// ShortHelp is the screen's actions, the default (Enter) first, then the
// keys of the screen's parts: the list, the fields, the QR code.
func (p *flowPage) ShortHelp() []key.Binding {
	if p.screen.Busy {
		for _, a := range p.screen.Actions {
			if a.ID == flow.Back { // a scan can be stopped
				return []key.Binding{withHelp(p.c.keys.Back, a.Label)}
			}
		}
		return nil
	}
	k := p.c.keys
	_, _, typing := p.typing()
	var out, rest []key.Binding
	for _, a := range p.screen.Actions {
		b, ok := k.forAction(a.ID, typing)
		if !ok {
			continue
		}
		b = withHelp(b, a.Label)
		if a.ID == flow.Continue {
			out = append(out, b)
		} else {
			rest = append(rest, b)
		}
	}
	if typing && len(p.screen.Fields) > 1 {
		out = append(out, k.Next)
	}
	out = append(out, rest...)
	if p.selectable() {
		out = append(out, k.Up)
	}
	if typing {
		out = append(out, k.Clear)
	}
	if p.hasQR() {
		out = append(out, k.Invert)
	}
	return out
}

// FullHelp is every key of the screen; the scroll keys are also named on
// the line that says there is more, so the short help leaves them out.
func (p *flowPage) FullHelp() [][]key.Binding {
	all := p.ShortHelp()
	if p.maxScroll > 0 {
		all = append(all, p.c.keys.PageDown, p.c.keys.PageUp)
	}
	return [][]key.Binding{all}
}
