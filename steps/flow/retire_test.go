package flow

import (
	"errors"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/rotate"
)

// newsletterOffRefused checks the Newsletter key is off, Mailjet refuses
// its pair, and no replacement was made for it.
func (w *world) newsletterOffRefused(t *testing.T) {
	t.Helper()
	for _, k := range w.sb.Keys() {
		switch {
		case k.APIKey == sandbox.DemoNewsletterKey && k.IsActive:
			t.Error("the unused Newsletter key is still on")
		case k.APIKey != sandbox.DemoNewsletterKey && strings.HasPrefix(k.Name, sandbox.DemoNewsletterName):
			t.Errorf("a replacement %s was made for the unused key", k.APIKey)
		}
	}
	err := mailjet.New(w.url, mailjet.Credentials{APIKey: sandbox.DemoNewsletterKey, Secret: secret.New(sandbox.DemoNewsletterSecret)}).CheckAuth(t.Context())
	if !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("the Newsletter pair: %v, want refused", err)
	}
}

// The demo's Newsletter key has sent nothing for over a year: the plan
// offers to switch it off instead of replacing it (the default), says
// why, and the rotation only switches it off; the files page asks for no
// key for it, the review no longer flags it, and the report says it.
func TestUnusedKeySwitchedOff(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.toPlan()
	plan := d.at(Plan, "Newsletter has sent nothing since ", "switch off, no replacement")
	if !hasAction(d.f.Screen(), Act) {
		t.Errorf("no way to choose for the unused key:\n%s", plan)
	}
	d.do(Continue)
	confirm := d.at(Plan, "Rotate the keys now?")
	for _, want := range []string{"1 unused sub-account key: switched off, no replacement.", "1 sub-account key: a new key replaces it"} {
		if !strings.Contains(confirm, want) {
			t.Errorf("the confirmation lacks %q:\n%s", want, confirm)
		}
	}
	d.do(Yes)
	d.at(Rotate, "Your new keys are ready.")
	d.do(Save)
	done := d.at(Rotate, "Your keys are rotated.", "Newsletter: switched off, with no replacement (nobody used it). Checked: Mailjet refuses it.")
	if strings.Contains(done, "Newsletter (created") {
		t.Errorf("a new Newsletter key is shown:\n%s", done)
	}
	w.oneKeyPerSlot(t)
	w.newsletterOffRefused(t)
	if saved := w.savedKeys(t); len(saved) != 2 {
		t.Errorf("saved %d keys, want the Shop's and the master's", len(saved))
	}
	d.do(Continue)
	files := d.at(Files, "These files hold an old key")
	if strings.Contains(files, "Newsletter") {
		t.Errorf("the files page asks about the Newsletter key:\n%s", files)
	}
	d.throughFiles()
	d.toReport(w)
	for _, it := range d.f.stages[Review].(*reviewing).rev.Items {
		if it.TargetID == sandbox.DemoNewsletterID {
			t.Errorf("the review flags the switched-off key: %s", it.Title)
		}
	}
	d.do(Continue)
	d.at(Report, "Report saved")
	md, _ := os.ReadFile(d.f.Outcome().ReportMarkdown)
	if !strings.Contains(string(md), "Newsletter: switched off, unused since ") {
		t.Errorf("the report does not say the key was switched off:\n%s", md)
	}
	w.noSecretOnDisk(t)
}

// Choosing "replace" for the unused key still replaces it.
func TestUnusedKeyReplacedAtTheCustomersChoice(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.toPlan()
	d.at(Plan, "switch off, no replacement")
	d.do(Act)
	d.at(Plan, "Newsletter  replace with a new key")
	d.do(Continue)
	confirm := d.at(Plan, "2 sub-account keys: a new key replaces each")
	if strings.Contains(confirm, "unused sub-account key") {
		t.Errorf("the confirmation still switches a key off:\n%s", confirm)
	}
	d.do(Yes)
	d.at(Rotate, "Your new keys are ready.")
	d.do(Save)
	d.at(Rotate, "Your keys are rotated.")
	w.keysPerSlot(t, 1)
	if log := d.f.Record().Ledger().Log(sandbox.DemoNewsletterKey); log.Retired {
		t.Error("the journal says the key was switched off")
	}
	// And back: x again chooses to switch it off.
	w2 := newWorld(t)
	d2 := drive(t, w2.config(&demoCreds))
	d2.toPlan()
	d2.do(Act)
	d2.do(Act)
	d2.at(Plan, "Newsletter  switch off, no replacement")
}

// Killed while the unused key is being switched off, its answer lost:
// the next run looks at the key list first, and the key ends off, checked,
// with no replacement and no second request.
func TestInterruptedWhileSwitchingOff(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.toPlan()
	path := "/v3/REST/apikey/" + strconv.Itoa(sandbox.DemoNewsletterID)
	w.proxy.LoseAnswer(http.MethodPut, path, 10)
	d.do(Continue)
	d.do(Yes)
	d.at(Rotate, "did not answer", "switch off the old key "+sandbox.DemoNewsletterKey)
	puts := w.sb.Requests(http.MethodPut, path)

	d = w.restart(t, d)
	d.resume()
	d.at(Rotate, "Your new keys are ready.")
	if p := d.f.plan; len(p.Slots) == 0 {
		t.Fatal("no plan after the restart")
	}
	for _, s := range d.f.plan.Slots {
		if s.Old.APIKey == sandbox.DemoNewsletterKey && s.Action != rotate.RetireSubKey {
			t.Errorf("after the restart the Newsletter key is to %v", s.Action)
		}
	}
	d.do(Save)
	d.at(Rotate, "Your keys are rotated.", "Newsletter: switched off, with no replacement")
	if n := w.sb.Requests(http.MethodPut, path); n != puts {
		t.Errorf("%d more switch-offs after the restart, want none (the lookup settles it)", n-puts)
	}
	w.oneKeyPerSlot(t)
	w.newsletterOffRefused(t)
	d.do(Continue)
	if step := d.f.Record().Done[string(Rotate)]; !strings.Contains(step.Detail, "Newsletter: switched off, unused since ") {
		t.Errorf("rotation outcome: %q", step.Detail)
	}
}

// The new screens in French, with a strict printer: the plan's offer,
// the choice, the confirmation, the rotation's outcome and the report's
// line.
func TestFrenchUnusedKey(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.frenchConfig(t, &demoCreds))
	d.do(Continue)
	d.do(Continue)
	d.do(Continue)
	plan := d.at(Plan, "Newsletter n'a rien envoyé depuis le ", "Une clé que personne n'utilise n'est qu'un risque"+nb+":",
		"désactiver, sans remplaçante", "<act: désactiver / remplacer>")
	if strings.Contains(plan, "switch") {
		t.Errorf("English on the plan:\n%s", plan)
	}
	d.do(Act)
	d.at(Plan, "remplacer par une nouvelle clé")
	d.do(Act)
	d.do(Continue)
	d.at(Plan, "1 clé de sous-compte inutilisée"+nb+": désactivée, sans remplaçante.")
	d.do(Yes)
	d.at(Rotate, "Vos nouvelles clés sont prêtes.")
	d.do(Save)
	d.at(Rotate, "Newsletter"+nb+": désactivée, sans remplaçante (personne ne l'utilisait). Vérifié"+nb+": Mailjet la refuse.")
	d.do(Continue)
	step := d.f.Record().Done[string(Rotate)]
	if got := d.f.Lang().Say(step.Say); !strings.Contains(got, "Newsletter"+nb+": désactivée, inutilisée depuis le ") {
		t.Errorf("the outcome in French: %q", got)
	}
	if !strings.Contains(step.Detail, "Newsletter: switched off, unused since ") {
		t.Errorf("the journal's outcome is not in English: %q", step.Detail)
	}
}
