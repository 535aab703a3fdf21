// Package wpdata holds what mjrecover knows about WordPress releases: the
// latest core release and the oldest branch still getting fixes, and for
// plugins a recent release and known-vulnerable version ranges. The
// bundled table ships in assets/data; a Wordfence Intelligence feed file
// can add to it (ParseWordfence, Table.Merge).
package wpdata

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/mjrecover/mjrecover/assets"
)

// Range is a span of versions with a known vulnerability.
type Range struct {
	From          string `json:"from"` // "" or "*": from the first version
	FromInclusive bool   `json:"from_inclusive"`
	To            string `json:"to"` // "" or "*": up to the latest
	ToInclusive   bool   `json:"to_inclusive"`
	Title         string `json:"title"`
	CVE           string `json:"cve,omitempty"`
	Severity      string `json:"severity,omitempty"` // critical, high, medium, low
	Fixed         string `json:"fixed,omitempty"`    // first fixed version, when known
}

// Contains reports whether version v is in the range. A version that does
// not parse is never in a range.
func (r Range) Contains(v string) bool {
	if !IsVersion(v) {
		return false
	}
	if !unbounded(r.From) {
		c, ok := Compare(v, r.From)
		if !ok || c < 0 || c == 0 && !r.FromInclusive {
			return false
		}
	}
	if !unbounded(r.To) {
		c, ok := Compare(v, r.To)
		if !ok || c > 0 || c == 0 && !r.ToInclusive {
			return false
		}
	}
	return true
}

func unbounded(v string) bool { return v == "" || v == "*" }

// Plugin is what the table knows about one plugin.
type Plugin struct {
	Slug       string  `json:"slug"`
	Name       string  `json:"name"`
	Latest     string  `json:"latest"` // a release known to exist when the table was checked
	Vulnerable []Range `json:"vulnerable"`
}

// Table is the WordPress data a scan compares against.
type Table struct {
	Core struct {
		Source                string
		Checked               string
		Latest                string
		OldestSupportedBranch string
		Vulnerable            []Range
	}
	PluginSource  string
	PluginChecked string
	Plugins       map[string]Plugin // by slug, lower case
}

// pluginFile is the layout of assets/data/wordpress-plugins.json.
type pluginFile struct {
	Source  string   `json:"source"`
	Checked string   `json:"checked"`
	Notes   string   `json:"notes"`
	Plugins []Plugin `json:"plugins"`
}

// Bundled returns the table shipped with mjrecover.
func Bundled() (*Table, error) {
	core, err := assets.WordPressReleases()
	if err != nil {
		return nil, err
	}
	t, err := ParsePlugins(assets.WordPressPluginsJSON())
	if err != nil {
		return nil, err
	}
	t.Core.Source, t.Core.Checked = core.Source, core.Checked
	t.Core.Latest, t.Core.OldestSupportedBranch = core.Latest, core.OldestSupportedBranch
	return t, nil
}

// ParsePlugins reads a plugin table in the bundled layout.
func ParsePlugins(data []byte) (*Table, error) {
	var f pluginFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("wordpress plugin table: %w", err)
	}
	if f.Source == "" || f.Checked == "" {
		return nil, errors.New("wordpress plugin table: source and checked date are required")
	}
	t := &Table{PluginSource: f.Source, PluginChecked: f.Checked, Plugins: map[string]Plugin{}}
	for _, p := range f.Plugins {
		slug := strings.ToLower(p.Slug)
		if slug == "" || p.Latest != "" && !IsVersion(p.Latest) {
			return nil, fmt.Errorf("wordpress plugin table: plugin %q: a slug and a version-shaped latest are required", p.Slug)
		}
		p.Slug = slug
		t.Plugins[slug] = p
	}
	return t, nil
}

// Merge returns a copy of t with feed's vulnerable ranges added (and
// plugins t does not know); t's latest versions are kept.
func (t *Table) Merge(feed *Table) *Table {
	out := *t
	out.Plugins = maps.Clone(t.Plugins)
	if out.Plugins == nil {
		out.Plugins = map[string]Plugin{}
	}
	out.Core.Vulnerable = append(append([]Range{}, t.Core.Vulnerable...), feed.Core.Vulnerable...)
	for slug, p := range feed.Plugins {
		have, ok := out.Plugins[slug]
		if !ok {
			out.Plugins[slug] = p
			continue
		}
		have.Vulnerable = append(append([]Range{}, have.Vulnerable...), p.Vulnerable...)
		if have.Name == "" {
			have.Name = p.Name
		}
		out.Plugins[slug] = have
	}
	if feed.PluginSource != "" {
		out.PluginSource = strings.TrimSpace(out.PluginSource + "; " + feed.PluginSource)
	}
	return &out
}
