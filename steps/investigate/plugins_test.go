package investigate

import (
	"os"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/steps/investigate/wpdata"
)

func TestScanJudgesWordPressPlugins(t *testing.T) {
	const root = "testdata/wordpress"
	res := scan(t, Options{Roots: []string{root}})
	assertHits(t, root, res.Findings, []hit{
		// Header version (5.3.1) in the known-vulnerable range of CVE-2020-35489.
		{RuleVulnerablePlugin, "wp-content/plugins/contact-form-7/wp-contact-form-7.php", 4, "", ""},
		{RuleVulnerablePlugin, "wp-content/plugins/wp-file-manager/file_folder_manager.php", 4, "", ""},
		{RuleOutdatedPlugin, "wp-content/plugins/wp-mail-smtp/readme.txt", 2, "", ""},
		{RuleOutdatedWordPress, "wp-includes/version.php", 2, "", ""},
	})
	for _, f := range res.Findings {
		switch f.Rule {
		case RuleVulnerablePlugin:
			if f.Severity != Critical || f.Category != CategoryOutdated || !strings.Contains(f.Message, "CVE-20") {
				t.Errorf("%s: %v %q", f.Path, f.Severity, f.Message)
			}
		case RuleOutdatedPlugin:
			if want := "The plugin WP Mail SMTP (wp-mail-smtp) 3.11.1 is older than version 4.0.0."; !strings.HasPrefix(f.Message, want) {
				t.Errorf("message %q, want it to start %q", f.Message, want)
			}
		}
	}
}

func TestScanWithWordfenceFeed(t *testing.T) {
	f, err := os.Open("testdata/wordfence-feed.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	feed, err := wpdata.ParseWordfence(f, "fixture feed")
	if err != nil {
		t.Fatal(err)
	}
	bundled, err := wpdata.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	const root = "testdata/wordpress"
	res := scan(t, Options{Roots: []string{root}, WordPress: bundled.Merge(feed)})
	assertHits(t, root, res.Findings, []hit{
		{RuleVulnerablePlugin, "wp-content/plugins/contact-form-7/wp-contact-form-7.php", 4, "", ""},
		{RuleVulnerablePlugin, "wp-content/plugins/wp-file-manager/file_folder_manager.php", 4, "", ""},
		{RuleVulnerablePlugin, "wp-content/plugins/wp-mail-smtp/readme.txt", 2, "", ""},
		{RuleOutdatedWordPress, "wp-includes/version.php", 2, "", ""},
		{RuleVulnerableWordPress, "wp-includes/version.php", 2, "", ""},
	})
	for _, f := range res.Findings {
		if f.Rule == RuleVulnerablePlugin && strings.Contains(f.Path, "wp-mail-smtp") {
			want := "The plugin WP Mail SMTP (wp-mail-smtp) 3.11.1 has a known security hole: WP Mail SMTP <= 3.11.1 - Test Vulnerability (CVE-2099-0001). Fixed in version 3.11.2."
			if f.Severity != High || !strings.HasPrefix(f.Message, want) {
				t.Errorf("feed finding %v %q, want high %q…", f.Severity, f.Message, want)
			}
		}
		if f.Rule == RuleVulnerableWordPress && f.Severity != Medium {
			t.Errorf("core finding severity %v, want medium from the feed's rating", f.Severity)
		}
	}
}

func TestPluginFileOf(t *testing.T) {
	cases := map[string]pluginFile{
		"site/wp-content/plugins/akismet/readme.txt":  {slug: "akismet", dir: "site/wp-content/plugins/akismet"},
		"wp-content/plugins/akismet/akismet.php":      {slug: "akismet", dir: "wp-content/plugins/akismet", header: true},
		"wp-content/plugins/hello.php":                {slug: "hello", dir: "wp-content/plugins/hello.php", header: true},
		"wp-content/plugins/akismet/views/config.php": {},
		"my-wp-content/plugins/a/readme.txt":          {},
		"wp-content/themes/a/readme.txt":              {},
	}
	for in, want := range cases {
		if got := pluginFileOf(in); got != want {
			t.Errorf("pluginFileOf(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestParsePluginVersion(t *testing.T) {
	header := pluginFile{slug: "a", header: true}
	readme := pluginFile{slug: "a"}
	cases := []struct {
		f    pluginFile
		src  string
		want string
		line int
	}{
		{header, "<?php\n/**\n * Plugin Name: A\n * Version: 1.2.3\n */", "1.2.3", 4},
		{header, "<?php\n# Plugin Name: A\n# version:2.0-beta\n", "2.0-beta", 3},
		{header, "<?php\n/* Version: 1.2.3 */\n", "", 0}, // no Plugin Name: not a main file
		{readme, "=== A ===\nStable tag: 4.5\n", "4.5", 2},
		{readme, "=== A ===\nStable tag: trunk\n", "", 0},
		{readme, "Stable tag:\n", "", 0},
	}
	for _, c := range cases {
		got, ok := parsePluginVersion(c.f, []byte(c.src))
		if got.version != c.want || got.line != c.line || ok != (c.want != "") {
			t.Errorf("parsePluginVersion(%q) = %+v %v, want %q line %d", c.src, got, ok, c.want, c.line)
		}
	}
}
