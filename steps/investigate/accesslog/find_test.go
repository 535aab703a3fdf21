package accesslog

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	root := t.TempDir()
	entry := lines(line("192.0.2.1", "20/Nov/2026:04:00:00 +0000", "GET / HTTP/1.1", 200, "5", "x"))
	write(t, root, "var/log/nginx/access.log", entry)
	write(t, root, "var/log/nginx/access.log.1", entry)
	write(t, root, "var/log/nginx/access.log.2.gz", entry)
	write(t, root, "var/log/nginx/error.log", entry)
	write(t, root, "var/log/nginx/shop.example-access.log", entry)
	write(t, root, "var/log/apache2/other_vhosts_access.log", entry)
	write(t, root, "var/log/apache2/notes.txt", "nothing\n")
	write(t, root, "var/log/httpd/access_log", entry)
	write(t, root, "var/log/httpd/ssl_access_log-20261120.gz", entry)
	write(t, root, "var/www/vhosts/example.com/logs/access_ssl_log", entry)
	write(t, root, "home/bob/access-logs/example.com", entry)            // cPanel: named by domain, sniffed
	write(t, root, "home/bob/access-logs/example.com-ssl_log.gz", entry) // sniffed through gzip
	write(t, root, "home/bob/logs/readme", "not a log\nat all\n")
	write(t, root, "var/log/syslog", entry) // not a usual place
	site := t.TempDir()
	write(t, site, "www/logs/site.log", entry)
	write(t, site, "www/index.php", "<?php\n")
	extra := t.TempDir()
	given := write(t, extra, "weird-name.txt", "anything\n")
	write(t, extra, "weird-name.txt.1", "anything\n")
	write(t, extra, "weird-name.txt.2.gz", "anything\n")
	write(t, extra, "dir/x_access.log", entry)

	files, skipped := Find(context.Background(), Locations{
		Logs:  []string{given, filepath.Join(extra, "dir"), filepath.Join(extra, "nope")},
		Trees: []string{filepath.Join(site, "www")},
		Roots: []string{root},
	})
	var got []string
	for _, f := range files {
		for _, base := range []string{root, site, extra} {
			if rel, err := filepath.Rel(base, f); err == nil && !strings.HasPrefix(rel, "..") {
				got = append(got, rel)
			}
		}
	}
	want := []string{
		"dir/x_access.log",
		"home/bob/access-logs/example.com",
		"home/bob/access-logs/example.com-ssl_log.gz",
		"var/log/apache2/other_vhosts_access.log",
		"var/log/httpd/access_log",
		"var/log/httpd/ssl_access_log-20261120.gz",
		"var/log/nginx/access.log.2.gz", "var/log/nginx/access.log.1", "var/log/nginx/access.log",
		"var/log/nginx/shop.example-access.log",
		"var/www/vhosts/example.com/logs/access_ssl_log",
		"weird-name.txt.2.gz", "weird-name.txt.1", "weird-name.txt",
		"www/logs/site.log",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Find:\ngot  %q\nwant %q", got, want)
	}
	if len(skipped) != 1 || skipped[0].Reason != "not found" {
		t.Errorf("skipped %+v", skipped)
	}
}

func TestLooksLikeAccessLog(t *testing.T) {
	for name, want := range map[string]bool{
		"access.log": true, "access_log": true, "access.log.2.gz": true, "example.com-access.log": true,
		"ssl_access_log": true, "site_access.log.1": true, "ACCESS.LOG": true,
		"error.log": false, "access-error.log": false, "app.log": false, "access.txt": false,
	} {
		if got := LooksLikeAccessLog(name); got != want {
			t.Errorf("LooksLikeAccessLog(%q) = %v", name, got)
		}
	}
}

func TestSniff(t *testing.T) {
	dir := t.TempDir()
	entry := line("192.0.2.1", "20/Nov/2026:04:00:00 +0000", "GET / HTTP/1.1", 200, "5", "x")
	for name, tc := range map[string]struct {
		content string
		want    bool
	}{
		"good":     {lines(entry, entry, "junk"), true},
		"mostly":   {lines("junk", entry, entry), true},
		"half":     {lines("junk", entry), false},
		"empty":    {"", false},
		"text":     {"hello\nworld\n", false},
		"partial":  {entry, false}, // no complete line
		"blank":    {"\n\n" + entry + "\n", true},
		"good.gz":  {lines(entry), true},
		"error_ng": {"2026/11/20 04:14:07 [error] 12#12: *1 open() failed\n", false},
	} {
		p := write(t, dir, name, tc.content)
		if got := Sniff(p); got != tc.want {
			t.Errorf("Sniff(%s) = %v, want %v", name, got, tc.want)
		}
	}
	if Sniff(filepath.Join(dir, "missing")) {
		t.Error("Sniff of a missing file")
	}
	_ = os.Remove
}
