package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// truncate cuts s to width cells, ending with "…" when it was longer.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// truncateLeft keeps the end of s (the useful part of a long path).
func truncateLeft(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.TruncateLeft(s, ansi.StringWidth(s)-width+1, "…")
}

// wrap breaks s into lines of at most width cells, at spaces when it can.
func wrap(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Wrap(s, width, "")
}

// fitBlock makes s exactly height lines of at most width cells, so a
// screen can never push the help line off the window or wrap garbage.
func fitBlock(s string, width, height int) string {
	if height <= 0 {
		return ""
	}
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > height {
		lines = lines[:height]
		lines[height-1] = truncate(lines[height-1]+" …", width)
	}
	for i, l := range lines {
		lines[i] = truncate(l, width)
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// scrollWindow returns the first visible index so that selected stays in
// a window of size rows over n items.
func scrollWindow(selected, offset, rows, n int) int {
	if rows <= 0 || n <= rows {
		return 0
	}
	if selected < offset {
		offset = selected
	}
	if selected >= offset+rows {
		offset = selected - rows + 1
	}
	return max(0, min(offset, n-rows))
}
