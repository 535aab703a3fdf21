package kiosk

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/audit"
)

// verify-audit and sign-audit: the audit chain in the kiosk's store, or
// the log file of a kiosk before the store (FILE, its head in FILE.head).

// auditTarget is the chain a command checks.
type auditTarget struct {
	name      string // for messages
	headIn    string // where its head is kept, for messages
	fileLog   bool   // a log file and its head file, not the store
	verify    func(context.Context) (audit.Report, error)
	sign      func(context.Context, gossh.Signer, time.Time) (audit.Report, error)
	close     func()
	notSigned string // what an unsigned head leaves open
}

// openTarget is the store's chain, or the log FILE given.
func openTarget(ctx context.Context, fs *flag.FlagSet, state *stateFlags, headPath string, stderr io.Writer) (auditTarget, int, bool) {
	switch fs.NArg() {
	case 0:
	case 1:
		path := fs.Arg(0)
		heads := audit.FileHeads{Path: cmp.Or(headPath, audit.HeadPath(path))}
		return auditTarget{
			name: path, headIn: heads.Path, fileLog: true,
			verify: func(ctx context.Context) (audit.Report, error) { return audit.VerifyFile(ctx, path, heads) },
			sign: func(ctx context.Context, signer gossh.Signer, now time.Time) (audit.Report, error) {
				return audit.Sign(ctx, path, heads, signer, now)
			},
			close: func() {},
			notSigned: "Not signed: whoever can write both the log and its head can rewrite both. Sign the head with " +
				"`mjrecover kiosk sign-audit FILE` and keep a copy of the head elsewhere; then check with --signed.",
		}, 0, true
	default:
		fmt.Fprintf(stderr, "%s: one file at most, got %d\n", fs.Name(), fs.NArg())
		return auditTarget{}, exitUsage, false
	}
	if headPath != "" {
		fmt.Fprintf(stderr, "%s: --head goes with a log FILE (of a kiosk before the store)\n", fs.Name())
		return auditTarget{}, exitUsage, false
	}
	store, err := state.open(ctx, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
		return auditTarget{}, exitError, false
	}
	chain := store.AuditChain()
	return auditTarget{
		name: "the audit chain in " + store.String(), headIn: "kept in the store with each line",
		verify: func(ctx context.Context) (audit.Report, error) { return audit.VerifyChain(ctx, chain) },
		sign: func(ctx context.Context, signer gossh.Signer, now time.Time) (audit.Report, error) {
			return audit.SignChain(ctx, chain, signer, now)
		},
		close: func() { store.Close() },
		notSigned: "Not signed: whoever can write to the store's database can rewrite the chain and its head. Sign the head with " +
			"`mjrecover kiosk sign-audit`; then check with --signed.",
	}, 0, true
}

func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mjrecover kiosk verify-audit", flag.ContinueOnError)
	state := addStateFlags(fs)
	headPath := fs.String("head", "", "with FILE: the head `file` to check the log against (default: FILE.head, next to the log)")
	signed := fs.Bool("signed", false, "require a head signed with the kiosk's host key (see sign-audit)")
	hostKeyPath := fs.String("host-key", "", "with --signed: the kiosk's host key `file` (the private key, or its public key; "+
		"default: host_ed25519 in --state-dir)")
	fingerprint := fs.String("fingerprint", "", "with --signed: the kiosk's host key `fingerprint` (SHA256:...), instead of --host-key")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: mjrecover kiosk verify-audit [--signed] [--store URL] [FILE]\n\n"+
			"Checks every line of the kiosk's audit chain, in its store (its own hash, its\n"+
			"number, its link to the line before), then the chain's end against its head (line\n"+
			"count and last hash, moved with each line), and names the first line changed,\n"+
			"removed, inserted or cut. With --signed, the head must also carry a signature by\n"+
			"the kiosk's host key (made by sign-audit), which proves the lines it covers even\n"+
			"to someone who does not trust the store's database. FILE checks the audit log\n"+
			"of a kiosk before the store instead, against its head (FILE.head). Exit status\n"+
			"0: intact; 1: broken, not signed as asked, or unreadable.\n\n")
		fs.PrintDefaults()
	}
	if code, ok := parse(fs, args, stdout, stderr); !ok {
		return code
	}
	if err := state.resolve(); err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk verify-audit:", err)
		return exitError
	}
	var want string // the fingerprint the seal must have
	if *signed {
		var err error
		if want, err = expectedFingerprint(*fingerprint, cmp.Or(*hostKeyPath, state.hostKey())); err != nil {
			fmt.Fprintln(stderr, "mjrecover kiosk verify-audit:", err)
			return exitError
		}
	}
	target, code, ok := openTarget(ctx, fs, state, *headPath, stderr)
	if !ok {
		return code
	}
	defer target.close()
	rep, err := target.verify(ctx)
	var broken *audit.BrokenError
	switch {
	case errors.As(err, &broken):
		fmt.Fprintf(stdout, "%s: BROKEN at line %d: %s.%s\n", target.name, broken.Line, broken.Reason, beforeBroken(broken))
		return exitError
	case errors.Is(err, audit.ErrForgedSeal):
		fmt.Fprintf(stdout, "%s: FORGED: %s (%s). Neither the head nor the lines it names can be trusted.\n", target.name, err, target.headIn)
		return exitError
	case err != nil:
		fmt.Fprintln(stderr, "mjrecover kiosk verify-audit:", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s: intact, %d line%s.\n", target.name, rep.Lines, plural(rep.Lines))
	if rep.Legacy > 0 {
		fmt.Fprintf(stdout, "Lines 1 to %d are of the first format, with no hash of their own: a change there shows, "+
			"but the chain cannot always tell it from a removal.\n", rep.Legacy)
	}
	if !rep.Anchored {
		fmt.Fprintf(stdout, "No anchor: there is no head (%s), as for a log written before heads. The chain shows a line "+
			"changed, removed or inserted inside the log, but cannot prove its end: lines cut from the end would not show.\n", target.headIn)
	} else {
		fmt.Fprintf(stdout, "Anchored by its head (%s): no line was cut from the end, and the last line is as written.\n", target.headIn)
		if rep.After > 0 {
			fmt.Fprintf(stdout, "The last %d line%s came after the head (a crash between a line and its head leaves one; "+
				"the next entry anchors it): the head does not vouch for them.\n", rep.After, plural(rep.After))
		}
	}
	return sealVerdict(stdout, rep, *signed, want, target.notSigned)
}

// sealVerdict says what the signature of the head proves, and the exit
// status.
func sealVerdict(stdout io.Writer, rep audit.Report, signed bool, want, notSigned string) int {
	if rep.SealKey == nil {
		if signed {
			fmt.Fprintln(stdout, "NOT SIGNED: the head carries no signature. Sign it with: mjrecover kiosk sign-audit")
			return exitError
		}
		fmt.Fprintln(stdout, notSigned)
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
	fs := flag.NewFlagSet("mjrecover kiosk sign-audit", flag.ContinueOnError)
	state := addStateFlags(fs)
	hostKeyPath := fs.String("host-key", "", "the kiosk's private host key `file`, as the server's (default: host_ed25519 in --state-dir)")
	headPath := fs.String("head", "", "with FILE: the head `file` (default: FILE.head, next to the log)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: mjrecover kiosk sign-audit [--host-key FILE] [--store URL] [FILE]\n\n"+
			"Checks the kiosk's audit chain, in its store, then signs its head (line count and\n"+
			"last hash) with the kiosk's host key, so verify-audit --signed can prove every\n"+
			"line up to here, even to someone who does not trust the store's database. A\n"+
			"chain that does not verify is not signed. Run it as often as you like (from cron,\n"+
			"or before handing the chain over). FILE signs the audit log of a kiosk before\n"+
			"the store instead (its head is FILE.head: keep a copy of it elsewhere).\n\n")
		fs.PrintDefaults()
	}
	if code, ok := parse(fs, args, stdout, stderr); !ok {
		return code
	}
	if err := state.resolve(); err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk sign-audit:", err)
		return exitError
	}
	keyPath := cmp.Or(*hostKeyPath, state.hostKey())
	// loadHostKey makes a key when there is none: signing with a key the
	// kiosk never had would prove nothing.
	if _, err := os.Stat(keyPath); err != nil {
		fmt.Fprintf(stderr, "mjrecover kiosk sign-audit: the kiosk's host key: %v\n", err)
		return exitError
	}
	_, signer, _, err := loadHostKey(keyPath)
	if err != nil {
		fmt.Fprintln(stderr, "mjrecover kiosk sign-audit:", err)
		return exitError
	}
	target, code, ok := openTarget(ctx, fs, state, *headPath, stderr)
	if !ok {
		return code
	}
	defer target.close()
	rep, err := target.sign(ctx, signer, time.Now())
	var broken *audit.BrokenError
	switch {
	case errors.As(err, &broken):
		fmt.Fprintf(stdout, "%s: not signed: BROKEN at line %d: %s.%s\n", target.name, broken.Line, broken.Reason, beforeBroken(broken))
		return exitError
	case errors.Is(err, audit.ErrForgedSeal):
		fmt.Fprintf(stdout, "%s: not signed: FORGED: %s (%s).\n", target.name, err, target.headIn)
		return exitError
	case err != nil:
		fmt.Fprintln(stderr, "mjrecover kiosk sign-audit:", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s: signed up to line %d with host key %s.\n", target.name, rep.Sealed, gossh.FingerprintSHA256(signer.PublicKey()))
	if target.fileLog {
		fmt.Fprintf(stdout, "Keep a copy of the head (%s) elsewhere: with it, verify-audit --signed proves those lines.\n", target.headIn)
	} else {
		fmt.Fprintln(stdout, "The signed head is kept in the store: verify-audit --signed proves those lines with the kiosk's host key.")
	}
	return exitOK
}
