package replace

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

func TestPlanSortsFilesIntoUpdatesLeaksAndManualWork(t *testing.T) {
	dir := t.TempDir()
	w := func(name, content string) string { return writeFile(t, dir, name, fill(content), 0o644) }
	envBak := w("public_html/.env.bak", "MJ_APIKEY_PUBLIC=OLDKEY\nMJ_APIKEY_PRIVATE=OLDSECRET\n")
	wpBak := w("public_html/wp-config.php.bak", "define('WPMS_MAILJET_API_KEY','OLDKEY');define('WPMS_MAILJET_SECRET_KEY','OLDSECRET');\n")
	info := w("public_html/info.php", "<?php phpinfo();\n")
	liveEnv := w("public_html/.env", "MJ_APIKEY_PUBLIC=OLDKEY\nMJ_APIKEY_PRIVATE=OLDSECRET\n")
	appEnv := w("app/.env", "MJ_APIKEY_PUBLIC=MASTERKEY\nMJ_APIKEY_PRIVATE=MASTEROLD\n")
	oldCopy := w("app/.env.old", "MJ_APIKEY_PUBLIC=MASTERKEY\nMJ_APIKEY_PRIVATE=MASTEROLD\n")
	zip := w("backups/site.zip", "PK not really a zip")
	secretOnly := w("app/secret.txt", "mailjet secret: OLDSECRET\n")
	foreign := w("app/other.env", "MJ_APIKEY_PUBLIC=0f1e2d3c4b5a69788796a5b4c3d2e1f0\nMJ_APIKEY_PRIVATE=9a8b7c6d5e4f30211203f4e5d6c7b8a9\n")
	unknownSecret := w("app/unknown.env", "MAILJET_SECRET=c0ffee11d00d22beef33cafe44f00d55\n")
	gitDir := filepath.Join(dir, "public_html/.git")
	if err := os.Mkdir(gitDir, 0o755); err != nil {
		t.Fatal(err)
	}
	secretAlone := func(path, sec string) investigate.Finding {
		return investigate.Finding{Rule: investigate.RuleMailjetSecret, Category: investigate.CategoryCredential, Path: path, Line: 1, Secret: secret.New(sec)}
	}
	findings := []investigate.Finding{
		pair(envBak, 2, oldKey, oldSecret), exposure(envBak, investigate.RuleExposedEnv),
		pair(wpBak, 1, oldKey, oldSecret), exposure(wpBak, investigate.RuleExposedWPBackup),
		exposure(info, investigate.RuleExposedPhpinfo),
		pair(liveEnv, 2, oldKey, oldSecret), exposure(liveEnv, investigate.RuleExposedEnv),
		pair(appEnv, 2, masterKey, masterOld),
		pair(oldCopy, 2, masterKey, masterOld),
		pair(zip+"!wp-config.php", 7, oldKey, oldSecret),
		pair(filepath.Join(dir, "app/config.php")+"@0123abcd", 3, oldKey, oldSecret),
		secretAlone(secretOnly, oldSecret),
		pair(foreign, 2, "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "9a8b7c6d5e4f30211203f4e5d6c7b8a9"),
		secretAlone(unknownSecret, "c0ffee11d00d22beef33cafe44f00d55"),
		exposure(gitDir, investigate.RuleExposedGit),
		{Rule: investigate.RuleOutdatedWordPress, Category: investigate.CategoryOutdated, Path: filepath.Join(dir, "public_html/wp-includes/version.php")},
	}
	p := plan(t, Input{Findings: findings, Rotations: []Rotation{subRotation, masterRotation}})

	var updates, removals []string
	for _, u := range p.Updates {
		updates = append(updates, u.Path)
	}
	for _, r := range p.Removals {
		removals = append(removals, r.Path)
		if r.Reason == "" {
			t.Errorf("removal of %s has no reason", r.Path)
		}
	}
	if want := []string{appEnv, secretOnly, liveEnv}; !slices.Equal(updates, want) {
		t.Errorf("updates = %v\nwant      %v", updates, want)
	}
	if want := []string{oldCopy, zip, envBak, info, wpBak}; !slices.Equal(removals, want) {
		t.Errorf("removals = %v\nwant       %v", removals, want)
	}
	manual := map[string]string{}
	for _, m := range p.Manual {
		manual[strings.TrimPrefix(m.Path, dir+"/")] += m.Reason + " | "
	}
	for path, words := range map[string]string{
		"app/config.php@0123abcd": "history",
		"app/other.env":           "not one of the keys that were replaced",
		"app/unknown.env":         "belongs to none of the replaced keys",
		"public_html/.git":        "Block it",
		"public_html/.env":        "Move it out of the website",
	} {
		if !strings.Contains(manual[path], words) {
			t.Errorf("manual note for %s = %q, want it to say %q", path, manual[path], words)
		}
	}
	if len(manual) != 5 {
		t.Errorf("manual notes for %d paths, want 5: %v", len(manual), manual)
	}
	noSecrets(t, "the manual notes", strings.Join(slices.Collect(maps.Values(manual)), "\n"))
}

func TestPlanRefusesUnsafeRotations(t *testing.T) {
	bad := []Rotation{
		{OldKey: "short", NewKey: newKey, NewSecret: secret.New(newSecret)},
		{OldKey: oldKey, NewKey: newKey, NewSecret: secret.New("has'quote-and-more-chars")},
		{OldKey: oldKey, NewKey: "new key with spaces in it", NewSecret: secret.New(newSecret)},
		{OldKey: oldKey, OldSecret: secret.New(newSecret), NewKey: newKey, NewSecret: secret.New(newSecret)},
	}
	for _, r := range bad {
		if _, err := NewPlan(context.Background(), Input{Rotations: []Rotation{r}}); err == nil {
			t.Errorf("rotation %+v accepted", r)
		} else {
			noSecrets(t, "the error", err.Error())
		}
	}
	if _, err := NewPlan(context.Background(), Input{}); err == nil {
		t.Error("no rotation accepted")
	}
	if _, err := NewPlan(context.Background(), Input{Rotations: []Rotation{subRotation, subRotation}}); err == nil {
		t.Error("a key listed twice accepted")
	}
}

func TestBackupNames(t *testing.T) {
	for name, want := range map[string]bool{
		".env.bak": true, ".env.backup": true, ".env.old": true, ".env.save": true, ".env~": true, ".env.2023-03": true,
		"wp-config.php.bak": true, "wp-config.php~": true, "wp-config.php.txt": true, "wp-config.php.swp": true, "config.php.orig": true,
		".env": false, ".env.local": false, ".env.production": false, ".env.example": false, ".env.dist": false,
		"wp-config.php": false, "notes.txt": false, ".bak": false, "README.md": false,
	} {
		if got := isBackupName(name); got != want {
			t.Errorf("isBackupName(%q) = %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]bool{"site.zip": true, "db.sql.gz": true, "backup.tar.gz": true, "dump.sql": true, "style.css": false, ".zip": false} {
		if got := isArchiveName(name); got != want {
			t.Errorf("isArchiveName(%q) = %v, want %v", name, got, want)
		}
	}
}

// A second plan after the update finds nothing to do and nothing to
// report: the new pairs are not "keys that were not rotated".
func TestPlanAfterTheUpdateIsEmpty(t *testing.T) {
	dir := t.TempDir()
	sub := writeFile(t, dir, "a/.env", fill("MJ_APIKEY_PUBLIC=NEWKEY\nMJ_APIKEY_PRIVATE=NEWSECRET\n"), 0o600)
	master := writeFile(t, dir, "b/.env", fill("MJ_APIKEY_PUBLIC=MASTERKEY\nMJ_APIKEY_PRIVATE=MASTERNEW\n"), 0o600)
	p := plan(t, Input{Rotations: []Rotation{subRotation, masterRotation}, Findings: []investigate.Finding{
		pair(sub, 2, newKey, newSecret), pair(master, 2, masterKey, masterNew),
	}})
	if len(p.Updates)+len(p.Removals)+len(p.Manual) != 0 {
		t.Errorf("plan = %+v, want nothing", p)
	}
}
