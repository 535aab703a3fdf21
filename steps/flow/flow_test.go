package flow

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/rotate"
)

// toPlan signs in and scans the demo web root.
func (d *driver) toPlan() {
	d.t.Helper()
	d.at(Connect, "Press Enter to start.")
	d.do(Continue)
	d.at(Investigate, "Folder to check")
	d.do(Continue)
	d.at(Investigate, "Found", "CRITICAL")
	d.do(Continue)
	d.at(Plan, "Shop (WooCommerce)", "Leaked")
}

// toHandover confirms the plan and waits for the new keys.
func (d *driver) toHandover() {
	d.t.Helper()
	d.toPlan()
	d.do(Continue)
	d.at(Plan, "Rotate the keys now?")
	d.do(Yes)
	d.at(Rotate, "Your new keys are ready.", "The old keys still work")
}

// toFiles saves the new keys and lets the old ones go off.
func (d *driver) toFiles() {
	d.t.Helper()
	d.toHandover()
	d.do(Save)
	d.at(Rotate, "Your keys are rotated.", "checked: the new key works, the old one is refused")
	d.do(Continue)
	d.at(Files, "These files hold an old key", "laravel/.env")
}

// oneKeyPerSlot checks the account holds exactly one active key per slot:
// the master, and one replacement of the Shop key; the Newsletter key,
// which nobody used, is switched off with no replacement (the default).
func (w *world) oneKeyPerSlot(t *testing.T) []sandbox.Key {
	t.Helper()
	return w.keysPerSlot(t, 0)
}

// keysPerSlot is oneKeyPerSlot with news active Newsletter keys: 1 when
// the customer chose to replace it.
func (w *world) keysPerSlot(t *testing.T, wantNews int) []sandbox.Key {
	t.Helper()
	var master, shop, news int
	var subs []sandbox.Key
	for _, k := range w.activeKeys() {
		switch {
		case k.IsMaster:
			master++
		case strings.HasPrefix(k.Name, sandbox.DemoShopName):
			shop++
			subs = append(subs, k)
		case strings.HasPrefix(k.Name, sandbox.DemoNewsletterName):
			news++
			subs = append(subs, k)
		}
	}
	if master != 1 || shop != 1 || news != wantNews {
		t.Fatalf("active keys: master %d, shop %d, newsletter %d; want 1, 1, %d", master, shop, news, wantNews)
	}
	for _, k := range subs {
		if k.APIKey == sandbox.DemoShopKey || k.APIKey == sandbox.DemoNewsletterKey {
			t.Errorf("the old key %s is still on", k.APIKey)
		}
	}
	return subs
}

// savedKeys reads the new keys file the customer saved.
func (w *world) savedKeys(t *testing.T) map[string]secret.Secret {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(w.reports, "mjrecover-new-keys-*.txt"))
	got := map[string]secret.Secret{}
	for _, p := range paths {
		keys, err := rotate.ReadSaved(p)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range keys {
			got[k] = v
		}
	}
	return got
}

// noSecretOnDisk checks the journal holds none of the account's secrets.
func (w *world) noSecretOnDisk(t *testing.T, more ...secret.Secret) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(w.stateDir, "*"))
	var secrets []string
	for _, k := range w.sb.Keys() {
		secrets = append(secrets, k.Secret.Reveal())
	}
	for _, s := range more {
		secrets = append(secrets, s.Reveal())
	}
	secrets = append(secrets, sandbox.DemoMasterSecret, sandbox.DemoShopSecret, sandbox.DemoNewsletterSecret)
	for _, f := range files {
		data, _ := os.ReadFile(f)
		for _, s := range secrets {
			if s != "" && strings.Contains(string(data), s) {
				t.Errorf("%s holds a secret", f)
			}
		}
	}
}

// TestRecoveryEndToEnd walks every stage in live mode against the
// sandbox, the way the wizard drives the model.
func TestRecoveryEndToEnd(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.toFiles()
	w.noSecretOnDisk(t)
	w.oneKeyPerSlot(t)
	d.throughFiles()
	d.toReport(w)
	d.do(Continue)
	rep := d.at(Report, "Report saved", "ticket")
	if !strings.Contains(rep, "1. Investigate  done") || strings.Contains(rep, "not done") {
		t.Errorf("checklist:\n%s", rep)
	}
	d.do(Continue)
	if !d.f.Finished() || !d.f.Outcome().Finished {
		t.Fatal("not finished")
	}
	if files, _ := filepath.Glob(filepath.Join(w.stateDir, "*.journal")); len(files) != 0 {
		t.Errorf("a finished recovery keeps its journal: %v", files)
	}
	md, _ := os.ReadFile(d.f.Outcome().ReportMarkdown)
	for _, want := range []string{"laravel/.env held the old key", "Removed from the website"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// throughFiles updates the settings, moves the leaks and goes on to the
// password.
func (d *driver) throughFiles() {
	d.t.Helper()
	d.do(Update)
	d.at(Files, "done")
	for d.f.Screen().Blocks != nil && strings.Contains(d.text(), "to do") {
		if hasAction(d.f.Screen(), Update) {
			d.do(Update)
		} else {
			d.do(Move)
			d.do(Yes)
		}
	}
	d.do(Continue)
	d.at(Files, "Checked again: no old key or secret is left")
	d.do(Continue)
}

func hasAction(sc Screen, a ActionID) bool {
	for _, x := range sc.Actions {
		if x.ID == a {
			return true
		}
	}
	return false
}

// toReport goes from the password to the report's preview.
func (d *driver) toReport(w *world) {
	d.t.Helper()
	d.at(Password, "at least 15 characters")
	d.edit(fieldPassword, "tulip orbit saddle quiver 42!")
	d.do(Continue)
	d.edit(fieldAgain, "tulip orbit saddle quiver 42!")
	d.do(Continue)
	d.at(Password, "Your password is changed.")
	d.do(Continue)

	d.at(TwoFactor, "authenticator app")
	d.do(Continue)
	d.at(TwoFactor, "Type the 6-digit code")
	code, err := recovery.GenerateTOTP(seedOf(d.t, d.f.Screen()), time.Now())
	if err != nil {
		d.t.Fatal(err)
	}
	d.edit(fieldCode, code)
	d.do(Continue)
	d.at(RecoveryCodes, "recovery codes")
	d.do(Save)
	d.at(RecoveryCodes, "Saved")
	d.do(Continue)

	d.at(Review, "suspicious")
	d.do(Continue)
	// Moving on with the attacker's things in place is asked, not assumed.
	d.at(Review, "suspicious things are still in place. Leave them as they are?")
	d.do(No)
	d.at(Review, "Space shows why")
	d.do(Continue)
	d.do(Yes)

	// The report is read before it goes to support.
	d.at(Report, "This is the report for Mailjet support.", "Send it to Mailjet support now?")
}

// seedOf reads the TOTP key from the QR code's link on the screen.
func seedOf(t *testing.T, sc Screen) string {
	t.Helper()
	for _, b := range sc.Blocks {
		if b.Kind == QRBlock {
			u, err := url.Parse(b.URI.Reveal())
			if err != nil {
				t.Fatal(err)
			}
			return u.Query().Get("secret")
		}
	}
	t.Fatalf("no QR code on the screen:\n%s", screenText(sc))
	return ""
}

// restart is the same command again after the process died.
func (w *world) restart(t *testing.T, d *driver) *driver {
	t.Helper()
	d.crash()
	return drive(t, w.config(&demoCreds))
}

// resume answers the offer to resume.
func (d *driver) resume() {
	d.t.Helper()
	d.at(Connect, "Press Enter to start.")
	d.do(Continue)
	d.at(Connect, "You have started this recovery before.")
	d.do(Yes)
}

// Killed while the new keys wait to be taken: nothing was switched off.
// Where Mailjet still lists secrets, the same keys are offered again, and
// no key is made twice.
func TestInterruptedAtTheHandover(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.toHandover()
	creates := w.sb.Requests(http.MethodPost, "/v3/REST/apikey")
	if err := checkAuth(w, demoCreds); err != nil {
		t.Fatalf("the old master secret stopped working before the handover: %v", err)
	}

	d = w.restart(t, d)
	d.resume()
	d.at(Rotate, "Your new keys are ready.")
	d.do(Save)
	d.at(Rotate, "Your keys are rotated.")
	if n := w.sb.Requests(http.MethodPost, "/v3/REST/apikey"); n != creates {
		t.Errorf("%d keys made after the restart", n-creates)
	}
	w.oneKeyPerSlot(t)
	saved := w.savedKeys(t)
	if !saved[sandbox.DemoMasterKey].Equal(w.masterSecret()) {
		t.Error("the saved master secret is not the one in use")
	}
}

// Where Mailjet shows a secret only once, keys made before an
// interruption cannot be handed over again: they are switched off and
// made again.
func TestInterruptedAtTheHandoverSecretsShownOnce(t *testing.T) {
	w := newWorld(t, sandbox.WithSecretsShownOnce())
	d := drive(t, w.config(&demoCreds))
	d.toHandover()
	var unseen []string
	for _, k := range w.activeKeys() {
		if strings.Contains(k.Name, "(created") {
			unseen = append(unseen, k.APIKey)
		}
	}

	d = w.restart(t, d)
	d.resume()
	d.at(Rotate, "Your new keys are ready.")
	d.do(Save)
	d.at(Rotate, "Your keys are rotated.")
	// Mailjet hides the secrets, so the Newsletter key's use could not be
	// read: it is not known to be unused, and is replaced.
	subs := w.keysPerSlot(t, 1)
	saved := w.savedKeys(t)
	for _, k := range subs {
		for _, u := range unseen {
			if k.APIKey == u {
				t.Errorf("the key %s nobody saw is still on", u)
			}
		}
		if !saved[k.APIKey].Equal(k.Secret) {
			t.Errorf("the customer has not got the secret of %s", k.APIKey)
		}
	}
}

// The answer to the master's activation is lost and the process dies: the
// next run, with the old secret still in the environment, reads the new
// one from the file the customer saved, and goes on.
func TestInterruptedAfterTheMasterWasSwitchedOn(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.toHandover()
	w.proxy.LoseAnswer(http.MethodPost, recovery.PathMasterSecretActivate, 1)
	d.do(Save)
	d.at(Rotate, "did not answer")
	if err := checkAuth(w, demoCreds); err == nil {
		t.Fatal("the activation did not reach Mailjet")
	}

	d = w.restart(t, d)
	d.at(Connect, "Press Enter to start.")
	d.do(Continue)
	d.at(Connect, "You have started this recovery before.", "Signed in with the new secret of the main key")
	d.do(Yes)
	d.at(Rotate, "Your keys are rotated.")
	w.oneKeyPerSlot(t)
	if !w.savedKeys(t)[sandbox.DemoMasterKey].Equal(w.masterSecret()) {
		t.Error("the saved master secret does not work")
	}
	d.do(Continue)
	d.at(Files, "laravel/.env")
}

// The new master secret was only shown, not saved, and the process died
// after it was switched on: the next run says so and asks for it; it is
// never a dead end.
func TestRefusedOldSecretAsksForTheNewOne(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.toHandover()
	d.do(Reveal)
	// Seen, the new secrets are handed over: the old keys go off.
	d.at(Rotate, "Your keys are rotated.")
	var master secret.Secret
	for _, s := range shownSecrets(d.f.Screen()) {
		master = s // the master is last
	}
	if !master.Equal(w.masterSecret()) {
		t.Fatal("the secret shown is not the one switched on")
	}

	d = w.restart(t, d)
	d.at(Connect, "Press Enter to start.")
	d.do(Continue)
	d.at(Connect, "it is the old one", "ending in "+master.Last4(), "Reset Secret Key")
	d.edit(fieldSecret, strings.Repeat("0", 32))
	d.do(Continue)
	d.at(Connect, "Mailjet refused") // a wrong one: asked again
	d.edit(fieldSecret, master.Reveal())
	d.do(Continue)
	d.at(Connect, "You have started this recovery before.")
	d.do(Yes)
	d.at(Rotate, "Your keys are rotated.") // where it stopped
	d.do(Continue)
	d.at(Files, "laravel/.env")
}

// A refused pair with no earlier run asks for the pair: a field to type
// into, never the same screen again.
func TestRefusedPairAsksForAnother(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(strings.Repeat("1", 32))}))
	d.do(Continue)
	text := d.at(Connect, "Mailjet refused this API key and secret")
	if !strings.Contains(text, "[field "+fieldSecret+"]") {
		t.Fatalf("no field to type into:\n%s", text)
	}
	d.edit(fieldSecret, sandbox.DemoMasterSecret)
	d.do(Continue)
	d.at(Investigate, "Folder to check")
}

// The answer to a create is lost; r looks first and makes no second key.
func TestLostCreateThenRetry(t *testing.T) {
	w := newWorld(t, sandbox.WithSecretsShownOnce())
	d := drive(t, w.config(&demoCreds))
	d.toPlan()
	w.proxy.LoseAnswer(http.MethodPost, "/v3/REST/apikey", 1)
	d.do(Continue)
	d.do(Yes)
	d.at(Rotate, "did not answer", "try again")
	d.do(Retry)
	d.at(Rotate, "Your new keys are ready.")
	d.do(Save)
	d.at(Rotate, "Your keys are rotated.")
	// Mailjet hides the secrets, so the Newsletter key's use could not be
	// read: it is not known to be unused, and is replaced.
	subs := w.keysPerSlot(t, 1)
	saved := w.savedKeys(t)
	for _, k := range subs {
		if !saved[k.APIKey].Equal(k.Secret) {
			t.Errorf("the customer has not got the secret of %s", k.APIKey)
		}
	}
}

// Killed on the files page after one file was updated: the next run goes
// back to the files page with that file done, reads the new secrets from
// the file the customer saved, and the report has the files of both runs.
func TestResumeOnTheFilesPage(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.toFiles()
	d.do(Update) // laravel/.env
	d.at(Files, "done")

	d = w.restart(t, d)
	d.resume()
	text := d.at(Files, "laravel/.env", "public_html/wp-config.php", "to do")
	if !strings.Contains(text, "done   settings  laravel/.env") {
		t.Errorf("the file updated before is not done:\n%s", text)
	}
	d.do(Update) // wp-config.php
	for strings.Contains(d.text(), "to do") {
		if hasAction(d.f.Screen(), Update) {
			d.do(Update)
		} else {
			d.do(Skip)
		}
	}
	d.do(Continue)
	// The environment notes still know laravel/.env sets the names, though
	// it was updated before the interruption.
	d.at(Files, "Checked again", "laravel/.env sets; mjrecover updates that file")
	d.do(Continue)
	d.toReport(w)
	d.do(Continue)
	d.at(Report, "Report saved")
	md, _ := os.ReadFile(d.f.Outcome().ReportMarkdown)
	for _, want := range []string{"laravel/.env held the old key", "wp-config.php held the old key", "Left as it is",
		"were in files your web server hands to anyone"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	// The second look at the files (after some were updated) is not taken
	// for the investigation.
	if strings.Contains(string(md), "none held this account's API keys") {
		t.Errorf("the report's cause comes from the files after their update:\n%s", md)
	}
}

// The quit prompt says what is kept, per mode and stage.
func TestLeavingTellsTheTruth(t *testing.T) {
	w := newWorld(t)
	demo := w.config(&demoCreds)
	demo.Demo = true
	if got := New(demo).Leaving(); !strings.Contains(got, "nothing is kept") {
		t.Errorf("demo: %q", got)
	}
	none := w.config(&demoCreds)
	none.StateDir = ""
	d := drive(t, none)
	d.do(Continue)
	if got := d.f.Leaving(); !strings.Contains(got, "no progress is kept") {
		t.Errorf("no state: %q", got)
	}

	d = drive(t, w.config(&demoCreds))
	d.toHandover()
	if got := d.f.Leaving(); !strings.Contains(got, "the wizard remembers it") || !strings.Contains(got, "have not been shown or saved") {
		t.Errorf("at the handover: %q", got)
	}
	d.do(Save)
	if got := d.f.Leaving(); strings.Contains(got, "Warning") {
		t.Errorf("after saving: %q", got)
	}
}

func checkAuth(w *world, c mailjet.Credentials) error {
	return mailjet.New(w.url, c).CheckAuth(context.Background())
}

// A session that ends (idle, time limit) drops every secret it holds:
// nothing is left in memory for the next person at the keyboard.
func TestEndDropsTheSecrets(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.toHandover()
	if len(d.f.held) == 0 {
		t.Fatal("no new secret held at the handover")
	}
	d.f.End()
	if len(d.f.held) != 0 || !d.f.oldMaster.IsZero() || d.f.api != nil || d.f.rec != nil || d.f.cfg.Credentials != nil {
		t.Errorf("after End: %d secrets held, old master %v, clients %v %v", len(d.f.held), !d.f.oldMaster.IsZero(), d.f.api != nil, d.f.rec != nil)
	}
	for _, b := range d.f.Screen().Blocks {
		for _, p := range b.Pairs {
			if !p.Secret.IsZero() {
				t.Errorf("a secret is still on the screen: %s", p.Label)
			}
		}
	}
}

// Mailjet refuses the wizard's key pair in the middle of the recovery (its
// secret was changed on the site, say): the screen says so in words that
// fit, offers to sign in again, and goes on where it was.
func TestRefusedMidwaySignsInAgain(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.at(Connect, "Press Enter to start.")
	d.do(Continue)
	d.do(Continue)
	d.at(Investigate, "Found")
	w.sb.FailNext(http.MethodGet, "/v3/REST/apikey", http.StatusUnauthorized, 1)
	d.do(Continue)
	d.at(Plan, "Mailjet refused the wizard's API key and secret", "sign in again")
	d.do(SignIn)
	text := d.at(Connect, "Type the current Primary API key")
	if !strings.Contains(text, "API key = "+sandbox.DemoMasterKey) {
		t.Errorf("the key is not filled in:\n%s", text)
	}
	d.edit(fieldSecret, sandbox.DemoMasterSecret)
	d.do(Continue)
	d.at(Plan, "Shop (WooCommerce)", "Leaked")

	// Mailjet asking to slow down is said as such, with what to do.
	w.sb.FailNext(http.MethodGet, "/v3/REST/apikey", http.StatusTooManyRequests, 10)
	d.do(Back)
	d.do(Continue)
	d.at(Plan, "Mailjet asked the wizard to slow down", "try again")
	w.sb.ClearFaults()
	d.do(Retry)
	d.at(Plan, "Leaked")
}
