package untrusted

import (
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	cases := map[string]string{
		"plain/path.env":                     "plain/path.env",
		"café/ünïcode.php":                   "café/ünïcode.php",
		"tab\there\nnew\rline\x00nul\x7fdel": "tabherenewlinenuldel",
		"\x1b[31mred\x1b[0m":                 "red",
		"\x1b[38;5;196mcolour":               "colour",
		"\x1b]0;window title\x07after":       "after",
		"\x1b]8;;http://evil\x1b\\link":      "link",
		"\x1bPdevice control\x1b\\x":         "x",
		"\x1b(Bcharset":                      "charset",
		"\x1b7save\x1b8":                     "save",
		"unterminated \x1b]0;title":          "unterminated ",
		"lone esc \x1b":                      "lone esc ",
		"c1 \u009b31m csi":                   "c1  csi",
		"c1 osc \u009d0;title\u009c after":   "c1 osc  after",
		"bad \xff\xfe utf8":                  "bad \ufffd\ufffd utf8",
		"truncated \xe2\x82":                 "truncated \ufffd\ufffd",
		"bidi \u202eexe.txt\u202c \u2066x":   "bidi exe.txt x",
		"":                                   "",
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"a\x1b[31mb", "\x1b]0;t\x07", "\xff", "\u202e", "ok", "\x1b", "\x1b[", "\x1b]\x1b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Clean(in)
		if !utf8.ValidString(out) {
			t.Fatalf("Clean(%q) = %q: invalid UTF-8", in, out)
		}
		for _, r := range out {
			if isControl(r) || isBidiControl(r) {
				t.Fatalf("Clean(%q) = %q: keeps control %U", in, out, r)
			}
		}
		if again := Clean(out); again != out {
			t.Fatalf("not idempotent: %q → %q → %q", in, out, again)
		}
	})
}
