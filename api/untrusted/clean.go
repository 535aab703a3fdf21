// Package untrusted makes text from outside (a scanned file, a file name,
// an HTTP response) safe to show: no control characters, no terminal
// escape sequences, no bidirectional overrides, valid UTF-8. A hostile or
// broken source must not be able to move the cursor, retitle the window,
// recolour the screen or make a name read differently from what it is.
package untrusted

import (
	"strings"
	"unicode/utf8"
)

// Clean makes untrusted text safe to print on a terminal: it removes every C0 control character (tab and
// newline included), DEL, C1 controls, whole ESC sequences (CSI, OSC, DCS
// and the like, so a file name cannot move the cursor or retitle the
// window) and bidirectional overrides (which can make a name read
// differently from what it is); invalid UTF-8 becomes U+FFFD.
func Clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			i += escapeLen(s[i:])
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x9b: // C1 CSI: as ESC [
			i = skipCSIParams(s, i+size)
			continue
		case r >= 0x90 && r <= 0x9f && (r == 0x90 || r == 0x98 || r >= 0x9d): // C1 DCS, SOS, OSC, PM, APC
			i = skipString(s, i+size)
			continue
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case isControl(r) || isBidiControl(r):
			// dropped
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isClean is the fast path: most names need no change.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f)
}

func isBidiControl(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// escapeLen returns the length of the escape sequence at the start of s
// (s[0] is ESC), following ECMA-48: CSI runs to its final byte, string
// commands (OSC, DCS, SOS, PM, APC) to BEL or ST, others are ESC plus
// intermediates and one final byte. An unterminated sequence runs to the
// end of s, so nothing of it is printed.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch c := s[1]; {
	case c == '[':
		j := 2
		for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
			j++
		}
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < len(s) && s[j] >= 0x40 && s[j] <= 0x7e {
			j++
		}
		return j
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		for j := 2; j < len(s); j++ {
			switch {
			case s[j] == 0x07:
				return j + 1
			case s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\':
				return j + 2
			case s[j] == 0xc2 && j+1 < len(s) && s[j+1] == 0x9c: // U+009C, ST
				return j + 2
			}
		}
		return len(s)
	case c >= 0x20 && c <= 0x2f:
		j := 2
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
			j++
		}
		return j
	case c >= 0x30 && c <= 0x7e:
		return 2
	}
	return 1
}

// skipCSIParams skips the parameter and intermediate bytes (0x20-0x3f) and
// the final byte (0x40-0x7e) of a control sequence.
func skipCSIParams(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		case c < 0x20 || c >= 0x7f:
			// A broken sequence: stop before this byte so the rest of the
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
