package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/steps/support"
)

type supportState int

const (
	supportSending supportState = iota
	supportSendFailed
	supportWriting
	supportShown
)

// supportScreen builds the report, sends it to support when there is a
// recovery API, saves it, and shows the checklist.
type supportScreen struct {
	c       *Common
	state   supportState
	report  support.Report
	err     string
	mdPath  string
	jsPath  string
	started bool
}

// Messages of the support screen.
type (
	reportSentMsg struct {
		ticket string
		err    error
	}
	reportWrittenMsg struct {
		md, json string
		err      error
	}
)

func newSupport(c *Common) *supportScreen {
	return &supportScreen{c: c}
}

func (s *supportScreen) Init() tea.Cmd {
	if s.started {
		return nil
	}
	s.started = true
	s.report = support.Build(s.input())
	if s.c.Session.Recovery == nil {
		return s.write()
	}
	return s.send()
}

// input gathers what the wizard knows for the report.
func (s *supportScreen) input() support.Input {
	sess := s.c.Session
	in := support.Input{
		Version: sess.Version, Now: sess.Now(), Account: sess.Account.Email,
	}
	if sess.API != nil {
		in.MasterKey = sess.API.Credentials().APIKey
	}
	in.ScanRoot = sess.ScanPath
	in.Actions = sess.actionLines()
	if sess.Scan != nil {
		in.Findings = sess.Scan.Findings
	} else {
		in.Restored = sess.Restored
	}
	infos := stepInfos()
	for i := stepInvestigate; i < stepSupport; i++ {
		r, ok := sess.Results[i]
		if !ok {
			r = support.StepResult{Number: i, Name: infos[i].Name, Status: support.StatusPending, Detail: "Not reached."}
		}
		in.Steps = append(in.Steps, r)
	}
	last := support.StepResult{Number: stepSupport, Name: infos[stepSupport].Name, Status: support.StatusDone,
		Detail: "This report was sent to Mailjet support by the recovery wizard."}
	if sess.Recovery == nil {
		last.Status, last.Detail = support.StatusGuided, "The customer sends this report to Mailjet support."
	}
	in.Steps = append(in.Steps, last)
	return in
}

func (s *supportScreen) send() tea.Cmd {
	s.state, s.err = supportSending, ""
	rec, ctx, report := s.c.Session.Recovery, s.c.Session.Context, s.report
	return tea.Batch(func() tea.Msg { return sendReport(ctx, rec, report) }, s.c.Spinner.Tick)
}

func sendReport(ctx context.Context, rec *recovery.Client, r support.Report) tea.Msg {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	ticket, err := rec.SubmitReport(ctx, r)
	return reportSentMsg{ticket: ticket, err: err}
}

func (s *supportScreen) write() tea.Cmd {
	s.state = supportWriting
	dir, report := s.c.Session.ReportDir, s.report
	return tea.Batch(func() tea.Msg {
		md, js, err := support.Write(dir, report)
		return reportWrittenMsg{md: md, json: js, err: err}
	}, s.c.Spinner.Tick)
}

func (s *supportScreen) Busy() bool { return s.state == supportSending || s.state == supportWriting }

func (s *supportScreen) ShortHelp() []key.Binding {
	k := s.c.Keys
	switch s.state {
	case supportSendFailed:
		return []key.Binding{k.Retry, withHelp(k.Continue, "save without sending")}
	case supportShown:
		if s.mdPath == "" {
			return []key.Binding{withHelp(k.Retry, "try saving again"), withHelp(k.Continue, "finish")}
		}
		return []key.Binding{withHelp(k.Continue, "finish")}
	}
	return nil
}

func (s *supportScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case reportSentMsg:
		if msg.err != nil {
			s.state, s.err = supportSendFailed, "Could not send the report to support: "+errText(msg.err)
			return s, nil
		}
		s.report.Ticket = clean(msg.ticket)
		s.c.Session.Ticket = s.report.Ticket
		return s, s.write()
	case reportWrittenMsg:
		s.state = supportShown
		if msg.err != nil {
			s.err = "Could not save the report: " + errText(msg.err)
			return s, nil
		}
		s.mdPath, s.jsPath, s.err = msg.md, msg.json, ""
		s.c.Session.ReportMarkdown, s.c.Session.ReportJSON = msg.md, msg.json
	case tea.KeyPressMsg:
		return s, s.handleKey(msg)
	}
	return s, nil
}

func (s *supportScreen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	switch s.state {
	case supportSendFailed:
		switch {
		case key.Matches(msg, k.Retry):
			return s.send()
		case key.Matches(msg, k.Continue):
			return s.write()
		}
	case supportShown:
		switch {
		case key.Matches(msg, k.Retry) && s.mdPath == "":
			return s.write()
		case key.Matches(msg, k.Continue):
			return stepDone(s.report.Steps[len(s.report.Steps)-1])
		}
	}
	return nil
}

func (s *supportScreen) View() string {
	st := s.c.Styles
	w := s.c.Width
	var b strings.Builder
	b.WriteString("\n")
	switch s.state {
	case supportSending:
		b.WriteString(s.c.Spinner.View() + " Sending the report to Mailjet support…\n")
		return b.String()
	case supportWriting:
		b.WriteString(s.c.Spinner.View() + " Saving the report…\n")
		return b.String()
	case supportSendFailed:
		b.WriteString(st.Error.Render(wrap(s.err, w)) + "\n\n")
		b.WriteString(wrap("Press r to try again, or Enter to save the report and send it yourself.", w) + "\n")
		return b.String()
	}

	for _, r := range s.report.Steps {
		mark, style := "✓", st.Success
		switch r.Status {
		case support.StatusPending:
			mark, style = "✗", st.Error
		case support.StatusSkipped:
			mark, style = "–", st.Warning
		}
		b.WriteString(style.Render(mark) + fmt.Sprintf(" %d. %-26s %s", r.Number, r.Name, r.Status) + "\n")
	}
	b.WriteString("\n" + st.Label.Render("Found: ") + countsText(s.report.Counts) + "\n")
	if s.report.RootCause != "" {
		b.WriteString(st.Label.Render("Likely cause") + "\n" + clampLines(wrap(clean(s.report.RootCause), w), 3, w) + "\n")
	}
	b.WriteString("\n")
	switch {
	case s.err != "":
		b.WriteString(st.Error.Render(wrap(s.err, w)) + "\n")
	default:
		b.WriteString(st.Label.Render("Report saved") + st.Muted.Render(" (only you can read it):") + "\n")
		b.WriteString("  " + truncateLeft(clean(s.mdPath), w-2) + "\n  " + truncateLeft(clean(s.jsPath), w-2) + "\n")
	}
	if s.report.Ticket != "" {
		b.WriteString(st.Success.Render("Sent to support: ticket "+s.report.Ticket) + "\n" +
			wrap("Support switches your account back on after checking the report.", w) + "\n")
	} else {
		b.WriteString(wrap("Send both files to Mailjet support (https://app.mailjet.com/support) and ask "+
			"them to switch your account back on.", w) + "\n")
	}
	b.WriteString(st.Muted.Render(wrap("Also ask your hosting provider who downloaded the exposed files, and "+
		"search public code sites (GitHub) for your old keys.", w)) + "\n")
	return b.String()
}

func countsText(counts map[string]int) string {
	var parts []string
	for _, sev := range []string{"critical", "high", "medium", "low"} {
		if n := counts[sev]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	if len(parts) == 0 {
		return "no leaked keys or exposed files"
	}
	return strings.Join(parts, ", ")
}

// clampLines keeps the first n lines of s, marking a cut with "…".
func clampLines(s string, n, width int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s
	}
	lines = lines[:n]
	lines[n-1] = truncate(lines[n-1]+" …", width)
	return strings.Join(lines, "\n")
}
