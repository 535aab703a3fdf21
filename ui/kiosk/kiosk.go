package kiosk

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/pwned"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/access"
	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/ui/cliflag"
)

// Exit codes, as the main command's.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// Version is reported in the audit log; when empty, the module's build
// version ("dev" in a work tree). Set it with
// -ldflags "-X github.com/mjrecover/mjrecover/ui/kiosk.Version=v1.2.3".
var Version = ""

const usage = `mjrecover kiosk: serve the recovery wizard over SSH, for sessions support hosts.

Usage:
  mjrecover kiosk [flags]                                  serve
  mjrecover kiosk issue-code --account EMAIL [--valid 30m]  issue a one-time access code
  mjrecover kiosk verify-audit [--signed] [FILE]           check the audit chain
  mjrecover kiosk sign-audit [FILE]                        sign the audit chain's head

Each session first asks for a one-time access code, issued for one account
with issue-code (the code is the last line it prints). The session then runs
the wizard for that account only, in presenting mode, and ends after a time
without a key press and after a time in all. Commands, port, agent and X11
forwarding are refused.

The kiosk's state (codes, each recovery's progress, the audit chain) is in
its store: a SQLite file in --state-dir unless --store (or MJRECOVER_STORE)
names another, or a PostgreSQL database that several kiosk hosts share
(--store postgres://...). The host key is made in --state-dir on first run.

Flags:
`

// Run is `mjrecover kiosk ARGS`; it returns the exit code. ctx stops the
// server.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "issue-code":
			return runIssue(ctx, args[1:], stdout, stderr)
		case "verify-audit":
			return runVerify(ctx, args[1:], stdout, stderr)
		case "sign-audit":
			return runSign(ctx, args[1:], stdout, stderr)
		case "help":
			args = []string{"--help"}
		}
	}
	return runServe(ctx, args, stdout, stderr)
}

// parse parses args; asked-for help goes to stdout, a mistake to stderr.
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (int, bool) {
	err := cliflag.Parse(fs, args, stdout, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, false
	case err != nil:
		return exitUsage, false
	case fs.NArg() > 0 && fs.Name() != "mjrecover kiosk verify-audit" && fs.Name() != "mjrecover kiosk sign-audit":
		fmt.Fprintf(stderr, "%s: unexpected argument %q (see %s --help)\n", fs.Name(), untrusted.Clean(fs.Arg(0)), fs.Name())
		return exitUsage, false
	}
	return 0, true
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mjrecover kiosk", flag.ContinueOnError)
	var o Options
	listen := fs.String("listen", DefaultListen, "`address` to listen on")
	fs.BoolVar(&o.Demo, "demo", false, "serve the built-in practice account (a sandbox per session) instead of Mailjet")
	state := addStateFlags(fs)
	fs.StringVar(&o.HostKeyPath, "host-key", "", "the server's private host key `file` (ed25519, made with mode 0600 when missing; "+
		"default: host_ed25519 in --state-dir)")
	fs.StringVar(&o.AuthorizedKeys, "authorized-keys", "", "when set, clients must also sign in with a key listed in this `file`")
	fs.DurationVar(&o.IdleWarn, "idle-warn", DefaultIdleWarn, "warn after this long without a key press")
	fs.DurationVar(&o.IdleLimit, "idle-limit", DefaultIdleLimit, "end a session after this long without a key press")
	fs.DurationVar(&o.MaxSession, "max-session", DefaultMaxSession, "end a session after this long in all")
	fs.IntVar(&o.MaxSessions, "max-sessions", DefaultMaxSessions, "sessions past the access code at once; more are told the kiosk is full")
	fs.IntVar(&o.MaxWaiting, "max-waiting", 0, "sessions at the access code screen at once (0: a quarter of --max-sessions, at least 4)")
	fs.IntVar(&o.WaitingPerAddress, "waiting-per-address", DefaultWaitingPerAddress,
		"sessions at the access code screen from one address (an IPv4 address or an IPv6 /64)")
	fs.DurationVar(&o.CodeScreenLimit, "code-screen-limit", DefaultCodeScreenLimit, "end a session still at the access code screen after this long")
	fs.Float64Var(&o.RatePerMinute, "rate", DefaultRatePerMinute, "new sessions per minute from one address")
	fs.IntVar(&o.RateBurst, "rate-burst", DefaultRateBurst, "new sessions from one address at once, above the rate")
	fs.IntVar(&o.CodeTries, "code-tries", DefaultCodeTries, "wrong access codes a session may try")
	fs.DurationVar(&o.WrongCodeDelay, "wrong-code-delay", DefaultWrongCodeDelay, "wait before answering a wrong code; doubles with each one")
	fs.StringVar(&o.APIBaseURL, "api-url", mailjet.DefaultBaseURL, "Mailjet REST API `URL`")
	us := fs.Bool("us", false, "use Mailjet's US host ("+mailjet.USBaseURL+")")
	fs.StringVar(&o.RecoveryURL, "recovery-url", "", "recovery API `URL` (none: those steps are guided)")
	fs.StringVar(&o.PwnedURL, "pwned-url", pwned.DefaultBaseURL, "Pwned Passwords range API `URL`")
	fs.BoolVar(&o.OfflinePasswords, "offline-passwords", false, "check passwords against the bundled list only")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if code, ok := parse(fs, args, stdout, stderr); !ok {
		return code
	}
	if *us {
		o.APIBaseURL = mailjet.USBaseURL
	}
	if err := state.resolve(); err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk:", err)
		return exitError
	}
	if o.HostKeyPath == "" {
		o.HostKeyPath = state.hostKey()
	}
	o.Version = version()
	o.Log = stderr

	store, err := state.open(ctx, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk:", err)
		return exitError
	}
	defer store.Close()
	o.Store = store
	srv, err := New(o)
	if err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk:", err)
		return exitError
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *listen)
	if err != nil {
		srv.audit.Close()
		fmt.Fprintln(stderr, "mjrecover kiosk:", err)
		return exitError
	}
	if srv.hostKeyCreated {
		fmt.Fprintf(stderr, "Made a new host key in %s.\n", o.HostKeyPath)
	}
	mode := "Mailjet (" + o.APIBaseURL + ")"
	if o.Demo {
		mode = "the demo account " + sandbox.DemoEmail
	}
	fmt.Fprintf(stderr, "Kiosk listening on %s for %s. Host key %s.\n", ln.Addr(), mode, srv.HostKeyFingerprint())
	fmt.Fprintf(stderr, "State in %s.\n", store)
	fmt.Fprintf(stderr, "Issue a code with: mjrecover kiosk issue-code --account EMAIL %s\n", state.sameStore(store))
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk:", err)
		return exitError
	}
	return exitOK
}

func runIssue(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mjrecover kiosk issue-code", flag.ContinueOnError)
	account := fs.String("account", "", "the account's `email`: the session may recover this account only")
	demo := fs.Bool("demo", false, "for a kiosk run with --demo: the account defaults to "+sandbox.DemoEmail)
	valid := fs.Duration("valid", access.DefaultValid, "how long the code stays valid")
	state := addStateFlags(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: mjrecover kiosk issue-code --account EMAIL [--valid 30m] [--store URL]\n\n"+
			"Issues a one-time access code for one kiosk session on the account, and prints it\n"+
			"as the last line. Only its hash is stored, in the kiosk's store: with PostgreSQL,\n"+
			"the code opens on every kiosk host that shares it. Give it to the customer by\n"+
			"phone or another channel than the one the session runs on.\n\n")
		fs.PrintDefaults()
	}
	if code, ok := parse(fs, args, stdout, stderr); !ok {
		return code
	}
	if *account == "" && *demo {
		*account = sandbox.DemoEmail
	}
	if *account == "" {
		fmt.Fprintln(stderr, "mjrecover kiosk issue-code: --account is required (the email of the account to recover)")
		return exitUsage
	}
	if err := state.resolve(); err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk issue-code:", err)
		return exitError
	}
	store, err := state.open(ctx, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk issue-code:", err)
		return exitError
	}
	defer store.Close()
	issued, err := store.IssueCode(ctx, *account, *valid)
	if err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk issue-code:", err)
		return exitError
	}
	log := audit.OpenChain(store.AuditChain(), nil)
	if err := log.Append(ctx, audit.Entry{Event: audit.EventCodeIssued, Account: issued.Account, CodeID: issued.ID,
		Detail: "valid until " + issued.Expires.Format(time.RFC3339), Version: version()}); err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk issue-code: warning:", err)
	}
	log.Close()
	fmt.Fprintf(stdout, "One-time access code for %s, valid for one session until %s:\n",
		issued.Account, issued.Expires.Local().Format("2006-01-02 15:04 MST"))
	fmt.Fprintln(stdout, issued.Code)
	return exitOK
}

func version() string {
	if Version != "" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func (s *Server) logf(format string, args ...any) {
	fmt.Fprintf(s.opts.Log, "mjrecover kiosk: "+format+"\n", args...)
}
