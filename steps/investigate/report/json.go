// Package report writes a scan's result for people (text) and for tools
// (JSON, SARIF 2.1.0). No secret is ever written: only its last four
// characters. All text from scanned content or names is free of control
// characters.
package report

import (
	"encoding/json"
	"io"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
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
}

type jsonStats struct {
	Files    int        `json:"files"`
	Bytes    int64      `json:"bytes"`
	Skipped  []jsonSkip `json:"skipped"`
	Duration float64    `json:"duration"` // seconds
}

type jsonSkip struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// JSON writes {"version":1,"findings":[...],"stats":{...}}.
func JSON(w io.Writer, res investigate.Result) error {
	r := jsonReport{Version: JSONVersion, Findings: []jsonFinding{}, Stats: jsonStats{
		Files: res.Stats.Files, Bytes: res.Stats.Bytes, Skipped: []jsonSkip{},
		Duration: res.Stats.Duration.Seconds(),
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
	return j
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
