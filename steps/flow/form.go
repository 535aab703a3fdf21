package flow

import (
	"slices"
	"strings"

	"github.com/mjrecover/mjrecover/api/secret"
)

// form holds a screen's text fields: what each is and what the user typed.
// A secret field's text is kept as a secret.Secret from the first key.
type form struct {
	fields []Field
	values map[string]secret.Secret
	focus  string
}

func newForm(fields ...Field) form {
	f := form{fields: fields, values: map[string]secret.Secret{}}
	if len(fields) > 0 {
		f.focus = fields[0].ID
	}
	return f
}

func (f *form) field(id string) *Field {
	for i := range f.fields {
		if f.fields[i].ID == id {
			return &f.fields[i]
		}
	}
	return nil
}

// set takes what the user typed; it reports whether id is a field here.
func (f *form) set(id, v string) bool {
	fd := f.field(id)
	if fd == nil {
		return false
	}
	f.values[id] = secret.New(v)
	if !fd.Secret {
		fd.Value = v
	}
	f.focus = id
	return true
}

// put sets a field's text from the model's side.
func (f *form) put(id, v string) {
	if fd := f.field(id); fd != nil {
		f.values[id] = secret.New(v)
		if !fd.Secret {
			fd.Value = v
		}
		fd.Rev++
	}
}

// clear empties a field.
func (f *form) clear(ids ...string) {
	for _, id := range ids {
		f.put(id, "")
	}
}

// text is a field's value, trimmed (for fields that are not secret).
func (f *form) text(id string) string { return strings.TrimSpace(f.values[id].Reveal()) }

// secret is a field's value.
func (f *form) secret(id string) secret.Secret { return f.values[id] }

// focusOn moves the cursor to a field.
func (f *form) focusOn(id string) { f.focus = id }

// view is the fields for a Screen; shown says whether secret ones may be
// shown.
func (f *form) view(shown bool) []Field {
	out := slices.Clone(f.fields)
	for i := range out {
		out[i].Shown = out[i].Secret && shown
	}
	return out
}
