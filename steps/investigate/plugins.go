package investigate

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate/wpdata"
)

// pluginFile is a file that may state a WordPress plugin's version.
type pluginFile struct {
	slug   string // folder name under wp-content/plugins, lower case
	dir    string // the plugin's folder (or single file), slash path, for grouping
	header bool   // a PHP file that may carry the plugin header; else readme.txt
}

// pluginFileOf recognises wp-content/plugins/SLUG/readme.txt,
// wp-content/plugins/SLUG/FILE.php and wp-content/plugins/FILE.php.
func pluginFileOf(slash string) pluginFile {
	lower := strings.ToLower(slash)
	const marker = "wp-content/plugins/"
	i := strings.LastIndex(lower, marker)
	if i < 0 || i > 0 && lower[i-1] != '/' {
		return pluginFile{}
	}
	base := slash[:i+len(marker)]
	rest := lower[i+len(marker):]
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 1 && strings.HasSuffix(parts[0], ".php"):
		return pluginFile{slug: strings.TrimSuffix(parts[0], ".php"), dir: slash, header: true}
	case len(parts) == 2 && parts[1] == "readme.txt":
		return pluginFile{slug: parts[0], dir: base + parts[0]}
	case len(parts) == 2 && strings.HasSuffix(parts[1], ".php"):
		return pluginFile{slug: parts[0], dir: base + parts[0], header: true}
	}
	return pluginFile{}
}

// pluginVersion is a version found in a plugin's file.
type pluginVersion struct {
	version string
	line    int
	name    string // from the header's Plugin Name, sanitized
}

// foundPlugin is a plugin version with where it was read.
type foundPlugin struct {
	display string
	file    pluginFile
	v       pluginVersion
}

// pluginHeaderLen: WordPress reads plugin headers from a file's first 8 KiB.
const pluginHeaderLen = 8 << 10

// parsePluginVersion reads "Version:" from a plugin header (which must
// also have "Plugin Name:") or "Stable tag:" from readme.txt.
func parsePluginVersion(f pluginFile, content []byte) (pluginVersion, bool) {
	head := content[:min(len(content), pluginHeaderLen)]
	if f.header {
		name, _, ok := headerField(head, "plugin name")
		if !ok {
			return pluginVersion{}, false
		}
		v, line, ok := headerField(head, "version")
		if !ok || !wpdata.IsVersion(v) {
			return pluginVersion{}, false
		}
		return pluginVersion{version: v, line: line, name: name}, true
	}
	v, line, ok := headerField(head, "stable tag")
	if !ok || !wpdata.IsVersion(v) {
		return pluginVersion{}, false
	}
	return pluginVersion{version: v, line: line}, true
}

// headerField finds "Field: value" at the start of a line (after comment
// marks such as " * "), case-insensitively; the value is sanitized.
func headerField(b []byte, field string) (string, int, bool) {
	for lineNo := 1; len(b) > 0; lineNo++ {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		line = bytes.TrimLeft(line, " \t*#/")
		if len(line) <= len(field) || !equalFoldASCII(line[:len(field)], field) || line[len(field)] != ':' {
			continue
		}
		v := strings.TrimSpace(string(line[len(field)+1:]))
		if v == "" || len(v) > 100 {
			continue
		}
		return untrusted.Clean(v), lineNo, true
	}
	return "", 0, false
}

// judgePlugins compares the plugins found with the table: one finding per
// plugin, the header's version first (it is the installed code's), else
// readme.txt's.
func judgePlugins(found []foundPlugin, table *wpdata.Table) []Finding {
	best := map[string]foundPlugin{}
	var order []string
	for _, p := range found {
		have, ok := best[p.file.dir]
		if !ok {
			order = append(order, p.file.dir)
		}
		if !ok || p.file.header && !have.file.header {
			best[p.file.dir] = p
		}
	}
	var out []Finding
	for _, dir := range order {
		if f, ok := judgePlugin(best[dir], table); ok {
			out = append(out, f)
		}
	}
	return out
}

func judgePlugin(p foundPlugin, table *wpdata.Table) (Finding, bool) {
	known, ok := table.Plugins[p.file.slug]
	if !ok {
		return Finding{}, false
	}
	name := known.Name
	if name == "" {
		name = p.v.name
	}
	label := fmt.Sprintf("%s (%s) %s", untrusted.Clean(name), untrusted.Clean(p.file.slug), p.v.version)
	var hits []wpdata.Range
	for _, r := range known.Vulnerable {
		if r.Contains(p.v.version) {
			hits = append(hits, r)
		}
	}
	if len(hits) > 0 {
		f := newFinding(RuleVulnerablePlugin, p.display, p.v.line)
		f.Severity = worstSeverity(hits)
		f.Facts = holes(&Facts{Plugin: label}, hits)
		f.Message = f.Say(nil)
		return f, true
	}
	if known.Latest == "" {
		return Finding{}, false
	}
	if c, ok := wpdata.Compare(p.v.version, known.Latest); !ok || c >= 0 {
		return Finding{}, false
	}
	f := newFinding(RuleOutdatedPlugin, p.display, p.v.line)
	f.Facts = &Facts{Plugin: label, Latest: known.Latest}
	f.Message = f.Say(nil)
	return f, true
}

// holes adds the known security holes to x: the first described, and
// how many there are.
func holes(x *Facts, hits []wpdata.Range) *Facts {
	first := hits[0]
	desc := untrusted.Clean(first.Title)
	if len(desc) > 160 {
		desc = desc[:160] + "…"
	}
	if first.CVE != "" {
		desc += " (" + untrusted.Clean(first.CVE) + ")"
	}
	x.Holes, x.Hole = len(hits), desc
	if first.Fixed != "" {
		x.Fixed = untrusted.Clean(first.Fixed)
	}
	return x
}

func worstSeverity(hits []wpdata.Range) Severity {
	worst := Low
	for _, r := range hits {
		s := High // unrated holes count as high
		switch strings.ToLower(r.Severity) {
		case "critical":
			s = Critical
		case "medium":
			s = Medium
		case "low":
			s = Low
		}
		worst = min(worst, s)
	}
	return worst
}
