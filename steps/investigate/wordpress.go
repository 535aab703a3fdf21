package investigate

import (
	"bytes"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate/wpdata"
)

// wpVersion is the version declared in wp-includes/version.php.
type wpVersion struct {
	version string // as written, sanitized
	line    int
}

// parseWPVersion reads `$wp_version = 'X.Y.Z';`.
func parseWPVersion(content []byte) (wpVersion, bool) {
	const marker = "$wp_version"
	for off := 0; ; {
		i := bytes.Index(content[off:], []byte(marker))
		if i < 0 {
			return wpVersion{}, false
		}
		at := off + i
		off = at + len(marker)
		rest := bytes.TrimLeft(content[off:], " \t")
		if len(rest) == 0 || rest[0] != '=' {
			continue
		}
		rest = bytes.TrimLeft(rest[1:], " \t")
		if len(rest) == 0 || (rest[0] != '\'' && rest[0] != '"') {
			continue
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 1 || end > 64 {
			continue
		}
		v := string(rest[1 : 1+end])
		if !wpdata.IsVersion(v) {
			continue
		}
		return wpVersion{version: untrusted.Clean(v), line: 1 + bytes.Count(content[:at], []byte("\n"))}, true
	}
}

// foundVersion is a WordPress core version with where it was read.
type foundVersion struct {
	display string
	wp      wpVersion
}

// judgeWordPress compares a core version with the table: outdated, and
// in a known-vulnerable range (when a feed supplied ranges).
func judgeWordPress(display string, v wpVersion, table *wpdata.Table) []Finding {
	var out []Finding
	if f, ok := outdatedWordPress(display, v, table.Core.Latest, table.Core.OldestSupportedBranch); ok {
		out = append(out, f)
	}
	var hits []wpdata.Range
	for _, r := range table.Core.Vulnerable {
		if r.Contains(v.version) {
			hits = append(hits, r)
		}
	}
	if len(hits) > 0 {
		f := newFinding(RuleVulnerableWordPress, display, v.line)
		f.Severity = worstSeverity(hits)
		f.Facts = holes(&Facts{Version: v.version}, hits)
		f.Message = f.Say(nil)
		out = append(out, f)
	}
	return out
}

// outdatedWordPress judges a version against the release table.
func outdatedWordPress(display string, v wpVersion, latest, oldestBranch string) (Finding, bool) {
	if cmp, ok := wpdata.Compare(v.version, latest); !ok || cmp >= 0 {
		return Finding{}, false
	}
	f := newFinding(RuleOutdatedWordPress, display, v.line)
	f.Facts = &Facts{Version: v.version, Latest: latest}
	if cmp, ok := wpdata.Compare(wpdata.Branch(v.version), oldestBranch); ok && cmp < 0 {
		f.Severity = High
		f.Facts.Unsupported = true
	}
	f.Message = f.Say(nil)
	return f, true
}
