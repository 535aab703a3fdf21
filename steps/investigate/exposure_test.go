package investigate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScanSiteExposures(t *testing.T) {
	const root = "testdata/site"
	res := scan(t, Options{Roots: []string{root}})
	assertHits(t, root, res.Findings, []hit{
		// app/.env sits next to app/public/: normal config, only its keys count.
		{RuleMailjetPair, "app/.env", 3, "a1f7e3a0c59d0d585484eea38e1c3765", "6132"},
		{RuleMailjetPair, "public_html/.env", 3, "7ae5554dfb994a3d7b0e476e620e981a", "a41c"},
		// blog/ is a web root because it holds wp-config.php.
		{RuleExposedEnv, "blog/.env.local", 0, "", ""},
		{RuleExposedEnv, "public_html/.env", 0, "", ""},
		{RuleExposedEnv, "public_html/.env.production", 0, "", ""},
		{RuleExposedWPBackup, "public_html/.wp-config.php.swp", 0, "", ""},
		{RuleExposedWPBackup, "public_html/wp-config.bak", 0, "", ""},
		{RuleExposedWPBackup, "public_html/wp-config.php.backup", 0, "", ""},
		{RuleExposedWPBackup, "public_html/wp-config.php.save", 0, "", ""},
		{RuleExposedWPBackup, "public_html/wp-config.php~", 0, "", ""},
		{RuleExposedWPBackup, "public_html/wp-config.txt", 0, "", ""},
		// 4.6 is older than the oldest branch still getting security fixes.
		{RuleOutdatedWordPress, "public_html/wp-includes/version.php", 2, "", ""},
		{RuleExposedPhpinfo, "public_html/phpinfo.php", 0, "", ""},
		{RuleExposedLog, "public_html/wp-content/debug.log", 0, "", ""},
		{RuleExposedLog, "www/storage/logs/laravel-2024-05-14.log", 0, "", ""},
	})
	for _, f := range res.Findings {
		if f.Rule == RuleOutdatedWordPress {
			if f.Severity != High || f.Category != CategoryOutdated {
				t.Errorf("outdated WordPress 4.6.1: severity %v category %q, want high outdated-software", f.Severity, f.Category)
			}
			if want := "This website runs WordPress 4.6.1, which no longer gets any security fixes (the latest version is 7.0). Sites this old are broken into easily: update WordPress now."; f.Message != want {
				t.Errorf("message %q, want %q", f.Message, want)
			}
		}
	}
	// logo.png holds a credential but media files are not read, nor listed as skipped.
	if len(res.Stats.Skipped) != 0 || res.Stats.Files != 21 {
		t.Errorf("files %d skipped %v, want 21 and none", res.Stats.Files, res.Stats.Skipped)
	}
}

func TestScanRootIsWebRootWhenNothingBelowIs(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		".env":                  "APP_ENV=production\n",
		"assets/app.js":         "console.log(1)\n",
		"backup/wp-config.orig": "<?php define('DB_PASSWORD', 'x');\n",
	})
	res := scan(t, Options{Roots: []string{dir}})
	assertHits(t, dir, res.Findings, []hit{
		{RuleExposedEnv, ".env", 0, "", ""},
		{RuleExposedWPBackup, "backup/wp-config.orig", 0, "", ""},
	})
}

func TestScanRootNamedLikeWebRoot(t *testing.T) {
	// A document root with a "web" asset folder inside is still a web root.
	dir := filepath.Join(t.TempDir(), "public_html")
	writeTree(t, dir, map[string]string{
		".env":           "APP_ENV=production\n",
		"web/styles.css": "body{}\n",
	})
	res := scan(t, Options{Roots: []string{dir}})
	assertHits(t, dir, res.Findings, []hit{{RuleExposedEnv, ".env", 0, "", ""}})
}

func TestScanGitFolders(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		// Web-served: an exposure. Its insides are not scanned.
		"public_html/.git/HEAD":   "ref: refs/heads/main\n",
		"public_html/.git/config": "[core]\n\tbare = false\n# MJ_APIKEY_PUBLIC=" + k1 + "\n# MJ_APIKEY_PRIVATE=" + s1 + "\n",
		"public_html/index.php":   "<?php echo 'hi';\n",
		// A developer's repository outside the web root: not an exposure.
		"app/.git/HEAD":    "ref: refs/heads/main\n",
		"app/public/.keep": "",
	})
	res := scan(t, Options{Roots: []string{dir}})
	assertHits(t, dir, res.Findings, []hit{{RuleExposedGit, "public_html/.git", 0, "", ""}})
	if res.Stats.Files != 2 {
		t.Errorf("files read %d, want 2 (.git insides are skipped)", res.Stats.Files)
	}
}

func TestExposureNames(t *testing.T) {
	cases := map[string]string{
		".env":                             RuleExposedEnv,
		"sub/.env.bak":                     RuleExposedEnv,
		".ENV.production":                  RuleExposedEnv,
		"wp-config.php.old":                RuleExposedWPBackup,
		"wp-config.php.orig":               RuleExposedWPBackup,
		"#wp-config.php#":                  RuleExposedWPBackup,
		"wp-config.php":                    "",
		"wp-config-sample.php":             "",
		"wp-config.old.php":                "",
		"wp-content/debug.log":             RuleExposedLog,
		"a/storage/logs/laravel.log":       RuleExposedLog,
		"storage/logs/other.log":           "",
		"debug.log":                        "",
		"environment.txt":                  "",
		"backup.zip":                       RuleExposedBackup,
		"old/site.tar.gz":                  RuleExposedBackup,
		"db/shop.sql":                      RuleExposedBackup,
		"dump.sql.gz":                      RuleExposedBackup,
		"app.js.gz":                        "",
		"wp-content/plugins/a/install.sql": "",
		"vendor/pkg/fixtures.zip":          "",
	}
	for rel, want := range cases {
		if got := exposureRuleForName(rel); got != want {
			t.Errorf("exposureRuleForName(%q) = %q, want %q", rel, got, want)
		}
	}
}

func TestCallsPhpinfo(t *testing.T) {
	cases := map[string]bool{
		"<?php phpinfo();":                                     true,
		"<?php PHPINFO ( INFO_ALL );":                          true,
		"<?php\n@phpinfo();":                                   true,
		"<?php function_exists('phpinfo');":                    false,
		"<?php $x->phpinfo();":                                 false,
		"<?php my_phpinfo();":                                  false,
		"disable_functions = phpinfo":                          false,
		"phpinf":                                               false,
		"<?php \\phpinfo();":                                   true,
		"<?= phpinfo() ?>":                                     true,
		"<? phpinfo(); ?>":                                     true,
		"<?php\nphpinfo\n(\n);":                                true,
		"<?php /* phpinfo(); */ echo 1;":                       false,
		"<?php // phpinfo();\necho 1;":                         false,
		"<?php # phpinfo();\necho 1;":                          false,
		"<?php // x ?>phpinfo();":                              false, // a line comment ends at ?>; the rest is text
		"<?php echo 'phpinfo()';":                              false,
		"<?php echo \"a\\\"phpinfo()\";":                       false,
		"<?php $f = 'phpinfo'; $f();":                          false,
		"<?php $phpinfo();":                                    false,
		"<?php Foo::phpinfo();":                                false,
		"<?php function phpinfo() {}":                          false,
		"<?php echo <<<TXT\nRun phpinfo() to see\nTXT;\n":      false,
		"<?php echo <<<'TXT'\n  phpinfo()\n  TXT;\nphpinfo();": true,
		"<p>Call phpinfo() in a PHP file.</p>":                 false,
		"<?xml version=\"1.0\"?><p>phpinfo()</p>":              false,
		"<?php ?><p>phpinfo()</p><?php phpinfo();":             true,
		"<?php #[Attr] phpinfo();":                             true,
	}
	for src, want := range cases {
		if got := callsPhpinfo([]byte(src)); got != want {
			t.Errorf("callsPhpinfo(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestCallsPhpinfoInLongFiles(t *testing.T) {
	pad := "<?php\n" + strings.Repeat("// admin screen\n", 400)
	for src, want := range map[string]bool{
		pad + "PHPINFO ( );":      true,
		pad + "phpinfo();":        true,
		pad + "$x->phpinfo();":    false,
		pad + "echo 'no call';":   false,
		pad + "phpInfo(INFO_ALL)": true,
	} {
		if got := callsPhpinfo([]byte(src)); got != want {
			t.Errorf("callsPhpinfo(…%q) = %v, want %v", src[len(pad):], got, want)
		}
	}
}

// TestPhpinfoInWordPressCore: every WordPress install has
// wp-admin/includes/class-wp-filesystem-ssh2.php, whose doc comment says
// "Check phpinfo() streams" (WordPress/wordpress-develop,
// src/wp-admin/includes/class-wp-filesystem-ssh2.php): no phpinfo page.
func TestPhpinfoInWordPressCore(t *testing.T) {
	content, err := os.ReadFile("testdata/layouts/var/www/example.com/wp-admin/includes/class-wp-filesystem-ssh2.php")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(content), "Check phpinfo() streams") {
		t.Fatal("fixture lost its comment")
	}
	if callsPhpinfo(content) {
		t.Error("class-wp-filesystem-ssh2.php taken for a phpinfo page")
	}
	if !callsPhpinfo(append(content, "<?php phpinfo();\n"...)) {
		t.Error("a real call after the class is missed")
	}
}

// TestPhpinfoOutput: phpinfo's HTML output saved as a page is one; a
// manual page about phpinfo is not.
func TestPhpinfoOutput(t *testing.T) {
	for file, want := range map[string]bool{
		"testdata/layouts/var/www/shop.example.net/public/info.html": true,
		"testdata/layouts/var/www/html/help/phpinfo.html":            false,
		"testdata/layouts/var/www/html/index.html":                   false,
	} {
		content, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if got := callsPhpinfo(content); got != want {
			t.Errorf("%s: %v, want %v", file, got, want)
		}
	}
	old := "<html><head><title>phpinfo()</title></head><body><table><tr><td>PHP Version 5.6.0</td></tr>" +
		"<tr><td>Configuration File (php.ini) Path</td></tr></table></body></html>"
	if !callsPhpinfo([]byte(old)) {
		t.Error("PHP 5's page, titled phpinfo(), missed")
	}
}
