// Package untrusted cleans text that came from a server before it reaches
// an error message or the terminal: a hostile or broken server must not be
// able to move the cursor, recolour the screen or flood the UI.
package untrusted

import (
	"strings"
	"unicode/utf8"
)

// MaxLen is the usual limit for server text in an error message.
const MaxLen = 200

const ellipsis = "…"

// Text removes control characters (C0, DEL, C1), terminal escape sequences
// and bidirectional overrides from s, folds runs of white space into one
// space, and cuts the result to max runes (marking the cut with "…").
// Invalid UTF-8 becomes U+FFFD.
func Text(s string, max int) string {
	var b strings.Builder
	b.Grow(min(len(s), 4*max+len(ellipsis)))
	runes := 0
	pendingSpace := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b:
			i = skipEscape(s, i)
			continue
		case r == 0x9b: // C1 CSI: same as ESC [
			i = skipCSIParams(s, i+size)
			continue
		case r == 0x9d: // C1 OSC: same as ESC ]
			i = skipString(s, i+size)
			continue
		case r == '\t' || r == '\n' || r == '\r' || r == ' ':
			pendingSpace = runes > 0
			i += size
			continue
		case isControl(r) || isBidi(r):
			i += size
			continue
		}
		i += size
		if runes >= max {
			b.WriteString(ellipsis)
			return b.String()
		}
		if pendingSpace {
			if runes+1 >= max {
				b.WriteString(ellipsis)
				return b.String()
			}
			b.WriteByte(' ')
			runes++
			pendingSpace = false
		}
		b.WriteRune(r) // utf8.RuneError for invalid bytes writes U+FFFD
		runes++
	}
	return b.String()
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f)
}

// isBidi reports the explicit direction overrides and isolates, which can
// make text read differently from what it is ("Trojan Source").
func isBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f
}

// skipEscape returns the index just after the escape sequence that starts
// with ESC at s[i].
func skipEscape(s string, i int) int {
	i++ // ESC
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSIParams(s, i+1)
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC: strings ended by BEL or ST
		return skipString(s, i+1)
	default:
		// Two-character sequences (ESC c, ESC 7, …), with any intermediate
		// bytes (0x20-0x2f) before the final one.
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) {
			i++
		}
		return i
	}
}

// skipCSIParams skips the parameter and intermediate bytes (0x20-0x3f)
// and the final byte (0x40-0x7e) of a control sequence.
func skipCSIParams(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		case c < 0x20 || c >= 0x7f:
			// Broken sequence: stop before this byte so the rest of the
			// text is still checked.
			return i
		}
		i++
	}
	return i
}

// skipString skips up to and including BEL, ESC \ or C1 ST.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i + 1
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}
