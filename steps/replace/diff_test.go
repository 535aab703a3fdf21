package replace

import (
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/steps/investigate"
)

func TestDiffShowsKeysAndHidesSecrets(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, ".env", fill("A=1\r\nMAILJET_APIKEY=OLDKEY\r\nMAILJET_APISECRET=OLDSECRET\r\n"), 0o600)
	p := plan(t, Input{Findings: []investigate.Finding{pair(path, 3, oldKey, oldSecret)}, Rotations: []Rotation{subRotation}})
	got := p.Updates[0].Diff.String()
	want := "--- " + path + "\n+++ " + path + " (with the new key)\n" +
		"@@ line 2 @@\n-MAILJET_APIKEY=" + oldKey + "\n+MAILJET_APIKEY=" + newKey + "\n" +
		"@@ line 3 @@\n-MAILJET_APISECRET=****" + oldSecret[28:] + "\n+MAILJET_APISECRET=****" + newSecret[28:] + "\n"
	if got != want {
		t.Errorf("diff =\n%s\nwant\n%s", got, want)
	}
	if p.Updates[0].Replaced != 2 || len(p.Updates[0].Keys) != 1 || p.Updates[0].Keys[0] != oldKey {
		t.Errorf("update = %+v", p.Updates[0])
	}
}

func TestDiffCutsLongLinesAroundTheChange(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("x", 5000)
	content := "var cfg={" + long + ",mailjet:{key:\"" + oldKey + "\",secret:\"" + oldSecret + "\"}," + long + "\x1b[31m};\n"
	path := writeFile(t, dir, "bundle.min.js", content, 0o600)
	p := plan(t, Input{Findings: []investigate.Finding{pair(path, 1, oldKey, oldSecret)}, Rotations: []Rotation{subRotation}})
	l := p.Updates[0].Diff.Lines[0]
	for _, s := range []string{l.Old, l.New} {
		if len([]rune(s)) > keepBefore+keepAfter+keepBetween+2*32+4 || !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") {
			t.Errorf("line shown as %q (%d characters), want a short window", s, len(s))
		}
		if strings.ContainsRune(s, '\x1b') {
			t.Error("a control character reached the diff")
		}
	}
	if !strings.Contains(l.Old, oldKey) || !strings.Contains(l.New, newKey) || !strings.Contains(l.New, "****"+newSecret[28:]) {
		t.Errorf("window lost the change: %q → %q", l.Old, l.New)
	}
	noSecrets(t, "the diff", l.Old+l.New)
}
