// Package replacecli is the `mjrecover replace` command: after a key was
// rotated, it puts the new key and secret where the old ones are in the
// settings files under the given paths. It is a dry run unless --apply is
// given, and never prints a clear secret.
package replacecli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/replace"
	"github.com/mjrecover/mjrecover/ui/cliflag"
)

// Exit codes, like `mjrecover scan`.
const (
	exitNothing = 0 // nothing to change
	exitChanges = 1 // changes found (dry run) or made (--apply)
	exitError   = 2 // bad command line, unreadable input, or a file that could not be changed
)

// options are the parsed command line.
type options struct {
	oldKey, newKey string
	newSecretFile  string
	oldSecretFile  string
	apply          bool
	backupDir      string // "": a new private folder in the home folder
	paths          []string
}

// name is the command's, in its messages.
const name = "mjrecover replace"

// Run runs the command with args (after "replace") and returns its exit
// code. It speaks the language of --lang or of the environment.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	p, err := cliflag.Language(name, args, os.Getenv, stderr)
	if err != nil {
		return exitError
	}
	return runIn(ctx, p, args, stdout, stderr)
}

func runIn(ctx context.Context, p *lang.Printer, args []string, stdout, stderr io.Writer) int {
	opts, err := parseArgs(p, args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitNothing
	}
	if err != nil {
		return exitError
	}
	rotation, err := opts.rotation(p)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", name, err)
		return exitError
	}
	for _, w := range secretFileWarnings(p, opts.newSecretFile, opts.oldSecretFile) {
		fmt.Fprintln(stderr, w)
	}
	scan, err := investigate.Scan(ctx, investigate.Options{Roots: opts.paths})
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", name, p.T("could not scan: %s", untrusted.Clean(err.Error())))
		return exitError
	}
	plan, err := replace.NewPlan(ctx, replace.Input{Findings: scan.Findings, Rotations: []replace.Rotation{rotation}, Roots: opts.paths, Lang: p})
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", name, untrusted.Clean(err.Error()))
		return exitError
	}
	printPlan(p, stdout, plan)
	switch {
	case len(plan.Updates) == 0:
		fmt.Fprintln(stdout, p.T("Nothing to change: no settings file under %s holds the key %s.",
			untrusted.Clean(strings.Join(opts.paths, ", ")), rotation.OldKey))
		return exitNothing
	case !opts.apply:
		fmt.Fprintln(stdout, p.T("%d file would change. Run again with --apply to write the new key.", len(plan.Updates)))
		return exitChanges
	}
	backups, err := backupFolder(p, opts)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", name, err)
		return exitError
	}
	return applyPlan(ctx, p, plan, backups, stdout, stderr)
}

// backupFolder is where the old versions go: never beside each file,
// where the web server that serves the site would serve the backup too
// (with the old secret and the database password in it), and never
// inside a folder being updated.
func backupFolder(p *lang.Printer, o options) (string, error) {
	dir := o.backupDir
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", errors.New(p.T("there is no home folder for the backups: give one with --backup-dir"))
		}
		dir = filepath.Join(home, "mjrecover-backups-"+time.Now().Format("20060102-150405"))
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for _, root := range o.paths {
		r, err := filepath.Abs(root)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(r, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", errors.New(p.T("the backups would go inside %s, which is being updated (and may be a website): give a folder outside it with --backup-dir", untrusted.Clean(root)))
		}
	}
	return abs, nil
}

// parseArgs reads flags and paths in any order; "--" ends the flags. It
// prints the help that was asked for (and returns flag.ErrHelp) or the
// mistake.
func parseArgs(p *lang.Printer, args []string, stdout, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&o.oldKey, "old-key", "", p.T("the API `KEY` that was replaced"))
	fs.StringVar(&o.newKey, "new-key", "", p.T("the new API `KEY` (the same one when only its secret was reset)"))
	fs.StringVar(&o.newSecretFile, "new-secret-file", "", p.T("a `FILE` holding the new secret key alone"))
	fs.StringVar(&o.oldSecretFile, "old-secret-file", "", p.T("a `FILE` holding the old secret key, if the scan may not find it"))
	fs.BoolVar(&o.apply, "apply", false, p.T("write the changes (backups go to a private folder)"))
	fs.StringVar(&o.backupDir, "backup-dir", "", p.T("private `FOLDER` for the backups (default: ~/mjrecover-backups-DATE)"))
	cliflag.LangFlag(fs, p)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), p.T(`Usage: mjrecover replace --old-key KEY --new-key KEY
       --new-secret-file FILE [flags] PATH...

Puts a new Mailjet API key and secret key where the old ones are, in the
settings files under each PATH (a folder or a file). Without --apply it only
shows what would change; secret keys are shown as ****abcd. A secret key is
read from a file: on the command line, other users could see it.

Exit codes: 0 nothing to change, 1 changes found (or made, with --apply),
2 an error.

Flags:
`))
		cliflag.PrintDefaults(p, fs)
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		if f, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && (f == "new-secret" || f == "old-secret") {
			err := errors.New(p.T("secret keys are read from files (--new-secret-file, --old-secret-file), never from the command line, which other users can see"))
			cliflag.Mistake(p, stderr, name, err.Error())
			return o, err
		}
	}
	for {
		if err := cliflag.ParseIn(p, fs, args, stdout, stderr); err != nil {
			return o, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			o.paths = append(o.paths, rest...) // everything after "--" is a path
			break
		}
		o.paths = append(o.paths, rest[0])
		args = rest[1:]
	}
	var what string
	switch {
	case o.oldKey == "" || o.newKey == "" || o.newSecretFile == "":
		what = p.T("--old-key, --new-key and --new-secret-file are required")
	case len(o.paths) == 0:
		what = p.T("name at least one folder or file to update")
	default:
		return o, nil
	}
	cliflag.Mistake(p, stderr, name, what)
	return o, errors.New(what)
}

// rotation reads the secrets and checks the keys.
func (o options) rotation(p *lang.Printer) (replace.Rotation, error) {
	r := replace.Rotation{OldKey: strings.TrimSpace(o.oldKey), NewKey: strings.TrimSpace(o.newKey)}
	if !investigate.IsMailjetValue(r.OldKey) || !investigate.IsMailjetValue(r.NewKey) {
		return r, errors.New(p.T("--old-key and --new-key must be Mailjet API keys: 32 characters, 0-9 and a-f"))
	}
	var err error
	if r.NewSecret, err = readSecretFile(p, o.newSecretFile, false); err != nil {
		return r, err
	}
	if o.oldSecretFile != "" {
		if r.OldSecret, err = readSecretFile(p, o.oldSecretFile, true); err != nil {
			return r, err
		}
	}
	if r.NewSecret.Equal(r.OldSecret) {
		return r, errors.New(p.T("the new secret key is the same as the old one"))
	}
	return r, nil
}

// readSecretFile reads a secret: the file's only word.
func readSecretFile(p *lang.Printer, path string, old bool) (secret.Secret, error) {
	shown := untrusted.Clean(path)
	content, err := readSmallFile(p, path)
	if err != nil {
		if old {
			return secret.Secret{}, errors.New(p.T("could not read the old secret key from %s: %s", shown, err.Error()))
		}
		return secret.Secret{}, errors.New(p.T("could not read the new secret key from %s: %s", shown, err.Error()))
	}
	words := strings.Fields(string(content))
	if len(words) != 1 {
		if old {
			return secret.Secret{}, errors.New(p.T("%s should hold the old secret key alone, on one line", shown))
		}
		return secret.Secret{}, errors.New(p.T("%s should hold the new secret key alone, on one line", shown))
	}
	if err := replace.ValidateNewSecret(p, words[0]); err != nil {
		return secret.Secret{}, errors.New(p.T("%s does not hold a Mailjet secret key: %s", shown, err.Error()))
	}
	return secret.New(words[0]), nil
}

// printPlan shows the diffs and what the command leaves to the user.
func printPlan(p *lang.Printer, w io.Writer, plan replace.Plan) {
	for _, u := range plan.Updates {
		fmt.Fprint(w, u.Diff.String())
		fmt.Fprintln(w)
	}
	if len(plan.Removals) > 0 {
		fmt.Fprintln(w, p.T("Leaked copies to delete (this command does not delete them):"))
		for _, r := range plan.Removals {
			fmt.Fprintf(w, "  %s\n    %s\n", untrusted.Clean(r.Path), r.Reason)
		}
		fmt.Fprintln(w)
	}
	if len(plan.EnvNotes) > 0 {
		fmt.Fprintln(w, p.T("Read from the environment:"))
		for _, n := range plan.EnvNotes {
			fmt.Fprintf(w, "  %s:%d\n    %s\n", untrusted.Clean(n.Path), n.Line, n.Advice(p))
		}
		fmt.Fprintln(w)
	}
	if len(plan.Manual) > 0 {
		fmt.Fprintln(w, p.T("To do by hand:"))
		for _, m := range plan.Manual {
			where := untrusted.Clean(m.Path)
			if m.Line > 0 {
				where = fmt.Sprintf("%s:%d", where, m.Line)
			}
			fmt.Fprintf(w, "  %s\n    %s\n", where, m.Reason)
		}
		fmt.Fprintln(w)
	}
}

// applyPlan writes every update, then checks the files again.
func applyPlan(ctx context.Context, p *lang.Printer, plan replace.Plan, backups string, stdout, stderr io.Writer) int {
	a := replace.Applier{BackupDir: backups}
	var done []replace.Update
	failed := 0
	for _, u := range plan.Updates {
		res, err := a.Apply(ctx, u)
		if err != nil {
			failed++
			fmt.Fprintln(stderr, p.T("Not changed: %s", untrusted.Clean(err.Error())))
			continue
		}
		done = append(done, u)
		fmt.Fprintln(stdout, p.T("Updated %s (the old version is in %s)", untrusted.Clean(res.Path), untrusted.Clean(res.Backup)))
		for _, w := range res.Warnings {
			fmt.Fprintln(stdout, "  "+p.T("Note: %s", w))
		}
	}
	if len(done) > 0 {
		check, err := replace.Verify(ctx, done)
		switch {
		case err != nil:
			fmt.Fprintln(stderr, p.T("Could not check the files again: %s", untrusted.Clean(err.Error())))
			failed++
		case check.Clean():
			fmt.Fprintln(stdout, p.T("Checked again: no old key or secret key remains in the %d updated file.", len(check.Files)))
		default:
			failed++
			for _, l := range check.Leftovers {
				fmt.Fprintln(stderr, p.T("Still there: %s %s", fmt.Sprintf("%s:%d", untrusted.Clean(l.Path), l.Line), l.What))
			}
		}
	}
	if failed > 0 {
		return exitError
	}
	return exitChanges
}
