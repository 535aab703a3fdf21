package ui

import (
	"slices"
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

// columnWidths shares w cells (gaps of one cell included) among columns
// of natural widths: when all fit, each gets its own; otherwise the
// narrow ones keep theirs and the wide ones share the rest equally, down
// to least cells each. Cells then wrap inside their column: nothing is
// cut.
func columnWidths(natural []int, w, least int) []int {
	out := append([]int(nil), natural...)
	room := w - max(0, len(out)-1)
	sum := 0
	for _, n := range out {
		sum += n
	}
	if sum <= room || len(out) == 0 {
		return out
	}
	// Max-min fair shares: narrowest first, a column that fits in an
	// equal share of what is left keeps its width; the rest share.
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return natural[a] - natural[b] })
	left := room
	for k, i := range order {
		share := max(least, left/(len(order)-k))
		if natural[i] <= share {
			left -= natural[i]
			continue
		}
		// This column and every wider one share what is left.
		rest := order[k:]
		for j, i := range rest {
			out[i] = max(least, left/len(rest))
			if j < left%len(rest) && left/len(rest) >= least {
				out[i]++
			}
		}
		break
	}
	return out
}

// wrapCell breaks a cell into lines of at most width cells. A path
// breaks after a "/" (not inside a name), a sentence at spaces; lines
// after the first keep the cell's indent.
func wrapCell(c string, width int) []string {
	body := strings.TrimLeft(c, " ")
	indent := c[:len(c)-len(body)]
	if len(indent) >= width {
		indent = ""
	}
	w := max(1, width-len(indent))
	var lines []string
	if strings.Contains(body, "/") && !strings.Contains(ansi.Strip(body), " ") {
		lines = wrapPath(body, w)
	} else {
		lines = strings.Split(ansi.Wrap(body, w, "/"), "\n")
	}
	for i := range lines {
		lines[i] = indent + lines[i]
	}
	return lines
}

// wrapPath packs a path's parts ("public_html/", "wp-config.php:50")
// into lines; a part longer than a line is broken by cells.
func wrapPath(p string, width int) []string {
	var lines []string
	line := ""
	for _, part := range strings.SplitAfter(p, "/") {
		for ansi.StringWidth(part) > width {
			if line != "" {
				lines, line = append(lines, line), ""
			}
			lines = append(lines, ansi.Cut(part, 0, width))
			part = ansi.Cut(part, width, ansi.StringWidth(part))
		}
		if ansi.StringWidth(line)+ansi.StringWidth(part) > width {
			lines, line = append(lines, line), ""
		}
		line += part
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// gridRow draws cells in columns of widths, each cell wrapped in its own
// column (long paths break after a "/"); the row is as tall as its
// tallest cell. The last cell is not padded.
func gridRow(cells []string, widths []int) []string {
	wrapped := make([][]string, len(cells))
	height := 1
	for i, c := range cells {
		if i >= len(widths) {
			break
		}
		wrapped[i] = wrapCell(c, max(1, widths[i]))
		height = max(height, len(wrapped[i]))
	}
	out := make([]string, height)
	for l := range out {
		var parts []string
		for i := range wrapped {
			if i >= len(widths) {
				break
			}
			cell := ""
			if l < len(wrapped[i]) {
				cell = wrapped[i][l]
			}
			if i < len(cells)-1 && i < len(widths)-1 {
				cell = pad(cell, widths[i])
			}
			parts = append(parts, cell)
		}
		out[l] = strings.TrimRight(strings.Join(parts, " "), " ")
	}
	return out
}
