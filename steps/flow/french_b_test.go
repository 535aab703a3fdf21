package flow

import (
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/pwned"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/review"
	"github.com/mjrecover/mjrecover/steps/support"
	"github.com/mjrecover/mjrecover/steps/twofactor"
)

// The files page, the password, two-factor authentication, the recovery
// codes, the account review and the report, in French: every message on
// their screens has a translation, and the screens say French words.

// frbMisses collects the messages a strict French printer had no
// translation for, once counting is on (the stages before the files page
// have tests of their own). While the report is put together, a miss is
// text the journal kept in English only (the report says such text as it
// was kept): it fails the test too, as the report must say in French
// everything the recovery journaled.
type frbMisses struct {
	mu       sync.Mutex
	on       bool
	building bool
	where    string
	keys     map[string]string // message -> the stage it was first missed on
	report   map[string]bool   // missed while the report was put together
}

func (m *frbMisses) miss(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case !m.on:
	case m.building:
		m.report[key] = true
	default:
		if _, ok := m.keys[key]; !ok {
			m.keys[key] = m.where
		}
	}
}

// building runs do while the report is put together.
func (m *frbMisses) build(do func()) {
	m.mu.Lock()
	m.building = true
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.building = false
		m.mu.Unlock()
	}()
	do()
}

// from starts counting, noting the stage the misses come from.
func (m *frbMisses) from(where string) {
	m.mu.Lock()
	m.on, m.where = true, where
	m.mu.Unlock()
}

// check fails the test on every message missed so far.
func (m *frbMisses) check(t *testing.T) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for k, at := range m.keys {
		out = append(out, at+": "+k)
	}
	sort.Strings(out)
	for _, o := range out {
		t.Errorf("not translated into French: %q", o)
	}
	m.keys = map[string]string{}
	var left []string
	for k := range m.report {
		left = append(left, k)
	}
	sort.Strings(left)
	for _, k := range left {
		t.Errorf("the report says in English what the journal kept: %q", k)
	}
	m.report = map[string]bool{}
}

// frbOutcomes checks that everything the journal gave the report (every
// step's outcome, every other action: the files, the test emails, the
// account review, the SMTP line) is said in French in its Markdown, and
// that the Markdown holds no English sentence.
func frbOutcomes(t *testing.T, d *driver) {
	t.Helper()
	// The wizard's strict printer: what it has no French for is a miss
	// (frbOutcomes runs while the misses of the report are counted).
	fr := d.f.Lang()
	rep := d.f.stages[Report].(*reporting).report
	md := rep.Markdown()
	said := func(what string, m lang.Message, english string) {
		t.Helper()
		switch french := fr.Say(m); {
		case m.IsZero() && english != "":
			t.Errorf("%s was kept without its message: %q", what, english)
		case m.IsZero():
		case !strings.Contains(md, french):
			t.Errorf("the report's Markdown does not say %s in French (%q):\n%s", what, french, md)
		}
	}
	// What the report was built from: the steps' outcomes as the journal
	// kept them (the last step is the report's own, sent or only saved).
	in := d.f.reportInput()
	last := len(in.Steps) - 1
	in.Steps[last] = d.f.reportStep(rep.Steps[last].Status == support.StatusDone)
	for _, st := range in.Steps {
		said("step "+st.Name, st.Say, st.Detail)
	}
	smtp := false
	for _, l := range in.Actions {
		said("the "+l.Area+" line's area", l.AreaMsg, l.Area)
		said("the "+l.Area+" line's finding", l.FindingMsg, l.Finding)
		said("the "+l.Area+" line's action", l.ActionMsg, l.Action)
		if l.Area == string(review.AreaSMTP) && strings.HasPrefix(l.Finding, "Mailjet may accept") {
			smtp = true
			// The time is back, in UTC, as the report keeps it.
			until := d.f.masterReset().Add(review.SMTPRecheckAfter).UTC().Format("15:04 UTC")
			if !strings.Contains(md, "jusque vers "+until+".") {
				t.Errorf("the SMTP line does not say until when (%s):\n%s", until, md)
			}
		}
	}
	if !smtp {
		t.Errorf("the report has no SMTP line:\n%s", md)
	}
	for _, e := range frbEnglish(md) {
		t.Errorf("the French report says in English: %q", e)
	}
}

// frbEnglishWords are English words no French sentence of the report
// uses (the proper nouns, addresses, paths and key names the report quotes
// do not use them either).
var frbEnglishWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("the was were and your you with which from has have been not this that is are of to by its it an " +
		"sent sends keys key email emails file files replaced verified problems problem scanned reviewed looked suspicious " +
		"nothing done found left updated moved website leaked settings spike sending usually attackers attacker unused " +
		"account sender senders there where who what") {
		frbEnglishWords[w] = true
	}
}

// frbEnglish returns the lines of a report that hold English words, once
// code spans, addresses, domains, paths and numbers are left out.
func frbEnglish(md string) []string {
	var out []string
	for _, line := range strings.Split(md, "\n") {
		parts := strings.Split(line, "`") // every second part is code
		var words []string
		for i, part := range parts {
			if i%2 == 1 {
				continue
			}
			for _, tok := range strings.Fields(part) {
				tok = strings.Trim(tok, ".,;:!?()«»\"'|*#-[]\u00a0")
				if tok == "" || strings.ContainsAny(tok, "/\\._@=0123456789") {
					continue // a path, a domain, an address, a setting, a number
				}
				if frbEnglishWords[strings.ToLower(tok)] {
					words = append(words, tok)
				}
			}
		}
		if len(words) > 0 {
			out = append(out, strings.Join(words, " ")+" in: "+line)
		}
	}
	return out
}

// frbDrive drives a recovery in French against w; the stages before the
// files page are walked without reading their words.
func frbDrive(t *testing.T, w *world) (*driver, *frbMisses) {
	t.Helper()
	misses := &frbMisses{keys: map[string]string{}, report: map[string]bool{}}
	cfg := w.config(&demoCreds)
	cfg.Lang = lang.New(lang.French).Strict(misses.miss)
	return drive(t, cfg), misses
}

// frbToRotated walks the first stages by their actions alone, to the
// rotated keys.
func (d *driver) frbToRotated() {
	d.t.Helper()
	d.at(Connect)
	d.do(Continue)
	d.at(Investigate)
	d.do(Continue) // the scan
	d.at(Investigate)
	d.do(Continue)
	d.at(Plan)
	d.do(Continue)
	d.do(Yes)
	d.at(Rotate)
}

func TestFrenchFilesToReport(t *testing.T) {
	w := newWorld(t)
	d, misses := frbDrive(t, w)
	d.frbToRotated()
	d.do(Save)
	d.do(Continue)

	// The files page.
	misses.from("files")
	d.at(Files, "Ces fichiers contiennent une ancienne clé ou clé secrète.", "à faire", "réglages  laravel/.env",
		"à modifier\u00a0: affichez la modification (espace)")
	d.do(Details)
	d.at(Files, "La modification de ", "(clés secrètes affichées ainsi\u00a0: ****", "<back: retour à la liste>")
	d.do(Back)
	d.do(Update)
	text := d.at(Files, "fait    réglages  laravel/.env", "à faire réglages  public_html/wp-config.php")
	if strings.Contains(text, "done") || strings.Contains(text, "to do") {
		t.Errorf("the list still says English states:\n%s", text)
	}
	d.f.Select(0)
	d.at(Files, "mis à jour (l'ancienne version est dans ")
	d.f.stages[Files].(*filing).selectNext()
	for hasAction(d.f.Screen(), Update) || hasAction(d.f.Screen(), Move) {
		if hasAction(d.f.Screen(), Update) {
			d.do(Update)
			continue
		}
		d.do(Move)
		d.at(Files, "hors du site web, dans un dossier que vous seul pouvez lire\u00a0?", "y oui · n non", "<yes: oui>")
		d.do(Yes)
	}
	d.do(Continue)
	d.at(Files, "fichiers de réglages mis à jour, ", "copies exposées sorties du site web.",
		"Nouvelle vérification\u00a0: il ne reste aucune ancienne clé", "Appuyez sur Entrée pour continuer.")
	// The journal keeps the by-hand list in English, for the report's
	// JSON; the screen said it in French.
	manual := d.f.Record().Files.Outcome.Manual
	if len(manual) == 0 {
		t.Fatal("the demo's plan has nothing to do by hand")
	}
	for _, m := range manual {
		if strings.ContainsAny(m.Reason, "éèàç") {
			t.Errorf("the journal keeps a by-hand reason in French: %q", m.Reason)
		}
	}
	d.do(Continue)

	// The password.
	misses.from("password")
	d.at(Password, "[field password] Nouveau mot de passe", "[field again] Retapez-le", "Par exemple", "Solidité\u00a0: –")
	pw := "tulip orbit saddle quiver 42!"
	d.edit(fieldPassword, pw)
	d.do(Continue)
	d.edit(fieldAgain, pw+"x")
	d.do(Continue)
	d.at(Password, "✗ Les deux mots de passe ne sont pas identiques. Retapez le second.", "<reveal: afficher/masquer>")
	d.edit(fieldAgain, pw)
	d.do(Continue)
	d.at(Password, "Votre mot de passe est changé.", "Connectez-vous désormais avec lui.", "<continue: continuer>")
	d.do(Continue)

	// Two-factor authentication.
	misses.from("two-factor")
	d.at(TwoFactor, "Avec l'authentification à deux facteurs", "Appuyez sur Entrée pour afficher le QR code à scanner.")
	d.do(Continue)
	d.at(TwoFactor, "2. Tapez le code à 6 chiffres que l'application affiche\u00a0:", "[field code] Code de l'application",
		"Impossible de scanner\u00a0? ctrl+r affiche la clé", "<reveal: afficher la clé>")
	d.do(Reveal)
	d.at(TwoFactor, "Clé à taper à la main (basée sur l'heure)", "<reveal: masquer la clé>")
	d.do(Reveal)
	d.edit(fieldCode, "12")
	d.do(Continue)
	// The refusal is the twofactor package's, in French.
	if refusal := lang.New(lang.French).Text(twofactor.ErrFormat.Error()); refusal == twofactor.ErrFormat.Error() {
		t.Errorf("no French for %q", refusal)
	} else {
		d.at(TwoFactor, refusal)
	}
	code, err := recovery.GenerateTOTP(seedOf(t, d.f.Screen()), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	d.edit(fieldCode, code)
	d.do(Continue)

	// The recovery codes.
	misses.from("recovery codes")
	d.at(RecoveryCodes, "L'authentification à deux facteurs est activée.", "ne sont affichés que maintenant\u00a0: enregistrez-les",
		"<save: enregistrer dans un fichier>", "<wrote-down: je les ai notés>")
	d.do(WroteDown)
	d.at(RecoveryCodes, "Appuyez d'abord sur r pour afficher les codes, puis notez-les.")
	d.do(Save)
	d.at(RecoveryCodes, "<continue: continuer>")
	d.do(Continue)

	// The account review.
	misses.from("review")
	d.at(Review, "4 éléments semblent suspects.", "Espace explique pourquoi\u00a0; x agit.", "<details: détails>")
	until := d.f.masterReset().Add(review.SMTPRecheckAfter).Local()
	d.at(Review, "Le serveur d'envoi de Mailjet (SMTP", "jusque vers "+until.Format("15:04 MST")+".")
	if text := d.text(); strings.Contains(text, "Event webhook") {
		t.Errorf("the review names its areas in English:\n%s", text)
	}
	d.do(Details)
	d.at(Review, "Que faire", "<back: retour à la liste>", " · "+review.Suspicious.Words(lang.New(lang.French)))
	d.do(Back)
	for i, it := range d.f.stages[Review].(*reviewing).rev.Items {
		if it.CanAct() {
			d.f.Select(i)
			break
		}
	}
	d.do(Act)
	d.at(Review, "\u00a0?\n\ny oui · n non")
	d.do(No)
	d.do(Continue)
	d.at(Review, "éléments suspects sont toujours en place. Les laisser tels quels\u00a0?", "y oui · n non")
	misses.from("report")
	misses.build(func() { d.do(Yes) })

	// The report.
	d.at(Report, "Voici le rapport pour le support Mailjet.", "L'envoyer au support Mailjet maintenant\u00a0?",
		"<continue: envoyer au support>", "<save: l'enregistrer seulement>")
	misses.build(func() { d.do(Continue) })
	misses.build(func() { frbOutcomes(t, d) })
	text = d.at(Report, "Trouvé\u00a0: ", "critique", "Rapport enregistré (vous seul pouvez le lire)\u00a0:",
		"Envoyé au support Mailjet\u00a0: ticket", "Cause probable", "<continue: terminer>")
	for _, english := range []string{"  done", "not done", "guided", "Found:"} {
		if strings.Contains(text, english) {
			t.Errorf("the checklist says %q in English:\n%s", english, text)
		}
	}
	if !strings.Contains(text, "  fait") {
		t.Errorf("the checklist does not say the steps are done:\n%s", text)
	}
	d.do(Continue)
	if !d.f.Finished() {
		t.Fatal("not finished")
	}
	misses.check(t)
}

// The report saved without sending, in French: the customer sends it.
func TestFrenchReportOnlySaved(t *testing.T) {
	w := newWorld(t)
	d, misses := frbDrive(t, w)
	d.frbToRotated()
	d.do(Save)
	d.do(Continue)
	d.at(Files)
	for hasAction(d.f.Screen(), Skip) {
		d.do(Skip)
	}
	d.do(Continue)
	d.at(Files)
	d.do(Continue)
	d.at(Password)
	// Straight to the review: the stages between have their test above,
	// and the report says they were not done.
	d.run(d.f.moveTo(Review))
	d.settle()

	misses.from("review")
	d.do(Continue)
	misses.from("report")
	misses.build(func() {
		if hasAction(d.f.Screen(), Yes) {
			d.do(Yes)
		}
	})
	misses.build(func() { d.do(Save) })
	misses.build(func() { frbOutcomes(t, d) })
	text := d.at(Report, "Envoyez les deux fichiers au support Mailjet (https://app.mailjet.com/support)", "  pas fait",
		"<continue: terminer>")
	if strings.Contains(text, "ticket") {
		t.Errorf("a report only saved says it was sent:\n%s", text)
	}
	if _, err := os.Stat(d.f.Outcome().ReportMarkdown); err != nil {
		t.Errorf("the report was not saved: %v", err)
	}
	misses.check(t)
}

// Resumed on the files page with a new secret this session no longer
// holds (it was shown, never saved): the page asks for it in French,
// refuses what is not a secret, and can leave that key's files.
func TestFrenchFilesAskForALostSecret(t *testing.T) {
	w := newWorld(t, sandbox.WithSecretsShownOnce())
	d, _ := frbDrive(t, w)
	d.frbToRotated()
	d.do(Reveal) // seen, not saved: the old keys go off
	d.do(Continue)
	d.at(Files)

	d.crash()
	d, misses := frbDrive(t, w)
	d.at(Connect)
	d.do(Continue)
	// The old main secret is refused now: the new one is typed.
	d.edit(fieldSecret, w.masterSecret().Reveal())
	d.do(Continue)
	d.do(Yes) // resume
	misses.from("files")
	d.at(Files, "l'assistant a besoin de sa clé secrète, que cette session n'a plus\u00a0:",
		"[field new-secret] Nouvelle clé secrète", "Entrée sans rien taper laisse tels quels les fichiers de cette clé.",
		"<continue: la vérifier>", "<back: créer une nouvelle clé>")
	d.edit(fieldNewSecret, "not a secret")
	d.do(Continue)
	d.at(Files, "Ce n'est pas une clé secrète\u00a0: une clé secrète compte 32 caractères")
	d.edit(fieldNewSecret, strings.Repeat("0", 32))
	d.do(Continue)
	d.at(Files, "Mailjet a refusé cette clé secrète pour la clé ")
	for d.f.Current() == Files && hasAction(d.f.Screen(), Reveal) && d.f.stages[Files].(*filing).state == filesSecret {
		d.edit(fieldNewSecret, "")
		d.do(Continue)
		d.at(Files, "Laisser tels quels les fichiers qui contiennent l'ancienne clé de ", "y oui · n non")
		d.do(Yes)
	}
	d.at(Files)
	misses.check(t)
}

// With the breach service down, the French screen says in French what
// was not checked, and the report's outcome stays English in the journal.
func TestFrenchBreachCheckUnreachable(t *testing.T) {
	w := newWorld(t)
	misses := &frbMisses{keys: map[string]string{}, report: map[string]bool{}}
	cfg := w.config(&demoCreds)
	cfg.Lang = lang.New(lang.French).Strict(misses.miss)
	down := httptest.NewServer(nil)
	down.Close() // a loopback port nothing answers on
	cfg.Breaches = pwned.New(down.URL, pwned.WithHTTPClient(cfg.HTTPClient), pwned.WithRetry(1, 0))
	d := drive(t, cfg)
	d.frbToRotated()
	d.do(Save)
	d.do(Continue)
	d.at(Files)
	for hasAction(d.f.Screen(), Skip) {
		d.do(Skip)
	}
	d.do(Continue)
	d.do(Continue)

	misses.from("password")
	pw := "tulip orbit saddle quiver 42!"
	d.edit(fieldPassword, pw)
	d.do(Continue)
	d.edit(fieldAgain, pw)
	d.do(Continue)
	screen := d.at(Password, "Votre mot de passe est changé.", "Ce mot de passe réussit les vérifications qui ont pu être faites. Non vérifié\u00a0: ")
	if strings.Contains(screen, "breach database") {
		t.Errorf("the screen says what was not checked in English:\n%s", screen)
	}
	d.do(Continue)
	step := d.f.Record().Done[string(Password)]
	if !strings.Contains(step.Detail, "not checked: the breach database could not be reached") {
		t.Errorf("the journal's password outcome: %q", step.Detail)
	}
	if fr := lang.New(lang.French).Say(step.Say); !strings.Contains(fr, "non vérifié\u00a0: la base des fuites de données n'a pas pu être jointe") {
		t.Errorf("the password outcome has no French for the report: %q (kept as %+v)", fr, step.Say)
	}
	misses.check(t)
}

// A recovery journaled in English, interrupted during the account review
// and resumed in French: the report, built from the journal, says in
// French what the first session did (the steps' outcomes with their
// counts, the files, the webhook deleted before the interruption, the
// WordPress finding from its facts).
func TestFrenchReportOfAResumedRecovery(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds)) // English
	d.frbToRotated()
	d.do(Save)
	d.do(Continue)
	d.at(Files)
	for hasAction(d.f.Screen(), Update) || hasAction(d.f.Screen(), Move) {
		if hasAction(d.f.Screen(), Update) {
			d.do(Update)
			continue
		}
		d.do(Move)
		d.do(Yes)
	}
	d.do(Continue)
	d.do(Continue)
	d.at(Password)
	d.run(d.f.moveTo(Review))
	d.settle()
	acted := false
	for i, it := range d.f.stages[Review].(*reviewing).rev.Items {
		if it.CanAct() && it.Area == review.AreaWebhook {
			d.f.Select(i)
			acted = true
			break
		}
	}
	if !acted {
		t.Fatal("the demo account has no webhook to delete")
	}
	d.do(Act)
	d.do(Yes)
	d.at(Review, "Deleted.")
	d.crash()

	misses := &frbMisses{keys: map[string]string{}, report: map[string]bool{}}
	cfg := w.config(&demoCreds)
	cfg.Lang = lang.New(lang.French).Strict(misses.miss)
	d = drive(t, cfg)
	d.at(Connect)
	d.do(Continue)
	d.do(Yes) // resume
	d.at(Review)
	if d.f.scan != nil {
		t.Fatal("the resumed session scanned again: the report would not come from the journal")
	}
	misses.from("review")
	d.do(Continue)
	misses.from("report")
	misses.build(func() {
		if hasAction(d.f.Screen(), Yes) {
			d.do(Yes)
		}
	})
	d.at(Report, "Voici le rapport pour le support Mailjet.")
	misses.build(func() { d.do(Save) })
	misses.build(func() { frbOutcomes(t, d) })
	md := d.f.stages[Report].(*reporting).report.Markdown()
	for _, want := range []string{
		"fichiers analysés dans ", " problèmes (5 critiques).",
		"1 clé de sous-compte remplacée\u00a0; la clé secrète principale a été changée\u00a0; Newsletter\u00a0: désactivée, inutilisée depuis le ",
		"\u00a0; 2 vérifiées",
		"| Webhook d'événements | Webhook vers collect.mailstat-cdn.example\u00a0: Mailjet envoie chaque e-mail", "| Supprimé. |",
		"Ce site utilise WordPress 5.8.1, alors que la dernière version est 7.0.",
		"| Fichier de réglages | laravel/.env contenait l'ancienne clé ",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the resumed report lacks %q:\n%s", want, md)
		}
	}
	// Its JSON stays English.
	js, err := os.ReadFile(d.f.Outcome().ReportJSON)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"detail": "Scanned `, `"finding": "Webhook to collect.mailstat-cdn.example: Mailjet sends`, `"action": "Deleted."`,
		`"message": "This website runs WordPress 5.8.1, but the latest version is 7.0.`} {
		if !strings.Contains(string(js), want) {
			t.Errorf("the report's JSON lacks %s:\n%s", want, js)
		}
	}
	for _, french := range []string{"Supprimé", "fichiers analysés", `"say"`, "_msg", `"facts"`} {
		if strings.Contains(string(js), french) {
			t.Errorf("the report's JSON holds %s:\n%s", french, js)
		}
	}
	misses.check(t)
}
