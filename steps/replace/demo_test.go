package replace_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/assets"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/replace"
	"github.com/mjrecover/mjrecover/steps/rotate"
)

// The whole flow on the demo: scan the demo web root, rotate the keys on
// the sandbox, plan, update the config files, move the leaks away, and
// check again.
func TestDemoGetsTheNewKeysEverywhere(t *testing.T) {
	ctx := context.Background()
	root, err := assets.ExtractDemo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	scan, err := investigate.Scan(ctx, investigate.Options{Roots: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	results := rotateDemo(t)
	rotations := replace.RotationsFrom(results)
	if len(rotations) != 3 {
		t.Fatalf("%d rotations, want 3", len(rotations))
	}
	var newSecrets []string
	for _, r := range rotations {
		newSecrets = append(newSecrets, r.NewSecret.Reveal())
	}
	oldSecrets := []string{sandbox.DemoMasterSecret, sandbox.DemoShopSecret}

	plan, err := replace.NewPlan(ctx, replace.Input{Findings: scan.Findings, Rotations: rotations, Roots: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	rel := func(p string) string { r, _ := filepath.Rel(root, p); return r }
	var updates, removals, notes, manual []string
	for _, u := range plan.Updates {
		updates = append(updates, rel(u.Path))
	}
	for _, r := range plan.Removals {
		removals = append(removals, rel(r.Path))
	}
	for _, n := range plan.EnvNotes {
		notes = append(notes, rel(n.Path))
	}
	for _, m := range plan.Manual {
		manual = append(manual, rel(m.Path))
	}
	if want := []string{"laravel/.env", "public_html/wp-config.php"}; !slices.Equal(updates, want) {
		t.Errorf("updates = %v, want %v", updates, want)
	}
	if want := []string{"public_html/.env.bak", "public_html/info.php", "public_html/wp-config.php.bak"}; !slices.Equal(removals, want) {
		t.Errorf("removals = %v, want %v", removals, want)
	}
	for _, want := range []string{"laravel/config/services.php", "node-mailer/mailer.js"} {
		if !slices.Contains(notes, want) {
			t.Errorf("environment notes = %v, want %s among them", notes, want)
		}
	}
	if !slices.Contains(manual, "public_html/.git") {
		t.Errorf("manual = %v, want the .git folder", manual)
	}
	printed, _ := json.Marshal(plan)
	for _, s := range append(newSecrets, oldSecrets...) {
		for _, u := range plan.Updates {
			if strings.Contains(u.Diff.String(), s) {
				t.Errorf("the diff of %s shows a secret", u.Path)
			}
		}
		if strings.Contains(string(printed)+fmt.Sprintf("%+v", plan), s) {
			t.Error("the plan prints a secret")
		}
	}

	var out replace.Outcome
	a := replace.Applier{Now: func() time.Time { return time.Date(2026, 11, 25, 19, 45, 0, 0, time.UTC) }}
	for _, u := range plan.Updates {
		res, err := a.Apply(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		out.Applied = append(out.Applied, res)
	}
	q, err := replace.NewQuarantine(nil, t.TempDir(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range plan.Removals {
		res, err := replace.Remove(ctx, r, q)
		if err != nil {
			t.Fatal(err)
		}
		out.Removed = append(out.Removed, res)
	}
	out.EnvNotes, out.Manual = plan.EnvNotes, plan.Manual
	check, err := replace.Verify(ctx, plan.Updates)
	if err != nil || !check.Clean() {
		t.Fatalf("Verify = %+v, %v", check, err)
	}
	out.Check = &check

	// The config files hold the new pairs, each with its backup.
	for _, res := range out.Applied {
		got, _ := os.ReadFile(res.Path)
		if !slices.ContainsFunc(newSecrets, func(s string) bool { return strings.Contains(string(got), s) }) {
			t.Errorf("%s holds no new secret", res.Path)
		}
		if b, err := os.Stat(res.Backup); err != nil || b.Mode().Perm() != 0o600 {
			t.Errorf("backup %s: %v", res.Backup, err)
		}
	}
	// A second scan of the web root finds no old pair outside mjrecover's
	// own backups (which keep the old files, at 0600, on purpose).
	again, err := investigate.Scan(ctx, investigate.Options{Roots: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range again.Findings {
		if slices.Contains(oldSecrets, f.Secret.Reveal()) && !strings.Contains(f.Path, ".mjrecover-") {
			t.Errorf("old secret still at %s:%d", f.Path, f.Line)
		}
	}

	lines := out.Lines(root, nil)
	text, _ := json.Marshal(lines)
	for _, s := range append(newSecrets, oldSecrets...) {
		if strings.Contains(string(text), s) {
			t.Error("the report lines hold a secret")
		}
	}
	for _, want := range []string{"laravel/.env held the old key", "public_html/.env.bak leaked", "node-mailer/mailer.js reads", "No old key or secret remains"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("report lines lack %q:\n%s", want, text)
		}
	}
}

// rotateDemo rotates every key of the demo account on a sandbox, as the
// wizard's second step does.
func rotateDemo(t *testing.T) []rotate.Result {
	t.Helper()
	ctx := context.Background()
	srv := httptest.NewServer(sandbox.New())
	t.Cleanup(srv.Close)
	creds := mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)}
	api := mailjet.New(srv.URL, creds, mailjet.WithRetry(2, time.Millisecond))
	r := &rotate.Rotator{API: api, Recovery: recovery.New(srv.URL, creds), ReadyTries: 3, ReadyWait: 10 * time.Millisecond}
	keys, err := api.ListAPIKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	results, err := r.RotateAll(ctx, rotate.NewPlan(keys, nil, true, nil))
	if err != nil {
		t.Fatal(err)
	}
	return results
}
