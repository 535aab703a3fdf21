package ui

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/mjrecover/mjrecover/api/secret"
)

// field is a labelled text input. A secret field is masked until the user
// reveals it, and its value is handed out as a secret.Secret.
type field struct {
	label    string
	input    textinput.Model
	isSecret bool
}

func newField(label, placeholder string, limit int) field {
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
	return field{label: label, input: in}
}

func newSecretField(label, placeholder string, limit int) field {
	f := newField(label, placeholder, limit)
	f.isSecret = true
	f.input.EchoMode = textinput.EchoPassword
	f.input.EchoCharacter = '•'
	return f
}

func (f *field) Focus() tea.Cmd { return f.input.Focus() }
func (f *field) Blur()          { f.input.Blur() }
func (f *field) Focused() bool  { return f.input.Focused() }
func (f *field) Clear()         { f.input.Reset() }
func (f *field) SetValue(s string) {
	f.input.SetValue(s)
	f.input.CursorEnd()
}
func (f *field) SetWidth(w int) { f.input.SetWidth(max(1, w-3)) }

// Text is the value of a field that is not secret.
func (f *field) Text() string { return f.input.Value() }

// Secret is the value of a secret field.
func (f *field) Secret() secret.Secret { return secret.New(f.input.Value()) }

func (f field) Update(msg tea.Msg) (field, tea.Cmd) {
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return f, cmd
}

// View draws the field; a secret field shows its text only when shown.
func (f field) View(st *Styles, shown bool) string {
	label := st.Label.Render(f.label)
	if f.isSecret && shown {
		f.input.EchoMode = textinput.EchoNormal // on this copy only
		label += st.Warning.Render("  (shown)")
	}
	return label + "\n" + f.input.View()
}
