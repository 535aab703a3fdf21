package replace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

// Test values: random, so neither the scanner nor a reader mistakes them
// for placeholders.
const (
	oldKey    = "5d926341e58aad799937006832cd4828"
	oldSecret = "3d1f3f7eb1d6072386087b3c255bd656"
	newKey    = "55fb560f982f6aaf1092b4cc7282f9d5"
	newSecret = "fb05e40321c8c308d9aa3e1cd7e61823"
	masterKey = "6cccef298fdaf84280ca18f94d202745"
	masterOld = "2652986995140e6032bbfcd8a6f33d42"
	masterNew = "8b1e0c5f7a2d4e6b9c3f1a0d5e7b2c4a"
)

// subRotation replaces a sub-account key; masterRotation gives the master
// key a new secret.
var (
	subRotation = Rotation{Name: "Shop", OldKey: oldKey, OldSecret: secret.New(oldSecret),
		NewKey: newKey, NewSecret: secret.New(newSecret)}
	masterRotation = Rotation{Name: "Master key", OldKey: masterKey, OldSecret: secret.New(masterOld),
		NewKey: masterKey, NewSecret: secret.New(masterNew)}
)

// fill replaces OLDKEY, OLDSECRET, NEWKEY... in a template.
func fill(s string) string {
	return strings.NewReplacer(
		"OLDKEY", oldKey, "OLDSECRET", oldSecret, "NEWKEY", newKey, "NEWSECRET", newSecret,
		"MASTERKEY", masterKey, "MASTEROLD", masterOld, "MASTERNEW", masterNew,
	).Replace(s)
}

// writeFile creates dir/name with content and mode.
func writeFile(t *testing.T, dir, name, content string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return p
}

// pair is a finding of a key and secret at a line.
func pair(path string, line int, key, sec string) investigate.Finding {
	return investigate.Finding{Rule: investigate.RuleMailjetPair, Category: investigate.CategoryCredential,
		Severity: investigate.Critical, Path: path, Line: line, APIKey: key, Secret: secret.New(sec)}
}

// exposure is a finding of a web-served file.
func exposure(path, rule string) investigate.Finding {
	return investigate.Finding{Rule: rule, Category: investigate.CategoryExposure, Severity: investigate.High, Path: path}
}

func plan(t *testing.T, in Input) Plan {
	t.Helper()
	p, err := NewPlan(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fixedClock dates backups.
func fixedClock() time.Time { return time.Date(2026, 11, 25, 19, 45, 0, 0, time.UTC) }

// noSecrets fails when text holds a clear secret of the test.
func noSecrets(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range []string{oldSecret, newSecret, masterOld, masterNew} {
		if strings.Contains(text, s) {
			t.Errorf("%s holds a clear secret ****%s:\n%s", what, s[len(s)-4:], text)
		}
	}
}

// listDir names the entries of dir.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
