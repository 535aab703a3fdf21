package investigate

import (
	"testing"

	"github.com/mjrecover/mjrecover/steps/investigate/wpdata"
)

func TestCompareVersions(t *testing.T) {
	cases := []struct {
		a, b string
		want int
		ok   bool
	}{
		{"6.10", "6.9", 1, true},
		{"6.9", "6.10", -1, true},
		{"6.9", "6.9.0", 0, true},
		{"5.8.1", "6.9", -1, true},
		{"6.9.1", "6.9", 1, true},
		{"6.9-RC1", "6.9", 0, true},
		{"10.0", "9.9.9", 1, true},
		{"", "6.9", 0, false},
		{"abc", "6.9", 0, false},
		{"99999999999999999999999", "6.9", 0, false},
	}
	for _, c := range cases {
		got, ok := wpdata.Compare(c.a, c.b)
		if got != c.want || ok != c.ok {
			t.Errorf("Compare(%q, %q) = %d, %v; want %d, %v", c.a, c.b, got, ok, c.want, c.ok)
		}
	}
}

func TestParseWPVersion(t *testing.T) {
	cases := map[string]wpVersion{
		"<?php\n/** @global string $wp_version */\n$wp_version = '5.8.1';\n": {"5.8.1", 3},
		"<?php $wp_version=\"6.4-alpha-56789-src\";":                         {"6.4-alpha-56789-src", 1},
	}
	for src, want := range cases {
		got, ok := parseWPVersion([]byte(src))
		if !ok || got != want {
			t.Errorf("parseWPVersion(%q) = %+v, %v; want %+v", src, got, ok, want)
		}
	}
	for _, src := range []string{"<?php $wp_version = get_version();", "<?php $wp_version = 'unknown';", "", "$wp_version = '"} {
		if got, ok := parseWPVersion([]byte(src)); ok {
			t.Errorf("parseWPVersion(%q) = %+v, want none", src, got)
		}
	}
}

func TestOutdatedWordPress(t *testing.T) {
	const latest, oldest = "6.9", "4.7"
	cases := []struct {
		version string
		flagged bool
		sev     Severity
	}{
		{"6.9", false, 0},
		{"6.10", false, 0}, // newer than the table: never flagged
		{"6.9.1", false, 0},
		{"6.8.3", true, Medium},
		{"4.7.0", true, Medium},
		{"4.6.29", true, High},
		{"3.9", true, High},
	}
	for _, c := range cases {
		f, ok := outdatedWordPress("site/wp-includes/version.php", wpVersion{c.version, 3}, latest, oldest)
		if ok != c.flagged || ok && (f.Severity != c.sev || f.Rule != RuleOutdatedWordPress || f.Line != 3 || f.Category != CategoryOutdated) {
			t.Errorf("%s: flagged %v %+v, want %v %v", c.version, ok, f, c.flagged, c.sev)
		}
	}
	f, _ := outdatedWordPress("v.php", wpVersion{"5.8.1", 1}, latest, oldest)
	if want := "This website runs WordPress 5.8.1, but the latest version is 6.9. Old versions have security holes that attackers use to break in and steal passwords and keys: update WordPress."; f.Message != want {
		t.Errorf("message %q, want %q", f.Message, want)
	}
}
