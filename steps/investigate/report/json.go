// Package report writes a scan's result for people (text) and for tools
// (JSON, SARIF 2.1.0). No secret is ever written: only its last four
// characters. All text from scanned content or names is free of control
// characters.
package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/investigate/accesslog"
)

// JSONVersion is the version of the JSON layout.
const JSONVersion = 1

type jsonReport struct {
	Version  int           `json:"version"`
	Findings []jsonFinding `json:"findings"`
	Stats    jsonStats     `json:"stats"`
}

type jsonFinding struct {
	Rule           string  `json:"rule"`
	Category       string  `json:"category"`
	Severity       string  `json:"severity"`
	Path           string  `json:"path"`
	Line           int     `json:"line"`
	APIKey         *string `json:"api_key"`
	Secret         *string `json:"secret"` // last four characters only
	Kind           string  `json:"kind"`
	Message        string  `json:"message"`
	Verified       *bool   `json:"verified"`
	VerifiedReason string  `json:"verified_reason,omitempty"`

	// Download and probe findings: what the access logs say.
	URLPath   string     `json:"url_path,omitempty"`
	ClientIP  string     `json:"client_ip,omitempty"`
	UserAgent string     `json:"user_agent,omitempty"`
	FirstSeen *time.Time `json:"first_seen,omitempty"` // UTC
	LastSeen  *time.Time `json:"last_seen,omitempty"`
	Count     int64      `json:"count,omitempty"`
	Paths     []string   `json:"paths,omitempty"` // probes: the addresses tried
	Statuses  []int      `json:"statuses,omitempty"`
	Log       string     `json:"log,omitempty"`
	LogLine   int64      `json:"log_line,omitempty"`
	// Modified is an exposed file's last change (UTC).
	Modified *time.Time `json:"modified,omitempty"`
}

type jsonStats struct {
	Files    int        `json:"files"`
	Bytes    int64      `json:"bytes"`
	Skipped  []jsonSkip `json:"skipped"`
	Duration float64    `json:"duration"` // seconds
	// Logs says how each access log was read (omitted when none was).
	Logs []accesslog.FileReport `json:"logs,omitempty"`
}

type jsonSkip struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// JSON writes {"version":1,"findings":[...],"stats":{...}}.
func JSON(w io.Writer, res investigate.Result) error {
	r := jsonReport{Version: JSONVersion, Findings: []jsonFinding{}, Stats: jsonStats{
		Files: res.Stats.Files, Bytes: res.Stats.Bytes, Skipped: []jsonSkip{},
		Duration: res.Stats.Duration.Seconds(), Logs: cleanLogs(res.Logs),
	}}
	for _, f := range res.Findings {
		r.Findings = append(r.Findings, toJSON(f))
	}
	for _, s := range res.Stats.Skipped {
		r.Stats.Skipped = append(r.Stats.Skipped, jsonSkip{untrusted.Clean(s.Path), untrusted.Clean(s.Reason)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func toJSON(f investigate.Finding) jsonFinding {
	j := jsonFinding{
		Rule: f.Rule, Category: string(f.Category), Severity: f.Severity.String(),
		Path: untrusted.Clean(f.Path), Line: f.Line, Kind: untrusted.Clean(f.Kind), Message: untrusted.Clean(f.Message),
	}
	if f.APIKey != "" {
		k := untrusted.Clean(f.APIKey)
		j.APIKey = &k
	}
	if l := f.Secret.Last4(); l != "" {
		l = untrusted.Clean(l)
		j.Secret = &l
	}
	j.Verified, j.VerifiedReason = verified(f)
	if !f.Modified.IsZero() {
		t := f.Modified.UTC()
		j.Modified = &t
	}
	if a := f.Access; a != nil {
		first, last := a.First.UTC(), a.Last.UTC()
		j.URLPath, j.ClientIP, j.UserAgent = untrusted.Clean(a.URLPath), untrusted.Clean(a.Client), untrusted.Clean(a.UserAgent)
		j.FirstSeen, j.LastSeen, j.Count, j.Statuses = &first, &last, a.Count, a.Statuses
		j.Log, j.LogLine = untrusted.Clean(a.Log), a.LogLine
		for _, p := range a.Paths {
			j.Paths = append(j.Paths, untrusted.Clean(p))
		}
	}
	return j
}

// cleanLogs strips control characters from the names and reasons in the
// log reports (they name files and quote errors).
func cleanLogs(in []accesslog.FileReport) []accesslog.FileReport {
	out := make([]accesslog.FileReport, len(in))
	for i, r := range in {
		r.Path, r.Error, r.Skipped = untrusted.Clean(r.Path), untrusted.Clean(r.Error), untrusted.Clean(r.Skipped)
		out[i] = r
	}
	return out
}

// verified maps a verdict to true, false or null with the reason.
func verified(f investigate.Finding) (*bool, string) {
	yes, no := true, false
	switch f.Verified {
	case investigate.Live:
		return &yes, untrusted.Clean(f.VerifyNote)
	case investigate.Refused:
		return &no, untrusted.Clean(f.VerifyNote)
	}
	switch {
	case f.VerifyNote != "":
		return nil, untrusted.Clean(f.VerifyNote)
	case f.Category != investigate.CategoryCredential:
		return nil, "not a credential"
	}
	return nil, "not checked (use --verify)"
}
