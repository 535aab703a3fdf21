package untrusted

import (
	"strings"
	"unicode/utf8"
)

// MaxLen is the usual limit for server text in an error message.
const MaxLen = 200

const ellipsis = "…"

// Text is Clean for text that goes into one line (an error message, a
// field shown in a list): white space, newlines included, folds into single
// spaces, and the result is cut to max runes, the cut marked with "…".
func Text(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
	words := strings.Fields(Clean(s))
	var b strings.Builder
	runes := 0
	for i, w := range words {
		if i > 0 {
			if runes+1 >= max {
				return b.String() + ellipsis
			}
			b.WriteByte(' ')
			runes++
		}
		n := utf8.RuneCountInString(w)
		if runes+n > max {
			rs := []rune(w)
			b.WriteString(string(rs[:max-runes]))
			return b.String() + ellipsis
		}
		b.WriteString(w)
		runes += n
	}
	return b.String()
}
