package accesslog

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseLine: no line panics the parser, and nothing it keeps carries
// a control character or invalid UTF-8.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{
		`203.0.113.7 - - [20/Nov/2026:04:14:07 +0000] "GET /.env.bak HTTP/1.1" 200 1043 "-" "python-requests/2.31.0"`,
		`www.example.com:443 2001:db8::1 - - [20/Nov/2026:04:14:07 -0500] "GET /%2e%2e//x?y HTTP/1.1" 404 - "\"" "\\" 0.1 "x"`,
		"1.2.3.4 - - [20/Nov/2026:04:14:07 +0000] \"\x1b[2J\\x1b]0;t\\x07\" 400 0",
		`::1 a b [00/Nov/0000:00:00:00 +9999] "" 999 99999999999999999999999 "`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		e, err := ParseLine(line)
		if err != nil {
			return
		}
		for _, s := range []string{e.Client, e.Method, e.Target, e.Proto, e.Referer, e.UserAgent} {
			if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f }) {
				t.Fatalf("kept %q from %q", s, line)
			}
			if len(s) > maxKept {
				t.Fatalf("kept %d bytes", len(s))
			}
		}
		var a analyzer
		a.normalize([]byte(e.Target))
	})
}
