// Package secret holds credentials in a type that cannot be printed,
// logged or serialized by accident.
//
// Every formatting path (fmt verbs, %#v, JSON, slog) yields a mask. The
// clear text is only reachable through Reveal, so each place that shows or
// sends a secret is explicit and easy to audit.
package secret

import (
	"fmt"
	"log/slog"
	"unicode/utf8"
)

// Mask is what every accidental formatting of a Secret prints.
const Mask = "********"

// Secret is an API secret, password, TOTP seed or recovery code.
// The zero value is the empty secret.
//
// The text sits behind a pointer: fmt prints a struct's unexported fields
// by reflection, without calling their methods, so a Secret held in an
// unexported field would otherwise print in clear; a nested pointer prints
// as an address.
type Secret struct {
	p *string
}

// New wraps a clear-text value.
func New(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{p: &s}
}

// Reveal returns the clear text. Call it only to send the secret to its
// backend, to write a file the user asked for, or to show it after the
// user asked to reveal it.
func (s Secret) Reveal() string {
	if s.p == nil {
		return ""
	}
	return *s.p
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.Reveal() == "" }

// Len is the length in characters (runes).
func (s Secret) Len() int { return utf8.RuneCountInString(s.Reveal()) }

// Equal compares two secrets.
func (s Secret) Equal(o Secret) bool { return s.Reveal() == o.Reveal() }

// Last4 returns the last four characters, which identify an API secret
// without disclosing it. Values of eight characters or fewer give nothing
// away: they return "".
func (s Secret) Last4() string {
	r := []rune(s.Reveal())
	if len(r) <= 8 {
		return ""
	}
	return string(r[len(r)-4:])
}

// Hint is the redacted form shown for API secrets: "****abcd".
func (s Secret) Hint() string {
	if s.IsZero() {
		return ""
	}
	if l := s.Last4(); l != "" {
		return "****" + l
	}
	return Mask
}

// String implements fmt.Stringer with the mask.
func (s Secret) String() string { return Mask }

// GoString implements fmt.GoStringer with the mask.
func (s Secret) GoString() string { return "secret.Secret{" + Mask + "}" }

// Format makes every fmt verb print the mask (%x and %q included).
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprint(f, Mask)
}

// MarshalJSON writes the mask: a secret never reaches JSON unless its
// clear text is copied into a string on purpose.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Mask + `"`), nil }

// MarshalText writes the mask, for encoders that use TextMarshaler.
func (s Secret) MarshalText() ([]byte, error) { return []byte(Mask), nil }

// LogValue implements slog.LogValuer with the mask.
func (s Secret) LogValue() slog.Value { return slog.StringValue(Mask) }
