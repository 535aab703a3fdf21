package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

// InformationURI is where the tool is described.
const InformationURI = "https://github.com/mjrecover/mjrecover"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	ColumnKind  string            `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           map[string]any  `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool `json:"executionSuccessful"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

// SARIF writes a SARIF 2.1.0 log with one run; it is valid with no
// findings too.
func SARIF(w io.Writer, res investigate.Result, toolVersion string) error {
	ids := investigate.Rules()
	index := map[string]int{}
	rules := make([]sarifRule, 0, len(ids))
	for i, id := range ids {
		info, _ := investigate.DescribeRule(id)
		index[id] = i
		rules = append(rules, sarifRule{
			ID:                   id,
			Name:                 ruleName(id),
			ShortDescription:     sarifText{info.Kind},
			FullDescription:      sarifText{fullDescription(info)},
			DefaultConfiguration: sarifRuleConfig{level(info.Severity)},
			Properties: map[string]any{
				"category":          string(info.Category),
				"tags":              []string{"security", string(info.Category)},
				"security-severity": securitySeverity(info.Severity),
			},
		})
	}
	results := []sarifResult{}
	for _, f := range res.Findings {
		i, ok := index[f.Rule]
		if !ok {
			continue
		}
		loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(f.Path)}}}
		if f.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Line}
		}
		props := map[string]any{"severity": f.Severity.String(), "category": string(f.Category), "path": untrusted.Clean(f.Path)}
		if a := f.Access; a != nil {
			// Where the log says it: the line of the first download.
			loc = sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(a.Log)}}}
			if a.LogLine > 0 {
				loc.PhysicalLocation.Region = &sarifRegion{StartLine: int(a.LogLine)}
			}
			addAccess(props, a)
		}
		if f.APIKey != "" {
			props["api_key"] = untrusted.Clean(f.APIKey)
		}
		if l := f.Secret.Last4(); l != "" {
			props["secret_last4"] = untrusted.Clean(l)
		}
		v, reason := verified(f)
		props["verified"] = v
		props["verified_reason"] = reason
		results = append(results, sarifResult{
			RuleID:    f.Rule,
			RuleIndex: i,
			Level:     level(f.Severity),
			Message:   sarifText{untrusted.Clean(f.Kind + ": " + f.Message)},
			Locations: []sarifLocation{loc},
			PartialFingerprints: map[string]string{
				"mjrecoverFinding/v1": fingerprint(f),
			},
			Properties: props,
		})
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:        sarifTool{sarifDriver{Name: "mjrecover", Version: toolVersion, InformationURI: InformationURI, Rules: rules}},
			Invocations: []sarifInvocation{{ExecutionSuccessful: true}},
			Results:     results,
			ColumnKind:  "utf16CodeUnits",
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// addAccess puts what the access log says in a result's properties.
func addAccess(props map[string]any, a *investigate.Access) {
	if a.URLPath != "" {
		props["url_path"] = untrusted.Clean(a.URLPath)
	}
	props["client_ip"] = untrusted.Clean(a.Client)
	if a.UserAgent != "" {
		props["user_agent"] = untrusted.Clean(a.UserAgent)
	}
	props["first_seen"] = a.First.UTC().Format(time.RFC3339)
	props["last_seen"] = a.Last.UTC().Format(time.RFC3339)
	props["count"] = a.Count
	if len(a.Paths) > 0 {
		paths := make([]string, len(a.Paths))
		for i, p := range a.Paths {
			paths[i] = untrusted.Clean(p)
		}
		props["paths"] = paths
	}
}

// ruleName is a rule id in PascalCase: mailjet-pair → MailjetPair.
func ruleName(id string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func fullDescription(info investigate.RuleInfo) string {
	if info.Message == "" {
		return info.Kind + "."
	}
	return info.Kind + ". " + info.Message
}

func level(s investigate.Severity) string {
	switch s {
	case investigate.Critical, investigate.High:
		return "error"
	case investigate.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity is GitHub code scanning's 0-10 score for a severity.
func securitySeverity(s investigate.Severity) string {
	switch s {
	case investigate.Critical:
		return "9.5"
	case investigate.High:
		return "8.0"
	case investigate.Medium:
		return "5.0"
	}
	return "2.0"
}

// artifactURI turns a finding's path into a URI reference: web addresses
// as they are, paths percent-escaped segment by segment (the ! of archive
// entries and the @ of history versions are allowed in a path), absolute
// paths as file:// URIs.
func artifactURI(p string) string {
	p = untrusted.Clean(p)
	if investigate.IsURL(p) {
		if u, err := url.Parse(p); err == nil {
			return u.String()
		}
	}
	slash := filepath.ToSlash(p)
	segs := strings.Split(slash, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	escaped := strings.Join(segs, "/")
	if strings.HasPrefix(slash, "/") {
		return "file://" + escaped
	}
	if len(slash) >= 2 && slash[1] == ':' { // C:/... on Windows
		return "file:///" + escaped
	}
	return escaped
}

// fingerprint identifies a finding across runs without the secret.
func fingerprint(f investigate.Finding) string {
	parts := []string{f.Rule, f.Path, f.APIKey, f.Secret.Last4()}
	if a := f.Access; a != nil {
		parts = append(parts, a.Client, a.URLPath) // one result per client and address
	}
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
}
