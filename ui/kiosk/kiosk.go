package kiosk

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/pwned"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/access"
	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/steps/record"
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
  mjrecover kiosk verify-audit [--signed] [FILE]           check the audit log
  mjrecover kiosk sign-audit [FILE]                        sign the audit log's head

Each session first asks for a one-time access code, issued for one account
with issue-code (the code is the last line it prints). The session then runs
the wizard for that account only, in presenting mode, and ends after a time
without a key press and after a time in all. Commands, port, agent and X11
forwarding are refused. Files live in the state folder unless flags say
otherwise; the host key is made there on first run.

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

// defaultPaths are the kiosk's files in the state folder.
func defaultPaths() (hostKey, codes, auditLog string) {
	dir, err := record.DefaultDir()
	if err != nil {
		dir = ".mjrecover"
	}
	dir = filepath.Join(dir, "kiosk")
	return filepath.Join(dir, "host_ed25519"), filepath.Join(dir, "codes.json"), filepath.Join(dir, "audit.jsonl")
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
	hostKey, codes, auditLog := defaultPaths()
	fs := flag.NewFlagSet("mjrecover kiosk", flag.ContinueOnError)
	var o Options
	listen := fs.String("listen", DefaultListen, "`address` to listen on")
	fs.BoolVar(&o.Demo, "demo", false, "serve the built-in practice account (a sandbox per session) instead of Mailjet")
	fs.StringVar(&o.HostKeyPath, "host-key", hostKey, "the server's private host key `file` (ed25519, made with mode 0600 when missing)")
	fs.StringVar(&o.CodesPath, "codes-file", codes, "access codes `file` (hashes only), shared with issue-code")
	fs.StringVar(&o.AuditPath, "audit-log", auditLog, "append-only audit log `file` (JSON lines, hash-chained)")
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
	o.Version = version()
	o.Log = stderr

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
	fmt.Fprintf(stderr, "Issue a code with: mjrecover kiosk issue-code --account EMAIL --codes-file %s\n", o.CodesPath)
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk:", err)
		return exitError
	}
	return exitOK
}

func runIssue(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	_, codes, auditLog := defaultPaths()
	fs := flag.NewFlagSet("mjrecover kiosk issue-code", flag.ContinueOnError)
	account := fs.String("account", "", "the account's `email`: the session may recover this account only")
	demo := fs.Bool("demo", false, "for a kiosk run with --demo: the account defaults to "+sandbox.DemoEmail)
	valid := fs.Duration("valid", access.DefaultValid, "how long the code stays valid")
	codesPath := fs.String("codes-file", codes, "access codes `file`, as the server's")
	auditPath := fs.String("audit-log", auditLog, "audit log `file`, as the server's (the code itself is never logged)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: mjrecover kiosk issue-code --account EMAIL [--valid 30m] [--codes-file FILE]\n\n"+
			"Issues a one-time access code for one kiosk session on the account, and prints it\n"+
			"as the last line. Only its hash is stored. Give it to the customer by phone or\n"+
			"another channel than the one the session runs on.\n\n")
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
	log, err := audit.Open(*auditPath, nil)
	if err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk issue-code:", err)
		return exitError
	}
	defer log.Close()
	store := &access.Store{Path: *codesPath}
	issued, err := store.Issue(*account, *valid)
	if err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk issue-code:", err)
		return exitError
	}
	if err := log.Append(ctx, audit.Entry{Event: audit.EventCodeIssued, Account: issued.Account, CodeID: issued.ID,
		Detail: "valid until " + issued.Expires.Format(time.RFC3339), Version: version()}); err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk issue-code: warning:", err)
	}
	fmt.Fprintf(stdout, "One-time access code for %s, valid for one session until %s:\n",
		issued.Account, issued.Expires.Local().Format("2006-01-02 15:04 MST"))
	fmt.Fprintln(stdout, issued.Code)
	return exitOK
}

func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	hostKey, _, auditLog := defaultPaths()
	fs := flag.NewFlagSet("mjrecover kiosk verify-audit", flag.ContinueOnError)
	headPath := fs.String("head", "", "the head `file` to check the log against (default: FILE.head, next to the log)")
	signed := fs.Bool("signed", false, "require a head signed with the kiosk's host key (see sign-audit)")
	hostKeyPath := fs.String("host-key", hostKey, "with --signed: the kiosk's host key `file` (the private key, or its public key)")
	fingerprint := fs.String("fingerprint", "", "with --signed: the kiosk's host key `fingerprint` (SHA256:...), instead of --host-key")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: mjrecover kiosk verify-audit [--signed] [--head FILE] [FILE]\n\n"+
			"Checks every line of the kiosk's audit log (its own hash, its number, its link to\n"+
			"the line before), then the log's end against its head (line count and last hash,\n"+
			"kept in FILE.head), and names the first line changed, removed, inserted or cut.\n"+
			"With --signed, the head must also carry a signature by the kiosk's host key\n"+
			"(made by sign-audit), which proves the lines it covers even to someone who does\n"+
			"not trust this machine's files. Exit status 0: intact; 1: broken, not signed as\n"+
			"asked, or unreadable. FILE defaults to\n%s\n\n", auditLog)
		fs.PrintDefaults()
	}
	if code, ok := parse(fs, args, stdout, stderr); !ok {
		return code
	}
	path, code, ok := logArg(fs, auditLog, stderr)
	if !ok {
		return code
	}
	var want string // the fingerprint the seal must have
	if *signed {
		var err error
		if want, err = expectedFingerprint(*fingerprint, *hostKeyPath); err != nil {
			fmt.Fprintln(stderr, "mjrecover kiosk verify-audit:", err)
			return exitError
		}
	}
	heads := audit.FileHeads{Path: cmp.Or(*headPath, audit.HeadPath(path))}
	rep, err := audit.VerifyFile(ctx, path, heads)
	var broken *audit.BrokenError
	switch {
	case errors.As(err, &broken):
		fmt.Fprintf(stdout, "%s: BROKEN at line %d: %s.%s\n", path, broken.Line, broken.Reason, beforeBroken(broken))
		return exitError
	case errors.Is(err, audit.ErrForgedSeal):
		fmt.Fprintf(stdout, "%s: FORGED: %s (%s). Neither the head nor the lines it names can be trusted.\n", path, err, heads.Path)
		return exitError
	case err != nil:
		fmt.Fprintln(stderr, "mjrecover kiosk verify-audit:", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s: intact, %d line%s.\n", path, rep.Lines, plural(rep.Lines))
	if rep.Legacy > 0 {
		fmt.Fprintf(stdout, "Lines 1 to %d are of the first format, with no hash of their own: a change there shows, "+
			"but the chain cannot always tell it from a removal.\n", rep.Legacy)
	}
	if !rep.Anchored {
		fmt.Fprintf(stdout, "No anchor: there is no head (%s), as for a log written before heads. The chain shows a line "+
			"changed, removed or inserted inside the log, but cannot prove its end: lines cut from the end would not show.\n", heads.Path)
	} else {
		fmt.Fprintf(stdout, "Anchored by its head (%s): no line was cut from the end, and the last line is as written.\n", heads.Path)
		if rep.After > 0 {
			fmt.Fprintf(stdout, "The last %d line%s came after the head (a crash between a line and its head leaves one; "+
				"the next entry anchors it): the head does not vouch for them.\n", rep.After, plural(rep.After))
		}
	}
	return sealVerdict(stdout, rep, *signed, want)
}

// sealVerdict says what the signature of the head proves, and the exit
// status.
func sealVerdict(stdout io.Writer, rep audit.Report, signed bool, want string) int {
	if rep.SealKey == nil {
		if signed {
			fmt.Fprintln(stdout, "NOT SIGNED: the head carries no signature. Sign it with: mjrecover kiosk sign-audit")
			return exitError
		}
		fmt.Fprintln(stdout, "Not signed: whoever can write both the log and its head can rewrite both. Sign the head with "+
			"`mjrecover kiosk sign-audit` and keep a copy of the head elsewhere; then check with --signed.")
		return exitOK
	}
	got := gossh.FingerprintSHA256(rep.SealKey)
	fmt.Fprintf(stdout, "Signed up to line %d by host key %s on %s.\n", rep.Sealed, got, rep.SealTime.UTC().Format("2006-01-02 15:04 UTC"))
	switch {
	case signed && got != want:
		fmt.Fprintf(stdout, "SIGNED BY ANOTHER KEY: the kiosk's host key is %s, so the signature proves nothing.\n", want)
		return exitError
	case signed:
		fmt.Fprintln(stdout, "That is the kiosk's host key: those lines are as they were when signed.")
	default:
		fmt.Fprintln(stdout, "Check that this is the kiosk's host key with --signed.")
	}
	if rep.Sealed < rep.Lines {
		fmt.Fprintf(stdout, "Lines %d to %d came after the signature: only the head vouches for them.\n", rep.Sealed+1, rep.Lines)
	}
	return exitOK
}

// beforeBroken says what the chain proves about the lines before a break.
func beforeBroken(b *audit.BrokenError) string {
	switch {
	case b.Line <= 1:
		return ""
	case b.Sure:
		return " Lines before it are intact."
	}
	return " Lines before it hold together, but if they were rewritten with it, the change starts earlier."
}

// logArg is the log FILE argument, or the default.
func logArg(fs *flag.FlagSet, def string, stderr io.Writer) (string, int, bool) {
	switch fs.NArg() {
	case 0:
		return def, 0, true
	case 1:
		return fs.Arg(0), 0, true
	}
	fmt.Fprintf(stderr, "%s: one file at most, got %d\n", fs.Name(), fs.NArg())
	return "", exitUsage, false
}

// expectedFingerprint is the kiosk's host key fingerprint: given, or read
// from a key file (the private key, or a public key line).
func expectedFingerprint(given, keyPath string) (string, error) {
	if given != "" {
		if !strings.HasPrefix(given, "SHA256:") {
			return "", fmt.Errorf("--fingerprint %q: want the SHA256:... form the kiosk prints when it starts", untrusted.Clean(given))
		}
		return given, nil
	}
	data, err := os.ReadFile(keyPath)
	if err != nil {
		return "", fmt.Errorf("the kiosk's host key (for --signed): %w", err)
	}
	if pub, _, _, _, err := gossh.ParseAuthorizedKey(data); err == nil {
		return gossh.FingerprintSHA256(pub), nil
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return "", fmt.Errorf("host key %s: neither a public nor a private key: %w", keyPath, err)
	}
	return gossh.FingerprintSHA256(signer.PublicKey()), nil
}

func runSign(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	hostKey, _, auditLog := defaultPaths()
	fs := flag.NewFlagSet("mjrecover kiosk sign-audit", flag.ContinueOnError)
	hostKeyPath := fs.String("host-key", hostKey, "the kiosk's private host key `file`, as the server's")
	headPath := fs.String("head", "", "the head `file` (default: FILE.head, next to the log)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: mjrecover kiosk sign-audit [--host-key FILE] [FILE]\n\n"+
			"Checks the kiosk's audit log, then signs its head (line count and last hash) with\n"+
			"the kiosk's host key, so verify-audit --signed can prove every line up to here,\n"+
			"even from a copy. A log that does not verify is not signed. Run it as often as\n"+
			"you like (from cron, or before handing the log over), and keep a copy of the\n"+
			"head elsewhere. FILE defaults to\n%s\n\n", auditLog)
		fs.PrintDefaults()
	}
	if code, ok := parse(fs, args, stdout, stderr); !ok {
		return code
	}
	path, code, ok := logArg(fs, auditLog, stderr)
	if !ok {
		return code
	}
	// loadHostKey makes a key when there is none: signing with a key the
	// kiosk never had would prove nothing.
	if _, err := os.Stat(*hostKeyPath); err != nil {
		fmt.Fprintf(stderr, "mjrecover kiosk sign-audit: the kiosk's host key: %v\n", err)
		return exitError
	}
	_, signer, _, err := loadHostKey(*hostKeyPath)
	if err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk sign-audit:", err)
		return exitError
	}
	heads := audit.FileHeads{Path: cmp.Or(*headPath, audit.HeadPath(path))}
	rep, err := audit.Sign(ctx, path, heads, signer, time.Now())
	var broken *audit.BrokenError
	switch {
	case errors.As(err, &broken):
		fmt.Fprintf(stdout, "%s: not signed: BROKEN at line %d: %s.%s\n", path, broken.Line, broken.Reason, beforeBroken(broken))
		return exitError
	case errors.Is(err, audit.ErrForgedSeal):
		fmt.Fprintf(stdout, "%s: not signed: FORGED: %s (%s).\n", path, err, heads.Path)
		return exitError
	case err != nil:
		fmt.Fprintln(stderr, "mjrecover kiosk sign-audit:", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s: signed up to line %d with host key %s.\n", path, rep.Sealed, gossh.FingerprintSHA256(signer.PublicKey()))
	fmt.Fprintf(stdout, "Keep a copy of the head (%s) elsewhere: with it, verify-audit --signed proves those lines.\n", heads.Path)
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
