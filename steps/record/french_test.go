package record

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/problem"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/replace"
	"github.com/mjrecover/mjrecover/steps/review"
	"github.com/mjrecover/mjrecover/steps/rotate"
	"github.com/mjrecover/mjrecover/steps/support"
)

// The report's other actions in French: the test emails and the files
// are said again from the journal; the review's lines kept in English only
// (as an older journal kept them) have their marked messages translated.
// With no language they are the English the report's JSON keeps.
func TestReportLinesInFrench(t *testing.T) {
	// What the journal kept in its own words is said as it was.
	kept := map[string]bool{"Webhook to evil.example: Mailjet sends every email your account sends": true, "Sender x@evil.example": true}
	fr := lang.New(lang.French).Strict(func(k string) {
		if !kept[k] {
			t.Errorf("not translated: %q", k)
		}
	})
	const nb = "\u00a0"
	refused := problem.Of(errors.New("dial tcp: connection refused"))
	applied := FileOp{Op: FileUpdate, Phase: rotate.Done, Path: "/var/www/.env",
		Applied: &replace.Applied{Path: "/var/www/.env", Backup: "/home/jane/b/.env.bak", Keys: []string{"06d3"}}}
	left := FileOp{Op: FileLeave, Path: "/var/www/old.env"}
	acted := support.Line(review.Line{Area: string(review.AreaWebhook), Finding: "Webhook to evil.example: Mailjet sends every email your account sends", Action: "Deleted."})
	rec := Fold([]Event{opened(),
		{At: t0, Type: Scanned, Scan: &Scan{Root: "/var/www"}},
		{At: t0, Type: SendTest, Send: &rotate.SendCheck{APIKey: "1f99", Name: "Shop", From: "shop@example.com", OK: true}},
		{At: t0, Type: SendTest, Send: &rotate.SendCheck{APIKey: "2a88", Name: "News", Why: rotate.WhySenders, Fault: &refused,
			Problem: "could not read the sender addresses with the new key (Mailjet could not be reached; check the internet connection)"}},
		{At: t0, Type: File, File: &applied},
		{At: t0, Type: File, File: &left},
		{At: t0, Type: Review, Review: &ReviewOp{Phase: rotate.Done, Line: &acted}},
		{At: t0, Type: Review, Review: &ReviewOp{Lines: []support.Line{
			{Area: string(review.AreaSender), Finding: "Sender x@evil.example", Action: "Reviewed: nothing to do"},
		}}},
	})
	var text []string
	for _, l := range rec.ReportLines(fr) {
		text = append(text, l.Area+" | "+l.Finding+" | "+l.Action)
	}
	got := strings.Join(text, "\n")
	for _, want := range []string{
		"E-mail de test | Shop (1f99) | e-mail de test accepté par l'API d'envoi de Mailjet (depuis shop@example.com, non distribué)",
		"E-mail de test | News (2a88) | e-mail de test non accepté" + nb + ": impossible de lire les adresses d'expéditeur avec la nouvelle clé (Mailjet n'a pas pu être joint" + nb + "; vérifiez la connexion internet)",
		"Fichier de réglages | .env contenait l'ancienne clé 06d3 | Mis à jour",
		"Fichier de réglages | old.env contient une ancienne clé | Laissé tel quel, au choix du client",
		"Adresse d'expéditeur | Sender x@evil.example | Examiné" + nb + ": rien à faire",
		"Webhook d'événements | Webhook to evil.example: Mailjet sends every email your account sends | Supprimé.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("French lines lack %q:\n%s", want, got)
		}
	}
	en := rec.ReportLines(nil)
	if en[0].Area != "Test email" || !strings.HasPrefix(en[1].Action, "test email not accepted: could not read the sender addresses") ||
		en[2].Area != "Settings file" || en[len(en)-1].Action != "Deleted." {
		t.Errorf("English lines = %+v", en)
	}
	if fr.Text(ErrBusy.Error()) == ErrBusy.Error() || fr.Text(ErrNewVersion.Error()) == ErrNewVersion.Error() {
		t.Error("the journal's errors have no French")
	}
}

// A journal written before the report kept messages (English texts only)
// still loads, and its report says what it kept: in English, its marked
// messages translated. A journal written now keeps the messages, and its
// report says every part in French.
func TestOldJournalSaysItsEnglish(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	old := `{"v":2,"at":"2026-12-01T10:00:00Z","type":"opened","open":{"account":"jane@example.com","master_api_key":"4a91","mode":"live"}}
{"at":"2026-12-01T10:00:00Z","type":"scanned","scan":{"root":"/var/www","files":33,"findings":[{"severity":"medium","category":"outdated-software","rule":"wordpress-outdated","kind":"Outdated WordPress","path":"wp-includes/version.php","line":16,"owned":false,"message":"This website runs WordPress 5.8.1, but the latest version is 7.0."}]}}
{"at":"2026-12-01T10:00:00Z","type":"done","stage":"investigate","step":{"number":1,"name":"Investigate","status":"done","detail":"Scanned 33 files in /var/www; 1 problem."}}
{"at":"2026-12-01T10:00:00Z","type":"done","stage":"recovery-codes","step":{"number":4,"name":"Two-factor authentication","status":"done","detail":"Not reached."}}
{"at":"2026-12-01T10:00:00Z","type":"review","review":{"lines":[{"area":"Event webhook","finding":"Webhook to evil.example: Mailjet sends every email your account sends","action":"Left as it is, at the customer's choice"}]}}
`
	if err := os.WriteFile(store.Path("k"), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	j, err := store.Open("k")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	rec := j.Record()
	if st := rec.Done["investigate"]; st.Detail != "Scanned 33 files in /var/www; 1 problem." || !st.Say.IsZero() {
		t.Fatalf("investigate = %+v", st)
	}
	// What the old journal kept in its own words is said as it was.
	kept := map[string]bool{
		"Webhook to evil.example: Mailjet sends every email your account sends": true,
		"Scanned 33 files in /var/www; 1 problem.":                              true,
		"This website runs WordPress 5.8.1, but the latest version is 7.0.":     true,
	}
	fr := lang.New(lang.French).Strict(func(k string) {
		if !kept[k] {
			t.Errorf("not translated: %q", k)
		}
	})
	lines := rec.ReportLines(fr)
	if len(lines) != 1 || lines[0].Area != "Webhook d'événements" || lines[0].Finding != "Webhook to evil.example: Mailjet sends every email your account sends" ||
		lines[0].Action != "Laissé tel quel, au choix du client" {
		t.Errorf("old lines in French = %+v", lines)
	}
	r := support.Build(support.Input{Steps: []support.StepResult{rec.Done["investigate"], rec.Done["recovery-codes"]},
		Restored: rec.Scan.Findings, Actions: rec.ReportLines(nil), Lang: fr})
	md := r.Markdown()
	for _, want := range []string{
		"Enquête (fait)\u00a0: Scanned 33 files in /var/www; 1 problem.",
		"(fait)\u00a0: Pas atteint.",
		"| This website runs WordPress 5.8.1, but the latest version is 7.0. |",
		"| Webhook d'événements | Webhook to evil.example: Mailjet sends every email your account sends | Laissé tel quel, au choix du client |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the old journal's report lacks %q:\n%s", want, md)
		}
	}

	// The same journal written now: messages and facts, said in French.
	j.Write(
		Event{At: t0, Type: Scanned, Scan: &Scan{Root: "/var/www", Findings: []support.Finding{{Severity: "medium", Category: "outdated-software",
			Rule: "wordpress-outdated", Kind: "Outdated WordPress", Path: "wp-includes/version.php", Line: 16,
			Message: "This website runs WordPress 5.8.1, but the latest version is 7.0.", Facts: &investigate.Facts{Version: "5.8.1", Latest: "7.0"}}}}},
		Event{At: t0, Type: StageDone, Stage: "investigate", Step: &support.StepResult{Number: 1, Name: "Investigate", Status: support.StatusDone,
			Detail: "Scanned 33 files in /var/www; 1 problem.", Say: lang.Msg("Scanned %[1]d file in %[2]s; %[3]s.", 33, "/var/www", lang.Msg("%d problem", 1))}},
		Event{At: t0, Type: Review, Review: &ReviewOp{Lines: []support.Line{support.Said(review.AreaWebhook.Msg(),
			lang.Msg("%[1]s: %[2]s", lang.Msg("Webhook to %s", "evil.example"), lang.Msg("It is even sent unencrypted.")),
			lang.Msg("Left as it is, at the customer's choice"))}}},
	)
	readOnly := lang.Msg("It is read-only, so mjrecover did not change it. Make it writable (chmod u+w) and try again, or put the new key in by hand.")
	left := lang.Msg("old API key %s", "06d3")
	gone := lang.Msg("This file is no longer there. Scan again.")
	j.Write(
		Event{At: t0, Type: File, File: &FileOp{Op: FilePlanned, Manual: []replace.Manual{{Path: "/var/www/gone.env", Reason: gone.String(), Say: gone}}}},
		Event{At: t0, Type: File, File: &FileOp{Op: FileUpdate, Phase: rotate.Failed, Path: "/var/www/ro.env", Problem: readOnly.String(), ProblemSay: readOnly}},
		Event{At: t0, Type: File, File: &FileOp{Op: FileCheck, Check: &replace.Verification{Files: []string{"/var/www/.env"},
			Leftovers: []replace.Leftover{{Path: "/var/www/.env", Line: 3, What: left.String(), Say: left}}}}},
	)
	j.Close()
	j, err = store.Open("k")
	if err != nil {
		t.Fatal(err)
	}
	rec = j.Record()
	strict := lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })
	r = support.Build(support.Input{Steps: []support.StepResult{rec.Done["investigate"]}, Restored: rec.Scan.Findings,
		Actions: rec.ReportLines(nil), Lang: strict})
	md = r.Markdown()
	for _, want := range []string{
		"Enquête (fait)\u00a0: 33 fichiers analysés dans /var/www\u00a0; 1 problème.",
		"| Ce site utilise WordPress 5.8.1, alors que la dernière version est 7.0.",
		"| Webhook d'événements | Webhook vers evil.example\u00a0: Et c'est même envoyé sans chiffrement. | Laissé tel quel, au choix du client |",
		"| À faire soi-même | gone.env | " + lang.New(lang.French).Say(gone) + " |",
		"| Fichier de réglages | ro.env contient une ancienne clé | Pas modifié\u00a0: " + lang.New(lang.French).Say(readOnly) + " |",
		"| Vérification | Le fichier mis à jour a été analysé de nouveau | Encore trouvé\u00a0: .env:3 " + lang.New(lang.French).Say(left) + " |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the new journal's report lacks %q:\n%s", want, md)
		}
	}
	if rec.Done["investigate"].Detail != "Scanned 33 files in /var/www; 1 problem." {
		t.Errorf("the English kept = %q", rec.Done["investigate"].Detail)
	}
}
