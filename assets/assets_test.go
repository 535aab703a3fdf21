package assets

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestExtractDemo(t *testing.T) {
	dir := t.TempDir()
	root, err := ExtractDemo(dir)
	if err != nil {
		t.Fatal(err)
	}
	if root != filepath.Join(dir, "webroot") {
		t.Errorf("web root %q, want %q", root, filepath.Join(dir, "webroot"))
	}
	var files []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case p == dir:
		case d.IsDir() && info.Mode().Perm() != 0o700:
			t.Errorf("%s: mode %v, want 0700", rel, info.Mode().Perm())
		case !d.IsDir() && info.Mode().Perm() != 0o600:
			t.Errorf("%s: mode %v, want 0600", rel, info.Mode().Perm())
		}
		if !d.IsDir() {
			files = append(files, filepath.ToSlash(rel))
			if strings.HasPrefix(filepath.ToSlash(rel), "webroot/logs/") {
				return nil // generated for the day (demo_logs_test.go)
			}
			embedded, err := fs.ReadFile(demoFiles, "demo/"+strings.ReplaceAll(filepath.ToSlash(rel), ".git/", gitStandIn+"/"))
			if err != nil {
				t.Errorf("%s: no embedded original: %v", rel, err)
			}
			got, _ := os.ReadFile(p)
			if string(got) != string(embedded) {
				t.Errorf("%s: content differs from the embedded file", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"webroot/public_html/.env.bak", "webroot/public_html/.htaccess", "webroot/public_html/.git/HEAD",
		"webroot/public_html/.git/config", "webroot/public_html/wp-config.php", "webroot/public_html/wp-config.php.bak",
		"webroot/public_html/info.php", "webroot/public_html/wp-includes/version.php", "webroot/laravel/.env",
	} {
		if !slices.Contains(files, want) {
			t.Errorf("%s not extracted", want)
		}
	}
	if len(files) < 20 || len(files) > 60 {
		t.Errorf("%d files, want a small realistic tree", len(files))
	}
}

func TestExtractDemoRefusesNonEmptyOrMissingFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ExtractDemo(dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("non-empty folder: err = %v, want refusal", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "keep.txt")); string(got) != "mine" {
		t.Error("existing file was changed")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder has %d entries after refusal, want 1", len(entries))
	}
	if _, err := ExtractDemo(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing folder: want an error")
	}
}

func TestDemoTarget(t *testing.T) {
	ok := map[string]string{
		"demo/webroot/public_html/dotgit/HEAD": filepath.FromSlash("webroot/public_html/.git/HEAD"),
		"demo/webroot/.env":                    filepath.FromSlash("webroot/.env"),
	}
	for in, want := range ok {
		if got, err := demoTarget("demo", in); err != nil || got != want {
			t.Errorf("demoTarget(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"demo/../etc/passwd", "demo/webroot/../../x", "other/file", "demo//x", "demo/" + "/abs"} {
		if got, err := demoTarget("demo", bad); err == nil {
			t.Errorf("demoTarget(%q) = %q, want an error", bad, got)
		}
	}
}

func TestDemoKeepsToTheDemoValues(t *testing.T) {
	const newsletterKey = "a28aa0259d148b8f4d5932967d97c758"
	counts := map[string]int{}
	err := fs.WalkDir(demoFiles, "demo", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(demoFiles, p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), newsletterKey) {
			t.Errorf("%s contains the Newsletter key", p)
		}
		for _, v := range []string{"4a91a1b977547f206f136fc678d365fa", "f31975f7f33e4bcb57d79293d9ea590b", "06d340744b2965d3e85f7cef673379ff", "e8b9bbc4ab9dfe2bf8fb18889ed4cbd5"} {
			if strings.Contains(string(b), v) {
				counts[v]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for v, n := range counts {
		if n != 2 {
			t.Errorf("value ending %s planted in %d files, want 2", v[28:], n)
		}
	}
	if len(counts) != 4 {
		t.Errorf("planted values %d, want the master and Shop pairs (4)", len(counts))
	}
}

func TestCommonPasswords(t *testing.T) {
	pw := CommonPasswords()
	if len(pw) < 40000 {
		t.Fatalf("%d passwords, want the full list", len(pw))
	}
	if pw[0] != "123456" || pw[1] != "password" {
		t.Errorf("list starts %q, want rank order (123456, password)", pw[:2])
	}
	seen := map[string]bool{}
	for _, p := range pw {
		if strings.HasPrefix(p, "#") || p == "" || p != strings.ToLower(p) || seen[p] {
			t.Fatalf("bad entry %q (comment, empty, upper-case or duplicate)", p)
		}
		seen[p] = true
	}
	for _, want := range []string{"password12345678", "123456", "mailjetmailjet123", "qwertyuiopasdfgh"} {
		if !seen[want] {
			t.Errorf("%q missing", want)
		}
	}
	pw[0] = "changed"
	if CommonPasswords()[0] != "123456" {
		t.Error("callers can change the shared list")
	}
}

func TestWordPressReleases(t *testing.T) {
	tbl, err := WordPressReleases()
	if err != nil {
		t.Fatal(err)
	}
	if tbl.Latest == "" || tbl.OldestSupportedBranch != "4.7" || !strings.Contains(tbl.Source, "wordpress.org") || len(tbl.Checked) != len("2006-01-02") {
		t.Errorf("table %+v: want latest, 4.7, a wordpress.org source and a checked date", tbl)
	}
	for _, bad := range []string{`{`, `{"source":"s","checked":"d","latest":"","oldest_supported_branch":"4.7"}`,
		`{"source":"s","checked":"d","latest":"6.x","oldest_supported_branch":"4.7"}`,
		`{"latest":"6.9","oldest_supported_branch":"4.7"}`} {
		if _, err := parseWordPressTable([]byte(bad)); err == nil {
			t.Errorf("parseWordPressTable(%s): want an error", bad)
		}
	}
}

func TestPassphraseWordsByLanguage(t *testing.T) {
	fr, en := PassphraseWordsIn("fr"), PassphraseWordsIn("en")
	if len(fr) < 200 || len(en) < 200 {
		t.Fatalf("%d French and %d English words: too few for a strong suggestion", len(fr), len(en))
	}
	seen := map[string]bool{}
	for _, w := range fr {
		if seen[w] || strings.ToLower(w) != w || strings.ContainsAny(w, " #") {
			t.Errorf("French word %q: a duplicate or not a plain lower-case word", w)
		}
		for _, r := range w {
			if r > 'z' || r < 'a' {
				t.Errorf("French word %q has %q: a suggestion is typed the same on every keyboard", w, r)
			}
		}
		seen[w] = true
	}
	if got := PassphraseWordsIn("de"); len(got) != len(en) {
		t.Error("a language without a list does not get English")
	}
}
