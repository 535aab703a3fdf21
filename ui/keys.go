package ui

import (
	"charm.land/bubbles/v2/key"

	"github.com/mjrecover/mjrecover/steps/flow"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// KeyMap is every key the wizard answers to. Pages pick the bindings
// they use for their help line.
type KeyMap struct {
	Continue  key.Binding
	Next      key.Binding
	Prev      key.Binding
	Back      key.Binding
	Yes       key.Binding
	No        key.Binding
	Clear     key.Binding
	Quit      key.Binding
	Up        key.Binding
	Down      key.Binding
	Details   key.Binding
	Reveal    key.Binding
	RevealTxt key.Binding // reveal while a text field has focus
	Save      key.Binding
	Invert    key.Binding
	Retry     key.Binding
	Skip      key.Binding
	WroteDown key.Binding
	Update    key.Binding
	Move      key.Binding
	Act       key.Binding
	Check     key.Binding
	SignIn    key.Binding
	TestSend  key.Binding
	PageUp    key.Binding
	PageDown  key.Binding
	Help      key.Binding // the full key help ("?"; F1 while typing)
}

// DefaultKeyMap is the wizard's keys, their help in p's language.
func DefaultKeyMap(p *lang.Printer) *KeyMap {
	return &KeyMap{
		Continue:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", p.T("continue"))),
		Next:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", p.T("next field"))),
		Prev:      key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", p.T("previous field"))),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", p.T("back"))),
		Yes:       key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", p.T("yes"))),
		No:        key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n", p.T("no"))),
		Clear:     key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", p.T("clear"))),
		Quit:      key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", p.T("quit"))),
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", p.T("choose"))),
		Down:      key.NewBinding(key.WithKeys("down", "j")),
		Details:   key.NewBinding(key.WithKeys("space", "right"), key.WithHelp("space", p.T("details"))),
		Reveal:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", p.T("show/hide"))),
		RevealTxt: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", p.T("show/hide"))),
		Save:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", p.T("save to a file"))),
		Invert:    key.NewBinding(key.WithKeys("i", "I"), key.WithHelp("i", p.T("invert QR"))),
		Retry:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", p.T("try again"))),
		Skip:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", p.T("skip"))),
		WroteDown: key.NewBinding(key.WithKeys("w"), key.WithHelp("w", p.T("I wrote them down"))),
		Update:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", p.T("update"))),
		Move:      key.NewBinding(key.WithKeys("m"), key.WithHelp("m", p.T("move"))),
		Act:       key.NewBinding(key.WithKeys("x"), key.WithHelp("x", p.T("do it"))),
		Check:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", p.T("check"))),
		SignIn:    key.NewBinding(key.WithKeys("l"), key.WithHelp("l", p.T("sign in again"))),
		TestSend:  key.NewBinding(key.WithKeys("t"), key.WithHelp("t", p.T("send a test email"))),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "shift+up"), key.WithHelp("pgup", p.T("scroll up"))),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "shift+down"), key.WithHelp("pgdn", p.T("scroll down"))),
		Help:      key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?", p.T("more keys"))),
	}
}

// forAction is the key of a recovery action. typing says a text field has
// the keyboard: then an action keeps only keys the field does not take
// (Enter, Esc, Ctrl+R).
func (k *KeyMap) forAction(a flow.ActionID, typing bool) (key.Binding, bool) {
	var b key.Binding
	switch a {
	case flow.Continue:
		b = k.Continue
	case flow.Back:
		b = k.Back
	case flow.Reveal:
		b = k.Reveal
		if typing {
			b = k.RevealTxt
		}
	case flow.Yes:
		b = k.Yes
	case flow.No:
		b = k.No
	case flow.Retry:
		b = k.Retry
	case flow.Skip:
		b = k.Skip
	case flow.Save:
		b = k.Save
	case flow.Update:
		b = k.Update
	case flow.Move:
		b = k.Move
	case flow.Act:
		b = k.Act
	case flow.Check:
		b = k.Check
	case flow.WroteDown:
		b = k.WroteDown
	case flow.Details:
		b = k.Details
	case flow.SignIn:
		b = k.SignIn
	case flow.TestSend:
		b = k.TestSend
	default:
		return b, false
	}
	if typing && a != flow.Continue && a != flow.Back && a != flow.Reveal {
		return b, false
	}
	return b, true
}

// withHelp is b with another description.
func withHelp(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}
