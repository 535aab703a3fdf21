// Package support builds the report the customer sends to Mailjet support
// once recovery is done: what each step did, what the investigation
// found (redacted), the likely root cause and the advice that follows.
//
// No secret reaches the report: findings keep the last four characters of
// their secret, and any full secret that slipped into a message or path
// is replaced by its hint before the report is built.
package support

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/timeline"
)

// Status of one recovery step.
type Status string

const (
	StatusDone    Status = "done"
	StatusGuided  Status = "guided"  // done by the user on Mailjet's site, as the wizard guided
	StatusSkipped Status = "skipped" // with the reason in Detail
	StatusPending Status = "not done"
)

// StepResult is one line of the checklist.
type StepResult struct {
	Number int    `json:"number"`
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail"` // English
	// Say is Detail as a message, for the Markdown to say in the
	// customer's language: the journal keeps it, the report's JSON does
	// not. Without it (an older journal), Detail is said as it was kept.
	Say lang.Message `json:"say,omitzero"`
}

// Finding is a finding as the report shows it: the secret reduced to its
// last four characters.
type Finding struct {
	Severity string `json:"severity"`
	Category string `json:"category"`
	Rule     string `json:"rule"`
	Kind     string `json:"kind"`
	Path     string `json:"path"`
	Line     int    `json:"line,omitempty"`
	APIKey   string `json:"api_key,omitempty"`
	Secret   string `json:"secret,omitempty"` // last 4 characters only
	Owned    bool   `json:"owned"`
	Message  string `json:"message"` // English
	// Facts are what Message was made from (WordPress and its plugins),
	// for the Markdown to say it in the customer's language: the journal
	// keeps them, the report's JSON does not.
	Facts *investigate.Facts `json:"facts,omitempty"`
	// Access is what the access logs say of a download or probe: the
	// client, its program, the first and last time (UTC), the count.
	Access *investigate.Access `json:"access,omitempty"`
}

// Where is "path:line", or the path alone for a whole file.
func (f Finding) Where() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d", f.Path, f.Line)
	}
	return f.Path
}

// Report is what support receives. Its JSON is for support's tools: its
// own words (statuses, severities, the root cause, the advice) are
// English whatever the customer's language. Markdown says the report in
// the customer's language.
type Report struct {
	Version   string         `json:"version"`
	CreatedAt time.Time      `json:"created_at"`
	Account   string         `json:"account"`
	MasterKey string         `json:"master_api_key,omitempty"`
	Scanned   string         `json:"scanned_folder,omitempty"` // finding paths are relative to it
	Steps     []StepResult   `json:"steps"`
	Findings  []Finding      `json:"findings"`
	Counts    map[string]int `json:"counts"`                  // per severity
	Actions   []Line         `json:"other_actions,omitempty"` // settings files updated, leaks removed, account review
	RootCause string         `json:"likely_root_cause"`
	// Timeline is what is known of the leak, in order (UTC): file times,
	// downloads, the first search, the sending spike, what was added to
	// the account, the keys replaced.
	Timeline []timeline.Event `json:"timeline,omitempty"`
	Advice   []string         `json:"advice"`
	Ticket   string           `json:"ticket,omitempty"`

	// The customer's language (nil: English), and what Markdown says in
	// it: the root cause, the advice, the steps' details, the findings'
	// messages and the other actions (one for one with their English).
	lang     *lang.Printer
	cause    string
	story    []string // Timeline, said in the customer's language
	advice   []string
	details  []string
	messages []string
	shown    []Line
}

// Input is what the wizard knows at the end.
type Input struct {
	Version   string
	Now       time.Time
	Account   string
	MasterKey string
	ScanRoot  string // the folder investigated; finding paths inside it are shown relative to it
	Steps     []StepResult
	Findings  []investigate.Finding
	Restored  []Finding // an earlier run's findings, already redacted (a resumed recovery)
	Actions   []Line    // what else was done (files updated, leaks removed, what the account review found)
	// Lang is the customer's language (nil: English): the Markdown is in
	// it (the steps' Say, the lines' messages, the findings' Facts); the
	// JSON stays English.
	Lang *lang.Printer
	// Timeline is what happened when (see package timeline); the report
	// adds it in order and its likely cause names the first download.
	Timeline []timeline.Event
}

// Line is one more thing done or found: which area, what was found, what
// was done about it. The texts are English (the report's JSON); the
// messages, when set, are the same for the Markdown to say in the
// customer's language (the journal keeps them, the report's JSON does
// not). A part without its message (an older journal) is said as it was
// kept: translated when it is a marked message.
type Line struct {
	Area    string `json:"area"`
	Finding string `json:"finding"`
	Action  string `json:"action"`

	AreaMsg    lang.Message `json:"area_msg,omitzero"`
	FindingMsg lang.Message `json:"finding_msg,omitzero"`
	ActionMsg  lang.Message `json:"action_msg,omitzero"`

	// At is when what the line found began (a sending spike's first day,
	// a sender made after the leak), for the timeline; WhatMsg names it
	// briefly. Zero for the other lines.
	At      time.Time    `json:"at,omitzero"`
	WhatMsg lang.Message `json:"what_msg,omitzero"`
}

// Said makes a line of messages, with their English as its texts.
func Said(area, finding, action lang.Message) Line {
	return Line{Area: area.String(), Finding: finding.String(), Action: action.String(),
		AreaMsg: area, FindingMsg: finding, ActionMsg: action}
}

// Say is the line in p's language (nil: English), its messages kept.
func (l Line) Say(p *lang.Printer) Line {
	l.Area, l.Finding, l.Action = sayOr(p, l.AreaMsg, l.Area), sayOr(p, l.FindingMsg, l.Finding), sayOr(p, l.ActionMsg, l.Action)
	return l
}

// Same reports whether two lines say the same (in English).
func (l Line) Same(o Line) bool {
	return l.Area == o.Area && l.Finding == o.Finding && l.Action == o.Action
}

// sayOr says m in p's language, or, without a message, the text as it
// was kept (translated when it is a marked message).
func sayOr(p *lang.Printer, m lang.Message, kept string) string {
	if m.IsZero() {
		return said(p, kept)
	}
	return p.Say(m)
}

// Severities in report order, most serious first.
func Severities() []investigate.Severity {
	return []investigate.Severity{investigate.Critical, investigate.High, investigate.Medium, investigate.Low}
}

// Build assembles the report.
func Build(in Input) Report {
	found := prepare(in.ScanRoot, in.Findings)
	scrub := newScrubber(found)
	// An earlier run's findings (restored, already redacted) count for the
	// root cause and the advice as much as this run's.
	all := append(slices.Clone(found), unredact(in.Restored)...)

	r := Report{
		Version:   in.Version,
		CreatedAt: in.Now,
		Account:   in.Account,
		MasterKey: in.MasterKey,
		Scanned:   scrub(in.ScanRoot),
		Steps:     make([]StepResult, 0, len(in.Steps)),
		Findings:  append(redact(found, scrub), slices.Clone(in.Restored)...),
		Counts:    map[string]int{},
		RootCause: scrub(withTimeline(nil, rootCause(nil, all), in.Timeline)),
		Advice:    advice(nil, all, in.MasterKey),
		Timeline:  timeline.Sorted(in.Timeline),
		lang:      in.Lang,
		cause:     scrub(withTimeline(in.Lang, rootCause(in.Lang, all), in.Timeline)),
		advice:    advice(in.Lang, all, in.MasterKey),
	}
	for _, s := range Severities() {
		r.Counts[s.String()] = 0
	}
	for _, f := range r.Findings {
		r.Counts[f.Severity]++
	}
	// The JSON keeps the English texts; what the Markdown says is said
	// here, in the customer's language, from the messages and facts.
	for _, s := range in.Steps {
		r.details = append(r.details, scrub(sayOr(in.Lang, s.Say, s.Detail)))
		s.Detail, s.Say = scrub(s.Detail), lang.Message{}
		r.Steps = append(r.Steps, s)
	}
	for i := range r.Timeline {
		r.Timeline[i].Path = scrub(r.Timeline[i].Path)
	}
	for _, s := range timeline.Story(in.Lang, r.Timeline, time.UTC) {
		r.story = append(r.story, scrub(s))
	}
	for i, f := range r.Findings {
		msg := investigate.Finding{Rule: f.Rule, Message: f.Message, Facts: f.Facts, Access: f.Access}.Say(in.Lang)
		r.messages = append(r.messages, scrub(msg))
		r.Findings[i].Facts = nil
	}
	for _, l := range in.Actions {
		sh := l.Say(in.Lang)
		r.shown = append(r.shown, Line{Area: scrub(sh.Area), Finding: scrub(sh.Finding), Action: scrub(sh.Action)})
		r.Actions = append(r.Actions, Line{Area: scrub(l.Area), Finding: scrub(l.Finding), Action: scrub(l.Action)})
	}
	for i := range r.Advice {
		r.Advice[i] = scrub(r.Advice[i])
	}
	for i := range r.advice {
		r.advice[i] = scrub(r.advice[i])
	}
	return r
}

// withTimeline starts the root cause with its strongest evidence, when
// the logs have it: who downloaded the leaked file first, and how long
// before the sending spike (UTC: the report is for support).
func withTimeline(p *lang.Printer, cause string, events []timeline.Event) string {
	if s := timeline.Cause(p, events, time.UTC); s != "" {
		return s + " " + cause
	}
	return cause
}

// LikelyCause is the likely root cause in the customer's language
// (RootCause is English, for support's tools).
func (r Report) LikelyCause() string {
	if r.cause != "" {
		return r.cause
	}
	return said(r.lang, r.RootCause)
}

// Redacted returns findings as the report shows them: paths relative to
// scanRoot, secrets cut to their last four characters. It is what may be
// kept, for example in saved progress.
func Redacted(scanRoot string, findings []investigate.Finding) []Finding {
	found := prepare(scanRoot, findings)
	return redact(found, newScrubber(found))
}

// prepare sorts a copy of findings, most serious first, with paths
// relative to scanRoot.
func prepare(scanRoot string, findings []investigate.Finding) []investigate.Finding {
	found := slices.Clone(findings)
	for i := range found {
		found[i].Path = relativeTo(scanRoot, found[i].Path)
	}
	slices.SortStableFunc(found, func(a, b investigate.Finding) int {
		return cmp.Or(cmp.Compare(a.Severity, b.Severity), cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line))
	})
	return found
}

func redact(found []investigate.Finding, scrub func(string) string) []Finding {
	out := make([]Finding, 0, len(found))
	for _, f := range found {
		out = append(out, Finding{
			Severity: f.Severity.String(),
			Category: string(f.Category),
			Rule:     f.Rule,
			Kind:     scrub(f.Kind),
			Path:     scrub(f.Path),
			Line:     f.Line,
			APIKey:   f.APIKey,
			Secret:   f.Secret.Last4(),
			Owned:    f.Owned,
			Message:  scrub(f.Message),
			Facts:    f.Facts,
			Access:   f.Access,
		})
	}
	return out
}

// unredact turns report findings back into scan findings without their
// secret, for the root cause and the advice, which never need it.
func unredact(fs []Finding) []investigate.Finding {
	sev := map[string]investigate.Severity{}
	for _, s := range Severities() {
		sev[s.String()] = s
	}
	out := make([]investigate.Finding, 0, len(fs))
	for _, f := range fs {
		out = append(out, investigate.Finding{
			Rule: f.Rule, Category: investigate.Category(f.Category), Severity: sev[f.Severity],
			Path: f.Path, Line: f.Line, Kind: f.Kind, APIKey: f.APIKey, Message: f.Message, Owned: f.Owned, Facts: f.Facts,
			Access: f.Access,
		})
	}
	return out
}

// relativeTo shortens path to its part inside root, which is what a
// person reads first; paths outside root stay whole.
func relativeTo(root, path string) string {
	if root == "" {
		return path
	}
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}

// minScrubLen is the shortest secret scrubbed from texts: replacing a
// two-letter value everywhere would garble the report.
const minScrubLen = 6

// newScrubber returns a function that replaces every secret the findings
// hold with its hint, wherever it appears in a text.
func newScrubber(found []investigate.Finding) func(string) string {
	var pairs []string
	for _, f := range found {
		if f.Secret.Len() >= minScrubLen {
			pairs = append(pairs, f.Secret.Reveal(), f.Secret.Hint())
		}
	}
	if len(pairs) == 0 {
		return func(s string) string { return s }
	}
	return strings.NewReplacer(pairs...).Replace
}

// Submitter sends the report (api/recovery.Client).
type Submitter interface {
	SubmitReport(ctx context.Context, report any) (string, error)
}

// Submit sends r and returns it with the ticket reference support gave.
func Submit(ctx context.Context, s Submitter, r Report) (Report, error) {
	ticket, err := s.SubmitReport(ctx, r)
	if err != nil {
		return r, fmt.Errorf("send the report to Mailjet support: %w", err)
	}
	r.Ticket = ticket
	return r, nil
}
