package replace

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Diff is the preview of one file's change. Secrets show as ****abcd;
// public keys in full; everything else as it is in the file, with
// control characters removed and long lines cut around the change.
type Diff struct {
	Path  string
	Lines []DiffLine

	lang *lang.Printer // the plan's language, for String's words
}

// DiffLine is one changed line.
type DiffLine struct {
	Line int    // 1-based
	Old  string // redacted
	New  string // redacted
}

// String renders the diff like `diff -u`, one hunk per changed line.
func (d Diff) String() string {
	var b strings.Builder
	path := untrusted.Clean(d.Path)
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", path, d.lang.T("%s (with the new key)", path))
	for _, l := range d.Lines {
		fmt.Fprintf(&b, "%s\n-%s\n+%s\n", d.lang.T("@@ line %s @@", strconv.Itoa(l.Line)), l.Old, l.New)
	}
	return b.String()
}

// Display limits of a diff line, in characters.
const (
	keepBefore  = 40 // of the text before the first change
	keepAfter   = 40 // of the text after the last change
	keepBetween = 60 // between two changes; longer is cut in the middle
)

// makeDiff builds the preview of changes in content.
func makeDiff(p *lang.Printer, path string, content []byte, subs []substitution, changes []change) Diff {
	d := Diff{Path: path, lang: p}
	line, lineStart := 1, 0
	pos := 0 // content before pos is counted
	for i := 0; i < len(changes); {
		// Move to the line holding changes[i].
		for pos < changes[i].start {
			if content[pos] == '\n' {
				line++
				lineStart = pos + 1
			}
			pos++
		}
		lineEnd := len(content)
		if j := bytes.IndexByte(content[lineStart:], '\n'); j >= 0 {
			lineEnd = lineStart + j
		}
		var inLine []change
		for i < len(changes) && changes[i].start < lineEnd {
			inLine = append(inLine, changes[i])
			i++
		}
		d.Lines = append(d.Lines, DiffLine{
			Line: line,
			Old:  renderLine(content[lineStart:lineEnd], lineStart, subs, inLine, false),
			New:  renderLine(content[lineStart:lineEnd], lineStart, subs, inLine, true),
		})
		// The next change may sit on a later line; a change never spans
		// lines (values have no newline), so counting resumes here.
	}
	return d
}

// renderLine shows one line with its changes, before (after=false) or
// after, values redacted.
func renderLine(line []byte, offset int, subs []substitution, changes []change, after bool) string {
	var b strings.Builder
	pos := 0
	for n, c := range changes {
		text := string(line[pos : c.start-offset])
		switch {
		case n == 0:
			text = lastRunes(text, keepBefore)
		default:
			text = middleRunes(text, keepBetween)
		}
		b.WriteString(cleanText(text))
		s := subs[c.sub]
		v := s.old
		if after {
			v = s.new
		}
		b.WriteString(redacted(s.kind, v))
		pos = c.end - offset
	}
	b.WriteString(cleanText(firstRunes(strings.TrimSuffix(string(line[pos:]), "\r"), keepAfter)))
	return redactKnown(b.String(), subs)
}

// redacted is how a value shows in a diff.
func redacted(k valueKind, v secret.Secret) string {
	switch k {
	case kindKey:
		return untrusted.Clean(v.Reveal())
	case kindSecret:
		return v.Hint()
	}
	return secret.Mask
}

// redactKnown masks any secret of subs that the surrounding text happens
// to hold (the same secret twice in a line, the new one already present).
func redactKnown(s string, subs []substitution) string {
	for _, sub := range subs {
		if sub.kind == kindKey {
			continue
		}
		for _, v := range []secret.Secret{sub.old, sub.new} {
			if !v.IsZero() && strings.Contains(s, v.Reveal()) {
				s = strings.ReplaceAll(s, v.Reveal(), redacted(sub.kind, v))
			}
		}
	}
	return s
}

// cleanText makes file text safe to show: tabs become spaces, control
// characters go.
func cleanText(s string) string {
	return untrusted.Clean(strings.ReplaceAll(s, "\t", " "))
}

func lastRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return "…" + string(r[len(r)-n:])
}

func firstRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func middleRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n/2]) + "…" + string(r[len(r)-n/2:])
}
