package lang

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Message is a message with its arguments, kept to be said later, in
// whichever language the reader has: the journal keeps what the recovery
// did this way, and the report says it in English for its JSON and in the
// customer's language for its text. Arguments are text, whole numbers or
// other Messages (said first).
type Message struct {
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
	// Kept: Key is a text kept as it came (from an older journal, from
	// another part of the wizard, a marked message or not), said with
	// Text: translated when it is a marked message, never formatted.
	Kept bool `json:"kept,omitempty"`
}

// Msg makes a Message; key is a constant English format, as for T.
func Msg(key string, args ...any) Message { return Message{Key: key, Args: args} }

// Kept makes a Message of a text that is not a constant in the code (a
// marked message kept in a table or a journal, or text from elsewhere):
// it is said with Text, so it is translated only when it is a marked
// message, and never used as a format.
func Kept(text string) Message { return Message{Key: text, Kept: true} }

// IsZero reports whether m holds no message.
func (m Message) IsZero() bool { return m.Key == "" }

// Say says m in p's language.
func (p *Printer) Say(m Message) string {
	if m.Key == "" {
		return ""
	}
	if m.Kept {
		return p.Text(m.Key)
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		switch a := a.(type) {
		case Message:
			args[i] = p.Say(a)
		case *Message:
			args[i] = p.Say(*a)
		default:
			args[i] = a
		}
	}
	return p.T(m.Key, args...)
}

// String is m in English.
func (m Message) String() string { return (*Printer)(nil).Say(m) }

// MapText returns m with f applied to every text argument, nested
// messages' and kept texts included (to hide a secret, say); the keys of
// formats, which are the code's, are left alone.
func (m Message) MapText(f func(string) string) Message {
	if m.Kept {
		m.Key = f(m.Key)
		return m
	}
	if len(m.Args) == 0 {
		return m
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		switch a := a.(type) {
		case string:
			args[i] = f(a)
		case Message:
			args[i] = a.MapText(f)
		case *Message:
			args[i] = a.MapText(f)
		default:
			args[i] = a
		}
	}
	m.Args = args
	return m
}

// UnmarshalJSON reads arguments back as they were given: whole numbers as
// int64 (so %d and plural forms work), objects as Messages, the rest as
// text.
func (m *Message) UnmarshalJSON(b []byte) error {
	var raw struct {
		Key  string            `json:"key"`
		Args []json.RawMessage `json:"args"`
		Kept bool              `json:"kept"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	m.Key, m.Args, m.Kept = raw.Key, nil, raw.Kept
	for _, a := range raw.Args {
		a = bytes.TrimSpace(a)
		switch {
		case len(a) > 0 && a[0] == '{':
			var inner Message
			if err := json.Unmarshal(a, &inner); err != nil {
				return err
			}
			m.Args = append(m.Args, inner)
		case len(a) > 0 && a[0] == '"':
			var s string
			if err := json.Unmarshal(a, &s); err != nil {
				return err
			}
			m.Args = append(m.Args, s)
		default:
			var n int64
			if err := json.Unmarshal(a, &n); err != nil {
				return fmt.Errorf("message %q: argument %s is not text, a whole number or a message", raw.Key, a)
			}
			m.Args = append(m.Args, n)
		}
	}
	return nil
}
