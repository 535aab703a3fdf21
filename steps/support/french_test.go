package support

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// frenchInput is a whole report's input: every step status, findings of
// every severity, other actions with their French words, a scanned folder.
func frenchInput(p *lang.Printer) Input {
	return Input{
		Version:   "v0.1.0",
		Now:       time.Date(2026, 3, 14, 10, 26, 53, 0, time.FixedZone("CET", 3600)),
		Account:   "jane@lafleur-bakery.example",
		MasterKey: masterKey,
		ScanRoot:  "/srv",
		Steps: []StepResult{
			// Names no catalog knows: the wizard's own are translated.
			{Number: 1, Name: "Alpha", Status: StatusDone, Detail: "6 findings"},
			{Number: 2, Name: "Bravo", Status: StatusDone, Detail: ""},
			{Number: 3, Name: "Charlie", Status: StatusGuided, Detail: ""},
			{Number: 4, Name: "Delta", Status: StatusSkipped, Detail: "no phone at hand"},
			{Number: 5, Name: "Echo", Status: StatusPending, Detail: ""},
		},
		Findings: exposedEnvBackup(),
		// What the wizard made with messages is said in French; what an
		// older journal kept in English is said as it was kept, marked
		// messages translated.
		Actions: []Line{Said(lang.Msg("Settings file"), lang.Msg("%[1]s held the old key %[2]s", "app/.env", "06d3"),
			lang.Msg("Updated with the new key and secret; the old version is kept in %s (only its owner can read it)", "b/.env.bak")),
			{Area: "Settings file", Finding: "old/.env holds an old key", Action: "Left as it is, at the customer's choice"}},
		Lang: p,
	}
}

// strictFrench fails the test on any message of this package French does
// not translate. What the report quotes from elsewhere (steps, findings)
// is the test's data, said as it came.
func strictFrench(t *testing.T, data ...string) *lang.Printer {
	t.Helper()
	quoted := map[string]bool{}
	for _, d := range data {
		quoted[d] = true
	}
	return lang.New(lang.French).Strict(func(k string) {
		if !quoted[k] {
			t.Errorf("not translated: %q", k)
		}
	})
}

func quotedData(in Input) []string {
	var out []string
	for _, s := range in.Steps {
		out = append(out, s.Name, s.Detail)
	}
	for _, f := range in.Findings {
		out = append(out, f.Kind, f.Message)
	}
	// An older journal's line, kept in English.
	out = append(out, "old/.env holds an old key")
	// The message the scrubber redacted.
	out = append(out, "MJ_APIKEY_PRIVATE=****cbd5 can be downloaded by anyone.")
	return out
}

func TestMarkdownInFrench(t *testing.T) {
	in := frenchInput(nil)
	fr := strictFrench(t, quotedData(in)...)
	in.Lang = fr
	r := Build(in)
	r.Ticket = "MJ-2026-0042"
	md := r.Markdown()
	const nb = "\u00a0"
	for _, want := range []string{
		"# Rapport de récupération du compte Mailjet\n",
		"- Compte" + nb + ": jane@lafleur-bakery.example\n",
		"- Clé API principale" + nb + ": " + masterKey + "\n",
		"- Dossier analysé" + nb + ": /srv\n",
		// Times stay UTC, in French too.
		"- Date" + nb + ": 2026-03-14 09:26:53 UTC\n",
		"- Réalisé avec" + nb + ": mjrecover v0.1.0\n",
		"- Ticket du support" + nb + ": MJ-2026-0042\n",
		"## Étapes de la récupération\n",
		"- [x] 1. Alpha (fait)" + nb + ": 6 findings\n",
		"- [x] 2. Bravo (fait)\n",
		"- [x] 3. Charlie (fait sur le site de Mailjet)\n",
		"- [-] 4. Delta (passé)" + nb + ": no phone at hand\n",
		"- [ ] 5. Echo (PAS FAIT)\n",
		"## Ce que l'analyse a trouvé\n",
		"critique" + nb + ": 2, grave" + nb + ": 2, moyenne" + nb + ": 1, faible" + nb + ": 1.\n",
		"### Critique (2)\n",
		"### Grave (2)\n",
		"### Moyenne (1)\n",
		"### Faible (1)\n",
		"| Emplacement | Quoi | Clé API | Clé secrète | Clé de ce compte | Pourquoi c'est important |\n",
		// The kinds are the scan's words, translated where they are marked.
		" | `" + shopKey + "` | `****cbd5` | oui | MJ_APIKEY_PRIVATE=****cbd5 can be downloaded by anyone. |\n",
		" | `" + otherKey + "` | `****3210` | non | A key of another account. |\n",
		"## Autres actions\n\n| Domaine | Constat | Action |\n|---|---|---|\n",
		"| Fichier de réglages | app/.env contenait l'ancienne clé 06d3 | Mis à jour avec la nouvelle clé API et la nouvelle clé secrète" + nb +
			"; l'ancienne version est gardée dans b/.env.bak (seul son propriétaire peut la lire) |\n",
		"| Fichier de réglages | old/.env holds an old key | Laissé tel quel, au choix du client |\n",
		"## Cause probable\n\nVotre clé API et votre clé secrète se trouvaient dans un fichier que votre serveur web donne à n'importe qui" + nb + ": www/public_html/.env.bak.",
		"Des logiciels obsolètes sont aussi une porte d'entrée probable" + nb + ": Outdated WordPress 5.8.1 dans www/wp-includes/version.php.",
		"## Conseils\n\n1. Demandez à votre hébergeur les journaux d'accès du serveur web pour www/public_html/.env.bak et www/public_html/info.php,",
		"(" + masterKey + " et " + shopKey + ")",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("French Markdown lacks %q:\n%s", want, md)
		}
	}
	for _, english := range []string{"Recovery steps", "What the scan found", "Likely root cause", "Advice", "| yes |", "| no |", "(done)", "Your API key"} {
		if strings.Contains(md, english) {
			t.Errorf("French Markdown still says %q", english)
		}
	}
	if r.LikelyCause() == r.RootCause || !strings.HasPrefix(r.LikelyCause(), "Votre clé API") {
		t.Errorf("LikelyCause = %q", r.LikelyCause())
	}
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| `") && strings.Count(line, " | ") != 5 {
			t.Errorf("table row with a wrong number of cells: %s", line)
		}
	}
}

// The JSON is for support's tools: the same English whatever the
// customer's language, field names and values alike.
func TestJSONStaysEnglishInFrench(t *testing.T) {
	in := frenchInput(nil)
	english := Build(in)
	in.Lang = strictFrench(t, quotedData(in)...)
	french := Build(in)
	want, err := json.Marshal(english)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(french)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("the JSON changed with the language:\n got %s\nwant %s", got, want)
	}
	for _, s := range []string{`"likely_root_cause":"Your API key and secret were in a file`, `"status":"not done"`, `"severity":"critical"`,
		`"advice":["Ask your hosting provider`, `"other_actions":[{"area":"Settings file"`} {
		if !strings.Contains(string(got), s) {
			t.Errorf("JSON lacks %s:\n%s", s, got)
		}
	}
	if strings.Contains(string(got), "Votre") || strings.Contains(string(got), "Fichier de réglages") ||
		strings.Contains(string(got), "_msg") || strings.Contains(string(got), `"say"`) || strings.Contains(string(got), `"facts"`) {
		t.Errorf("French reached the JSON:\n%s", got)
	}

	// What Write saves: the Markdown in French, the JSON in English.
	md, js, err := Write(t.TempDir(), french)
	if err != nil {
		t.Fatal(err)
	}
	mdData, _ := os.ReadFile(md)
	jsData, _ := os.ReadFile(js)
	if !strings.HasPrefix(string(mdData), "# Rapport de récupération du compte Mailjet") {
		t.Errorf("saved Markdown:\n%s", mdData)
	}
	var back Report
	if err := json.Unmarshal(jsData, &back); err != nil || back.RootCause != english.RootCause || back.Advice[0] != english.Advice[0] {
		t.Errorf("saved JSON: %v\n%s", err, jsData)
	}
	// A report read back from its JSON has no language: English.
	if !strings.HasPrefix(back.Markdown(), "# Mailjet account recovery report") {
		t.Error("a report read from JSON does not render in English")
	}
}

// Every root cause and piece of advice the findings can call for, and the
// empty report, in French.
func TestEveryRootCauseInFrench(t *testing.T) {
	sets := [][]investigate.Finding{
		nil,
		exposedEnvBackup(),
		{{Category: investigate.CategoryExposure, Severity: investigate.Critical, Path: "www/a.bak", Owned: true},
			{Category: investigate.CategoryExposure, Severity: investigate.Critical, Path: "www/b.bak", Owned: true}},
		{{Category: investigate.CategoryCredential, Severity: investigate.High, Path: "app/.env", Owned: true}},
		{{Category: investigate.CategoryCredential, Severity: investigate.High, Path: "app/.env", Owned: true},
			{Category: investigate.CategoryExposure, Severity: investigate.High, Path: "www/phpinfo.php"}},
		{{Category: investigate.CategoryExposure, Severity: investigate.High, Path: "www/phpinfo.php"}},
		{{Category: investigate.CategoryOutdated, Severity: investigate.Medium, Path: "www/wp-includes/version.php"}},
		{{Category: investigate.CategoryCredential, Severity: investigate.Low, Path: "old/.env", APIKey: otherKey}},
	}
	var many []investigate.Finding
	for _, p := range []string{"a/.env", "b/.env", "c/.env", "d/.env", "e/.env"} {
		many = append(many, investigate.Finding{Category: investigate.CategoryCredential, Severity: investigate.High, Path: p, Owned: true})
	}
	sets = append(sets, many)
	for i, fs := range sets {
		fr := strictFrench(t, quotedData(Input{Findings: fs})...)
		r := Build(Input{Findings: fs, Lang: fr, Now: time.Unix(0, 0)})
		md := r.Markdown()
		if strings.Contains(r.LikelyCause(), "The scan") || strings.Contains(r.LikelyCause(), "Your API") || r.LikelyCause() == "" {
			t.Errorf("set %d: cause not in French: %q", i, r.LikelyCause())
		}
		if i == 0 && !strings.Contains(md, "Rien\u00a0: aucun identifiant divulgué") {
			t.Errorf("empty report:\n%s", md)
		}
		if i == len(sets)-1 && !strings.Contains(md, "(a/.env, b/.env, c/.env et 2 autres)") {
			t.Errorf("five paths:\n%s", md)
		}
	}
}

// What the journal kept as messages and facts (a step's outcome, a
// WordPress finding of this run or of an earlier one) is said in French in
// the Markdown; the JSON keeps the English and neither.
func TestMarkdownSaysMessagesAndFacts(t *testing.T) {
	fr := strictFrench(t)
	wp := investigate.Finding{Rule: "wordpress-outdated", Category: investigate.CategoryOutdated, Severity: investigate.Medium,
		Path: "/srv/www/wp-includes/version.php", Kind: "Outdated WordPress",
		Message: "This website runs WordPress 5.8.1, but the latest version is 7.0. Old versions have security holes " +
			"that attackers use to break in and steal passwords and keys: update WordPress.",
		Facts: &investigate.Facts{Version: "5.8.1", Latest: "7.0"}}
	restored := Redacted("/srv", []investigate.Finding{{Rule: "wordpress-plugin-vulnerable", Category: investigate.CategoryOutdated,
		Severity: investigate.High, Path: "/srv/www/wp-content/plugins/cf7", Kind: "Outdated WordPress",
		Message: "The plugin Contact Form 7 (contact-form-7) 5.1 has a known security hole: XSS (CVE-2020-1).",
		Facts:   &investigate.Facts{Plugin: "Contact Form 7 (contact-form-7) 5.1", Holes: 1, Hole: "XSS (CVE-2020-1)"}}})
	if len(restored) != 1 || restored[0].Facts == nil {
		t.Fatalf("Redacted lost the facts: %+v", restored)
	}
	in := Input{
		ScanRoot: "/srv",
		Steps: []StepResult{{Number: 1, Name: "Investigate", Status: StatusDone, Detail: "Scanned 2 files in /srv; 1 problem.",
			Say: lang.Msg("Scanned %[1]d file in %[2]s; %[3]s.", 2, "/srv", lang.Msg("%d problem", 1))}},
		Findings: []investigate.Finding{wp},
		Restored: restored,
		Lang:     fr,
	}
	r := Build(in)
	md := r.Markdown()
	for _, want := range []string{
		"- [x] 1. Enquête (fait)\u00a0: 2 fichiers analysés dans /srv\u00a0; 1 problème.\n",
		"| Ce site utilise WordPress 5.8.1, alors que la dernière version est 7.0.",
		"| L'extension Contact Form 7 (contact-form-7) 5.1 ",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("French Markdown lacks %q:\n%s", want, md)
		}
	}
	in.Lang = nil
	english, _ := json.Marshal(Build(in))
	french, _ := json.Marshal(r)
	if string(english) != string(french) {
		t.Errorf("the JSON changed with the language:\n got %s\nwant %s", french, english)
	}
	for _, s := range []string{`"detail":"Scanned 2 files in /srv; 1 problem."`, `"message":"This website runs WordPress 5.8.1`} {
		if !strings.Contains(string(french), s) {
			t.Errorf("JSON lacks %s:\n%s", s, french)
		}
	}
	for _, s := range []string{`"say"`, `"facts"`, "Ce site"} {
		if strings.Contains(string(french), s) {
			t.Errorf("JSON holds %s:\n%s", s, french)
		}
	}
}
