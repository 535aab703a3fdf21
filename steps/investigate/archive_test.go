package investigate

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
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
