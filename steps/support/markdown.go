package support

import (
	"fmt"
	"strings"
	"unicode"
)

// Markdown renders the report for people.
func (r Report) Markdown() string {
	var b strings.Builder
	b.WriteString("# Mailjet account recovery report\n\n")
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "- %s: %s\n", name, inline(value))
		}
	}
	field("Account", r.Account)
	field("Master API key", r.MasterKey)
	field("Folder scanned", r.Scanned)
	if !r.CreatedAt.IsZero() {
		field("Date", r.CreatedAt.Format("2006-01-02 15:04:05 MST"))
	}
	field("Made with", strings.TrimSpace("mjrecover "+r.Version))
	field("Support ticket", r.Ticket)

	b.WriteString("\n## Recovery steps\n\n")
	if len(r.Steps) == 0 {
		b.WriteString("No step was recorded.\n")
	}
	for _, s := range r.Steps {
		box, word := statusMark(s.Status)
		fmt.Fprintf(&b, "- %s %d. %s (%s)", box, s.Number, inline(s.Name), word)
		if s.Detail != "" {
			b.WriteString(": " + inline(s.Detail))
		}
		b.WriteByte('\n')
	}

	b.WriteString("\n## What the scan found\n\n")
	r.writeFindings(&b)

	if len(r.Actions) > 0 {
		b.WriteString("\n## Other actions\n\n| Area | Found | Done |\n|---|---|---|\n")
		for _, l := range r.Actions {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", cell(inline(l.Area)), cell(inline(l.Finding)), cell(inline(l.Action)))
		}
	}

	b.WriteString("\n## Likely root cause\n\n")
	b.WriteString(inline(r.RootCause) + "\n")

	if len(r.Advice) > 0 {
		b.WriteString("\n## Advice\n\n")
		for i, a := range r.Advice {
			fmt.Fprintf(&b, "%d. %s\n", i+1, inline(a))
		}
	}
	return b.String()
}

func (r Report) writeFindings(b *strings.Builder) {
	if len(r.Findings) == 0 {
		b.WriteString("Nothing: no leaked credentials, exposed files or outdated software.\n")
		return
	}
	var counts []string
	for _, s := range Severities() {
		counts = append(counts, fmt.Sprintf("%s: %d", s, r.Counts[s.String()]))
	}
	b.WriteString(strings.Join(counts, ", ") + ".\n")
	for _, s := range Severities() {
		name := s.String()
		n := r.Counts[name]
		if n == 0 {
			continue
		}
		fmt.Fprintf(b, "\n### %s (%d)\n\n", capitalize(name), n)
		b.WriteString("| Where | What | API key | Secret | This account's key | Why it matters |\n")
		b.WriteString("|---|---|---|---|---|---|\n")
		for _, f := range r.Findings {
			if f.Severity != name {
				continue
			}
			secretHint := ""
			if f.Secret != "" {
				secretHint = code("****" + f.Secret)
			}
			owned := "no"
			if f.Owned {
				owned = "yes"
			}
			apiKey := ""
			if f.APIKey != "" {
				apiKey = code(f.APIKey)
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n",
				cell(code(f.Where())), cell(inline(f.Kind)), cell(apiKey), cell(secretHint), owned, cell(inline(f.Message)))
		}
	}
}

// statusMark is a plain-ASCII checkbox and a word for a step's status.
func statusMark(s Status) (box, word string) {
	switch s {
	case StatusDone:
		return "[x]", "done"
	case StatusGuided:
		return "[x]", "done on Mailjet's site"
	case StatusSkipped:
		return "[-]", "skipped"
	}
	return "[ ]", "NOT DONE"
}

// inline keeps a value on one line: control characters (newlines, escape
// sequences from odd file names) become spaces.
func inline(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// cell escapes the table separator.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// code wraps s in a code span that survives backticks inside it.
func code(s string) string {
	s = inline(s)
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
