package investigate

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const leakEnv = "MJ_APIKEY_PUBLIC=" + k1 + "\nMJ_APIKEY_PRIVATE=" + s1 + "\n"

func TestScanDoesNotFollowSymlinks(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	writeTree(t, dir, map[string]string{"app/config.env": leakEnv})
	writeTree(t, outside, map[string]string{"secret.env": "MAILJET_APIKEY=" + k2 + "\nMAILJET_APISECRET=" + s2 + "\n"})
	for link, target := range map[string]string{
		"app/loop":        "..", // a loop: app/loop/app/loop/...
		"app/self":        ".",
		"app/outside":     outside,
		"app/outside.env": filepath.Join(outside, "secret.env"),
		"app/dangling":    filepath.Join(dir, "missing"),
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	res := scan(t, Options{Roots: []string{dir}})
	assertHits(t, dir, res.Findings, []hit{{RuleMailjetPair, "app/config.env", 2, k1, s1[28:]}})
	want := map[string]string{}
	for _, l := range []string{"app/loop", "app/self", "app/outside", "app/outside.env", "app/dangling"} {
		want[l] = "symbolic link not followed"
	}
	assertSkips(t, skipsOf(res, dir), want)
}

func TestScanFollowsSymlinkedRoot(t *testing.T) {
	real := t.TempDir()
	writeTree(t, real, map[string]string{"config.env": leakEnv})
	link := filepath.Join(t.TempDir(), "site")
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	res := scan(t, Options{Roots: []string{link}})
	// Paths are shown under the root as the user gave it.
	assertHits(t, link, res.Findings, []hit{{RuleMailjetPair, "config.env", 2, k1, s1[28:]}})
}

func TestScanSkipsUnreadableFilesAndFolders(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"ok.env":            leakEnv,
		"locked.env":        "MAILJET_APIKEY=" + k2 + "\nMAILJET_APISECRET=" + s2 + "\n",
		"private/inner.env": "MAILJET_APIKEY=" + k2 + "\nMAILJET_APISECRET=" + s2 + "\n",
	})
	res := scanInjected(t, Options{Roots: []string{dir}}, func(f folder) folder {
		return failingFolder{f, ".", map[string]error{"locked.env": fs.ErrPermission, "private": fs.ErrPermission}}
	})
	assertHits(t, dir, res.Findings, []hit{{RuleMailjetPair, "ok.env", 2, k1, s1[28:]}})
	assertSkips(t, skipsOf(res, dir), map[string]string{
		"locked.env": "permission denied",
		"private":    "permission denied",
	})
}

func TestScanSkipsUnreadableFilesForReal(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every file; TestScanSkipsUnreadableFilesAndFolders covers this with an injected error")
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"locked.env": leakEnv, "closed/inner.env": leakEnv})
	for _, p := range []string{"locked.env", "closed"} {
		if err := os.Chmod(filepath.Join(dir, p), 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(filepath.Join(dir, p), 0o700) })
	}
	res := scan(t, Options{Roots: []string{dir}})
	assertHits(t, dir, res.Findings, nil)
	assertSkips(t, skipsOf(res, dir), map[string]string{"locked.env": "permission denied", "closed": "permission denied"})
}

func TestScanSkipsLargeFiles(t *testing.T) {
	dir := t.TempDir()
	big := leakEnv + strings.Repeat("# padding\n", 300)
	writeTree(t, dir, map[string]string{"big.env": big, "small.env": "MAILJET_APIKEY=" + k2 + "\nMAILJET_APISECRET=" + s2 + "\n"})
	res := scan(t, Options{Roots: []string{dir}, MaxFileSize: 1024})
	assertHits(t, dir, res.Findings, []hit{{RuleMailjetPair, "small.env", 2, k2, s2[28:]}})
	assertSkips(t, skipsOf(res, dir), map[string]string{"big.env": "too large (3 KiB; the limit is 1 KiB)"})
	if got := tooLargeReason(12<<20+100<<10, DefaultMaxFileSize); got != "too large (12.1 MiB; the limit is 10 MiB)" {
		t.Errorf("tooLargeReason = %q", got)
	}
}

func TestScanReadsLongMinifiedLines(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	for b.Len() < 2<<20 {
		b.WriteString(`!function(e){var t={};function n(r){return t[r]}}([]);`)
	}
	b.WriteString(`var mailjet={apiKey:"` + k1 + `",apiSecret:"` + s1 + `"};`)
	for b.Len() < 3<<20 {
		b.WriteString(`!function(e){var t={};function n(r){return t[r]}}([]);`)
	}
	writeTree(t, dir, map[string]string{"dist/app.min.js": b.String()})
	res := scan(t, Options{Roots: []string{dir}})
	assertHits(t, dir, res.Findings, []hit{{RuleMailjetPair, "dist/app.min.js", 1, k1, s1[28:]}})
}

func TestScanSkipsBinaryMediaAndNodeModules(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"app/data.bin":                  "\x00\x01\x02" + leakEnv,
		"app/photo.JPG":                 leakEnv,
		"app/font.woff2":                leakEnv,
		"app/node_modules/pkg/index.js": leakEnv,
		"app/late-nul.txt":              strings.Repeat("x", 9000) + "\x00\n" + leakEnv, // NUL after 8 KiB: text
	})
	res := scan(t, Options{Roots: []string{dir}})
	assertHits(t, dir, res.Findings, []hit{{RuleMailjetPair, "app/late-nul.txt", 3, k1, s1[28:]}})
	assertSkips(t, skipsOf(res, dir), map[string]string{
		"app/data.bin":     reasonBinary,
		"app/node_modules": "third-party packages (node_modules), not scanned",
	})
}

func assertSkips(t *testing.T, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("skipped %v, want %v", got, want)
		return
	}
	for p, reason := range want {
		if got[p] != reason {
			t.Errorf("skip %q: reason %q, want %q", p, got[p], reason)
		}
	}
}

// TestOwnPrivateFilesAreNotLeaks: mjrecover's own files (saved keys, the
// report) hold keys on purpose; private, they are skipped, readable by
// others, they are scanned like any file.
func TestOwnPrivateFilesAreNotLeaks(t *testing.T) {
	dir := t.TempDir()
	pair := "MJ_APIKEY_PUBLIC=0a1b2c3d4e5f60718293a4b5c6d7e8f9\nMJ_APIKEY_PRIVATE=9f8e7d6c5b4a39281706f5e4d3c2b1a0\n"
	if err := os.WriteFile(filepath.Join(dir, "mjrecover-new-keys-1.txt"), []byte(pair), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mjrecover-new-keys-2.txt"), []byte(pair), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Scan(context.Background(), Options{Roots: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range res.Findings {
		paths = append(paths, filepath.Base(f.Path))
	}
	if len(paths) != 1 || paths[0] != "mjrecover-new-keys-2.txt" {
		t.Fatalf("findings in %v, want only the file others can read", paths)
	}
}
