package investigate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestScanStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 300 {
		files[fmt.Sprintf("d%d/f%d.env", i%10, i)] = leakEnv
	}
	writeTree(t, dir, files)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Scan(ctx, Options{Roots: []string{dir}}); !errors.Is(err, context.Canceled) {
		t.Errorf("already cancelled: err = %v, want context.Canceled", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	_, err := Scan(ctx, Options{Roots: []string{dir}, Progress: func(Progress) {
		calls++
		cancel() // the user pressed Esc after the first update
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled mid-scan: err = %v, want context.Canceled", err)
	}
	if calls != 1 {
		t.Errorf("progress called %d times, want 1 (no final call after cancel)", calls)
	}
}

func TestScanReportsProgress(t *testing.T) {
	const root = "testdata/credentials"
	var got []Progress
	res := scan(t, Options{Roots: []string{root}, Progress: func(p Progress) { got = append(got, p) }})
	if len(got) < 2 {
		t.Fatalf("progress calls %d, want a first update and a final one", len(got))
	}
	last := got[len(got)-1]
	if last.Files != res.Stats.Files || last.Bytes != res.Stats.Bytes || last.Files != 15 {
		t.Errorf("final progress %+v, want files %d bytes %d", last, res.Stats.Files, res.Stats.Bytes)
	}
	if !strings.HasPrefix(last.Current, root+string(filepath.Separator)) {
		t.Errorf("Current %q is not a path under %s", last.Current, root)
	}
}

func TestScanSingleFileRoot(t *testing.T) {
	// A lone .env is scanned for keys; its surroundings are unknown, so no exposure.
	p := filepath.Join(t.TempDir(), ".env")
	writeTree(t, filepath.Dir(p), map[string]string{".env": leakEnv})
	res := scan(t, Options{Roots: []string{p}})
	assertHits(t, "", res.Findings, []hit{{RuleMailjetPair, p, 2, k1, s1[28:]}})

	res = scan(t, Options{Roots: []string{"testdata/site/public_html/wp-includes/version.php"}})
	assertHits(t, "", res.Findings, []hit{{RuleOutdatedWordPress, "testdata/site/public_html/wp-includes/version.php", 2, "", ""}})
}

func TestScanRootErrors(t *testing.T) {
	if _, err := Scan(context.Background(), Options{}); err == nil {
		t.Error("no roots: want an error")
	}
	missing := filepath.Join(t.TempDir(), "no-such-folder")
	_, err := Scan(context.Background(), Options{Roots: []string{"testdata/credentials", missing}})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "no-such-folder") {
		t.Errorf("missing root: err = %v, want a not-exist error naming the folder", err)
	}
}

func TestScanPathsAreRootAsGiven(t *testing.T) {
	res := scan(t, Options{Roots: []string{"./testdata/../testdata/credentials/"}})
	if len(res.Findings) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range res.Findings {
		if !strings.HasPrefix(f.Path, filepath.FromSlash("testdata/credentials/")) {
			t.Errorf("path %q does not start with the root as given (cleaned)", f.Path)
		}
	}
}

func TestScanIsDeterministicAndDeduplicatesOverlappingRoots(t *testing.T) {
	one := scan(t, Options{Roots: []string{"testdata/credentials"}})
	for range 3 {
		again := scan(t, Options{Roots: []string{"testdata/credentials", "testdata/credentials"}})
		if !slices.EqualFunc(one.Findings, again.Findings, sameFinding) {
			t.Fatalf("findings differ between runs:\n%v\n%v", hitsOf(t, "", one.Findings), hitsOf(t, "", again.Findings))
		}
	}
	for i := 1; i < len(one.Findings); i++ {
		a, b := one.Findings[i-1], one.Findings[i]
		if a.Severity > b.Severity || a.Severity == b.Severity && a.Path > b.Path {
			t.Errorf("not sorted by severity then path: %s %s before %s %s", a.Severity, a.Path, b.Severity, b.Path)
		}
	}
}

func sameFinding(a, b Finding) bool {
	return a.Rule == b.Rule && a.Path == b.Path && a.Line == b.Line && a.APIKey == b.APIKey && a.Secret.Equal(b.Secret) && a.Message == b.Message
}

func TestScanNeverPrintsSecrets(t *testing.T) {
	res := scan(t, Options{Roots: []string{"testdata/credentials", "testdata/site"}})
	js, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	out := fmt.Sprintf("%v %+v %#v %s", res, res, res, js)
	for _, f := range res.Findings {
		if f.Secret.IsZero() {
			continue
		}
		if strings.Contains(out, f.Secret.Reveal()) {
			t.Errorf("secret of %s:%d appears in formatted output", f.Path, f.Line)
		}
		if !strings.Contains(out, f.Secret.Hint()) && !strings.Contains(out, "********") {
			t.Errorf("secret of %s:%d is not masked", f.Path, f.Line)
		}
	}
}

func TestScanSanitizesUntrustedNames(t *testing.T) {
	dir := t.TempDir()
	name := "evil\x1b]0;pwned\x07\x1b[31m\nname\u202e.env"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(leakEnv), 0o644); err != nil {
		t.Skipf("file system refuses the name: %v", err)
	}
	var current string
	res := scan(t, Options{Roots: []string{dir}, Progress: func(p Progress) { current = p.Current }})
	want := filepath.Join(dir, "evilname.env")
	if len(res.Findings) != 1 || res.Findings[0].Path != want {
		t.Fatalf("findings %v, want one at %q", hitsOf(t, "", res.Findings), want)
	}
	if current != want {
		t.Errorf("progress Current %q, want %q", current, want)
	}
}
