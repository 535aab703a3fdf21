package support

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

// Real-looking pairs (the sandbox's demo values).
const (
	masterKey    = "4a91a1b977547f206f136fc678d365fa"
	masterSecret = "f31975f7f33e4bcb57d79293d9ea590b"
	shopKey      = "06d340744b2965d3e85f7cef673379ff"
	shopSecret   = "e8b9bbc4ab9dfe2bf8fb18889ed4cbd5"
	otherKey     = "0123456789abcdef0123456789abcdef"
	otherSecret  = "fedcba9876543210fedcba9876543210"
)

var allSecrets = []string{masterSecret, shopSecret, otherSecret}

func exposedEnvBackup() []investigate.Finding {
	return []investigate.Finding{
		{Rule: "wordpress-outdated", Category: investigate.CategoryOutdated, Severity: investigate.Medium,
			Path: "www/wp-includes/version.php", Kind: "Outdated WordPress 5.8.1", Message: "This WordPress has known flaws."},
		{Rule: "mailjet-env-pair", Category: investigate.CategoryCredential, Severity: investigate.Critical,
			Path: "www/public_html/.env.bak", Line: 3, Kind: "Mailjet API key and secret", APIKey: shopKey,
			Secret: secret.New(shopSecret), Owned: true,
			// A careless message that quotes the secret must still be redacted.
			Message: "MJ_APIKEY_PRIVATE=" + shopSecret + " can be downloaded by anyone."},
		{Rule: "web-env-backup", Category: investigate.CategoryExposure, Severity: investigate.Critical,
			Path: "www/public_html/.env.bak", Kind: "Environment file backup", Message: "Your web server hands this file to anyone."},
		{Rule: "mailjet-php-pair", Category: investigate.CategoryCredential, Severity: investigate.High,
			Path: "www/app/config/mail.php", Line: 12, Kind: "Mailjet API key and secret", APIKey: masterKey,
			Secret: secret.New(masterSecret), Owned: true, Message: "The master key is in | the app's configuration."},
		{Rule: "phpinfo", Category: investigate.CategoryExposure, Severity: investigate.High,
			Path: "www/public_html/info.php", Kind: "PHP information page", Message: "It shows the server's settings."},
		{Rule: "mailjet-env-pair", Category: investigate.CategoryCredential, Severity: investigate.Low,
			Path: "www/old/.env", Line: 1, Kind: "Mailjet API key and secret", APIKey: otherKey,
			Secret: secret.New(otherSecret), Message: "A key of another account."},
	}
}

func buildReport(findings []investigate.Finding) Report {
	return Build(Input{
		Version:   "v0.1.0",
		Now:       time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC),
		Account:   "jane@lafleur-bakery.example",
		MasterKey: masterKey,
		Steps: []StepResult{
			{Number: 1, Name: "Investigate", Status: StatusDone, Detail: "6 findings"},
			{Number: 2, Name: "Rotate API keys", Status: StatusDone, Detail: "2 keys replaced"},
			{Number: 3, Name: "New password", Status: StatusGuided, Detail: ""},
			{Number: 4, Name: "Two-factor authentication", Status: StatusSkipped, Detail: "no phone at hand"},
			{Number: 5, Name: "Contact support", Status: StatusPending, Detail: ""},
		},
		Findings: findings,
	})
}

func TestBuild(t *testing.T) {
	r := buildReport(exposedEnvBackup())
	if len(r.Findings) != 6 || len(r.Steps) != 5 {
		t.Fatalf("%d findings, %d steps", len(r.Findings), len(r.Steps))
	}
	wantCounts := map[string]int{"critical": 2, "high": 2, "medium": 1, "low": 1}
	for sev, n := range wantCounts {
		if r.Counts[sev] != n {
			t.Errorf("Counts[%s] = %d, want %d (all: %v)", sev, r.Counts[sev], n, r.Counts)
		}
	}
	// Most serious first.
	for i := 1; i < len(r.Findings); i++ {
		if rank(r.Findings[i-1].Severity) > rank(r.Findings[i].Severity) {
			t.Errorf("findings out of order: %s before %s", r.Findings[i-1].Severity, r.Findings[i].Severity)
		}
	}
	var shop Finding
	for _, f := range r.Findings {
		if f.Line == 3 {
			shop = f
		}
	}
	if shop.Path != "www/public_html/.env.bak" || shop.Line != 3 || shop.Secret != "cbd5" || shop.APIKey != shopKey ||
		!shop.Owned || shop.Kind != "Mailjet API key and secret" || shop.Category != "credential" || shop.Rule != "mailjet-env-pair" {
		t.Errorf("first finding = %+v", shop)
	}
	if shop.Message != "MJ_APIKEY_PRIVATE=****cbd5 can be downloaded by anyone." {
		t.Errorf("message not redacted: %q", shop.Message)
	}
	// Same severity: by path, then line (the whole file first).
	if r.Findings[0].Where() != "www/public_html/.env.bak" || r.Findings[1].Where() != "www/public_html/.env.bak:3" {
		t.Errorf("Where = %q, %q", r.Findings[0].Where(), r.Findings[1].Where())
	}
}

func rank(sev string) int {
	for i, s := range Severities() {
		if s.String() == sev {
			return i
		}
	}
	return -1
}

func TestReportNeverHoldsASecret(t *testing.T) {
	r := buildReport(exposedEnvBackup())
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	md := r.Markdown()
	for _, s := range allSecrets {
		if strings.Contains(md, s) || strings.Contains(string(js), s) {
			t.Errorf("the report holds the secret ending %s", s[len(s)-4:])
		}
		if !strings.Contains(md, "`****"+s[len(s)-4:]+"`") {
			t.Errorf("Markdown lacks the hint ****%s", s[len(s)-4:])
		}
		if !strings.Contains(string(js), `"secret":"`+s[len(s)-4:]+`"`) {
			t.Errorf("JSON lacks the last 4 %s", s[len(s)-4:])
		}
	}
}

func TestMarkdown(t *testing.T) {
	r := buildReport(exposedEnvBackup())
	r.Ticket = "MJ-2026-0042"
	md := r.Markdown()
	for _, want := range []string{
		"# Mailjet account recovery report",
		"- Account: jane@lafleur-bakery.example",
		"- Main API key: " + masterKey,
		"- Date: 2026-03-14 09:26:53 UTC",
		"- Support ticket: MJ-2026-0042",
		"- [x] 1. Investigate (done): 6 findings\n",
		"- [x] 3. New password (done on Mailjet's site)\n",
		"- [-] 4. Two-factor authentication (skipped): no phone at hand\n",
		"- [ ] 5. Contact support (NOT DONE)\n",
		"critical: 2, high: 2, medium: 1, low: 1.",
		"### Critical (2)",
		"| `www/public_html/.env.bak:3` | Mailjet API key and secret | `" + shopKey + "` | `****cbd5` | yes |",
		"| `www/old/.env:1` |",
		`The master key is in \| the app's configuration.`,
		"## Likely root cause",
		"## Advice",
		"1. Ask your hosting provider",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	if strings.Index(md, "### Critical") > strings.Index(md, "### High") || strings.Index(md, "### High") > strings.Index(md, "### Low") {
		t.Error("severity groups out of order")
	}
	if strings.Contains(md, "### Medium (0)") {
		t.Error("empty groups should be left out")
	}
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| ") && strings.Count(line, " | ") != 5 {
			t.Errorf("table row with a wrong number of cells: %s", line)
		}
	}
}

func TestMarkdownKeepsOddPathsOnOneLine(t *testing.T) {
	r := buildReport([]investigate.Finding{{Category: investigate.CategoryExposure, Severity: investigate.High,
		Path: "www/a`b|c\nd\x1b[31m.php", Kind: "Backup"}})
	md := r.Markdown()
	if !strings.Contains(md, "| `` www/a`b\\|c d [31m.php `` | Backup |") {
		t.Errorf("odd path rendered as:\n%s", md)
	}
	if strings.Contains(md, "\x1b") {
		t.Error("an escape sequence reached the report")
	}
}

func TestRootCause(t *testing.T) {
	tests := []struct {
		name     string
		findings []investigate.Finding
		want     []string // in this order
		not      []string
	}{
		{
			name:     "exposed file holding the account's pair",
			findings: exposedEnvBackup(),
			want: []string{
				"Your API key and secret were in a file your web server hands to anyone: www/public_html/.env.bak.",
				"Other files your web server hands to anyone could reveal them too: www/public_html/info.php.",
				"They were also in application configuration files (www/app/config/mail.php).",
				"Outdated software is also a likely way in: Outdated WordPress 5.8.1 in www/wp-includes/version.php.",
				"Mailjet keys of other accounts (www/old/.env)",
			},
		},
		{
			name: "exposure marked as owned by the scanner",
			findings: []investigate.Finding{{Category: investigate.CategoryExposure, Severity: investigate.Critical,
				Path: "www/backup.zip", Owned: true, APIKey: shopKey}},
			want: []string{"in a file your web server hands to anyone: www/backup.zip. Anyone who asked for that address"},
		},
		{
			name: "two exposed files",
			findings: []investigate.Finding{
				{Category: investigate.CategoryExposure, Severity: investigate.Critical, Path: "www/a.bak", Owned: true},
				{Category: investigate.CategoryExposure, Severity: investigate.Critical, Path: "www/b.bak", Owned: true},
			},
			want: []string{"in files your web server hands to anyone: www/a.bak and www/b.bak. Anyone who asked for those addresses"},
		},
		{
			name: "keys in app config only",
			findings: []investigate.Finding{{Category: investigate.CategoryCredential, Severity: investigate.High,
				Path: "app/.env", Line: 2, APIKey: shopKey, Secret: secret.New(shopSecret), Owned: true}},
			want: []string{"were in application configuration files (app/.env); anyone with access to the server or to a copy of the code had them"},
			not:  []string{"hands to anyone:"},
		},
		{
			name: "config plus a phpinfo page",
			findings: []investigate.Finding{
				{Category: investigate.CategoryCredential, Severity: investigate.High, Path: "app/.env", Owned: true},
				{Category: investigate.CategoryExposure, Severity: investigate.High, Path: "www/phpinfo.php", Kind: "PHP information page"},
			},
			want: []string{"in application configuration files (app/.env), and files your web server hands to anyone can reveal them: www/phpinfo.php."},
		},
		{
			name: "outdated WordPress only",
			findings: []investigate.Finding{{Category: investigate.CategoryOutdated, Severity: investigate.Medium,
				Path: "www/wp-includes/version.php", Kind: "WordPress 5.8"}},
			want: []string{"no leaked credentials on this server, but it runs outdated software, a common way in: WordPress 5.8 in www/wp-includes/version.php."},
		},
		{name: "nothing found", want: []string{NothingFound}},
		{
			name: "only other accounts' keys",
			findings: []investigate.Finding{{Category: investigate.CategoryCredential, Severity: investigate.Low,
				Path: "old/.env", APIKey: otherKey}},
			want: []string{NothingFound, "Mailjet keys of other accounts (old/.env)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := buildReport(tt.findings).RootCause
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("root cause lacks (or misorders) %q:\n%s", w, got)
				}
				rest = rest[i+len(w):]
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("root cause has %q:\n%s", n, got)
				}
			}
		})
	}
}

func TestRootCauseListsAtMostThreePaths(t *testing.T) {
	var fs []investigate.Finding
	for _, p := range []string{"a/.env", "b/.env", "c/.env", "d/.env", "e/.env", "a/.env"} {
		fs = append(fs, investigate.Finding{Category: investigate.CategoryCredential, Severity: investigate.High, Path: p, Owned: true})
	}
	if got := buildReport(fs).RootCause; !strings.Contains(got, "(a/.env, b/.env, c/.env and 2 more)") {
		t.Errorf("root cause = %q", got)
	}
}

func TestAdvice(t *testing.T) {
	joined := strings.Join(buildReport(exposedEnvBackup()).Advice, "\n")
	for _, want := range []string{
		"access logs for www/public_html/.env.bak and www/public_html/info.php",
		"Delete the files your web server hands to anyone",
		"GitHub code search) for your API keys (" + masterKey + " and " + shopKey + ")",
		"Update WordPress",
		"recovery codes",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("advice lacks %q:\n%s", want, joined)
		}
	}
	if strings.Contains(joined, otherKey) {
		t.Error("advice asks to search for another account's key")
	}
	plain := strings.Join(buildReport(nil).Advice, "\n")
	for _, want := range []string{"hosting provider", "GitHub", "backups", "WordPress", "recovery codes"} {
		if !strings.Contains(plain, want) {
			t.Errorf("default advice lacks %q", want)
		}
	}
}

func TestEmptyReportJSON(t *testing.T) {
	r := Build(Input{Now: time.Unix(0, 0).UTC()})
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"findings":[]`, `"steps":[]`, `"counts":{"critical":0,"high":0,"low":0,"medium":0}`} {
		if !strings.Contains(string(js), want) {
			t.Errorf("JSON lacks %s: %s", want, js)
		}
	}
	if r.RootCause != NothingFound {
		t.Errorf("root cause = %q", r.RootCause)
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	r := buildReport(exposedEnvBackup())

	md, js, err := Write(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(md) != "mjrecover-report-20260314-092653.md" || filepath.Base(js) != "mjrecover-report-20260314-092653.json" {
		t.Errorf("names %s, %s", md, js)
	}
	for _, p := range []string{md, js} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", p, info.Mode().Perm())
		}
		data, _ := os.ReadFile(p)
		for _, s := range allSecrets {
			if strings.Contains(string(data), s) {
				t.Errorf("%s holds a secret", p)
			}
		}
	}
	data, _ := os.ReadFile(js)
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Account != r.Account || len(back.Findings) != len(r.Findings) || back.RootCause != r.RootCause || !back.CreatedAt.Equal(r.CreatedAt) {
		t.Errorf("JSON does not round-trip: %+v", back)
	}
	if !strings.Contains(string(data), "\n  \"version\": \"v0.1.0\",") {
		t.Error("JSON is not indented")
	}
	if mdData, _ := os.ReadFile(md); string(mdData) != r.Markdown() {
		t.Error("Markdown file differs from Markdown()")
	}

	// Same second again: a suffix, never an overwrite.
	md2, js2, err := Write(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(md2) != "mjrecover-report-20260314-092653-2.md" || filepath.Base(js2) != "mjrecover-report-20260314-092653-2.json" {
		t.Errorf("second names %s, %s", md2, js2)
	}
	// A stray JSON with the next name pushes the pair to -4.
	if err := os.WriteFile(filepath.Join(dir, "mjrecover-report-20260314-092653-3.json"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	md4, _, err := Write(dir, r)
	if err != nil || filepath.Base(md4) != "mjrecover-report-20260314-092653-4.md" {
		t.Errorf("third write: %s, %v", md4, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "mjrecover-report-20260314-092653-3.md")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a lone Markdown file was left behind")
	}
	if _, _, err := Write(filepath.Join(dir, "missing"), r); err == nil {
		t.Error("writing to a missing folder succeeded")
	}
}

type fakeSubmitter struct {
	got any
	err error
}

func (f *fakeSubmitter) SubmitReport(_ context.Context, report any) (string, error) {
	f.got = report
	return "MJ-1", f.err
}

func TestSubmit(t *testing.T) {
	r := buildReport(nil)
	s := &fakeSubmitter{}
	got, err := Submit(context.Background(), s, r)
	if err != nil || got.Ticket != "MJ-1" {
		t.Fatalf("Submit = %q, %v", got.Ticket, err)
	}
	if sent, ok := s.got.(Report); !ok || sent.Account != r.Account {
		t.Errorf("sent %T", s.got)
	}
	s.err = errors.New("connection refused")
	if _, err := Submit(context.Background(), s, r); !errors.Is(err, s.err) || !strings.Contains(err.Error(), "support") {
		t.Errorf("error = %v", err)
	}
}

func TestReportCarriesOtherActionsScrubbed(t *testing.T) {
	const leaked = "0123456789abcdef0123456789abcdef"
	r := Build(Input{
		Findings: []investigate.Finding{{Rule: "mailjet-pair", Category: investigate.CategoryCredential,
			Path: "/srv/.env", Line: 1, Secret: secret.New(leaked)}},
		Actions: []Line{{Area: "Settings file", Finding: ".env held " + leaked, Action: "Updated"}},
	})
	if len(r.Actions) != 1 || strings.Contains(r.Actions[0].Finding, leaked) {
		t.Fatalf("actions %+v", r.Actions)
	}
	md := r.Markdown()
	if !strings.Contains(md, "## Other actions") || !strings.Contains(md, "Settings file") || strings.Contains(md, leaked) {
		t.Fatalf("markdown:\n%s", md)
	}
}
