package investigate

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"

	"github.com/mjrecover/mjrecover/assets"
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
		if _, ok := parseVersion(v); !ok {
			continue
		}
		return wpVersion{version: untrusted.Clean(v), line: 1 + bytes.Count(content[:at], []byte("\n"))}, true
	}
}

// outdatedWordPress judges a version against the bundled release table.
func outdatedWordPress(display string, v wpVersion, table assets.WordPressTable) (Finding, bool) {
	if cmp, ok := compareVersions(v.version, table.Latest); !ok || cmp >= 0 {
		return Finding{}, false
	}
	f := newFinding(RuleOutdatedWordPress, display, v.line)
	f.Message = fmt.Sprintf("This website runs WordPress %s, but the latest version is %s. Old versions have security holes that attackers use to break in and steal passwords and keys: update WordPress.", v.version, table.Latest)
	if cmp, ok := compareVersions(branchOf(v.version), table.OldestSupportedBranch); ok && cmp < 0 {
		f.Severity = High
		f.Message = fmt.Sprintf("This website runs WordPress %s, which no longer gets any security fixes (the latest version is %s). Sites this old are broken into easily: update WordPress now.", v.version, table.Latest)
	}
	return f, true
}

// branchOf returns the major.minor branch of a version: "4.6.1" → "4.6".
func branchOf(v string) string {
	parts, ok := parseVersion(v)
	if !ok {
		return v
	}
	parts = append(parts, 0)[:2]
	return strconv.Itoa(parts[0]) + "." + strconv.Itoa(parts[1])
}

// compareVersions compares dotted versions number by number, so 6.10 is
// newer than 6.9 and 6.9 equals 6.9.0. Text after the numbers
// ("6.9-RC1") is ignored. ok is false when either has no number.
func compareVersions(a, b string) (int, bool) {
	pa, okA := parseVersion(a)
	pb, okB := parseVersion(b)
	if !okA || !okB {
		return 0, false
	}
	for i := range max(len(pa), len(pb)) {
		x, y := at(pa, i), at(pb, i)
		if x != y {
			if x < y {
				return -1, true
			}
			return 1, true
		}
	}
	return 0, true
}

// parseVersion reads the leading dotted numbers of v.
func parseVersion(v string) ([]int, bool) {
	end := 0
	for end < len(v) && (v[end] >= '0' && v[end] <= '9' || v[end] == '.') {
		end++
	}
	var parts []int
	for p := range strings.SplitSeq(strings.TrimRight(v[:end], "."), ".") {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, false
		}
		parts = append(parts, n)
	}
	return parts, len(parts) > 0
}

func at(p []int, i int) int {
	if i < len(p) {
		return p[i]
	}
	return 0
}
