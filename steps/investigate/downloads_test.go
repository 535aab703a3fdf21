package investigate

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// storySite is a hosting account as cPanel lays it out: the site in
// public_html/ with a web-served .env.bak, its access logs in logs/ (the
// current one, .1 and .2.gz: the story's fixtures, copied).
func storySite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"public_html/index.php": "<?php echo 'shop';\n",
		"public_html/.env.bak":  "APP_NAME=shop\nDB_PASSWORD=hunter2\n",
	})
	if err := os.Mkdir(filepath.Join(dir, "logs"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"access.log", "access.log.1", "access.log.2.gz"} {
		data, err := os.ReadFile(filepath.Join("accesslog", "testdata", "story", "logs", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "logs", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestScanTellsWhoDownloadedTheExposedFile(t *testing.T) {
	dir := storySite(t)
	res, err := Scan(context.Background(), Options{Roots: []string{dir}, AccessLogs: &LogSources{}})
	if err != nil {
		t.Fatal(err)
	}
	var downloads, probes []Finding
	for _, f := range res.Findings {
		switch f.Category {
		case CategoryDownload:
			downloads = append(downloads, f)
		case CategoryProbe:
			probes = append(probes, f)
		}
	}
	if len(downloads) != 1 {
		t.Fatalf("downloads: %+v", downloads)
	}
	d := downloads[0]
	a := d.Access
	if d.Rule != RuleDownloaded || d.Severity != Critical || d.Path != filepath.Join(dir, "public_html", ".env.bak") ||
		a.URLPath != "/.env.bak" || a.Client != "203.0.113.7" || a.Count != 3 ||
		!a.First.Equal(time.Date(2026, 11, 20, 4, 14, 7, 0, time.UTC)) ||
		filepath.Base(a.Log) != "access.log.2.gz" || a.LogLine != 5 {
		t.Errorf("download %+v %+v", d, a)
	}
	want := "Downloaded 3 times from /.env.bak by 203.0.113.7 (python-requests), first on 20 November 2026 at 04:14 UTC."
	if !strings.HasPrefix(d.Message, want) {
		t.Errorf("message %q, want it to start with %q", d.Message, want)
	}
	// A client that got only 404s probed: it is never a download.
	clients := map[string]Finding{}
	for _, p := range probes {
		clients[p.Access.Client] = p
	}
	zgrab, ok := clients["192.0.2.66"]
	if !ok || zgrab.Rule != RuleProbing || zgrab.Access.Count != 3 || !slices.Contains(zgrab.Access.Paths, "/.env.bak") {
		t.Errorf("probes %+v", probes)
	}
	if len(res.Logs) != 3 || res.Logs[1].Unreadable != 1 {
		t.Errorf("log reports %+v", res.Logs)
	}
	// The exposed file carries its time: the latest the leak was published.
	for _, f := range res.Findings {
		if f.Category == CategoryExposure && f.Modified.IsZero() {
			t.Errorf("exposure without a file time: %+v", f)
		}
	}
}

func TestScanWithoutLogSourcesReadsNoLogs(t *testing.T) {
	res, err := Scan(context.Background(), Options{Roots: []string{storySite(t)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Access != nil {
			t.Errorf("log finding without AccessLogs: %+v", f)
		}
	}
	if res.Logs != nil {
		t.Errorf("logs read: %+v", res.Logs)
	}
}

func TestDownloadSaidInFrenchWithLocalTime(t *testing.T) {
	res, err := Scan(context.Background(), Options{Roots: []string{storySite(t)}, AccessLogs: &LogSources{}})
	if err != nil {
		t.Fatal(err)
	}
	p, misses := lang.Strictly(lang.French)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	for _, f := range res.Findings {
		if f.Rule != RuleDownloaded {
			continue
		}
		got := f.SayIn(p, paris)
		if !strings.Contains(got, "Téléchargé 3 fois") || !strings.Contains(got, "20 novembre 2026 à 05:14 CET") {
			t.Errorf("French: %q", got)
		}
	}
	misses.Report(t.Errorf)
}

func TestGuessURLPath(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"/srv/site/public_html/.env.bak", "/.env.bak"},
		{"/srv/site/public_html/blog/phpinfo.php", "/blog/phpinfo.php"},
		{"/srv/site/.env", "/.env"},
		{"/srv/site/backup.zip!config/.env", ""},
		{"/elsewhere/.env", ""},
	} {
		if got := guessURLPath(c.path, []string{"/srv/site"}); got != c.want {
			t.Errorf("guessURLPath(%q) = %q, want %q", c.path, got, c.want)
		}
	}
}
