package wpdata

import (
	"os"
	"strings"
	"testing"
)

func TestRangeContains(t *testing.T) {
	r := Range{From: "6.0", FromInclusive: true, To: "6.8", ToInclusive: true}
	for v, want := range map[string]bool{"5.9": false, "6.0": true, "6.4.1": true, "6.8": true, "6.8.1": false, "6.9": false, "x": false} {
		if got := r.Contains(v); got != want {
			t.Errorf("[6.0, 6.8] contains %q = %v, want %v", v, got, want)
		}
	}
	open := Range{From: "*", To: "1.3.28"}
	if !open.Contains("0.1") || open.Contains("1.3.28") || !open.Contains("1.3.27.9") {
		t.Error("(*, 1.3.28): bounds")
	}
	excl := Range{From: "2.0", FromInclusive: false, To: ""}
	if excl.Contains("2.0") || !excl.Contains("2.0.1") || !excl.Contains("99") {
		t.Error("(2.0, *): bounds")
	}
}

func TestCompareAndBranch(t *testing.T) {
	if c, ok := Compare("1.1.1.1.1.1.1.1.1", "1"); ok {
		t.Errorf("nine parts accepted (%d)", c)
	}
	if Branch("4.6.1") != "4.6" || Branch("5") != "5.0" || Branch("x") != "x" {
		t.Error("Branch")
	}
}

func TestBundledTable(t *testing.T) {
	tb, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if tb.Core.Latest == "" || tb.PluginSource == "" || tb.PluginChecked == "" || len(tb.Plugins) < 5 {
		t.Fatalf("bundled table incomplete: %+v", tb)
	}
	for slug, p := range tb.Plugins {
		if p.Latest == "" && len(p.Vulnerable) == 0 {
			t.Errorf("%s: says nothing", slug)
		}
		for _, r := range p.Vulnerable {
			if r.Title == "" || r.Fixed == "" || r.Contains(p.Latest) {
				t.Errorf("%s: range %+v without title or fix, or holding the latest release", slug, r)
			}
		}
	}
}

func TestParsePluginsRejectsBadTables(t *testing.T) {
	for _, src := range []string{`{`, `{"plugins":[]}`, `{"source":"s","checked":"c","plugins":[{"slug":"","latest":"1"}]}`,
		`{"source":"s","checked":"c","plugins":[{"slug":"a","latest":"soon"}]}`} {
		if _, err := ParsePlugins([]byte(src)); err == nil {
			t.Errorf("ParsePlugins(%s): want an error", src)
		}
	}
}

func TestParseWordfence(t *testing.T) {
	f, err := os.Open("../testdata/wordfence-feed.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	feed, err := ParseWordfence(f, "fixture")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := feed.Plugins["wp-mail-smtp"]
	if !ok || len(p.Vulnerable) != 1 || p.Vulnerable[0].Fixed != "3.11.2" || p.Vulnerable[0].Severity != "high" || !p.Vulnerable[0].Contains("3.11.1") {
		t.Errorf("wp-mail-smtp: %+v", p)
	}
	if len(feed.Core.Vulnerable) != 1 || !feed.Core.Vulnerable[0].Contains("6.4.3") {
		t.Errorf("core: %+v", feed.Core.Vulnerable)
	}
	if _, ok := feed.Plugins["some-theme"]; ok {
		t.Error("a theme became a plugin")
	}
	merged := (&Table{Plugins: map[string]Plugin{"wp-mail-smtp": {Slug: "wp-mail-smtp", Latest: "4.0.0"}}}).Merge(feed)
	if m := merged.Plugins["wp-mail-smtp"]; m.Latest != "4.0.0" || len(m.Vulnerable) != 1 || m.Name != "WP Mail SMTP" {
		t.Errorf("merged: %+v", m)
	}
	for _, bad := range []string{``, `[]`, `{"a": 1}`, `{"a": {"software": "x"}}`, `{"a": {}`} {
		if _, err := ParseWordfence(strings.NewReader(bad), "bad"); err == nil {
			t.Errorf("ParseWordfence(%q): want an error", bad)
		}
	}
}
