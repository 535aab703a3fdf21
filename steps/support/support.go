// Package support builds the report the customer sends to Mailjet support
// once recovery is done: what each step did, what the investigation
// found (redacted), the likely root cause and the advice that follows.
//
// CONTRACT STUB: signatures are fixed; bodies are being implemented.
package support

import (
	"context"
	"errors"
	"time"

	"github.com/mjrecover/mjrecover/steps/investigate"
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
	Detail string `json:"detail"`
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
	Message  string `json:"message"`
}

// Report is what support receives.
type Report struct {
	Version   string         `json:"version"`
	CreatedAt time.Time      `json:"created_at"`
	Account   string         `json:"account"`
	MasterKey string         `json:"master_api_key,omitempty"`
	Steps     []StepResult   `json:"steps"`
	Findings  []Finding      `json:"findings"`
	Counts    map[string]int `json:"counts"` // per severity
	RootCause string         `json:"likely_root_cause"`
	Advice    []string       `json:"advice"`
	Ticket    string         `json:"ticket,omitempty"`
}

// Input is what the wizard knows at the end.
type Input struct {
	Version   string
	Now       time.Time
	Account   string
	MasterKey string
	Steps     []StepResult
	Findings  []investigate.Finding
}

// Build assembles the report.
func Build(in Input) Report { return Report{} }

// Markdown renders the report for people.
func (r Report) Markdown() string { return "" }

// Submitter sends the report (api/recovery.Client).
type Submitter interface {
	SubmitReport(ctx context.Context, report any) (string, error)
}

// Write saves the report as Markdown and JSON (0600) in dir, with names
// from the report's time; it returns both paths.
func Write(dir string, r Report) (mdPath, jsonPath string, err error) {
	return "", "", errors.New("not implemented")
}
