package ui

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

// TestWizardEndToEnd walks all five steps of the demo at 80x24 with key
// presses, as a user would, against the sandbox over loopback HTTP.
func TestWizardEndToEnd(t *testing.T) {
	box := sandbox.New()
	cfg, _ := demoConfig(t, box)
	h := newHarness(t, cfg, 80, 24)

	// Welcome.
	h.waitFor("Recover your Mailjet account", "Press Enter to start")
	h.press("enter")

	// Step 1: scan the demo web root.
	h.waitFor("Step 1 of 5 · Investigate", "Folder to check")
	h.press("enter")
	// Leaked pairs of this account are marked as such.
	h.waitFor("Found", "CRITICAL", "your account's key")
	h.press("space")
	h.waitFor("Where", "API key")
	h.press("esc")
	h.waitFor("CRITICAL")
	h.press("enter")

	// Step 2: the plan, the confirmation, the rotation.
	h.waitFor("Step 2 of 5 · Rotate API keys", "Leaked", "yes")
	h.press("enter")
	h.waitFor("Rotate the keys now?", "about an hour")
	h.press("y")
	h.waitFor("Your new keys are ready.", "The old keys still work", "Secret key")
	h.press("s")
	h.waitFor("Your keys are rotated.", "Saved", "only you can read it")
	keysFile := onlyFile(t, cfg.ReportDir, "mjrecover-new-keys-*.txt")
	h.press("enter")

	// Step 2, continued: the new keys go where the old ones were.
	h.waitFor("Your apps need the new keys", "laravel/.env", "public_html/.env.bak")
	h.press("space")
	diff := h.waitFor("The change in laravel/.env", "now:   MAILJET_APISECRET=****", "after: MAILJET_APISECRET=****")
	if strings.Contains(diff, sandbox.DemoMasterSecret) {
		t.Fatalf("the diff shows a secret:\n%s", diff)
	}
	h.press("esc")
	h.press("u") // laravel/.env
	h.waitFor("done   settings laravel/.env")
	h.press("u") // public_html/wp-config.php, the next one to do
	h.waitFor("done   settings public_html/wp-config.php")
	h.press("m") // public_html/.env.bak
	h.waitFor("out of the website, into a folder")
	h.press("y")
	h.waitFor("done   leak     public_html/.env.bak")
	h.press("s") // public_html/info.php: kept (it holds no key)
	h.waitFor("left   leak     public_html/info.php")
	h.press("m") // public_html/wp-config.php.bak, the next one
	h.waitFor("out of the website, into a folder")
	h.press("y")
	h.waitFor("done   leak     public_html/wp-config.php.bak")
	h.press("enter")
	h.waitFor("no old key or secret is left", "2 settings files updated, 2 leaked copies moved")
	h.press("enter")
	root := cfg.ScanRoot
	newSecrets := newSecretsIn(t, keysFile)
	if env := mustRead(t, filepath.Join(root, "laravel", ".env")); strings.Contains(env, sandbox.DemoMasterSecret) ||
		!containsAny(env, newSecrets) {
		t.Errorf("laravel/.env does not hold the new master secret:\n%s", env)
	}
	if backups, _ := filepath.Glob(filepath.Join(cfg.ReportDir, "mjrecover-backups-*", ".env.mjrecover-*.bak")); len(backups) != 1 {
		t.Errorf("backups of laravel/.env: %v", backups)
	}
	// A second scan of the whole web root finds no old key or secret.
	again, err := investigate.Scan(context.Background(), investigate.Options{Roots: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range again.Findings {
		if old := f.Secret.Reveal(); old == sandbox.DemoMasterSecret || old == sandbox.DemoShopSecret || f.APIKey == sandbox.DemoShopKey {
			t.Errorf("the second scan still finds an old key: %s:%d %s", f.Path, f.Line, f.Kind)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "public_html", ".env.bak")); !os.IsNotExist(err) {
		t.Errorf("the leaked .env.bak is still in the website: %v", err)
	}

	// Step 3: a weak password is refused with a reason; a strong one passes.
	h.waitFor("Step 3 of 5 · New password", "New password", "Mailjet asks for both", "For example")
	// Long enough for NIST, not for Mailjet: refused with Mailjet's reason.
	h.typeText("tulip orbit saddle quiver lantern")
	h.press("tab")
	h.typeText("tulip orbit saddle quiver lantern")
	h.press("enter")
	h.waitFor("Mailjet also asks for at least 1 number and 1 special character")
	h.press("ctrl+u", "tab", "ctrl+u", "shift+tab")
	h.typeText("Password12345678!")
	h.press("tab")
	h.typeText("Password12345678!")
	h.press("enter")
	// Wait for this refusal, not the one still on screen from before.
	h.waitFor("✗ This password appears in")
	const strong = "correct horse battery staple 7?"
	h.typeText(strong)
	h.press("tab")
	h.typeText(strong)
	h.press("enter")
	h.waitFor("Your password is changed.")
	h.press("enter")

	// Step 4: scan the QR code off the screen and answer with a code.
	h.waitFor("Step 4 of 5 · Two-factor authentication", "Press Enter to show the QR code")
	h.press("enter")
	scr := h.waitFor("Type the 6-digit code")
	uri := decodeQR(t, locateQR(t, scr), true)
	if !strings.HasPrefix(uri, "otpauth://totp/Mailjet:") || !strings.Contains(uri, "issuer=Mailjet") {
		t.Fatalf("QR code holds %q", uri)
	}
	h.typeText("000000")
	h.press("enter")
	h.waitFor("not right", "4 tries left")
	h.typeText(totpCode(t, uri, time.Now()))
	h.press("enter")
	h.waitFor("recovery codes", "•••")
	h.press("s")
	h.waitFor("Saved", "only you can read it")
	codesFile := onlyFile(t, cfg.ReportDir, "mjrecover-recovery-codes-*.txt")
	h.press("enter")

	// Step 5: what else the attacker left; the foreign webhook goes.
	scr = h.waitFor("What else an attacker may have left", "collect.mailstat-cdn.example", "4 things look suspicious")
	for i := 0; i < 10 && !strings.Contains(scr, "delete the webhook"); i++ {
		before := scr
		h.press("down")
		scr = h.waitForChange(before)
	}
	h.press("x")
	h.waitFor("delete the webhook?")
	h.press("y")
	h.waitFor("Deleted", "3 things look suspicious") // the count follows what is done
	if hooks := box.Webhooks(); len(hooks) != 1 {
		t.Errorf("webhooks left: %+v", hooks)
	}
	h.press("enter")
	h.waitFor("2 suspicious things are still in place. Leave them as they are?")
	h.press("y")
	h.readReport()

	// Step 5: the report.
	scr = h.waitFor("Step 5 of 5 · Contact support", "Report saved", "ticket MJR-")
	h.press("enter")
	w := h.finish()

	out := w.Outcome()
	if !out.Finished || out.Ticket == "" {
		t.Fatalf("outcome %+v", out)
	}
	st := box.Status()
	if !st.MasterRotated || !st.PasswordChanged || !st.TwoFactorEnabled || st.Ticket == "" {
		t.Errorf("sandbox state after the wizard: %+v", st)
	}

	// No secret reaches the report, the screen or any file left behind
	// but the two the user asked for.
	secrets := []string{sandbox.DemoMasterSecret, sandbox.DemoShopSecret, sandbox.DemoNewsletterSecret, strong}
	secrets = append(secrets, newSecretsIn(t, keysFile)...)
	secrets = append(secrets, codesIn(t, codesFile)...)
	secrets = append(secrets, seedOf(t, uri))
	for _, path := range []string{out.ReportMarkdown, out.ReportJSON} {
		assertNoSecrets(t, path, mustRead(t, path), secrets)
	}
	if md := mustRead(t, out.ReportMarkdown); !strings.Contains(md, "## Other actions") ||
		!strings.Contains(md, "laravel/.env") || !strings.Contains(md, "collect.mailstat-cdn.example") {
		t.Errorf("the report does not list the files changed and the review:\n%s", md)
	}
	assertNoSecrets(t, "the terminal output", h.rawOutput(), secrets[:4])
	entries, err := os.ReadDir(cfg.ReportDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		p := filepath.Join(cfg.ReportDir, e.Name())
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.IsDir() {
			// The leaked copies moved out of the website, the backups of
			// the updated files: private too.
			if info.Mode().Perm() != 0o700 || !strings.HasPrefix(e.Name(), "mjrecover-removed-") && !strings.HasPrefix(e.Name(), "mjrecover-backups-") {
				t.Errorf("folder %s with mode %v", p, info.Mode().Perm())
			}
			continue
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", p, info.Mode().Perm())
		}
		if p != keysFile && p != codesFile {
			assertNoSecrets(t, p, mustRead(t, p), secrets)
		}
	}
}

// onlyFile is the one file in dir matching pattern.
func onlyFile(t *testing.T, dir, pattern string) string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil || len(matches) != 1 {
		t.Fatalf("files matching %s in %s: %v %v", pattern, dir, matches, err)
	}
	return matches[0]
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var hex32 = regexp.MustCompile(`\b[0-9a-f]{32}\b`)

// newSecretsIn returns the secrets of a saved keys file (every 32-hex value
// that is not a public key the sandbox knows).
func newSecretsIn(t *testing.T, path string) []string {
	var out []string
	for _, line := range strings.Split(mustRead(t, path), "\n") {
		if strings.Contains(strings.ToLower(line), "secret") {
			out = append(out, hex32.FindAllString(line, -1)...)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no secrets found in %s", path)
	}
	return out
}

var codeRe = regexp.MustCompile(`\b[a-z2-7]{4}(?:-[a-z2-7]{4}){3}\b`)

func codesIn(t *testing.T, path string) []string {
	codes := codeRe.FindAllString(mustRead(t, path), -1)
	if len(codes) != 10 {
		t.Fatalf("%s holds %d recovery codes, want 10", path, len(codes))
	}
	return codes
}

func seedOf(t *testing.T, uri string) string {
	i := strings.Index(uri, "secret=")
	if i < 0 {
		t.Fatalf("no secret in %q", uri)
	}
	seed := uri[i+len("secret="):]
	if j := strings.IndexByte(seed, '&'); j >= 0 {
		seed = seed[:j]
	}
	return seed
}

func assertNoSecrets(t *testing.T, where, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s contains a secret (…%s)", where, s[len(s)-4:])
		}
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
