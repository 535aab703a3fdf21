package investigate

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// archive builders for the tests: name → content, in order.
type entry struct{ name, content string }

func zipOf(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tarOf(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		if err := tw.WriteHeader(&tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.content)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.content))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gzipOf(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const wpConfigLeak = "<?php\ndefine( 'DB_NAME', 'shop' );\ndefine( 'WPMS_MAILJET_API_KEY', '" + k1 + "' );\ndefine( 'WPMS_MAILJET_SECRET_KEY', '" + s1 + "' );\n"

func TestScanLooksInsideArchives(t *testing.T) {
	dir := t.TempDir()
	inner := tarOf(t, entry{"site/.env", "MAILJET_APIKEY=" + k2 + "\nMAILJET_APISECRET=" + s2 + "\n"})
	files := map[string]string{
		"backups/backup.zip":         string(zipOf(t, entry{"wp-config.php", wpConfigLeak}, entry{"readme.txt", "hello"})),
		"backups/site.tar":           string(tarOf(t, entry{"./public_html/wp-config.php", wpConfigLeak})),
		"backups/site.tar.gz":        string(gzipOf(t, tarOf(t, entry{"wp-config.php", wpConfigLeak}))),
		"backups/dump.sql.gz":        string(gzipOf(t, []byte("INSERT INTO `wp_options` VALUES (150,'mailjet_apikey','"+k2+"','yes'),(151,'mailjet_apisecret','"+s2+"','yes');\n"))),
		"backups/nested.zip":         string(zipOf(t, entry{"old/site.tgz", string(gzipOf(t, inner))})),
		"backups/too-deep.zip":       string(zipOf(t, entry{"a.zip", string(zipOf(t, entry{"b.zip", string(zipOf(t, entry{"c.env", leakEnv}))}))})),
		"backups/broken.zip":         "PK\x03\x04 not really a zip",
		"backups/photo-in-zip.zip":   string(zipOf(t, entry{"logo.bin", "\x00\x01\x02" + leakEnv})),
		"backups/prebuilt/app.js.gz": string(gzipOf(t, []byte("console.log('no keys here')\n"))),
	}
	writeTree(t, dir, files)
	res := scan(t, Options{Roots: []string{dir}})
	assertHits(t, dir, res.Findings, []hit{
		{RuleMailjetPair, "backups/backup.zip!wp-config.php", 4, k1, s1[28:]},
		{RuleMailjetPair, "backups/dump.sql.gz!dump.sql", 1, k2, s2[28:]},
		{RuleMailjetPair, "backups/nested.zip!old/site.tgz!site/.env", 2, k2, s2[28:]},
		{RuleMailjetPair, "backups/site.tar!public_html/wp-config.php", 4, k1, s1[28:]},
		{RuleMailjetPair, "backups/site.tar.gz!wp-config.php", 4, k1, s1[28:]},
		// The scan root is the web root here: every backup in it is served.
		{RuleExposedBackup, "backups/backup.zip", 0, "", ""},
		{RuleExposedBackup, "backups/broken.zip", 0, "", ""},
		{RuleExposedBackup, "backups/dump.sql.gz", 0, "", ""},
		{RuleExposedBackup, "backups/nested.zip", 0, "", ""},
		{RuleExposedBackup, "backups/photo-in-zip.zip", 0, "", ""},
		{RuleExposedBackup, "backups/site.tar", 0, "", ""},
		{RuleExposedBackup, "backups/site.tar.gz", 0, "", ""},
		{RuleExposedBackup, "backups/too-deep.zip", 0, "", ""},
	})
	skips := skipsOf(res, dir)
	if got := skips["backups/too-deep.zip!a.zip!b.zip"]; got != "archive nested too deep, not opened" {
		t.Errorf("too-deep skip %q", got)
	}
	if got := skips["backups/broken.zip"]; !strings.HasPrefix(got, "archive could not be opened") {
		t.Errorf("broken zip skip %q", got)
	}
	res = scan(t, Options{Roots: []string{dir}, NoArchives: true})
	for _, f := range res.Findings {
		if f.Category == CategoryCredential {
			t.Errorf("NoArchives: found %s", f.Path)
		}
	}
}

func TestScanStopsZipBombs(t *testing.T) {
	dir := t.TempDir()
	bomb := strings.Repeat("\n", 8<<20) // packs about 1000 to 1
	writeTree(t, dir, map[string]string{
		"bomb.tar.gz": string(gzipOf(t, tarOf(t, entry{"a.txt", bomb}))),
		"bomb.zip":    string(zipOf(t, entry{"a.txt", bomb}, entry{"z.env", leakEnv})),
		"bomb.sql.gz": string(gzipOf(t, []byte(bomb))),
	})
	res := scan(t, Options{Roots: []string{dir}, MaxFileSize: 100 << 20})
	skips := skipsOf(res, dir)
	for _, name := range []string{"bomb.tar.gz", "bomb.zip", "bomb.sql.gz"} {
		if !strings.Contains(skips[name], "zip bomb") {
			t.Errorf("%s: skip %q, want a zip-bomb reason (all skips %v)", name, skips[name], skips)
		}
	}
}

func TestScanArchiveEntryTooLarge(t *testing.T) {
	dir := t.TempDir()
	big := leakEnv + strings.Repeat("# padding line\n", 200)
	writeTree(t, dir, map[string]string{"b.zip": string(zipOf(t, entry{"big.env", big}, entry{"small.env", leakEnv}))})
	res := scan(t, Options{Roots: []string{filepath.Join(dir, "b.zip")}, MaxFileSize: 1024})
	assertHits(t, "", res.Findings, []hit{{RuleMailjetPair, filepath.Join(dir, "b.zip") + "!small.env", 2, k1, s1[28:]}})
	if got := skipsOf(res, "")[filepath.Join(dir, "b.zip")+"!big.env"]; !strings.HasPrefix(got, "too large") {
		t.Errorf("skips %v, want big.env too large", res.Stats.Skipped)
	}
}

func TestArchiveFixtureFromDisk(t *testing.T) {
	// The archives are built in the test; this checks a file root works
	// for each kind and that Stats count the archive.
	dir := t.TempDir()
	p := filepath.Join(dir, "wp.tgz")
	if err := os.WriteFile(p, gzipOf(t, tarOf(t, entry{"wordpress/wp-config.php", wpConfigLeak})), 0o644); err != nil {
		t.Fatal(err)
	}
	res := scan(t, Options{Roots: []string{p}})
	assertHits(t, "", res.Findings, []hit{{RuleMailjetPair, p + "!wordpress/wp-config.php", 4, k1, s1[28:]}})
	if res.Stats.Files != 1 {
		t.Errorf("files %d, want the archive counted once", res.Stats.Files)
	}
}

// The archives a scan opens, by path, as a server's file system names
// them (Debian's /usr/share, logrotate, cPanel, WordPress plugins).
func TestArchiveChoice(t *testing.T) {
	for _, c := range []struct {
		rel  string
		open bool
	}{
		// Backups and copies of settings, data and code.
		{"home/deploy/site.zip", true},
		{"usr/share/doc/foo/examples.tar.gz", true}, // zip, tar and tar.gz always
		{"srv/old/www.tgz", true},
		{"home/deploy/db.sql.gz", true},
		{"root/wordpress-2024-05-01.sql.gz", true},
		{"root/db.sql.1.gz", true}, // a rotated dump
		{"srv/app/.env.gz", true},
		{"srv/app/.env.production.gz", true},
		{"srv/app/production.env.gz", true},
		{"srv/app/config.json.gz", true},
		{"srv/app/settings.yml.gz", true},
		{"srv/app/wp-config.php.gz", true},
		{"srv/app/dist/app.4f3a9c.js.gz", true},
		{"srv/app/export.csv.gz", true},
		{"home/u/site-backup-2024-05-01.gz", true},
		{"home/u/backup.gz", true},
		{"home/u/mysql_dump.gz", true},
		{"home/u/wpdb.gz", true},
		{"home/u/db1.gz", true},
		{"home/u/credentials.gz", true},
		{"home/u/secrets.gz", true},
		{"home/u/settings.local.gz", true},
		{"home/u/www-data.gz", true},
		// Documentation, manual pages, logs, pages and assets.
		{"usr/share/man/man1/ls.1.gz", false},
		{"usr/share/man/man1/mysqldump.1.gz", false},
		{"usr/share/man/man3/Foo::Bar.3perl.gz", false},
		{"opt/tool/man/man1ssl/x509.1ssl.gz", false}, // a man page outside share/man
		{"opt/tool/systemd.exec.5.gz", false},
		{"usr/share/doc/libc6/changelog.Debian.gz", false},
		{"usr/share/doc/nodejs/api/test.json.gz", false}, // system documentation, even as data
		{"usr/share/info/coreutils.info-2.gz", false},
		{"opt/pkg/ChangeLog-2019.gz", false},
		{"opt/pkg/NEWS.gz", false},
		{"opt/pkg/README.Debian.gz", false},
		{"var/log/nginx/access.log.2.gz", false},
		{"var/log/nginx/error.log.14.gz", false},
		{"var/log/php-fpm/www.access.log-20240501.gz", false}, // www, but a log
		{"var/log/httpd/access_log-20240501.gz", false},
		{"var/log/syslog.3.gz", false},
		{"home/u/logs/www.example.com-Nov-2024.gz", false}, // cPanel's monthly archive
		{"srv/app/laravel.log.gz", false},
		{"srv/app/notes.txt.gz", false},
		{"srv/app/backup.txt.gz", false}, // the extension decides before the name
		{"srv/app/site.css.gz", false},
		{"srv/app/app.js.map.gz", false},
		{"srv/app/page.html.gz", false},
		{"srv/app/feedback.gz", false},
		{"srv/app/2024-05-01.gz", false},
		{"srv/app/vendor/acme/data/rules.json.gz", false}, // a package's own data
		{"usr/lib/python3/dist-packages/botocore/data/s3/service-2.json.gz", false},
	} {
		if got := (&scanner{}).opensArchive(c.rel, archiveKindOf(c.rel), false); got != c.open {
			t.Errorf("opensArchive(%q) = %v, want %v", c.rel, got, c.open)
		}
		if !(&scanner{}).opensArchive(c.rel, archiveKindOf(c.rel), true) {
			t.Errorf("%q in a web-served or backup folder: not opened", c.rel)
		}
		if !(&scanner{opts: Options{AllArchives: true}}).opensArchive(c.rel, archiveKindOf(c.rel), false) {
			t.Errorf("%q with AllArchives: not opened", c.rel)
		}
		if (&scanner{opts: Options{NoArchives: true}}).opensArchive(c.rel, archiveKindOf(c.rel), true) {
			t.Errorf("%q with NoArchives: opened", c.rel)
		}
	}
}

// Where a folder makes every archive below it worth opening.
func TestArchiveBackupPlaces(t *testing.T) {
	for _, c := range []struct {
		rel   string
		marks siteMarks
		want  bool
	}{
		{"public_html/wp-content/uploads", 0, true},
		{"home/u/backups", 0, true},
		{"srv/wp-content/ai1wm-backups", 0, true},
		{"var/www", 0, true},
		{"srv/shop", markIndexPHP, true},
		{"srv/site", markHtaccess, true},
		{"srv/blog", markWPCore, true},
		{"srv/app", markApp | markIndexPHP, false},            // a project, not its web folder
		{"usr/share/doc/python3/html", markIndexHTML, false},  // documentation, whatever its name
		{"srv/app/node_modules/x/docs", markIndexHTML, false}, // a package's pages
		{"usr/share/doc/foo", 0, false},
		{"var/log/nginx", 0, false},
	} {
		if got := isBackupPlace(c.rel, path.Base(c.rel), c.marks); got != c.want {
			t.Errorf("isBackupPlace(%q, %b) = %v, want %v", c.rel, c.marks, got, c.want)
		}
	}
}

// The pairs in real backups are found on a server-like tree whose
// documentation, manual pages and rotated logs are not opened (and not
// listed), unless AllArchives asks for them.
func TestScanOpensArchivesWhereLeaksAre(t *testing.T) {
	dir := t.TempDir()
	dump := "-- MySQL dump\nINSERT INTO `wp_options` VALUES (150,'mailjet_apikey','" + k2 + "','yes'),(151,'mailjet_apisecret','" + s2 + "','yes');\n"
	pairGz := string(gzipOf(t, []byte(leakEnv)))
	writeTree(t, dir, map[string]string{
		"home/deploy/db.sql.gz":                                                string(gzipOf(t, []byte(dump))),
		"home/deploy/site.zip":                                                 string(zipOf(t, entry{"public_html/wp-config.php", wpConfigLeak})),
		"var/www/example.com/public_html/index.php":                            "<?php require 'wp-blog-header.php';\n",
		"var/www/example.com/public_html/wp-content/uploads/backup.tar.gz":     string(gzipOf(t, tarOf(t, entry{"wp-config.php", wpConfigLeak}))),
		"var/www/example.com/public_html/wp-content/uploads/2024/05/export.gz": pairGz, // any .gz in uploads
		"srv/shop/index.php":                                                   "<?php\n",
		"srv/shop/cache/page.gz":                                               pairGz, // below a served folder
		"usr/share/man/man1/x.1.gz":                                            pairGz,
		"usr/share/doc/x/changelog.Debian.gz":                                  pairGz,
		"var/log/nginx/access.log.2.gz":                                        pairGz,
		"srv/app/notes.txt.gz":                                                 pairGz,
		"home/deploy/cut.sql.gz":                                               pairGz[:len(pairGz)-12], // a copy cut short
	})
	res := scan(t, Options{Roots: []string{dir}})
	var got []string
	for _, f := range res.Findings {
		if f.Category == CategoryCredential {
			rel, _ := filepath.Rel(dir, f.Path)
			got = append(got, filepath.ToSlash(rel))
		}
	}
	want := []string{
		"home/deploy/db.sql.gz!db.sql",
		"home/deploy/site.zip!public_html/wp-config.php",
		"srv/shop/cache/page.gz!page",
		"var/www/example.com/public_html/wp-content/uploads/2024/05/export.gz!export",
		"var/www/example.com/public_html/wp-content/uploads/backup.tar.gz!wp-config.php",
	}
	if !slices.Equal(got, want) {
		t.Errorf("credentials found in\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	skips := skipsOf(res, dir)
	if got := skips["home/deploy/cut.sql.gz!cut.sql"]; !strings.Contains(got, "unexpected EOF") {
		t.Errorf("a dump cut short: skip %q, want it said (skips %v)", got, skips)
	}
	for p := range skips {
		if strings.HasSuffix(p, ".gz") {
			t.Errorf("%s listed as skipped: compressed files passed over are not listed", p)
		}
	}
	all := scan(t, Options{Roots: []string{dir}, AllArchives: true})
	if n := len(LeakedKeys(all.Findings)); n != 2 || all.Stats.Files != res.Stats.Files+4 {
		t.Errorf("AllArchives: %d keys in %d files, want both keys and the 4 compressed files passed over (%d files without)", n, all.Stats.Files, res.Stats.Files)
	}
}
