package untrusted

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	cases := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"plain", "Object not found", 200, "Object not found"},
		{"C0 and DEL", "a\x00b\x07c\x7fd", 200, "abcd"},
		{"C1", "a\u0085b\u0090c", 200, "ab"}, // U+0090 starts a device control string
		{"CSI colour", "bad \x1b[31mred\x1b[0m thing", 200, "bad red thing"},
		{"OSC title with BEL", "x\x1b]0;pwned\x07y", 200, "xy"},
		{"OSC hyperlink with ST", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", 200, "click"},
		{"C1 CSI", "a\u009b2Jb", 200, "ab"},
		{"two-char escape", "a\x1bcb", 200, "ab"},
		{"escape at end", "ab\x1b", 200, "ab"},
		{"bidi override", "abc\u202edcba", 200, "abcdcba"},
		{"newlines fold", "  line one\r\n\tline two  ", 200, "line one line two"},
		{"invalid UTF-8", "a\xffb", 200, "a\ufffdb"},
		{"truncated", "abcdefghij", 5, "abcde…"},
		{"exact length", "abcde", 5, "abcde"},
		{"space at the cut", "abcd efgh", 5, "abcd…"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Text(c.in, c.max); got != c.want {
				t.Errorf("Text(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
			}
		})
	}
}

func TestTextLeavesNoControlCharacters(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r < 0xa0; r++ {
		all.WriteRune(r)
	}
	for _, r := range Text(all.String(), 1000) {
		if r < 0x20 || r >= 0x7f && r <= 0x9f {
			t.Fatalf("control character %U survived", r)
		}
	}
}
