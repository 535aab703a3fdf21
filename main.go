// Command mjrecover walks the owner of a compromised Mailjet account
// through recovery: investigate the leak, rotate the API keys, set a new
// password, enable two-factor authentication and tell support.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/term"

	"github.com/charmbracelet/colorprofile"
	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/pwned"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/assets"
	"github.com/mjrecover/mjrecover/steps/flow"
	"github.com/mjrecover/mjrecover/steps/investigate/remote"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/record"
	"github.com/mjrecover/mjrecover/ui"
	"github.com/mjrecover/mjrecover/ui/cliflag"
	"github.com/mjrecover/mjrecover/ui/kiosk"
	"github.com/mjrecover/mjrecover/ui/plain"
	"github.com/mjrecover/mjrecover/ui/replacecli"
	"github.com/mjrecover/mjrecover/ui/scancli"
)

// Exit codes, as documented in the README.
const (
	exitOK          = 0   // the wizard finished, or the command did its job
	exitError       = 1   // something went wrong; the message says what
	exitUsage       = 2   // bad command line
	exitInterrupted = 130 // the user quit before the end
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

func main() {
	// A dropped SSH connection (SIGHUP) or a kill ends the wizard cleanly:
	// the terminal is restored and temporary files are removed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program; it returns the exit code. ctx ends it early.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "demo":
			return runWizard(ctx, args[1:], true, stdout, stderr)
		case "sandbox":
			return runSandbox(ctx, args[1:], stdout, stderr)
		case "replace":
			return replacecli.Run(ctx, args[1:], stdout, stderr)
		case "scan":
			return scancli.Run(ctx, args[1:], stdout, stderr)
		case "kiosk":
			return kiosk.Run(ctx, args[1:], stdout, stderr)
		case "version":
			fmt.Fprintln(stdout, "mjrecover", versionString())
			return exitOK
		case "help":
			return runWizard(ctx, []string{"--help"}, false, stdout, stderr)
		}
	}
	return runWizard(ctx, args, false, stdout, stderr)
}

// wizardFlags are the wizard's command-line options.
type wizardFlags struct {
	apiURL, recoveryURL, pwnedURL string
	us, offline, showVersion      bool
	presenting, accessible        bool
	scanRoot, reportDir, stateDir string
	lang                          *lang.Printer
}

// parseWizardFlags reads the wizard's command line; p is the language of
// its help and mistakes, picked before (see cliflag.Language).
func parseWizardFlags(p *lang.Printer, args []string, demo bool, stdout, stderr io.Writer) (wizardFlags, error) {
	fs := flag.NewFlagSet(wizardName(demo), flag.ContinueOnError)
	f := wizardFlags{lang: p}
	cliflag.LangFlag(fs, p)
	cwd, _ := os.Getwd()
	stateDir, _ := record.DefaultDir()
	// The demo brings its own API, web site and progress: only the flags
	// about how it is shown and where files go apply.
	f.apiURL, f.pwnedURL, f.scanRoot, f.stateDir = mailjet.DefaultBaseURL, pwned.DefaultBaseURL, cwd, stateDir
	if !demo {
		fs.StringVar(&f.apiURL, "api-url", mailjet.DefaultBaseURL, p.T("Mailjet REST API `URL`"))
		fs.BoolVar(&f.us, "us", false, p.T("use Mailjet's US host (%s)", mailjet.USBaseURL))
		fs.StringVar(&f.recoveryURL, "recovery-url", "", p.T("recovery API `URL`; without it, the wizard guides you on Mailjet's site"))
		fs.StringVar(&f.pwnedURL, "pwned-url", pwned.DefaultBaseURL, p.T("Pwned Passwords API `URL`, to check a password was not leaked"))
		fs.BoolVar(&f.offline, "offline-passwords", false, p.T("check passwords against the built-in list only (nothing sent)"))
		fs.StringVar(&f.scanRoot, "scan", cwd, p.T("the first `folder` to investigate"))
		fs.StringVar(&f.stateDir, "state-dir", stateDir, p.T("`folder` keeping your progress (no secret) if the connection drops;\n\"\" keeps nothing"))
	}
	fs.StringVar(&f.reportDir, "report-dir", cwd, p.T("`folder` for the report and the files you choose to save"))
	fs.BoolVar(&f.presenting, "presenting", false, p.T("shared screen: secrets stay hidden until you confirm no one else sees"))
	fs.BoolVar(&f.accessible, "accessible", false, p.T("plain questions line by line, for screen readers (also ACCESSIBLE=1)"))
	fs.BoolVar(&f.showVersion, "version", false, p.T("print the version and exit"))
	fs.Usage = func() {
		if demo {
			fmt.Fprint(fs.Output(), p.T(`Usage: mjrecover demo [flags]

The whole wizard on a built-in practice account (a pretend Mailjet on this
machine and a demo web site with leaked keys): no Mailjet account, no network.
Nothing real changes, and nothing is kept when it ends.

Flags:
`))
			cliflag.PrintDefaults(p, fs)
			return
		}
		fmt.Fprint(fs.Output(), p.T(`mjrecover: get a compromised Mailjet account back, step by step.

Usage:
  mjrecover [flags]                  the wizard, on your live Mailjet account
  mjrecover demo [flags]             the wizard on a built-in practice account
  mjrecover scan [flags] PATH|URL... look for leaked keys and exposed files
  mjrecover replace [flags] PATH...  put new keys where the old ones are
  mjrecover kiosk [flags]            serve the wizard over SSH, for support
  mjrecover sandbox [--listen ADDR]  run the practice Mailjet API alone
  mjrecover --help | --version       each command has its --help too

The live wizard reads the main account's API key and secret key from
MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE, or asks for them on its first screen.

Flags of the wizard (live and demo):
`))
		cliflag.PrintDefaults(p, fs)
		fmt.Fprint(fs.Output(), "\n"+p.T("Exit codes: 0 finished, 1 error, 2 bad usage, 130 stopped before the end.")+"\n")
	}
	if err := cliflag.ParseIn(p, fs, args, stdout, stderr); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		what := p.T("unexpected argument %q", untrusted.Clean(fs.Arg(0)))
		if !demo && len(args) > 0 && args[0] == fs.Arg(0) {
			what = p.T("unknown command %q", untrusted.Clean(fs.Arg(0)))
		}
		cliflag.Mistake(p, stderr, fs.Name(), what)
		return f, errors.New(what)
	}
	if f.us {
		f.apiURL = mailjet.USBaseURL
	}
	f.accessible = accessibleWanted(f.accessible, os.Getenv("ACCESSIBLE"), os.Getenv("TERM"))
	return f, nil
}

func wizardName(demo bool) string {
	if demo {
		return "mjrecover demo"
	}
	return "mjrecover"
}

// accessibleWanted: the flag, or ACCESSIBLE set to anything but 0, false
// or no, or a dumb terminal.
func accessibleWanted(flagSet bool, env, term string) bool {
	switch strings.ToLower(strings.TrimSpace(env)) {
	case "":
		return flagSet || term == "dumb"
	case "0", "false", "no", "off":
		return flagSet
	}
	return true
}

func runWizard(ctx context.Context, args []string, demo bool, stdout, stderr io.Writer) int {
	// The language is known before the flags are read, so that the help
	// and the mistakes are said in it too.
	p, err := cliflag.Language(wizardName(demo), args, os.Getenv, stderr)
	if err != nil {
		return exitUsage
	}
	f, err := parseWizardFlags(p, args, demo, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	if f.showVersion {
		fmt.Fprintln(stdout, "mjrecover", versionString())
		return exitOK
	}

	httpClient := &http.Client{Timeout: 30 * time.Second}
	cfg := ui.Config{Context: ctx, Config: flow.Config{
		Version:         versionString(),
		Lang:            f.lang,
		APIBaseURL:      f.apiURL,
		RecoveryURL:     f.recoveryURL,
		HTTPClient:      httpClient,
		ScanRoot:        f.scanRoot,
		LogRoots:        []string{"/"}, // the server's own access logs (/var/log/nginx ...)
		GitHub:          &remote.GitHub{Token: remote.GitHubToken(os.Getenv), Client: httpClient},
		ReportDir:       f.reportDir,
		Presenting:      f.presenting,
		StateDir:        f.stateDir,
		CommonPasswords: assets.CommonPasswords(),
		PassphraseWords: assets.PassphraseWordsIn(f.lang.Tag().String()),
		Now:             time.Now,
		Rand:            rand.Reader,
	}}
	if !f.offline {
		cfg.Breaches = pwned.New(f.pwnedURL, pwned.WithHTTPClient(httpClient))
	}
	if key, sec := os.Getenv("MJ_APIKEY_PUBLIC"), os.Getenv("MJ_APIKEY_PRIVATE"); key != "" && sec != "" {
		cfg.Credentials = &mailjet.Credentials{APIKey: key, Secret: secret.New(sec)}
		cfg.CredentialsSource = p.T("MJ_APIKEY_PUBLIC and MJ_APIKEY_PRIVATE")
	}

	if demo {
		cleanup, err := setUpDemo(ctx, &cfg)
		defer cleanup()
		if err != nil {
			fmt.Fprintln(stderr, "mjrecover demo:", err)
			return exitError
		}
	}

	if f.accessible {
		var hidden func() (string, error)
		if term.IsTerminal(int(os.Stdin.Fd())) {
			hidden = readHidden
		}
		out, err := plain.Run(cfg, os.Stdin, stdout, hidden)
		if err != nil {
			fmt.Fprintln(stderr, "mjrecover:", err)
			return exitError
		}
		return finished(p, out, stdout, stderr)
	}
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
	if os.Getenv("NO_COLOR") != "" {
		// Any value means no colour (no-color.org); colorprofile alone
		// would read NO_COLOR=yes as "colour on".
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	wizard := ui.New(cfg)
	defer wizard.Close() // releases the recovery's journal; its progress stays
	if _, err := tea.NewProgram(wizard, opts...).Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(stderr, "mjrecover:", err)
		return exitError
	}
	return finished(p, wizard.Outcome(), stdout, stderr)
}

// finished prints where the report is, or how to go on, and returns the
// exit code.
func finished(p *lang.Printer, out ui.Outcome, stdout, stderr io.Writer) int {
	switch {
	case out.TimedOut:
		fmt.Fprintln(stderr, p.T("mjrecover ended the session after a time without key presses. Run it again to go on where you stopped."))
		return exitInterrupted
	case !out.Finished:
		fmt.Fprintln(stderr, p.T("mjrecover stopped before the end. Run it again to go on where you stopped."))
		return exitInterrupted
	}
	fmt.Fprintln(stdout, p.T("Recovery report:"))
	fmt.Fprintln(stdout, "  "+out.ReportMarkdown)
	fmt.Fprintln(stdout, "  "+out.ReportJSON)
	if out.Ticket != "" {
		fmt.Fprintln(stdout, p.T("Support ticket: %s", out.Ticket))
	} else {
		fmt.Fprintln(stdout, p.T("Send both files to Mailjet support: %s", "https://app.mailjet.com/support"))
	}
	return exitOK
}

// readHidden reads a line from the terminal without showing it.
func readHidden() (string, error) {
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	return string(b), err
}

// setUpDemo starts the sandbox on a loopback port, unpacks the demo web
// root into a temporary folder and points cfg at both. cleanup removes the
// folder. Its words are in cfg.Lang.
func setUpDemo(ctx context.Context, cfg *ui.Config) (cleanup func(), err error) {
	cleanup = func() {}
	p := cfg.Lang
	box := sandbox.New(sandbox.WithBreachedPasswords(assets.CommonPasswords()))
	base, err := box.Listen(ctx, "127.0.0.1:0")
	if err != nil {
		return cleanup, fmt.Errorf("%s: %w", p.T("could not start the practice Mailjet"), err)
	}
	dir, err := os.MkdirTemp("", "mjrecover-demo-")
	if err != nil {
		return cleanup, fmt.Errorf("%s: %w", p.T("could not make a folder for the demo web site"), err)
	}
	cleanup = func() { os.RemoveAll(dir) }
	root, err := assets.ExtractDemo(dir)
	if err != nil {
		return cleanup, fmt.Errorf("%s: %w", p.T("could not unpack the demo web site"), err)
	}
	cfg.Demo = true
	cfg.LogRoots = nil // the demo site's own logs only, never this machine's
	cfg.GitHub = nil   // the demo has no GitHub account to read
	cfg.APIBaseURL, cfg.RecoveryURL = base, base
	cfg.Breaches = pwned.New(base, pwned.WithHTTPClient(cfg.HTTPClient))
	cfg.ScanRoot = root
	// The demo's sandbox lives as long as the demo: so does its progress.
	cfg.StateDir = filepath.Join(dir, "state")
	cfg.Credentials = &mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)}
	cfg.CredentialsSource = p.T("the demo account %s", sandbox.DemoEmail)
	return cleanup, nil
}

func runSandbox(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mjrecover sandbox", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8025", "`address` to listen on")
	writeDelay := fs.Duration("write-delay", 0, "wait this `long` before applying each change (POST, PUT, DELETE), so an\ninterruption can be tried in the middle of one")
	secretsOnce := fs.Bool("secrets-shown-once", false, "show an API key's secret only in the answer that creates it, as Mailjet's\nhelp centre says it does (by default lists show secrets too)")
	useTLS := fs.Bool("tls", false, "serve HTTPS with a certificate made for this run, for SDKs that speak only\nHTTPS (node-mailjet); its path is printed, for NODE_EXTRA_CA_CERTS or SSL_CERT_FILE")
	certPath := fs.String("cert", "", "with --tls, write the certificate to this `file` (kept after the sandbox stops)\ninstead of a temporary one")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: mjrecover sandbox [--listen ADDR] [--tls [--cert FILE]] [--write-delay 3s] [--secrets-shown-once]\n\n"+
			"Serves the practice Mailjet API (REST v3, the Send API v3.1 and v3, the recovery\n"+
			"API and a Pwned Passwords range endpoint) until interrupted. It prints the demo account's\n"+
			"master API key and secret, key first, on standard output.\n\n")
		fs.PrintDefaults()
	}
	if err := cliflag.Parse(fs, args, stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "mjrecover sandbox: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	opts := []sandbox.Option{sandbox.WithBreachedPasswords(assets.CommonPasswords()), sandbox.WithWriteLatency(*writeDelay)}
	if *secretsOnce {
		opts = append(opts, sandbox.WithSecretsShownOnce())
	}
	if *certPath != "" && !*useTLS {
		fmt.Fprintln(stderr, "mjrecover sandbox: --cert goes with --tls")
		return exitUsage
	}
	box := sandbox.New(opts...)
	var base, certFile string
	var err error
	if *useTLS {
		base, certFile, err = box.ListenTLS(ctx, *listen, *certPath)
	} else {
		base, err = box.Listen(ctx, *listen)
	}
	if err != nil {
		fmt.Fprintln(stderr, "mjrecover sandbox:", err)
		return exitError
	}
	fmt.Fprintf(stderr, "Sandbox listening on %s for the demo account %s. Ctrl+C stops it.\n", base, sandbox.DemoEmail)
	try := "mjrecover"
	if certFile != "" {
		// Go reads SSL_CERT_FILE for its trust store, Node reads
		// NODE_EXTRA_CA_CERTS: both trust this run's certificate only.
		fmt.Fprintf(stderr, "Certificate: %s\n", certFile)
		fmt.Fprintf(stderr, "Node apps:   NODE_EXTRA_CA_CERTS=%s node app.js\n", certFile)
		try = "SSL_CERT_FILE=" + certFile + " mjrecover"
	}
	fmt.Fprintf(stderr, "Try: %[2]s --api-url %[1]s --recovery-url %[1]s --pwned-url %[1]s\n", base, try)
	fmt.Fprintln(stdout, "MJ_APIKEY_PUBLIC="+sandbox.DemoMasterKey)
	fmt.Fprintln(stdout, "MJ_APIKEY_PRIVATE="+sandbox.DemoMasterSecret)
	<-ctx.Done()
	return exitOK
}

func versionString() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
