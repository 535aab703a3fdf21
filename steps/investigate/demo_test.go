package investigate

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/assets"
)

// The demo account's values (api/sandbox): copied, not imported.
const (
	demoMasterKey     = "4a91a1b977547f206f136fc678d365fa"
	demoShopKey       = "06d340744b2965d3e85f7cef673379ff"
	demoNewsletterKey = "a28aa0259d148b8f4d5932967d97c758"
)

func TestScanDemoWebRoot(t *testing.T) {
	root, err := assets.ExtractDemo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	res := scan(t, Options{Roots: []string{root}})
	assertHits(t, root, res.Findings, []hit{
		{RuleMailjetPair, "laravel/.env", 22, demoMasterKey, "590b"},
		{RuleMailjetPair, "public_html/.env.bak", 5, demoMasterKey, "590b"},
		{RuleMailjetPair, "public_html/wp-config.php", 50, demoShopKey, "cbd5"},
		{RuleMailjetPair, "public_html/wp-config.php.bak", 18, demoShopKey, "cbd5"},
		{RuleExposedEnv, "public_html/.env.bak", 0, "", ""},
		{RuleExposedGit, "public_html/.git", 0, "", ""},
		{RuleExposedWPBackup, "public_html/wp-config.php.bak", 0, "", ""},
		{RuleExposedPhpinfo, "public_html/info.php", 0, "", ""},
		{RuleOutdatedWordPress, "public_html/wp-includes/version.php", 16, "", ""},
	})
	for _, f := range res.Findings {
		if f.Rule == RuleOutdatedWordPress && (f.Severity != Medium || !strings.Contains(f.Message, "WordPress 5.8.1")) {
			t.Errorf("outdated WordPress: severity %v message %q", f.Severity, f.Message)
		}
		if f.Rule == RuleMailjetPair && (f.Secret.Reveal() != "f31975f7f33e4bcb57d79293d9ea590b" && f.Secret.Reveal() != "e8b9bbc4ab9dfe2bf8fb18889ed4cbd5") {
			t.Errorf("%s: unexpected secret %s", f.Path, f.Secret.Hint())
		}
	}
	if keys := LeakedKeys(res.Findings); len(keys) != 2 || !keys[demoMasterKey] || !keys[demoShopKey] {
		t.Errorf("leaked keys %v, want the master and Shop keys only", keys)
	}
	if len(res.Stats.Skipped) != 0 {
		t.Errorf("skipped %v, want none", res.Stats.Skipped)
	}
	// The Newsletter key is not leaked anywhere in the demo.
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), demoNewsletterKey) {
			t.Errorf("%s contains the Newsletter key", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
