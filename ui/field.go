package ui

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/mjrecover/mjrecover/api/secret"
)

// TextField is a labelled text input, for every page's fields: the
// recovery's and the kiosk's access code. A secret field is masked until
// the user reveals it, and its value is handed out as a secret.Secret.
type TextField struct {
	label    string
	input    textinput.Model
	isSecret bool
	shown    string // what a secret field says next to its label when shown
}

// field is the wizard's own name for it.
type field = TextField

// NewTextField makes a field that takes at most limit characters.
func NewTextField(label, placeholder string, limit int) TextField {
	in := textinput.New()
	in.Prompt = "› "
	in.Placeholder = placeholder
	in.CharLimit = limit
	// A steady cursor: a blinking one would redraw the screen forever.
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	// Ctrl+V would read the clipboard by running xclip or xsel on the
	// machine the wizard runs on (support's, in a kiosk): pasting works
	// through the terminal's own paste instead.
	in.KeyMap.Paste.SetEnabled(false)
	return TextField{label: label, input: in}
}

func newField(label, placeholder string, limit int) field {
	return NewTextField(label, placeholder, limit)
}

// newSecretField makes a masked field; shownNote says it is shown
// ("(shown)", in the customer's language).
func newSecretField(label, placeholder string, limit int, shownNote string) field {
	f := newField(label, placeholder, limit)
	f.isSecret, f.shown = true, shownNote
	f.input.EchoMode = textinput.EchoPassword
	f.input.EchoCharacter = '•'
	return f
}

func (f *TextField) Focus() tea.Cmd { return f.input.Focus() }
func (f *TextField) Blur()          { f.input.Blur() }
func (f *TextField) Focused() bool  { return f.input.Focused() }
func (f *TextField) Clear()         { f.input.Reset() }
func (f *TextField) SetValue(s string) {
	f.input.SetValue(s)
	f.input.CursorEnd()
}
func (f *TextField) SetWidth(w int) { f.input.SetWidth(max(1, w-3)) }

// Text is the value of a field that is not secret.
func (f *TextField) Text() string { return f.input.Value() }

// Secret is the value of a secret field.
func (f *TextField) Secret() secret.Secret { return secret.New(f.input.Value()) }

func (f TextField) Update(msg tea.Msg) (TextField, tea.Cmd) {
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return f, cmd
}

// View draws the field; a secret field shows its text only when shown.
func (f TextField) View(st *Styles, shown bool) string {
	label := st.Label.Render(f.label)
	if f.isSecret && shown {
		f.input.EchoMode = textinput.EchoNormal // on this copy only
		label += "  " + st.Warning.Render(f.shown)
	}
	return label + "\n" + f.input.View()
}
