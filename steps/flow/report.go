package flow

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/record"
	"github.com/mjrecover/mjrecover/steps/review"
	"github.com/mjrecover/mjrecover/steps/support"
	"github.com/mjrecover/mjrecover/steps/timeline"
)

type reportState int

const (
	reportPreview reportState = iota // read before it goes anywhere
	reportSending
	reportSendFailed
	reportWriting
	reportShown
)

// reporting builds the report from the recovery's record (so work done
// before an interruption is in it), sends it to support when there is a
// recovery API, saves it, and shows the checklist.
type reporting struct {
	base
	f       *Flow
	state   reportState
	report  support.Report
	err     string
	md, js  string
	preview string // the report as text for the screen, made once
	started bool
}

// Messages of the report.
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

func newReport(f *Flow) *reporting { return &reporting{f: f} }

func (s *reporting) enter() []Cmd {
	if s.started {
		return nil
	}
	s.started = true
	s.report = support.Build(s.f.reportInput())
	s.preview, s.state = readable(s.report.Markdown()), reportPreview
	return nil
}

// reportInput is what the report says: every stage's outcome, the
// findings, and every other action, from the record.
func (f *Flow) reportInput() support.Input {
	rec := f.Record()
	// The JSON stays in English; the Markdown is in the customer's
	// language: the step outcomes and the other actions are messages the
	// journal kept, the names marked messages.
	in := support.Input{Version: f.cfg.Version, Now: f.cfg.Now(), Account: f.account.Email, Actions: rec.ReportLines(nil), Lang: f.Lang()}
	if f.api != nil {
		in.MasterKey = f.api.Credentials().APIKey
	}
	switch {
	case f.scan != nil:
		in.Findings, in.ScanRoot = f.scan.Findings, f.scanRoot
	case rec.Scan != nil:
		in.Restored = rec.Scan.Findings
		if !rec.Scan.Sites {
			in.ScanRoot = rec.Scan.Root
		}
	}
	in.Timeline = reportTimeline(rec)
	names := StepNames()
	for n := 1; n < StepCount; n++ {
		r, ok := checklistResult(rec, n)
		if !ok {
			r = support.StepResult{Number: n, Name: names[n-1], Status: support.StatusPending, Say: lang.Msg("Not reached.")}
			r.Detail = r.Say.String()
		}
		in.Steps = append(in.Steps, r)
	}
	in.Steps = append(in.Steps, f.reportStep(f.rec != nil))
	return in
}

// reportTimeline is the whole story: what the scan and the statistics
// told, what the review found added after the leak began, and when the
// old keys stopped working.
func reportTimeline(rec record.Record) []timeline.Event {
	var events []timeline.Event
	if rec.Scan != nil {
		events = append(events, rec.Scan.Timeline...)
	}
	for _, l := range rec.Review.Lines {
		switch {
		case l.At.IsZero():
		case l.Area == string(review.AreaSending):
			events = append(events, timeline.SpikeOn(l.At))
		default:
			events = append(events, timeline.Event{At: l.At, Day: true, Kind: timeline.Added, What: l.WhatMsg})
		}
	}
	if at, ok := rec.KeysReplacedAt(); ok {
		events = append(events, timeline.Event{At: at.UTC(), Kind: timeline.Rotated})
	}
	return timeline.Sorted(events)
}

// reportStep is the last step's line: the report itself, sent by the
// wizard or by the customer.
func (f *Flow) reportStep(sent bool) support.StepResult {
	r := support.StepResult{Number: StepCount, Name: StepNames()[StepCount-1], Status: support.StatusDone,
		Say: lang.Msg("This report was sent to Mailjet support by the recovery wizard.")}
	if !sent {
		r.Status, r.Say = support.StatusGuided, lang.Msg("The customer sends this report to Mailjet support.")
	}
	r.Detail = r.Say.String()
	return r
}

func (s *reporting) send() []Cmd {
	s.state, s.err = reportSending, ""
	rec, report := s.f.rec, s.report
	return []Cmd{func(ctx context.Context) Msg { return sendReport(ctx, rec, report) }}
}

func sendReport(ctx context.Context, rec *recovery.Client, r support.Report) Msg {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	ticket, err := rec.SubmitReport(ctx, r)
	return reportSentMsg{ticket: ticket, err: err}
}

// saveOnly writes the report without sending it: it says the customer
// sends it.
func (s *reporting) saveOnly() []Cmd {
	in := s.f.reportInput()
	in.Steps[len(in.Steps)-1] = s.f.reportStep(false)
	s.report = support.Build(in)
	return s.write()
}

func (s *reporting) write() []Cmd {
	s.state = reportWriting
	dir, report := s.f.cfg.ReportDir, s.report
	return []Cmd{func(context.Context) Msg {
		md, js, err := support.Write(dir, report)
		return reportWrittenMsg{md: md, json: js, err: err}
	}}
}

func (s *reporting) update(msg Msg) []Cmd {
	switch m := msg.(type) {
	case reportSentMsg:
		if m.err != nil {
			s.state, s.err = reportSendFailed, s.f.explain(s.f.T("Could not send the report to Mailjet support"), m.err)
			return nil
		}
		s.report.Ticket = clean(m.ticket)
		s.f.outcome.Ticket = s.report.Ticket
		return append([]Cmd{s.f.note(record.Event{Type: record.Reported, Report: &record.Report{Ticket: s.report.Ticket}})}, s.write()...)
	case reportWrittenMsg:
		s.state = reportShown
		if m.err != nil {
			s.err = s.f.T("Could not save the report: %s", errText(m.err))
			return nil
		}
		s.md, s.js, s.err = m.md, m.json, ""
		s.f.outcome.ReportMarkdown, s.f.outcome.ReportJSON = m.md, m.json
		return []Cmd{s.f.note(record.Event{Type: record.Reported, Report: &record.Report{Ticket: s.report.Ticket, Markdown: m.md, JSON: m.json}})}
	}
	return nil
}

func (s *reporting) do(a ActionID) []Cmd {
	switch s.state {
	case reportPreview:
		switch {
		case a == Continue && s.f.rec != nil:
			return s.send()
		case a == Continue, a == Save:
			return s.saveOnly()
		}
	case reportSendFailed:
		switch a {
		case Retry:
			return s.send()
		case Continue:
			return s.saveOnly()
		}
	case reportShown:
		switch {
		case a == Retry && s.md == "":
			return s.write()
		case a == Continue:
			return s.f.finish(s.f.reportStep(s.report.Ticket != ""))
		}
	}
	return nil
}

func (s *reporting) screen() Screen {
	f := s.f
	var sc Screen
	switch s.state {
	case reportPreview:
		return s.previewScreen()
	case reportSending:
		sc.Busy = true
		sc.Blocks = []Block{working(f.T("Sending the report to Mailjet support…"))}
		return sc
	case reportWriting:
		sc.Busy = true
		sc.Blocks = []Block{working(f.T("Saving the report…"))}
		return sc
	case reportSendFailed:
		sc.Blocks = []Block{toned(Bad, s.err), text(f.T("Press r to try again, or Enter to save the report and send it yourself."))}
		sc.Actions = []Action{act(Retry, f.T("try again")), act(Continue, f.T("save without sending"))}
		return sc
	}
	l := &List{Selected: -1}
	for _, r := range s.report.Steps {
		mark, tone := "✓", Good
		switch r.Status {
		case support.StatusPending:
			mark, tone = "✗", Bad
		case support.StatusSkipped:
			mark, tone = "–", Warn
		}
		// The record keeps the step's name in English: the screen says it
		// in the customer's language.
		l.Items = append(l.Items, Item{Mark: mark, MarkTone: tone,
			Cols: []string{strconv.Itoa(r.Number) + ". " + f.Lang().Text(r.Name), s.statusWords(r.Status)}})
	}
	sc.Blocks = []Block{{Kind: ListBlock, List: l}, {Kind: PairsBlock, Pairs: []Pair{{Label: f.T("Found:"), Value: s.countsText()}}}}
	if s.err != "" {
		sc.Blocks = append(sc.Blocks, toned(Bad, s.err))
		sc.Actions = []Action{act(Retry, f.T("try saving again")), act(Continue, f.T("finish"))}
	} else {
		sc.Blocks = append(sc.Blocks, toned(Strong, f.T("Report saved (only you can read it):")),
			tight(text("  "+clean(s.md))), tight(text("  "+clean(s.js))))
		sc.Actions = []Action{act(Continue, f.T("finish"))}
	}
	if s.report.Ticket != "" {
		sc.Blocks = append(sc.Blocks, tight(toned(Good, f.T("Sent to Mailjet support: ticket %s", s.report.Ticket))),
			tight(text(f.T("Support switches your account back on after checking the report."))))
	} else {
		sc.Blocks = append(sc.Blocks, tight(text(f.T("Send both files to Mailjet support (https://app.mailjet.com/support) and ask "+
			"them to switch your account back on."))))
	}
	// The longest part last: what to do comes first.
	if s.report.RootCause != "" {
		sc.Blocks = append(sc.Blocks, toned(Strong, f.T("Likely cause")), tight(text(clean(s.report.LikelyCause()))))
	}
	hint := f.T("Also ask your hosting provider who downloaded the exposed files, and " +
		"search public code sites (GitHub) for your old keys.")
	if _, ok := timeline.First(s.report.Timeline, timeline.Downloaded); ok {
		// The logs said who took the files: what is left is since when.
		hint = f.T("Also ask your hosting provider for older access logs, if they keep them, and " +
			"search public code sites (GitHub) for your old keys.")
	}
	sc.Blocks = append(sc.Blocks, toned(Muted, hint))
	return sc
}

// statusWords says a step's status on the checklist.
func (s *reporting) statusWords(st support.Status) string {
	switch st {
	case support.StatusDone:
		return s.f.T("done")
	case support.StatusGuided:
		return s.f.T("done on Mailjet's site")
	case support.StatusSkipped:
		return s.f.T("skipped")
	case support.StatusPending:
		return s.f.T("not done")
	}
	return clean(string(st))
}

// previewScreen shows the whole report before it is sent or saved: the
// customer knows what support gets.
func (s *reporting) previewScreen() Screen {
	f := s.f
	sc := Screen{Blocks: []Block{
		text(f.T("This is the report for Mailjet support. Read it through (PgDn scrolls); it holds no secret.")),
		text(s.preview),
	}}
	if f.rec != nil {
		sc.Blocks = append(sc.Blocks, question(f.T("Send it to Mailjet support now? Enter sends it and saves a copy; "+
			"s only saves it, for you to send.")))
		sc.Actions = []Action{act(Continue, f.T("send to support")), act(Save, f.T("only save it"))}
		return sc
	}
	sc.Blocks = append(sc.Blocks, question(f.T("Press Enter to save it, then send it to Mailjet support yourself.")))
	sc.Actions = []Action{act(Continue, f.T("save it"))}
	return sc
}

// readable is the Markdown report as plain text for the screen: headings
// without their marks, table rows as "a · b · c", no code marks. What
// support gets is the Markdown itself.
func readable(md string) string {
	var out []string
	for _, line := range strings.Split(md, "\n") {
		line = clean(line)
		switch {
		case strings.HasPrefix(line, "|---"):
			continue
		case strings.HasPrefix(line, "#"):
			line = strings.TrimSpace(strings.TrimLeft(line, "#"))
		case strings.HasPrefix(line, "|") && strings.HasSuffix(line, "|"):
			cells := strings.Split(strings.Trim(line, "|"), " | ")
			for i := range cells {
				cells[i] = strings.TrimSpace(strings.ReplaceAll(cells[i], `\|`, "|"))
			}
			line = "  " + strings.Join(cells, " · ")
		}
		out = append(out, strings.ReplaceAll(line, "`", ""))
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// countsText is how many findings of each severity the report holds.
func (s *reporting) countsText() string {
	f, counts := s.f, s.report.Counts
	var parts []string
	if n := counts["critical"]; n > 0 {
		parts = append(parts, f.T("%d critical", n))
	}
	if n := counts["high"]; n > 0 {
		parts = append(parts, f.T("%d high", n))
	}
	if n := counts["medium"]; n > 0 {
		parts = append(parts, f.T("%d medium", n))
	}
	if n := counts["low"]; n > 0 {
		parts = append(parts, f.T("%d low", n))
	}
	if len(parts) == 0 {
		return f.T("no leaked keys or exposed files")
	}
	return strings.Join(parts, ", ")
}
