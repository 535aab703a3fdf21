package wpdata

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The Wordfence Intelligence v2 vulnerability feed is one JSON object:
// record id → record. Only what a scan needs is read.
type wfRecord struct {
	Title    string `json:"title"`
	CVE      string `json:"cve"`
	Software []struct {
		Type             string                `json:"type"`
		Name             string                `json:"name"`
		Slug             string                `json:"slug"`
		AffectedVersions map[string]wfAffected `json:"affected_versions"`
		PatchedVersions  []string              `json:"patched_versions"`
	} `json:"software"`
	CVSS struct {
		Rating string `json:"rating"`
	} `json:"cvss"`
}

type wfAffected struct {
	FromVersion   string `json:"from_version"`
	FromInclusive bool   `json:"from_inclusive"`
	ToVersion     string `json:"to_version"`
	ToInclusive   bool   `json:"to_inclusive"`
}

// maxFeedRecords bounds what a feed file can make us hold; the real feed
// has some tens of thousands.
const maxFeedRecords = 500_000

// ParseWordfence reads a Wordfence Intelligence v2 feed ("production" or
// "scanner" layout) record by record, so the file is never held whole.
// Plugin and core records are kept; themes are not checked.
func ParseWordfence(r io.Reader, source string) (*Table, error) {
	dec := json.NewDecoder(r)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("wordfence feed: not a JSON object of records")
	}
	t := &Table{PluginSource: source, Plugins: map[string]Plugin{}}
	for n := 0; dec.More(); n++ {
		if n == maxFeedRecords {
			return nil, errors.New("wordfence feed: too many records")
		}
		if _, err := dec.Token(); err != nil { // the record id
			return nil, fmt.Errorf("wordfence feed: %w", err)
		}
		var rec wfRecord
		if err := dec.Decode(&rec); err != nil {
			return nil, fmt.Errorf("wordfence feed: record %d: %w", n+1, err)
		}
		t.add(rec)
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("wordfence feed: %w", err)
	}
	return t, nil
}

func (t *Table) add(rec wfRecord) {
	for _, sw := range rec.Software {
		var ranges []Range
		for _, a := range sw.AffectedVersions {
			r := Range{
				From: a.FromVersion, FromInclusive: a.FromInclusive,
				To: a.ToVersion, ToInclusive: a.ToInclusive,
				Title: rec.Title, CVE: rec.CVE, Severity: strings.ToLower(rec.CVSS.Rating),
			}
			if len(sw.PatchedVersions) > 0 {
				r.Fixed = sw.PatchedVersions[0]
			}
			ranges = append(ranges, r)
		}
		slug := strings.ToLower(sw.Slug)
		switch {
		case sw.Type == "core":
			t.Core.Vulnerable = append(t.Core.Vulnerable, ranges...)
		case sw.Type == "plugin" && slug != "":
			p := t.Plugins[slug]
			p.Slug, p.Name = slug, sw.Name
			p.Vulnerable = append(p.Vulnerable, ranges...)
			t.Plugins[slug] = p
		}
	}
}
