package secret

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretNeverFormatsClearText(t *testing.T) {
	const clear = "0123456789abcdef0123456789abcdef"
	s := New(clear)
	type holder struct {
		Name   string
		Secret Secret
		hidden Secret // fmt reads unexported fields without their methods
	}
	h := holder{Name: "x", Secret: s, hidden: s}
	outputs := []string{
		fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x %X %d", s, s, s, s, s, s, s, s),
		fmt.Sprintf("%v %+v %#v", h, h, h), fmt.Sprintf("%v %+v %#v", &h, &h, &h), s.String(), s.GoString(),
	}
	js, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	outputs = append(outputs, string(js))
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("msg", "secret", s, "holder", h)
	outputs = append(outputs, b.String())
	for _, out := range outputs {
		if strings.Contains(out, clear) || strings.Contains(out, "abcdef") {
			t.Errorf("clear text leaked in %q", out)
		}
	}
	if s.Reveal() != clear {
		t.Errorf("Reveal = %q", s.Reveal())
	}
}

func TestHintAndLast4(t *testing.T) {
	cases := []struct{ in, last4, hint string }{
		{"", "", ""},
		{"short", "", Mask},
		{"12345678", "", Mask},
		{"123456789", "6789", "****6789"},
		{"0123456789abcdef0123456789abcdef", "cdef", "****cdef"},
	}
	for _, c := range cases {
		s := New(c.in)
		if got := s.Last4(); got != c.last4 {
			t.Errorf("Last4(%q) = %q, want %q", c.in, got, c.last4)
		}
		if got := s.Hint(); got != c.hint {
			t.Errorf("Hint(%q) = %q, want %q", c.in, got, c.hint)
		}
	}
}
