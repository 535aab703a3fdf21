package plain

import (
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/term"
)

// minColumns is the narrowest the output is wrapped to, whatever the
// terminal says.
const minColumns = 20

// columns is the width to wrap to: COLUMNS when it is set, else the
// terminal's width when out is one, else 80.
func columns(out io.Writer) int {
	if n, err := strconv.Atoi(strings.TrimSpace(os.Getenv("COLUMNS"))); err == nil && n > 0 {
		return max(n, minColumns)
	}
	if sc, ok := out.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			w := 0
			_ = raw.Control(func(fd uintptr) {
				if term.IsTerminal(int(fd)) {
					w, _, _ = term.GetSize(int(fd))
				}
			})
			if w > 0 {
				return max(w, minColumns)
			}
		}
	}
	return 80
}

// wrapText breaks each line of s at spaces so it is at most width cells
// wide. Only spaces break a line: a word, a web address or a key is never
// cut (one wider than width gets a line of its own), and a no-break space
// holds its neighbours together. The spaces inside a line that fits are
// kept as they are, and a line's trailing spaces too (a question's,
// before the answer).
func wrapText(s string, width int) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, wrapLine(l, width)...)
	}
	return strings.Join(out, "\n")
}

func wrapLine(line string, width int) []string {
	if ansi.StringWidth(line) <= width {
		return []string{line}
	}
	var out []string
	var cur strings.Builder
	curW := 0
	for line != "" {
		rest := strings.TrimLeft(line, " ")
		spaces := line[:len(line)-len(rest)]
		end := strings.IndexByte(rest, ' ')
		if end < 0 {
			end = len(rest)
		}
		word := rest[:end]
		line = rest[end:]
		if word == "" {
			// The line's trailing spaces stay, even past the width: a
			// question ends with one, before the answer.
			cur.WriteString(spaces)
			break
		}
		ww := ansi.StringWidth(word)
		if curW > 0 && curW+len(spaces)+ww > width {
			out = append(out, cur.String())
			cur.Reset()
			curW, spaces = 0, ""
		}
		cur.WriteString(spaces)
		cur.WriteString(word)
		curW += len(spaces) + ww
	}
	return append(out, cur.String())
}
