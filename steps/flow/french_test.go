package flow

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// The recovery in French: every message the first stages say (sign-in,
// investigation, plan, rotation, the quit prompt) has a translation, and
// the screens read in French.

// nb is the no-break space French puts before ? ! : ;.
const nb = "\u00a0"

// strictFrench is the French printer failing t on any message it cannot
// translate.
func strictFrench(t *testing.T) *lang.Printer {
	t.Helper()
	return lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })
}

// frenchConfig is the live wizard's wiring in French.
func (w *world) frenchConfig(t *testing.T, creds *mailjet.Credentials) Config {
	cfg := w.config(creds)
	cfg.Lang = strictFrench(t)
	cfg.CredentialsSource = "MJ_APIKEY_PUBLIC et MJ_APIKEY_PRIVATE" // as main.go says it, in the customer's language
	return cfg
}

// throughFindings opens the detail of every finding on the results
// screen, and comes back to the list.
func (d *driver) throughFindings() {
	d.t.Helper()
	list := (*List)(nil)
	for _, b := range d.f.Screen().Blocks {
		if b.Kind == ListBlock {
			list = b.List
		}
	}
	if list == nil {
		d.t.Fatalf("no findings list:\n%s", d.text())
	}
	for row, it := range list.Items {
		if it.Heading {
			continue
		}
		d.f.Select(row)
		d.do(Details)
		d.at(Investigate, "Où")
		d.do(Back)
	}
}

func TestFrenchRecovery(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.frenchConfig(t, &demoCreds))
	first := d.at(Connect, "Appuyez sur Entrée pour commencer.", "Bienvenue", "Remplacer les clés API",
		"Contacter le support", "depuis MJ_APIKEY_PUBLIC et MJ_APIKEY_PRIVATE", "<continue: continuer>")
	if strings.Contains(first, "Press Enter") {
		t.Errorf("English on the first screen:\n%s", first)
	}
	if got := d.f.Leaving(); !strings.Contains(got, "Rien n'a encore changé chez Mailjet.") {
		t.Errorf("quit prompt before signing in: %q", got)
	}
	d.do(Continue)

	d.at(Investigate, "Dossier à vérifier", "Quel dossier contient votre site web", "<continue: analyser>")
	d.do(Continue)
	results := d.at(Investigate, "problèmes trouvés"+nb+":", "CRITIQUE (", "fichiers lus (", "Clé API et clé secrète ****")
	if strings.Contains(results, "CRITICAL") || strings.Contains(results, "Found") {
		t.Errorf("English on the results:\n%s", results)
	}
	d.throughFindings()
	d.do(Continue)

	plan := d.at(Plan, "Chaque clé utilisée reçoit une nouvelle clé secrète", "Divulguée", "principale", "sous-compte", "remplacer")
	if strings.Contains(plan, "master") {
		t.Errorf("the plan says master:\n%s", plan)
	}
	d.do(Continue)
	d.at(Plan, "Remplacer les clés maintenant"+nb+"? y oui · n non", "en SMTP", "<yes: oui> <no: non>")
	d.do(Yes)

	d.at(Rotate, "Vos nouvelles clés sont prêtes.", "Les anciennes clés marchent encore", "<continue: désactiver les anciennes clés>")
	if got := d.f.Leaving(); !strings.Contains(got, "l'assistant s'en souvient") || !strings.Contains(got, "Attention"+nb+":") {
		t.Errorf("quit prompt at the handover: %q", got)
	}
	d.do(Continue)
	d.at(Rotate, "Enregistrez d'abord les nouvelles clés (s)")
	d.do(Save)
	d.at(Rotate, "Vos clés sont remplacées.", "vérifiée"+nb+": la nouvelle clé marche, l'ancienne est refusée",
		"Enregistré (vous seul pouvez le lire) dans"+nb+":", "appuyez sur t")
	d.do(TestSend)
	d.at(Rotate, "✓ L'API d'envoi de Mailjet a accepté un e-mail de test de chaque nouvelle clé (envoyé depuis shop@lafleur-bakery.example en mode test")
	if step := d.f.Record().Done[string(Investigate)]; !strings.HasPrefix(step.Detail, "Scanned ") {
		t.Errorf("the journal is not in English: %q", step.Detail)
	}
}

// A run started before is offered again, in French, with the time it was
// last saved in the customer's zone, in words.
func TestFrenchResume(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.frenchConfig(t, &demoCreds))
	d.do(Continue)
	d.do(Continue)
	d.do(Continue)
	d.at(Plan, "Divulguée")

	d.crash()
	d = drive(t, w.frenchConfig(t, &demoCreds))
	d.do(Continue)
	text := d.at(Connect, "Vous avez déjà commencé cette récupération.", "Compte "+sandbox.DemoEmail+", enregistré le ",
		"1. Enquête  fait", "3. Nouveau mot de passe  pas encore", "Elle reprend à l'étape 2, Remplacer les clés API.",
		"Reprendre là où vous en étiez"+nb+"?", "<yes: reprendre> <no: recommencer>")
	var month bool
	for _, m := range []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"} {
		month = month || strings.Contains(text, m)
	}
	if !month || !strings.Contains(text, " à ") {
		t.Errorf("the last save is not said as a French date:\n%s", text)
	}
	d.do(Yes)
	d.at(Plan, "Divulguée")
}

// A refused key pair, a refusal in the middle of the recovery and
// Mailjet's rate limit are explained in French.
func TestFrenchRefusals(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.frenchConfig(t, &mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(strings.Repeat("1", 32))}))
	d.do(Continue)
	d.at(Connect, "Mailjet a refusé cette clé API et cette clé secrète.", "Clé secrète = ")
	d.edit(fieldSecret, sandbox.DemoMasterSecret)
	d.do(Continue)
	d.do(Continue)
	d.at(Investigate, "problèmes trouvés")

	w.sb.FailNext(http.MethodGet, "/v3/REST/apikey", http.StatusUnauthorized, 1)
	d.do(Continue)
	d.at(Plan, "Impossible de lire vos clés API"+nb+": Mailjet a refusé la clé API et la clé secrète de l'assistant", "<sign-in: se reconnecter>")
	d.do(SignIn)
	d.at(Connect, "Saisissez la clé API principale actuelle")
	d.edit(fieldSecret, sandbox.DemoMasterSecret)
	d.do(Continue)
	d.at(Plan, "Divulguée")

	w.sb.FailNext(http.MethodGet, "/v3/REST/apikey", http.StatusTooManyRequests, 10)
	d.do(Back)
	d.do(Continue)
	d.at(Plan, "Mailjet a demandé à l'assistant de ralentir. Attendez ", "<retry: réessayer>")
	w.sb.ClearFaults()
	d.do(Retry)
	d.at(Plan, "Divulguée")
}

// Without a recovery API the main key's secret is reset on Mailjet's
// site: the steps name the French site's menu.
func TestFrenchGuidedReset(t *testing.T) {
	w := newWorld(t)
	cfg := w.frenchConfig(t, &demoCreds)
	cfg.RecoveryURL = ""
	d := drive(t, cfg)
	d.toPlanFrench()
	d.at(Plan, "sur le site")
	d.do(Continue)
	d.at(Plan, "Vous réinitialisez la clé secrète de la clé principale sur le site de Mailjet")
	d.do(Yes)
	d.at(Rotate, "Vos nouvelles clés sont prêtes.")
	d.do(Save)
	d.at(Rotate, "faites-le sur le site", "«"+nb+"Réinitialiser la clé secrète"+nb+"»", "[field "+fieldPasted+"] Nouvelle clé secrète de la clé principale")
	d.do(Continue)
	d.at(Rotate, "Collez d'abord la nouvelle clé secrète.")
	rec := recovery.New(w.url, demoCreds)
	fresh, err := rec.ResetMasterSecret(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d.edit(fieldPasted, fresh.Reveal())
	d.do(Continue)
	d.at(Rotate, "Vos clés sont remplacées.")
}

// toPlanFrench signs in and scans, in French.
func (d *driver) toPlanFrench() {
	d.t.Helper()
	d.at(Connect, "Appuyez sur Entrée pour commencer.")
	d.do(Continue)
	d.do(Continue)
	d.at(Investigate, "problèmes trouvés")
	d.do(Continue)
}

// The kiosk checks web sites, and says so in French; the demo and the
// kiosk's quit prompts too.
func TestFrenchKioskAndDemo(t *testing.T) {
	w := newWorld(t)
	cfg := w.frenchConfig(t, &demoCreds)
	cfg.Kiosk, cfg.Presenting = true, true
	f := New(cfg)
	if got := f.Leaving(); !strings.Contains(got, "Votre code d'accès rouvre cette récupération") {
		t.Errorf("kiosk quit prompt: %q", got)
	}
	f.current = Investigate
	sc := screenText(f.Screen())
	for _, want := range []string{"Cette session tourne sur l'ordinateur du support Mailjet", "Sites web à vérifier", "Enquête"} {
		if !strings.Contains(sc, want) {
			t.Errorf("kiosk investigation lacks %q:\n%s", want, sc)
		}
	}
	f.Do(Continue)
	if sc := screenText(f.Screen()); !strings.Contains(sc, "Saisissez l'adresse de votre site web") {
		t.Errorf("no address typed:\n%s", sc)
	}

	demo := w.frenchConfig(t, &demoCreds)
	demo.Demo = true
	if got := New(demo).Leaving(); !strings.Contains(got, "C'est la démo"+nb+": rien n'est conservé.") {
		t.Errorf("demo quit prompt: %q", got)
	}
}

// The reveal question of presenting mode, in French.
func TestFrenchRevealQuestion(t *testing.T) {
	w := newWorld(t)
	cfg := w.frenchConfig(t, nil)
	cfg.Presenting = true
	d := drive(t, cfg)
	d.at(Connect, "[field "+fieldAPIKey+"] Clé API", "<reveal: afficher/masquer>")
	d.do(Reveal)
	d.at(Connect, "Quelqu'un voit peut-être cet écran", "L'afficher maintenant"+nb+"? y oui · n non", "<yes: oui> <no: non>")
	d.do(No)
	d.do(Continue)
	d.do(Continue)
	d.at(Connect, "Saisissez la clé API et sa clé secrète.")
}

// A WordPress finding says its versions in a French sentence; the
// scanner's Message stays English.
func TestFrenchWordPressFinding(t *testing.T) {
	fr := strictFrench(t)
	for _, tc := range []struct {
		f    investigate.Finding
		want string
	}{
		{investigate.Finding{Rule: investigate.RuleOutdatedWordPress, Kind: "Outdated WordPress",
			Facts: &investigate.Facts{Version: "6.1.1", Latest: "6.7"}},
			"Ce site utilise WordPress 6.1.1, alors que la dernière version est 6.7."},
		{investigate.Finding{Rule: investigate.RuleOutdatedWordPress, Kind: "Outdated WordPress",
			Facts: &investigate.Facts{Version: "4.1", Latest: "6.7", Unsupported: true}},
			"qui ne reçoit plus aucun correctif de sécurité"},
		{investigate.Finding{Rule: investigate.RuleVulnerablePlugin, Kind: "WordPress plugin with a known security hole",
			Facts: &investigate.Facts{Plugin: "Contact Form 7 (contact-form-7) 5.1", Holes: 3, Hole: "XSS (CVE-2020-1)", Fixed: "5.3.2"}},
			"L'extension Contact Form 7 (contact-form-7) 5.1 a 3 failles de sécurité connues, dont" + nb + ": XSS (CVE-2020-1). Corrigée dans la version 5.3.2."},
		{investigate.Finding{Rule: investigate.RuleMailjetPair, Kind: "Mailjet API key and secret",
			Message: "Anyone who finds this file can send email as you. The key and secret must be replaced (next step)."},
			"Quiconque trouve ce fichier peut envoyer des e-mails en votre nom."},
	} {
		text := screenText(Screen{Blocks: findingDetail(fr, tc.f)})
		if !strings.Contains(text, tc.want) {
			t.Errorf("%s: want %q in\n%s", tc.f.Rule, tc.want, text)
		}
		if tc.f.Facts != nil && tc.f.Say(nil) == tc.f.Say(fr) {
			t.Errorf("%s: the same in English and French: %q", tc.f.Rule, tc.f.Say(nil))
		}
	}
}

// A key the customer skips after Mailjet failed: the screen said the
// error in French, the journal (and so the report's JSON) keeps English.
func TestFrenchSkipAfterAnErrorJournalsEnglish(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.frenchConfig(t, &demoCreds))
	d.do(Continue) // welcome
	d.do(Continue) // the folder
	d.do(Continue) // the results
	d.do(Continue) // the plan
	w.sb.FailNext("POST", "/v3/REST/apikey", 500, 50)
	d.do(Yes)
	d.at(Rotate, "Mailjet a eu un problème de son côté")
	d.do(Skip)
	w.sb.ClearFaults()
	journal, err := filepath.Glob(filepath.Join(w.stateDir, "*.journal"))
	if err != nil || len(journal) != 1 {
		t.Fatalf("journals %v, %v", journal, err)
	}
	data, _ := os.ReadFile(journal[0])
	if !strings.Contains(string(data), "Not rotated: a change at Mailjet failed") || strings.Contains(string(data), "Mailjet a eu") {
		t.Errorf("the skip's reason is not journaled in English:\n%s", data)
	}
}
