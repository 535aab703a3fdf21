package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/investigate/accesslog"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// maxTextSkips bounds the skipped paths listed in text; JSON has them all.
const maxTextSkips = 20

// Text writes the result for people, in p's language (nil: English): a
// summary line, then each finding with its location, what it is, the
// key and the secret's last four characters, the verification, and what
// to do. (JSON and SARIF stay in English, for tools.)
func Text(w io.Writer, res investigate.Result, p *lang.Printer) error {
	var b strings.Builder
	counts := map[investigate.Severity]int{}
	for _, f := range res.Findings {
		counts[f.Severity]++
	}
	if len(res.Findings) == 0 {
		b.WriteString(p.T("No leaked Mailjet credential, exposed file or outdated WordPress found.") + "\n")
	} else {
		var parts []string
		for _, s := range []investigate.Severity{investigate.Critical, investigate.High, investigate.Medium, investigate.Low} {
			if counts[s] > 0 {
				parts = append(parts, s.Count(p, counts[s]))
			}
		}
		b.WriteString(p.T("Found %[1]d problem: %[2]s.", len(res.Findings), strings.Join(parts, ", ")) + "\n")
	}
	for _, f := range res.Findings {
		b.WriteString("\n")
		loc := untrusted.Clean(f.Path)
		if f.Line > 0 {
			loc += fmt.Sprintf(":%d", f.Line)
		}
		fmt.Fprintf(&b, "%-8s  %s\n", strings.ToUpper(f.Severity.Word(p)), loc)
		fmt.Fprintf(&b, "          %s [%s]\n", p.Text(untrusted.Clean(f.Kind)), f.Rule)
		if f.APIKey != "" {
			b.WriteString("          " + p.T("API key %s", untrusted.Clean(f.APIKey)) + "\n")
		}
		if h := f.Secret.Hint(); h != "" {
			b.WriteString("          " + p.T("secret  %s", untrusted.Clean(h)) + "\n")
		}
		if f.Verified != investigate.NotChecked {
			b.WriteString("          " + p.T("checked: %[1]s (%[2]s)", verdictWord(p, f.Verified), untrusted.Clean(f.VerifyNote)) + "\n")
		}
		if a := f.Access; a != nil && a.Log != f.Path {
			b.WriteString("          " + p.T("log %[1]s, line %[2]s", untrusted.Clean(a.Log), strconv.FormatInt(a.LogLine, 10)) + "\n")
		}
		fmt.Fprintf(&b, "          %s\n", untrusted.Clean(f.Say(p)))
	}
	logsText(&b, res.Logs, p)
	st := res.Stats
	b.WriteString("\n" + p.T("Read %[1]d file (%[2]s) in %[3]s.", st.Files, size(p, st.Bytes), st.Duration.Round(time.Millisecond).String()))
	if n := len(st.Skipped); n > 0 {
		b.WriteString(" " + p.T("Skipped %d path:", n) + "\n")
		for i, s := range st.Skipped {
			if i == maxTextSkips {
				b.WriteString("  " + p.T("… and %d more (--format json lists them all)", n-maxTextSkips) + "\n")
				break
			}
			fmt.Fprintf(&b, "  %s: %s\n", untrusted.Clean(s.Path), untrusted.Clean(s.Reason))
		}
	} else {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// maxTextLogs bounds the access logs listed in text with their problems.
const maxTextLogs = 10

// logsText says how many access logs were read, and which lines of them
// could not be (the rest of each log was still read).
func logsText(b *strings.Builder, logs []accesslog.FileReport, p *lang.Printer) {
	if len(logs) == 0 {
		return
	}
	var lines int64
	for _, l := range logs {
		lines += l.Lines
	}
	b.WriteString("\n" + p.T("Read %[1]d access log (%[2]s).", len(logs), p.T("%d line", lines)) + "\n")
	shown := 0
	for _, l := range logs {
		var what string
		switch {
		case l.Skipped != "":
			what = p.T("not read: %s", untrusted.Clean(l.Skipped))
		case l.Error != "":
			what = p.T("read up to an error: %s", untrusted.Clean(l.Error))
		case l.Unreadable > 0:
			var nums []string
			for _, n := range l.BadLines {
				nums = append(nums, strconv.FormatInt(n, 10))
			}
			what = p.T("%[1]d line in an unknown format (%[2]s); the rest was read", l.Unreadable, strings.Join(nums, ", "))
		default:
			continue
		}
		if shown == maxTextLogs {
			b.WriteString("  " + p.T("… and more (--format json lists them all)") + "\n")
			break
		}
		shown++
		fmt.Fprintf(b, "  %s: %s\n", untrusted.Clean(l.Path), what)
	}
}

func verdictWord(p *lang.Printer, v investigate.Verdict) string {
	switch v {
	case investigate.Live:
		return p.T("works now")
	case investigate.Refused:
		return p.T("no longer works")
	}
	return p.T("could not be checked")
}

func size(p *lang.Printer, n int64) string {
	switch {
	case n < 1<<10:
		return p.T("%d bytes", n)
	case n < 1<<20:
		return p.T("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return p.T("%.1f MiB", float64(n)/(1<<20))
	}
	return p.T("%.1f GiB", float64(n)/(1<<30))
}
