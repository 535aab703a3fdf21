package support

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/timeline"
)

// Markdown renders the report for people, in the customer's language
// (Input.Lang). Times stay UTC; paths, keys and what the scan quoted stay
// as they are.
func (r Report) Markdown() string {
	p := r.lang
	var b strings.Builder
	b.WriteString(p.T("# Mailjet account recovery report") + "\n\n")
	field := func(line string) { b.WriteString(line + "\n") }
	if r.Account != "" {
		field(p.T("- Account: %s", inline(r.Account)))
	}
	if r.MasterKey != "" {
		field(p.T("- Main API key: %s", inline(r.MasterKey)))
	}
	if r.Scanned != "" {
		field(p.T("- Folder scanned: %s", inline(r.Scanned)))
	}
	if !r.CreatedAt.IsZero() {
		field(p.T("- Date: %s", r.CreatedAt.UTC().Format("2006-01-02 15:04:05 MST")))
	}
	field(p.T("- Made with: %s", inline(strings.TrimSpace("mjrecover "+r.Version))))
	if r.Ticket != "" {
		field(p.T("- Support ticket: %s", inline(r.Ticket)))
	}

	b.WriteString("\n" + p.T("## Recovery steps") + "\n\n")
	if len(r.Steps) == 0 {
		b.WriteString(p.T("No step was recorded.") + "\n")
	}
	for i, s := range r.Steps {
		var detail string
		if len(r.details) == len(r.Steps) {
			detail = r.details[i]
		} else { // a report read back from its JSON
			detail = said(p, s.Detail)
		}
		b.WriteString(stepLine(p, s, detail) + "\n")
	}

	b.WriteString("\n" + p.T("## What the scan found") + "\n\n")
	r.writeFindings(&b)

	if len(r.Actions) > 0 {
		b.WriteString("\n" + p.T("## Other actions") + "\n\n" + p.T("| Area | Found | Done |") + "\n|---|---|---|\n")
		for i, l := range r.Actions {
			if len(r.shown) == len(r.Actions) {
				l = r.shown[i]
			} else { // a report read back from its JSON
				l = l.Say(p)
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", cell(inline(l.Area)), cell(inline(l.Finding)), cell(inline(l.Action)))
		}
	}

	story := r.story
	if len(story) != len(r.Timeline) { // a report read back from its JSON
		story = timeline.Story(p, r.Timeline, time.UTC)
	}
	if len(story) > 0 {
		b.WriteString("\n" + p.T("## What happened, in order (UTC)") + "\n\n")
		for _, s := range story {
			b.WriteString("- " + inline(s) + "\n")
		}
	}

	b.WriteString("\n" + p.T("## Likely root cause") + "\n\n")
	b.WriteString(inline(r.LikelyCause()) + "\n")

	advice := r.advice
	if len(advice) != len(r.Advice) {
		advice = nil
		for _, a := range r.Advice {
			advice = append(advice, said(p, a))
		}
	}
	if len(advice) > 0 {
		b.WriteString("\n" + p.T("## Advice") + "\n\n")
		for i, a := range advice {
			fmt.Fprintf(&b, "%d. %s\n", i+1, inline(a))
		}
	}
	return b.String()
}

// stepLine is one step of the checklist: a plain-ASCII checkbox, its
// number, name and status, and what it did (detail, said already). Names
// are the wizard's: a marked message is translated, anything else is
// said as it came.
func stepLine(p *lang.Printer, s StepResult, detail string) string {
	n, name, detail := s.Number, inline(said(p, s.Name)), inline(detail)
	switch {
	case s.Status == StatusDone && detail == "":
		return p.T("- [x] %[1]d. %[2]s (done)", n, name)
	case s.Status == StatusDone:
		return p.T("- [x] %[1]d. %[2]s (done): %[3]s", n, name, detail)
	case s.Status == StatusGuided && detail == "":
		return p.T("- [x] %[1]d. %[2]s (done on Mailjet's site)", n, name)
	case s.Status == StatusGuided:
		return p.T("- [x] %[1]d. %[2]s (done on Mailjet's site): %[3]s", n, name, detail)
	case s.Status == StatusSkipped && detail == "":
		return p.T("- [-] %[1]d. %[2]s (skipped)", n, name)
	case s.Status == StatusSkipped:
		return p.T("- [-] %[1]d. %[2]s (skipped): %[3]s", n, name, detail)
	case detail == "":
		return p.T("- [ ] %[1]d. %[2]s (NOT DONE)", n, name)
	}
	return p.T("- [ ] %[1]d. %[2]s (NOT DONE): %[3]s", n, name, detail)
}

func (r Report) writeFindings(b *strings.Builder) {
	p := r.lang
	if len(r.Findings) == 0 {
		b.WriteString(p.T("Nothing: no leaked credentials, exposed files or outdated software.") + "\n")
		return
	}
	c := func(s investigate.Severity) int { return r.Counts[s.String()] }
	b.WriteString(p.T("critical: %d", c(investigate.Critical)) + ", " + p.T("high: %d", c(investigate.High)) + ", " +
		p.T("medium: %d", c(investigate.Medium)) + ", " + p.T("low: %d", c(investigate.Low)) + ".\n")
	for _, s := range Severities() {
		name := s.String()
		n := r.Counts[name]
		if n == 0 {
			continue
		}
		b.WriteString("\n" + severityHeading(p, s, n) + "\n\n")
		b.WriteString(p.T("| Where | What | API key | Secret | This account's key | Why it matters |") + "\n")
		b.WriteString("|---|---|---|---|---|---|\n")
		for i, f := range r.Findings {
			if f.Severity != name {
				continue
			}
			var msg string
			if len(r.messages) == len(r.Findings) {
				msg = r.messages[i]
			} else { // a report read back from its JSON
				msg = said(p, f.Message)
			}
			secretHint := ""
			if f.Secret != "" {
				secretHint = code("****" + f.Secret)
			}
			apiKey := ""
			if f.APIKey != "" {
				apiKey = code(f.APIKey)
			}
			where, what, why := cell(code(f.Where())), cell(inline(said(p, f.Kind))), cell(inline(msg))
			if f.Owned {
				b.WriteString(p.T("| %[1]s | %[2]s | %[3]s | %[4]s | yes | %[5]s |", where, what, cell(apiKey), cell(secretHint), why) + "\n")
			} else {
				b.WriteString(p.T("| %[1]s | %[2]s | %[3]s | %[4]s | no | %[5]s |", where, what, cell(apiKey), cell(secretHint), why) + "\n")
			}
		}
	}
}

// severityHeading is a group's heading: "### Critical (2)".
func severityHeading(p *lang.Printer, s investigate.Severity, n int) string {
	switch s {
	case investigate.Critical:
		return p.T("### Critical (%d)", n)
	case investigate.High:
		return p.T("### High (%d)", n)
	case investigate.Medium:
		return p.T("### Medium (%d)", n)
	case investigate.Low:
		return p.T("### Low (%d)", n)
	}
	return fmt.Sprintf("### %s (%d)", capitalize(s.String()), n)
}

// said is a text that came from elsewhere (a step's detail, a finding's
// message) in p's language when it is a marked message, else as it is.
func said(p *lang.Printer, s string) string {
	if s == "" {
		return ""
	}
	return p.Text(s)
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
