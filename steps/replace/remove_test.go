package replace

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/steps/investigate"
)

func TestRemoveMovesLeaksIntoAPrivateFolder(t *testing.T) {
	site, reports := t.TempDir(), t.TempDir()
	bak := writeFile(t, site, "public_html/.env.bak", fill("MJ_APIKEY_PUBLIC=OLDKEY\nMJ_APIKEY_PRIVATE=OLDSECRET\n"), 0o644)
	info := writeFile(t, site, "public_html/info.php", "<?php phpinfo();\n", 0o644)
	other := writeFile(t, site, "www/.env.bak", fill("MJ_APIKEY_PUBLIC=OLDKEY\n"), 0o644)
	p := plan(t, Input{Rotations: []Rotation{subRotation}, Findings: []investigate.Finding{
		pair(bak, 2, oldKey, oldSecret), exposure(bak, investigate.RuleExposedEnv),
		exposure(info, investigate.RuleExposedPhpinfo),
		exposure(other, investigate.RuleExposedEnv),
	}})
	if len(p.Removals) != 3 {
		t.Fatalf("removals = %+v", p.Removals)
	}
	q, err := NewQuarantine(nil, reports, fixedClock())
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(q); info.Mode().Perm() != 0o700 || filepath.Base(q) != "mjrecover-removed-20261125-194500" {
		t.Errorf("quarantine %s mode %v, want 0700", q, info.Mode().Perm())
	}
	if q2, err := NewQuarantine(nil, reports, fixedClock()); err != nil || q2 == q {
		t.Errorf("second quarantine %s, %v: want a new folder", q2, err)
	}
	var moved []string
	for _, r := range p.Removals {
		res, err := Remove(context.Background(), r, q)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Lstat(r.Path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there", r.Path)
		}
		if filepath.Dir(res.MovedTo) != q {
			t.Errorf("moved to %s, outside the quarantine", res.MovedTo)
		}
		moved = append(moved, filepath.Base(res.MovedTo))
	}
	readme, _ := os.ReadFile(filepath.Join(q, "README.txt"))
	for _, path := range []string{bak, info, other} {
		if !strings.Contains(string(readme), path) {
			t.Errorf("README does not list %s:\n%s", path, readme)
		}
	}
	// Two files named .env.bak both fit.
	if got := strings.Join(moved, " "); !strings.Contains(got, "env.bak") || !strings.Contains(got, "2-env.bak") {
		t.Errorf("moved as %s", got)
	}
}

func TestRemoveRefusesAChangedFile(t *testing.T) {
	site := t.TempDir()
	info := writeFile(t, site, "public_html/info.php", "<?php phpinfo();\n", 0o644)
	p := plan(t, Input{Rotations: []Rotation{subRotation}, Findings: []investigate.Finding{exposure(info, investigate.RuleExposedPhpinfo)}})
	if err := os.WriteFile(info, []byte("<?php echo 'now a real page';\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	q, err := NewQuarantine(nil, t.TempDir(), fixedClock())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Remove(context.Background(), p.Removals[0], q); !errors.Is(err, ErrChanged) {
		t.Errorf("err = %v, want ErrChanged", err)
	}
	if _, err := os.Stat(info); err != nil {
		t.Error("the changed file was moved")
	}
}
