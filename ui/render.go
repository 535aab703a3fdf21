package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mjrecover/mjrecover/steps/flow"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// View draws the screen's blocks top to bottom in the page's size. When
// they do not fit, the list (the screen's longest part) shows a window
// that keeps the chosen row in view.
func (p *flowPage) View() string {
	w, h := p.width, p.height
	blocks := p.screen.Blocks
	if len(blocks) > 0 && blocks[0].Kind == flow.QRBlock {
		return p.qrLayout(blocks[0], blocks[1:], w, h)
	}
	return p.stack(blocks, w, h)
}

// stack draws blocks one under the other; a blank line separates them
// unless a block is Tight.
func (p *flowPage) stack(blocks []flow.Block, w, h int) string {
	parts := make([]string, len(blocks))
	listAt := -1
	for i, b := range blocks {
		// Only a list to choose from scrolls; a checklist is shown whole.
		if b.Kind == flow.ListBlock && listAt < 0 && len(b.List.Items) > 0 && b.List.Selected >= 0 {
			listAt = i
			continue
		}
		parts[i] = p.block(b, w)
	}
	if listAt >= 0 {
		// The list gets what the rest leaves.
		used := 1
		for i, part := range parts {
			if i != listAt {
				used += lines(part)
			}
			if i > 0 && !blocks[i].Tight {
				used++
			}
		}
		parts[listAt] = p.listView(blocks[listAt].List, w, max(3, h-used))
	}
	var all []string
	start := make([]int, len(parts)) // each block's first line
	for i, part := range parts {
		if !blocks[i].Tight || i == 0 {
			all = append(all, "")
		}
		start[i] = len(all)
		all = append(all, strings.Split(part, "\n")...)
	}
	if len(all) <= h {
		p.scroll, p.maxScroll, p.seenBlocks = 0, 0, len(blocks)
		return strings.Join(all, "\n")
	}
	return p.scrolled(all, blocks, parts, start, h)
}

// scrolled shows what does not fit through a window the user moves with
// PgUp/PgDn. The screen's question (its first Ask block and what follows)
// stays below the window, so it is never what scrolls away; the focused
// field or the chosen row is brought into view when it changes.
func (p *flowPage) scrolled(all []string, blocks []flow.Block, parts []string, start []int, h int) string {
	body, tail := all, []string(nil)
	for i, b := range blocks {
		if b.Ask {
			body, tail = all[:start[i]], all[start[i]:]
			break
		}
	}
	room := h - len(tail) - 1 // a line says there is more
	if room < 3 {
		// The question alone is too tall: everything scrolls.
		body, tail, room = all, nil, h-1
	}
	if room < 1 {
		return strings.Join(all[:max(0, h)], "\n")
	}
	p.maxScroll = max(0, len(body)-room)
	key, from, to := p.anchor(blocks, parts, start)
	inBody := to > from && to <= len(body)
	grew := p.seenBlocks > 0 && len(blocks) > p.seenBlocks
	if grew {
		// Something was added (an answer to a key, a warning): it is
		// at the end, so show the end, the focused field still in view.
		p.scroll = p.maxScroll
		if inBody && from < p.scroll {
			p.scroll = from
		}
	}
	if key != p.anchorKey && inBody {
		if from < p.scroll {
			p.scroll = from
		}
		if to > p.scroll+room {
			p.scroll = to - room
		}
	}
	p.anchorKey, p.seenBlocks = key, len(blocks)
	p.scroll = max(0, min(p.scroll, p.maxScroll))
	view := append([]string{}, body[p.scroll:min(len(body), p.scroll+room)]...)
	for len(view) < room {
		view = append(view, "")
	}
	view = append(view, p.c.styles.Muted.Render(scrollSign(p.c.lang, p.scroll > 0, p.scroll < p.maxScroll)))
	return strings.Join(append(view, tail...), "\n")
}

// anchor is what must be in view: the focused field, else the chosen row
// of a list, as lines [from, to) of the screen, and a key that changes
// when it does.
func (p *flowPage) anchor(blocks []flow.Block, parts []string, start []int) (key string, from, to int) {
	for i, b := range blocks {
		switch {
		case b.Kind == flow.InputBlock && b.Field == p.focus && p.focus != "":
			return "field " + b.Field, start[i], start[i] + lines(parts[i])
		case b.Kind == flow.ListBlock && b.List.Selected >= 0 && p.focus == "":
			return fmt.Sprintf("row %d", b.List.Selected), start[i], start[i] + lines(parts[i])
		}
	}
	return "", 0, 0
}

func scrollSign(p *lang.Printer, above, below bool) string {
	switch {
	case above && below:
		return p.T("↑↓ more above and below: PgUp / PgDn")
	case below:
		return p.T("↓ more below: PgDn")
	case above:
		return p.T("↑ more above: PgUp")
	}
	return ""
}

func lines(s string) int { return strings.Count(s, "\n") + 1 }

// block draws one block w cells wide.
func (p *flowPage) block(b flow.Block, w int) string {
	st := p.c.styles
	switch b.Kind {
	case flow.TextBlock:
		return p.tone(b.Tone).Render(wrap(b.Text, w))
	case flow.BoxBlock:
		return st.Confirm.Width(min(w, 78)).Render(b.Text)
	case flow.WorkingBlock:
		return p.c.spinner.View() + " " + wrap(b.Text, w-2)
	case flow.TableBlock:
		return p.table(b.Table, w)
	case flow.ListBlock:
		return p.listView(b.List, w, len(b.List.Items))
	case flow.PairsBlock:
		return p.pairs(b.Pairs, w)
	case flow.InputBlock:
		in, ok := p.inputs[b.Field]
		if !ok {
			return ""
		}
		shown := false
		for _, fd := range p.screen.Fields {
			if fd.ID == b.Field {
				shown = fd.Shown
			}
		}
		return in.View(st, shown)
	case flow.DiffBlock:
		var out []string
		for _, l := range b.Diff {
			// A long line of the file wraps: the part past the edge is
			// often the value that changes.
			for _, line := range strings.Split(ansi.Wrap(l.Text, w, ""), "\n") {
				switch l.Op {
				case '-':
					line = st.Error.Render(line)
				case '+':
					line = st.Success.Render(line)
				}
				out = append(out, line)
			}
		}
		return strings.Join(out, "\n")
	case flow.MeterBlock:
		return wrap(p.meter(b.Meter), w)
	case flow.QRBlock:
		return "" // drawn by qrLayout
	}
	return wrap(b.Text, w)
}

func (p *flowPage) tone(t flow.Tone) lipgloss.Style {
	st := p.c.styles
	switch t {
	case flow.Title:
		return st.Title
	case flow.Muted:
		return st.Muted
	case flow.Warn:
		return st.Warning
	case flow.Bad:
		return st.Error
	case flow.Good:
		return st.Success
	case flow.Strong:
		return st.Label
	}
	return st.Text
}

// table aligns columns; on a narrow screen the widest columns share the
// room and their cells wrap: a row grows taller, nothing is cut.
func (p *flowPage) table(t *flow.Table, w int) string {
	natural := make([]int, len(t.Header))
	measure := func(row []string) {
		for i, c := range row {
			if i < len(natural) {
				natural[i] = max(natural[i], ansi.StringWidth(c))
			}
		}
	}
	measure(t.Header)
	for _, r := range t.Rows {
		measure(r)
	}
	widths := columnWidths(natural, w, 8)
	var lines []string
	for _, l := range gridRow(t.Header, widths) {
		lines = append(lines, p.c.styles.Muted.Render(l))
	}
	for i, r := range t.Rows {
		for _, l := range gridRow(r, widths) {
			if i < len(t.Tones) {
				l = p.tone(t.Tones[i]).Render(l)
			}
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// listView draws l in at most rows lines, keeping the chosen item (and
// the heading just above it) in view. Items wrap: a long path or
// description takes more lines, never a "…".
func (p *flowPage) listView(l *flow.List, w, rows int) string {
	st := p.c.styles
	markW := 0
	for _, it := range l.Items {
		if !it.Heading {
			markW = max(markW, ansi.StringWidth(it.Mark))
		}
	}
	// Columns but the last are as wide as their widest cell, up to half
	// the line and leaving 42 cells when there are, so the last (what it
	// is) has room.
	var natural []int
	for _, it := range l.Items {
		if it.Heading {
			continue
		}
		for i, c := range it.Cols {
			for len(natural) <= i {
				natural = append(natural, 0)
			}
			natural[i] = max(natural[i], ansi.StringWidth(c))
		}
	}
	room := w
	if markW > 0 {
		room -= markW + 1
	}
	for i := range natural {
		if i < len(natural)-1 {
			natural[i] = min(natural[i], max(8, min(room/2, max(room-42, room*2/5))))
		}
	}
	widths := columnWidths(natural, room, 8)

	var out []string
	selFrom, selTo := -1, -1
	for i, it := range l.Items {
		if it.Heading {
			for _, line := range strings.Split(wrap(strings.Join(it.Cols, " "), w), "\n") {
				out = append(out, p.tone(it.Tone).Render(line))
			}
			continue
		}
		itemLines := gridRow(it.Cols, widths)
		from := len(out)
		if i == l.Selected && i > 0 && l.Items[i-1].Heading {
			from-- // the heading belongs with its first item
		}
		for k, line := range itemLines {
			if markW > 0 {
				mark := strings.Repeat(" ", markW)
				if k == 0 {
					mark = p.tone(it.MarkTone).Render(pad(it.Mark, markW))
				}
				line = mark + " " + line
			}
			switch {
			case i == l.Selected:
				line = st.Selected.Render(ansi.Strip(line))
			case it.Tone != flow.Plain:
				line = p.tone(it.Tone).Render(line)
			}
			out = append(out, line)
		}
		if i == l.Selected {
			selFrom, selTo = max(0, from), len(out)
		}
	}
	if selFrom < 0 || len(out) <= rows {
		p.offset = 0 // a checklist, or it all fits: shown whole
		return strings.Join(out, "\n")
	}
	if selFrom < p.offset {
		p.offset = selFrom
	}
	if selTo > p.offset+rows {
		p.offset = selTo - rows
	}
	p.offset = max(0, min(p.offset, len(out)-rows))
	return strings.Join(out[p.offset:p.offset+rows], "\n")
}

// pairs draws "label  value" lines, labels aligned; a secret shows masked
// unless the model says it is shown.
func (p *flowPage) pairs(ps []flow.Pair, w int) string {
	st := p.c.styles
	lw := 0
	for _, x := range ps {
		lw = max(lw, ansi.StringWidth(x.Label))
	}
	var out []string
	for _, x := range ps {
		v, style := x.Value, st.Text
		if !x.Secret.IsZero() {
			style = st.Secret
			switch {
			case x.Shown:
				v = x.Secret.Reveal()
			case x.Mask != "":
				v = x.Mask
			default:
				v = x.Secret.Hint()
			}
		}
		if 2+lw+1+ansi.StringWidth(v) <= w {
			out = append(out, "  "+st.Label.Render(pad(x.Label, lw))+" "+style.Render(v))
			continue
		}
		// Too wide for one line: the value goes under its label, wrapped.
		out = append(out, "  "+st.Label.Render(x.Label), style.Render(indent(wrap(v, w-4), "    ")))
	}
	return strings.Join(out, "\n")
}

func (p *flowPage) meter(m *flow.Meter) string {
	st := p.c.styles
	const cells = 20
	filled := (m.Score + 1) * cells / 5
	style := st.MeterLow
	if m.Score >= 3 {
		style = st.MeterFull
	}
	bar := style.Render(strings.Repeat("█", filled)) + st.Muted.Render(strings.Repeat("░", cells-filled))
	return p.c.lang.T("Strength: %[1]s %[2]s · %[3]s", bar, m.Label, p.c.lang.T("%d character", m.Chars))
}

// qrLayout puts the QR code beside the other blocks when there is room,
// below them when not, and leaves it out (with a way forward) when the
// window is too small for it.
func (p *flowPage) qrLayout(qr flow.Block, rest []flow.Block, w, h int) string {
	inkIsLight := p.c.darkBackground != p.invert
	uri := qr.URI.Reveal()
	if code, ok := p.qr.fit(uri, w-32, h, inkIsLight); ok {
		tw := w - code.Width() - 2
		text := p.stack(append(rest, flow.Block{Kind: flow.TextBlock, Tone: flow.Muted, Text: qr.Text, Tight: true}), tw, h)
		return lipgloss.JoinHorizontal(lipgloss.Top, code.String(), "  ", lipgloss.NewStyle().MaxWidth(tw).Render(text))
	}
	text := p.stack(rest, w, h)
	if code, ok := p.qr.fit(uri, w, h-lipgloss.Height(text)-1, inkIsLight); ok {
		return text + "\n" + code.String()
	}
	// No room for the code: say so with the rest, which scrolls as any
	// screen does (the question stays in view).
	return p.stack(append(rest, flow.Block{Kind: flow.TextBlock, Tone: flow.Warn, Text: p.c.lang.T(
		"The window is too small for the QR code. Enlarge it, or show the key (ctrl+r) and type it into the app.")}), w, h)
}

// pad fills s with spaces to width cells.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
