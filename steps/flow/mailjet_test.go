package flow

import (
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/pwned"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/steps/support"
)

// What the customer meets at the real Mailjet: its password rule, a
// breach service that may be down, the Send API.

// The password ends up at Mailjet, which asks for a number and a special
// character on top of NIST's rules (help centre, "securing your
// account"): a passphrase without them is refused with that reason, and
// the suggested one passes.
func TestPasswordFollowsMailjetsRule(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.toFiles()
	d.throughFiles()
	screen := d.at(Password, "with at least 1 number and 1 special character", "(Mailjet asks for both)", "For example")

	for _, tc := range []struct{ pw, want, not string }{
		{"tulip orbit saddle quiver lantern", "at least 1 number and 1 special character", ""},
		{"tulip orbit saddle quiver lantern 42", "at least 1 special character", "number"},
		{"tulip orbit saddle quiver lantern!", "at least 1 number", "special character"},
	} {
		d.edit(fieldPassword, tc.pw)
		d.do(Continue)
		d.edit(fieldAgain, tc.pw)
		d.do(Continue)
		got := d.at(Password, "✗ Mailjet also asks for "+tc.want)
		if tc.not != "" && strings.Contains(got[strings.Index(got, "✗"):], tc.not) {
			t.Errorf("%q: the reason names %q too:\n%s", tc.pw, tc.not, got)
		}
	}

	suggested := ""
	for _, b := range d.f.Screen().Blocks {
		for _, p := range b.Pairs {
			if p.Label == "For example" {
				suggested = p.Secret.Reveal()
			}
		}
	}
	if suggested == "" || strings.Contains(screen, "no special characters are needed") {
		t.Fatalf("no suggested passphrase, or the old advice:\n%s", screen)
	}
	d.edit(fieldPassword, suggested)
	d.do(Continue)
	d.edit(fieldAgain, suggested)
	d.do(Continue)
	d.at(Password, "Your password is changed.")
	if !w.sb.Status().PasswordChanged {
		t.Error("the sandbox did not take the suggested password")
	}
}

// With the breach service down, the screen and the report say the breach
// check was not made, never that it passed.
func TestBreachCheckUnreachableSaysNotChecked(t *testing.T) {
	w := newWorld(t)
	cfg := w.config(&demoCreds)
	down := httptest.NewServer(nil)
	down.Close() // a loopback port nothing answers on
	cfg.Breaches = pwned.New(down.URL, pwned.WithHTTPClient(cfg.HTTPClient), pwned.WithRetry(1, 0))
	d := drive(t, cfg)
	d.toFiles()
	d.throughFiles()
	d.at(Password, "at least 15 characters")
	pw := "tulip orbit saddle quiver 42!"
	d.edit(fieldPassword, pw)
	d.do(Continue)
	d.edit(fieldAgain, pw)
	d.do(Continue)
	screen := d.at(Password, "Your password is changed.", "Not checked: the breach database could not be reached")
	if strings.Contains(screen, "passes every check") {
		t.Errorf("the screen says the password passed every check:\n%s", screen)
	}
	d.do(Continue)
	step := d.f.Record().Done[string(Password)]
	if !strings.Contains(step.Detail, "not checked: the breach database could not be reached") || strings.Contains(step.Detail, "passed the breach") {
		t.Errorf("the report's password line: %q", step.Detail)
	}
	if step.Status != support.StatusDone {
		t.Errorf("password step status %q", step.Status)
	}
}

// After the rotation, a test email with each new key goes through the
// real Send API in sandbox mode: Mailjet checks the credentials and the
// message and delivers nothing. The outcome is on the screen, in the
// journal and in the report, with no secret.
func TestTestSendAfterTheRotation(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.toHandover()
	d.do(Save)
	d.at(Rotate, "Your keys are rotated.", "press t")
	d.do(TestSend)
	screen := d.at(Rotate, "✓ Mailjet's Send API accepted a test email from every new key (sent from shop@lafleur-bakery.example in sandbox mode: nothing was delivered).")
	if strings.Contains(screen, "press t") || !hasAction(d.f.Screen(), TestSend) {
		t.Errorf("after the test, the screen still asks for it, or cannot repeat it:\n%s", screen)
	}

	subs := w.oneKeyPerSlot(t)
	want := map[string]bool{sandbox.DemoMasterKey: true}
	for _, k := range subs {
		want[k.APIKey] = true
	}
	sent := w.sb.Sent()
	if len(sent) != 2 {
		t.Fatalf("the Send API saw %d messages, want 2 (the Shop's replacement and the master)", len(sent))
	}
	for _, m := range sent {
		if !m.SandboxMode || !want[m.APIKey] || m.To[0] != sandbox.DemoEmail {
			t.Errorf("sent %+v: want sandbox mode, from a new key, to the account", m)
		}
	}

	if got := d.f.Record().Sends; len(got) != 2 {
		t.Fatalf("journal holds %d test sends, want 2", len(got))
	}
	lines := 0
	for _, l := range d.f.reportInput().Actions {
		if l.Area == "Test email" && strings.Contains(l.Action, "accepted") {
			lines++
		}
	}
	if lines != 2 {
		t.Errorf("%d report lines for the test emails, want 2", lines)
	}
	w.noSecretOnDisk(t)

	d.do(Continue)
	if step := d.f.Record().Done[string(Rotate)]; !strings.Contains(step.Detail, "test email accepted by the Send API for 2 of 2") {
		t.Errorf("rotation outcome: %q", step.Detail)
	}
}

// With no sender to send from, the test says so for each key, in words
// the customer can act on, and the wizard goes on.
func TestTestSendWithoutSender(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	master := mailjet.New(w.url, demoCreds)
	senders, err := master.ListSenders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range senders {
		if err := master.DeleteSender(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
	}
	d := drive(t, w.config(&demoCreds))
	d.toHandover()
	d.do(Save)
	d.at(Rotate, "Your keys are rotated.")
	d.do(TestSend)
	screen := d.at(Rotate, "✗ The test email with the key Shop (WooCommerce)", "no validated sender address", "https://app.mailjet.com/account/sender")
	if n := strings.Count(screen, "✗ The test email"); n != 2 || strings.Contains(screen, "✓ Mailjet's Send API") {
		t.Errorf("want two refusals and no success:\n%s", screen)
	}
	if len(w.sb.Sent()) != 0 {
		t.Errorf("the Send API saw %d messages", len(w.sb.Sent()))
	}
	d.do(Continue)
	d.at(Files, "These files hold an old key")
	if step := d.f.Record().Done[string(Rotate)]; !strings.Contains(step.Detail, "test email accepted by the Send API for 0 of 2") {
		t.Errorf("rotation outcome: %q", step.Detail)
	}
}

// The report is shown before it goes anywhere; "only save it" keeps it
// from support, and then the report says the customer sends it.
func TestReportPreviewOnlySave(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.toFiles()
	d.throughFiles()
	d.toReport(w)
	if len(w.sb.LastReport()) != 0 {
		t.Fatal("the report reached support before the customer saw it")
	}
	d.do(Save)
	scr := d.at(Report, "Report saved", "Send both files to Mailjet support")
	if strings.Contains(scr, "ticket") || len(w.sb.LastReport()) != 0 {
		t.Fatalf("a report only saved was sent:\n%s", scr)
	}
	md, err := os.ReadFile(d.f.Outcome().ReportMarkdown)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "The customer sends this report to Mailjet support.") ||
		strings.Contains(string(md), "sent to Mailjet support by the recovery wizard") {
		t.Errorf("the saved report does not say who sends it:\n%s", md)
	}
	d.do(Continue)
	if !d.f.Finished() || d.f.Outcome().Ticket != "" {
		t.Errorf("finished %v, ticket %q; want finished without a ticket", d.f.Finished(), d.f.Outcome().Ticket)
	}
}
