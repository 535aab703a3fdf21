package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/mjrecover/mjrecover/steps/investigate"
)

// findingsList shows findings grouped by severity, one line each, with a
// selection the user moves to open a finding's details.
type findingsList struct {
	items    []investigate.Finding // sorted by severity
	root     string                // shown paths are relative to it
	selected int
	offset   int
}

// row is a line of the list: a severity heading or a finding.
type row struct {
	heading string
	item    int // index into items; -1 for a heading
}

func (l *findingsList) rows() []row {
	var rows []row
	last := ""
	for i, f := range l.items {
		sev := f.Severity.String()
		if sev != last {
			n := 0
			for _, g := range l.items {
				if g.Severity == f.Severity {
					n++
				}
			}
			rows = append(rows, row{heading: fmt.Sprintf("%s (%d)", strings.ToUpper(sev), n), item: -1})
			last = sev
		}
		rows = append(rows, row{item: i})
	}
	return rows
}

func (l *findingsList) move(delta int) {
	if len(l.items) == 0 {
		return
	}
	l.selected = max(0, min(len(l.items)-1, l.selected+delta))
}

func (l *findingsList) current() (investigate.Finding, bool) {
	if l.selected < 0 || l.selected >= len(l.items) {
		return investigate.Finding{}, false
	}
	return l.items[l.selected], true
}

// displayPath is a finding's path relative to the scanned folder.
func (l *findingsList) displayPath(f investigate.Finding) string {
	p := relPath(l.root, f.Path)
	if f.Line > 0 {
		p = fmt.Sprintf("%s:%d", p, f.Line)
	}
	return clean(p)
}

func (l *findingsList) View(st *Styles, width, height int) string {
	rows := l.rows()
	selRow := 0
	for i, r := range rows {
		if r.item == l.selected {
			selRow = i
		}
	}
	// Keep the heading above the first finding in view when scrolling up.
	l.offset = scrollWindow(selRow, l.offset, height, len(rows))
	if selRow > 0 && rows[selRow-1].item < 0 && l.offset == selRow {
		l.offset--
	}

	// The location column gets its widest path, leaving the description
	// room for a credential's kind, last four characters and owner; a
	// longer description is cut (the details show it whole).
	const descRoom = 42
	locWidth := 0
	for _, f := range l.items {
		locWidth = max(locWidth, ansi.StringWidth(l.displayPath(f)))
	}
	locWidth = min(locWidth, max(16, width-4-descRoom))

	var b strings.Builder
	for i := l.offset; i < len(rows) && i < l.offset+height; i++ {
		r := rows[i]
		if r.item < 0 {
			sev := strings.ToLower(strings.Fields(r.heading)[0])
			b.WriteString(st.Severity[sev].Render(r.heading) + "\n")
			continue
		}
		f := l.items[r.item]
		loc := truncateLeft(l.displayPath(f), locWidth)
		loc += strings.Repeat(" ", max(0, locWidth-ansi.StringWidth(loc)))
		line := truncate(fmt.Sprintf("  %s  %s", loc, describe(f)), width)
		if r.item == l.selected {
			line = st.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// describe is a finding's list text: what it is, the secret's last four
// characters, and whether the key is this account's.
func describe(f investigate.Finding) string {
	// Everything here is about Mailjet; the list can say it shorter.
	desc := strings.TrimPrefix(clean(f.Kind), "Mailjet ")
	if h := f.Secret.Hint(); h != "" {
		desc += " " + h
	}
	if f.Owned {
		desc += " · yours"
	}
	switch f.Verified {
	case investigate.Live:
		desc += " · live"
	case investigate.Refused:
		desc += " · refused"
	}
	return desc
}

// findingDetail is everything about one finding, in plain words.
func findingDetail(st *Styles, f investigate.Finding, width int) string {
	var b strings.Builder
	sev := f.Severity.String()
	b.WriteString("\n" + st.Severity[sev].Render(strings.ToUpper(sev)) + "  " + st.Title.Render(clean(f.Kind)) + "\n\n")
	where := clean(f.Path)
	if f.Line > 0 {
		where = fmt.Sprintf("%s, line %d", where, f.Line)
	}
	b.WriteString(st.Label.Render("Where") + "\n" + indent(wrap(where, width-2), "  ") + "\n")
	if f.APIKey != "" {
		owner := "not one of this account's keys"
		if f.Owned {
			owner = "a key of the account you are recovering"
		}
		b.WriteString(st.Label.Render("API key") + "\n  " + f.APIKey + " (" + owner + ")\n")
	}
	if h := f.Secret.Hint(); h != "" {
		b.WriteString(st.Label.Render("Secret key") + "\n  " + h + st.Muted.Render(" (only its last 4 characters are shown)") + "\n")
	}
	switch f.Verified {
	case investigate.Live:
		b.WriteString(st.Error.Render(wrap("Live: Mailjet accepts this key and secret right now, so whoever has them can send email.", width)) + "\n")
	case investigate.Refused:
		b.WriteString(st.Muted.Render(wrap("Mailjet refuses this key and secret: they no longer work.", width)) + "\n")
	case investigate.CouldNotCheck:
		b.WriteString(st.Muted.Render(wrap("Whether it still works could not be checked: "+clean(f.VerifyNote), width)) + "\n")
	}
	b.WriteString("\n" + wrap(clean(f.Message), width) + "\n")
	return b.String()
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// relPath is p relative to root when it is inside it.
func relPath(root, p string) string {
	if root != "" {
		if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}
