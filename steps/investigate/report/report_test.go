package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

const (
	key     = "4a91a1b977547f206f136fc678d365fa"
	secret_ = "f31975f7f33e4bcb57d79293d9ea590b"
)

// sample has a finding of each kind, hostile text included.
func sample() investigate.Result {
	return investigate.Result{
		Findings: []investigate.Finding{
			{Rule: investigate.RuleMailjetPair, Category: investigate.CategoryCredential, Severity: investigate.Critical,
				Path: "site/.env", Line: 3, Kind: "Mailjet API key and secret", APIKey: key, Secret: secret.New(secret_),
				Message: "Anyone can send email.", Verified: investigate.Live, VerifyNote: "Mailjet accepted this key and secret"},
			{Rule: investigate.RuleMailjetSecret, Category: investigate.CategoryCredential, Severity: investigate.High,
				Path: "backups/my site.zip!wp-config.php", Line: 9, Kind: "Mailjet API secret", Secret: secret.New(secret_),
				Message: "A secret.\x1b]0;owned\x07", VerifyNote: "not checked: a key and its secret are needed"},
			{Rule: investigate.RuleMailjetPair, Category: investigate.CategoryCredential, Severity: investigate.Critical,
				Path: "/srv/repo/config/.env@1a2b3c4d5e6f", Line: 2, Kind: "Mailjet API key and secret", APIKey: key, Secret: secret.New(secret_),
				Message: "Old.", Verified: investigate.Refused, VerifyNote: "Mailjet refused this key and secret (401)"},
			{Rule: investigate.RuleExposedEnv, Category: investigate.CategoryExposure, Severity: investigate.High,
				Path: "https://shop.example.test/.env", Kind: "Settings file published on the website", Message: "Delete it."},
			{Rule: investigate.RuleOutdatedWordPress, Category: investigate.CategoryOutdated, Severity: investigate.Medium,
				Path: "site/wp-includes/version.php", Line: 2, Kind: "Outdated WordPress", Message: "Update."},
		},
		Stats: investigate.Stats{Files: 12, Bytes: 3456, Duration: 1500 * time.Millisecond,
			Skipped: []investigate.Skip{{Path: "site/locked.env", Reason: "permission denied"}}},
	}
}

func TestJSONLayout(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, b.String())
	var got struct {
		Version  int              `json:"version"`
		Findings []map[string]any `json:"findings"`
		Stats    map[string]any   `json:"stats"`
	}
	dec := json.NewDecoder(&b)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 || len(got.Findings) != 5 {
		t.Fatalf("version %d, %d findings", got.Version, len(got.Findings))
	}
	first := got.Findings[0]
	want := map[string]any{"rule": "mailjet-pair", "category": "credential", "severity": "critical", "path": "site/.env",
		"line": 3.0, "api_key": key, "secret": "590b", "verified": true}
	for k, v := range want {
		if first[k] != v {
			t.Errorf("findings[0].%s = %v, want %v", k, first[k], v)
		}
	}
	if got.Findings[1]["api_key"] != nil || got.Findings[1]["verified"] != nil || got.Findings[1]["verified_reason"] == "" {
		t.Errorf("lone secret: %v", got.Findings[1])
	}
	if msg := got.Findings[1]["message"].(string); strings.ContainsAny(msg, "\x1b\x07") {
		t.Errorf("control characters in message %q", msg)
	}
	if got.Findings[2]["verified"] != false || got.Findings[3]["verified_reason"] != "not a credential" {
		t.Errorf("verified: %v / %v", got.Findings[2]["verified"], got.Findings[3]["verified_reason"])
	}
	if got.Stats["files"] != 12.0 || got.Stats["bytes"] != 3456.0 || got.Stats["duration"] != 1.5 {
		t.Errorf("stats %v", got.Stats)
	}
	if sk := got.Stats["skipped"].([]any); len(sk) != 1 || sk[0].(map[string]any)["reason"] != "permission denied" {
		t.Errorf("skipped %v", got.Stats["skipped"])
	}
	b.Reset()
	JSON(&b, investigate.Result{})
	if !strings.Contains(b.String(), `"findings": []`) || !strings.Contains(b.String(), `"skipped": []`) {
		t.Errorf("empty result: %s", b.String())
	}
}

// validateSARIF checks a log against the SARIF 2.1.0 schema (formats
// asserted too).
func validateSARIF(t *testing.T, log []byte) {
	t.Helper()
	if err := sarifSchemaError(t, log); err != nil {
		t.Errorf("SARIF does not validate: %v\n%s", err, log)
	}
}

func sarifSchemaError(t *testing.T, log []byte) error {
	t.Helper()
	schemaFile, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer schemaFile.Close()
	doc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(log))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

func TestSARIFValidates(t *testing.T) {
	for name, res := range map[string]investigate.Result{"findings": sample(), "empty": {}} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := SARIF(&b, res, "v1.2.3"); err != nil {
				t.Fatal(err)
			}
			validateSARIF(t, b.Bytes())
			assertNoSecret(t, b.String())
		})
	}
	// The check can fail: a log without its tool is refused.
	if sarifSchemaError(t, []byte(`{"version":"2.1.0","runs":[{"results":[]}]}`)) == nil {
		t.Error("a SARIF log without a tool validated: the schema check checks nothing")
	}
}

func TestSARIFContent(t *testing.T) {
	var b bytes.Buffer
	SARIF(&b, sample(), "")
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string } `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }     `json:"artifactLocation"`
						Region           *struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != len(investigate.Rules()) {
		t.Errorf("%d rules, want %d", len(run.Tool.Driver.Rules), len(investigate.Rules()))
	}
	uris := []string{"site/.env", "backups/my%20site.zip%21wp-config.php", "file:///srv/repo/config/.env@1a2b3c4d5e6f",
		"https://shop.example.test/.env", "site/wp-includes/version.php"}
	for i, r := range run.Results {
		if got := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; got != uris[i] {
			t.Errorf("result %d uri %q, want %q", i, got, uris[i])
		}
	}
	if run.Results[3].Locations[0].PhysicalLocation.Region != nil {
		t.Error("a finding without a line has a region")
	}
	if run.Results[0].Level != "error" || run.Results[4].Level != "warning" {
		t.Errorf("levels %q %q", run.Results[0].Level, run.Results[4].Level)
	}
}

func TestText(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, sample(), nil); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	assertNoSecret(t, out)
	for _, want := range []string{"Found 5 problems: 2 critical, 2 high, 1 medium.", "CRITICAL  site/.env:3",
		"API key " + key, "secret  ****590b", "checked: works now", "checked: no longer works", "Read 12 files (3.4 KiB) in 1.5s. Skipped 1 path:",
		"site/locked.env: permission denied"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	for _, r := range out {
		if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f {
			t.Fatalf("control character %U in text output", r)
		}
	}
	b.Reset()
	Text(&b, investigate.Result{}, nil)
	if !strings.HasPrefix(b.String(), "No leaked Mailjet credential") {
		t.Errorf("empty: %q", b.String())
	}
}

func assertNoSecret(t *testing.T, out string) {
	t.Helper()
	if strings.Contains(out, secret_) || strings.Contains(out, secret_[:28]) {
		t.Fatal("the secret (or most of it) is in the output")
	}
}

// The text report speaks the customer's language (JSON and SARIF stay in
// English for tools).
func TestTextInFrench(t *testing.T) {
	// The sample's own messages are made up: only the report's words count.
	made := map[string]bool{}
	for _, f := range sample().Findings {
		made[f.Message] = true
	}
	fr := lang.New(lang.French).Strict(func(k string) {
		if !made[k] {
			t.Errorf("not translated: %q", k)
		}
	})
	var b bytes.Buffer
	if err := Text(&b, sample(), fr); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	assertNoSecret(t, out)
	for _, want := range []string{"5 problèmes trouvés\u00a0: 2 critiques, 2 graves, 1 moyen.", "CRITIQUE  site/.env:3",
		"clé API " + key, "vérifiée\u00a0: marche encore", "12 fichiers lus (3,4 Kio) en 1.5s. 1 chemin ignoré\u00a0:"} {
		if !strings.Contains(out, want) {
			t.Errorf("French text lacks %q:\n%s", want, out)
		}
	}
}
