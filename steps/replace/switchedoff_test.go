package replace

import (
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// A file that holds a key switched off with no replacement (nobody used
// it) is not updated: it is told so, and left to the customer.
func TestSwitchedOffKeyIsToldNotUpdated(t *testing.T) {
	dir := t.TempDir()
	const offKey, offSecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "9a8b7c6d5e4f30211203f4e5d6c7b8a9"
	news := writeFile(t, dir, "news/.env", "MJ_APIKEY_PUBLIC="+offKey+"\nMJ_APIKEY_PRIVATE="+offSecret+"\n", 0o644)
	alone := writeFile(t, dir, "news/secret.txt", "secret: "+offSecret+"\n", 0o644)
	findings := []investigate.Finding{
		pair(news, 1, offKey, offSecret),
		{Rule: investigate.RuleMailjetSecret, Category: investigate.CategoryCredential, Path: alone, Line: 1, Secret: secret.New(offSecret)},
	}
	for _, p := range []*lang.Printer{nil, lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })} {
		pl := plan(t, Input{Findings: findings, Rotations: []Rotation{subRotation}, Lang: p,
			SwitchedOff: []SwitchedOff{{Key: offKey, Secret: secret.New(offSecret)}}})
		if len(pl.Updates) != 0 {
			t.Errorf("updates: %+v", pl.Updates)
		}
		if len(pl.Manual) != 2 {
			t.Fatalf("manual: %+v", pl.Manual)
		}
		want := []string{"was switched off because nobody used it", "switched off because nobody used it"}
		if p != nil {
			want = []string{"a été désactivée car personne ne l'utilisait", "désactivée car personne ne l'utilisait"}
		}
		for i, m := range pl.Manual {
			if !strings.Contains(m.Reason, want[i]) || strings.Contains(m.Reason, offSecret) {
				t.Errorf("manual %d: %q", i, m.Reason)
			}
		}
	}
}
