package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/flow"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/ui"
)

func TestHelpVersionAndUsageErrors(t *testing.T) {
	speak(t, "C.UTF-8")
	cases := []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"--help"}, exitOK, "mjrecover demo [flags]", ""},
		{[]string{"demo", "-h"}, exitOK, "Usage: mjrecover demo [flags]", ""},
		{[]string{"scna"}, exitUsage, "", `mjrecover: unknown command "scna" (see mjrecover --help)`},
		{[]string{"help"}, exitOK, "Exit codes", ""},
		{[]string{"sandbox", "--help"}, exitOK, "-listen", ""},
		{[]string{"sandbox", "extra"}, exitUsage, "", `unexpected argument "extra"`},
		{[]string{"--version"}, exitOK, "mjrecover ", ""},
		{[]string{"version"}, exitOK, "mjrecover ", ""},
		{[]string{"--no-such-flag"}, exitUsage, "", "mjrecover: unknown flag -no-such-flag (see mjrecover --help)"},
		{[]string{"demo", "extra"}, exitUsage, "", `unexpected argument "extra"`},
		{[]string{"sandbox", "--listen"}, exitUsage, "", "the flag -listen needs a value"},
		{[]string{"sandbox", "--cert", "x.pem"}, exitUsage, "", "--cert goes with --tls"},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		code := run(context.Background(), c.args, &out, &errOut)
		if code != c.code || !strings.Contains(out.String(), c.out) || !strings.Contains(errOut.String(), c.err) {
			t.Errorf("mjrecover %s: code %d, stdout %q, stderr %q", strings.Join(c.args, " "), code, out.String(), errOut.String())
		}
		// A mistake is one line that stays on screen, not the usage.
		if n := strings.Count(errOut.String(), "\n"); n > 1 {
			t.Errorf("mjrecover %s: %d lines on stderr, want 1:\n%s", strings.Join(c.args, " "), n, errOut.String())
		}
	}
}

// demo --help names only what the demo takes, in less than a screen.
func TestDemoHelpIsShort(t *testing.T) {
	speak(t, "C.UTF-8")
	var out bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--help"}, &out, io.Discard); code != exitOK {
		t.Fatalf("code %d", code)
	}
	if n := strings.Count(out.String(), "\n"); n > 20 || strings.Contains(out.String(), "-api-url") || !strings.Contains(out.String(), "-presenting") {
		t.Errorf("demo --help (%d lines):\n%s", n, out.String())
	}
}

// speak sets the language of the environment (LANG) for one test.
func speak(t *testing.T, locale string) {
	t.Helper()
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", locale)
}

func strictFrench(t *testing.T) *lang.Printer {
	return lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })
}

// The customer's commands speak LANG's language, or --lang's; the
// developers' sandbox stays in English.
func TestHelpAndMistakesInTheCustomersLanguage(t *testing.T) {
	speak(t, "fr_FR.UTF-8")
	for _, c := range []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"--help"}, exitOK, "mjrecover\u00a0: récupérer pas à pas un compte Mailjet piraté.\n", ""},
		{[]string{"help"}, exitOK, "\nCodes de sortie\u00a0: 0 terminé, 1 erreur, 2 commande mal écrite, 130 interrompu.\n", ""},
		{[]string{"--help"}, exitOK, "  -api-url URL\n        URL de l'API REST de Mailjet (par défaut\u00a0: \"https://api.mailjet.com\")\n", ""},
		{[]string{"demo", "--help"}, exitOK, "Utilisation\u00a0: mjrecover demo [options]\n", ""},
		{[]string{"scan", "--help"}, exitOK, "Utilisation\u00a0: mjrecover scan [options] CHEMIN|URL...\n", ""},
		{[]string{"replace", "--help"}, exitOK, "Utilisation\u00a0: mjrecover replace --old-key CLÉ", ""},
		{[]string{"sandbox", "--help"}, exitOK, "Usage: mjrecover sandbox", ""},
		{[]string{"scna"}, exitUsage, "", "mjrecover\u00a0: commande \"scna\" inconnue (voir mjrecover --help)\n"},
		{[]string{"demo", "extra"}, exitUsage, "", "mjrecover demo\u00a0: argument \"extra\" en trop (voir mjrecover demo --help)\n"},
		{[]string{"--presenting=maybe"}, exitUsage, "", "mjrecover\u00a0: valeur \"maybe\" non valable pour -presenting\u00a0: utilisez true ou false (voir mjrecover --help)\n"},
		{[]string{"scan", "--format", "xml", "."}, 2, "", "mjrecover scan\u00a0: --format \"xml\" inconnu"},
		{[]string{"replace"}, 2, "", "mjrecover replace\u00a0: --old-key, --new-key et --new-secret-file sont obligatoires"},
		{[]string{"--lang", "klingon!"}, exitUsage, "", "mjrecover\u00a0: --lang \"klingon!\" n'est pas une langue"},
		// --lang wins over LANG.
		{[]string{"--help", "--lang", "en"}, exitOK, "mjrecover: get a compromised Mailjet account back", ""},
		{[]string{"demo", "--lang=en", "extra"}, exitUsage, "", "mjrecover demo: unexpected argument \"extra\" (see mjrecover demo --help)\n"},
		{[]string{"scan", "--lang", "en", "--help"}, exitOK, "Usage: mjrecover scan", ""},
		{[]string{"replace", "--lang", "en", "--help"}, exitOK, "Usage: mjrecover replace", ""},
	} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), c.args, &out, &errOut)
		if code != c.code || !strings.Contains(out.String(), c.out) || !strings.Contains(errOut.String(), c.err) || strings.Count(errOut.String(), "\n") > 1 {
			t.Errorf("LANG=fr_FR.UTF-8 mjrecover %s: code %d, stdout %q, stderr %q", strings.Join(c.args, " "), code, out.String(), errOut.String())
		}
	}
	speak(t, "C.UTF-8")
	var out bytes.Buffer
	if run(context.Background(), []string{"--lang", "fr", "--help"}, &out, io.Discard); !strings.HasPrefix(out.String(), "mjrecover\u00a0: récupérer") {
		t.Errorf("--lang fr in an English environment:\n%s", out.String())
	}
}

// Each command's help holds in a screen, in either language: at most 42
// lines, none wider than 80 columns but for a long default.
func TestHelpFitsAScreen(t *testing.T) {
	for _, locale := range []string{"C.UTF-8", "fr_FR.UTF-8"} {
		speak(t, locale)
		for _, args := range [][]string{{"--help"}, {"demo", "--help"}, {"scan", "--help"}, {"replace", "--help"}} {
			var out bytes.Buffer
			run(context.Background(), args, &out, io.Discard)
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if len(lines) > 42 {
				t.Errorf("LANG=%s mjrecover %s: %d lines", locale, strings.Join(args, " "), len(lines))
			}
			for _, l := range lines {
				if w := utf8.RuneCountInString(strings.ReplaceAll(l, "\t", "    ")); w > 80 && !strings.Contains(l, "(default") && !strings.Contains(l, "(par défaut") {
					t.Errorf("LANG=%s mjrecover %s: a line of %d columns:\n%s", locale, strings.Join(args, " "), w, l)
				}
			}
		}
	}
}

// The wizard's help, its mistakes and its last words have their French.
func TestTheWizardsWordsInFrench(t *testing.T) {
	for _, demo := range []bool{false, true} {
		for _, args := range [][]string{{"--help"}, {"--scan"}, {"--accessible=maybe"}, {"extra"}, {"--nope"}} {
			var out, errOut bytes.Buffer
			p := strictFrench(t)
			if _, err := parseWizardFlags(p, args, demo, &out, &errOut); err == nil {
				t.Errorf("demo %v %q: no error", demo, args)
			}
			if args[0] != "--help" && !strings.HasSuffix(errOut.String(), "--help)\n") {
				t.Errorf("demo %v %q: stderr %q", demo, args, errOut.String())
			}
		}
	}
	p := strictFrench(t)
	var out, errOut bytes.Buffer
	if code := finished(p, ui.Outcome{TimedOut: true}, &out, &errOut); code != exitInterrupted || !strings.HasPrefix(errOut.String(), "mjrecover a fermé la session") {
		t.Errorf("timed out: %d %q", code, errOut.String())
	}
	errOut.Reset()
	if code := finished(p, ui.Outcome{}, &out, &errOut); code != exitInterrupted || errOut.String() != "mjrecover s'est arrêté avant la fin. Relancez-le pour reprendre là où vous en étiez.\n" {
		t.Errorf("stopped: %d %q", code, errOut.String())
	}
	finished(p, ui.Outcome{Outcome: flow.Outcome{Finished: true, ReportMarkdown: "r.md", ReportJSON: "r.json"}}, &out, &errOut)
	finished(p, ui.Outcome{Outcome: flow.Outcome{Finished: true, ReportMarkdown: "r.md", ReportJSON: "r.json", Ticket: "#123"}}, &out, &errOut)
	if want := "Rapport de récupération\u00a0:\n  r.md\n  r.json\nEnvoyez les deux fichiers au support Mailjet\u00a0: https://app.mailjet.com/support\n" +
		"Rapport de récupération\u00a0:\n  r.md\n  r.json\nTicket du support Mailjet\u00a0: #123\n"; out.String() != want {
		t.Errorf("finished:\n%q\nwant\n%q", out.String(), want)
	}
}

func TestAccessibleWanted(t *testing.T) {
	for _, c := range []struct {
		flag      bool
		env, term string
		want      bool
	}{
		{false, "", "xterm", false}, {true, "", "xterm", true}, {false, "", "dumb", true},
		{false, "1", "xterm", true}, {false, "yes", "xterm", true},
		{false, "0", "dumb", false}, {false, "false", "xterm", false}, {true, "0", "xterm", true},
	} {
		if got := accessibleWanted(c.flag, c.env, c.term); got != c.want {
			t.Errorf("accessibleWanted(%v, %q, %q) = %v, want %v", c.flag, c.env, c.term, got, c.want)
		}
	}
}

// sandboxCommand runs `mjrecover sandbox args...` until ctx ends, and
// returns the two lines it prints on standard output (key first), what it
// said on standard error by then, and its exit code once it stops.
func sandboxCommand(t *testing.T, ctx context.Context, args ...string) (pair []string, status string, done <-chan int) {
	t.Helper()
	outR, outW := io.Pipe()
	var errOut syncBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, append([]string{"sandbox"}, args...), outW, &errOut)
		outW.Close()
	}()
	lines := bufio.NewScanner(outR)
	for len(pair) < 2 && lines.Scan() {
		pair = append(pair, lines.Text())
	}
	go io.Copy(io.Discard, outR)
	if len(pair) != 2 || pair[0] != "MJ_APIKEY_PUBLIC="+sandbox.DemoMasterKey || pair[1] != "MJ_APIKEY_PRIVATE="+sandbox.DemoMasterSecret {
		t.Fatalf("sandbox printed %q; stderr %q", pair, errOut.String())
	}
	// Standard error is written before the pair.
	return pair, errOut.String(), exit
}

func waitExit(t *testing.T, done <-chan int) {
	t.Helper()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("sandbox exit code %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the sandbox did not stop")
	}
}

// TestSandboxCommandPrintsTheKeyPair runs `mjrecover sandbox`, reads the
// key and the secret it prints (key first) and signs in with them.
func TestSandboxCommandPrintsTheKeyPair(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, status, done := sandboxCommand(t, ctx, "--listen", "127.0.0.1:0")
	// stderr says where it listens: "Sandbox listening on http://... for ..."
	fields := strings.Fields(status)
	if len(fields) < 4 || !strings.HasPrefix(fields[3], "http://127.0.0.1:") {
		t.Fatalf("status line %q", status)
	}
	api := mailjet.New(fields[3], mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secretOf(sandbox.DemoMasterSecret)})
	if err := api.CheckAuth(ctx); err != nil {
		t.Fatalf("the printed pair does not sign in: %v", err)
	}
	cancel()
	waitExit(t, done)
}

// TestSandboxCommandOverTLS runs `mjrecover sandbox --tls --cert FILE`:
// a client that trusts only the printed certificate signs in and sends in
// sandbox mode; the certificate stays where it was asked for.
func TestSandboxCommandOverTLS(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	certPath := filepath.Join(t.TempDir(), "sandbox.pem")
	_, status, done := sandboxCommand(t, ctx, "--tls", "--cert", certPath, "--listen", "127.0.0.1:0")
	fields := strings.Fields(status)
	if len(fields) < 4 || !strings.HasPrefix(fields[3], "https://127.0.0.1:") {
		t.Fatalf("status line %q", status)
	}
	for _, want := range []string{"Certificate: " + certPath, "NODE_EXTRA_CA_CERTS=" + certPath, "SSL_CERT_FILE=" + certPath + " mjrecover --api-url " + fields[3]} {
		if !strings.Contains(status, want) {
			t.Errorf("stderr lacks %q:\n%s", want, status)
		}
	}
	pem, err := os.ReadFile(certPath)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", certPath)
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}}
	api := mailjet.New(fields[3], mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secretOf(sandbox.DemoMasterSecret)}, mailjet.WithHTTPClient(hc))
	if err := api.CheckAuth(ctx); err != nil {
		t.Fatalf("sign in over HTTPS with the printed certificate: %v", err)
	}
	got, err := api.Send(ctx, []mailjet.Message{{From: mailjet.Address{Email: "shop@lafleur-bakery.example"},
		To: []mailjet.Address{{Email: sandbox.DemoEmail}}, Subject: "hello", TextPart: "hello"}}, true)
	if err != nil || len(got) != 1 || !got[0].OK() {
		t.Fatalf("send in sandbox mode over HTTPS: %+v, %v", got, err)
	}
	if err := mailjet.New(fields[3], mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secretOf(sandbox.DemoMasterSecret)}).CheckAuth(ctx); err == nil {
		t.Error("a client that does not trust the certificate signed in")
	}
	cancel()
	waitExit(t, done)
	if _, err := os.Stat(certPath); err != nil {
		t.Errorf("the certificate asked for with --cert is gone: %v", err)
	}
}

func TestDemoSetUp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := ui.Config{Config: flow.Config{Lang: strictFrench(t)}}
	cleanup, err := setUpDemo(ctx, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	root := cfg.ScanRoot
	if _, err := os.Stat(filepath.Join(root, "public_html", "wp-config.php")); err != nil {
		t.Fatalf("demo web root: %v", err)
	}
	api := mailjet.New(cfg.APIBaseURL, *cfg.Credentials)
	if err := api.CheckAuth(ctx); err != nil {
		t.Fatalf("demo credentials against the demo sandbox: %v", err)
	}
	if !cfg.Demo || cfg.RecoveryURL != cfg.APIBaseURL || cfg.Breaches == nil || cfg.CredentialsSource != "le compte de démonstration "+sandbox.DemoEmail {
		t.Fatalf("demo config %+v", cfg)
	}
	cleanup()
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Fatalf("the demo folder is left behind: %v", err)
	}
}

func secretOf(s string) secret.Secret { return secret.New(s) }

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
