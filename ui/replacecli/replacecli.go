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
	"strings"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/replace"
)

// Exit codes, like `mjrecover scan`.
const (
	exitNothing = 0 // nothing to change
	exitChanges = 1 // changes found (dry run) or made (--apply)
	exitError   = 2 // bad command line, unreadable input, or a file that could not be changed
)

const usage = `Usage: mjrecover replace --old-key KEY --new-key KEY --new-secret-file FILE [--old-secret-file FILE] [--apply] PATH...

Puts a new Mailjet API key and secret where the old ones are, in the settings
files under each PATH (a folder or a file). Without --apply it only shows what
would change; secrets are shown as ****abcd.

  --old-key KEY            the API key that was rotated
  --new-key KEY            its replacement (the same key when only its secret was reset)
  --new-secret-file FILE   a file holding the new secret (a secret given as a flag
                           would show in the list of running programs)
  --old-secret-file FILE   a file holding the old secret, if the scan may not find it
                           next to the key
  --apply                  write the changes; each file gets a backup next to it
                           (mode 0600) and keeps its owner, group and mode

Exit codes: 0 nothing to change, 1 changes found (or made, with --apply), 2 an error.
`

// options are the parsed command line.
type options struct {
	oldKey, newKey string
	newSecretFile  string
	oldSecretFile  string
	apply, help    bool
	paths          []string
}

// Run runs the command with args (after "replace") and returns its exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, err := parseArgs(args)
	if opts.help {
		fmt.Fprint(stdout, usage)
		return exitNothing
	}
	if err != nil {
		fmt.Fprintf(stderr, "mjrecover replace: %s\nRun 'mjrecover replace --help' for how to use it.\n", err)
		return exitError
	}
	rotation, err := opts.rotation()
	if err != nil {
		fmt.Fprintf(stderr, "mjrecover replace: %s\n", err)
		return exitError
	}
	for _, w := range secretFileWarnings(opts.newSecretFile, opts.oldSecretFile) {
		fmt.Fprintln(stderr, "Warning: "+w)
	}
	scan, err := investigate.Scan(ctx, investigate.Options{Roots: opts.paths})
	if err != nil {
		fmt.Fprintf(stderr, "mjrecover replace: could not scan: %s\n", untrusted.Clean(err.Error()))
		return exitError
	}
	plan, err := replace.NewPlan(ctx, replace.Input{Findings: scan.Findings, Rotations: []replace.Rotation{rotation}, Roots: opts.paths})
	if err != nil {
		fmt.Fprintf(stderr, "mjrecover replace: %s\n", untrusted.Clean(err.Error()))
		return exitError
	}
	printPlan(stdout, plan)
	switch {
	case len(plan.Updates) == 0:
		fmt.Fprintf(stdout, "Nothing to change: no settings file under %s holds the key %s.\n",
			untrusted.Clean(strings.Join(opts.paths, ", ")), rotation.OldKey)
		return exitNothing
	case !opts.apply:
		fmt.Fprintf(stdout, "%s would change. Run again with --apply to write the new key.\n", files(len(plan.Updates)))
		return exitChanges
	}
	return applyPlan(ctx, plan, stdout, stderr)
}

// parseArgs reads flags and paths in any order; "--" ends the flags.
func parseArgs(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("replace", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by Run, in one line
	fs.StringVar(&o.oldKey, "old-key", "", "")
	fs.StringVar(&o.newKey, "new-key", "", "")
	fs.StringVar(&o.newSecretFile, "new-secret-file", "", "")
	fs.StringVar(&o.oldSecretFile, "old-secret-file", "", "")
	fs.BoolVar(&o.apply, "apply", false, "")
	fs.BoolVar(&o.help, "help", false, "")
	fs.BoolVar(&o.help, "h", false, "")
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				o.help = true
				return o, nil
			}
			if strings.Contains(err.Error(), "-new-secret") || strings.Contains(err.Error(), "-old-secret") {
				return o, errors.New("secrets are read from files (--new-secret-file, --old-secret-file), never from the command line, which other users can see")
			}
			return o, errors.New(untrusted.Clean(err.Error()))
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
	switch {
	case o.help:
		return o, nil
	case o.oldKey == "" || o.newKey == "" || o.newSecretFile == "":
		return o, errors.New("--old-key, --new-key and --new-secret-file are required")
	case len(o.paths) == 0:
		return o, errors.New("name at least one folder or file to update")
	}
	return o, nil
}

// rotation reads the secrets and checks the keys.
func (o options) rotation() (replace.Rotation, error) {
	r := replace.Rotation{OldKey: strings.TrimSpace(o.oldKey), NewKey: strings.TrimSpace(o.newKey)}
	if !investigate.IsMailjetValue(r.OldKey) || !investigate.IsMailjetValue(r.NewKey) {
		return r, errors.New("--old-key and --new-key must be Mailjet API keys: 32 characters, 0-9 and a-f")
	}
	var err error
	if r.NewSecret, err = readSecretFile(o.newSecretFile, "new"); err != nil {
		return r, err
	}
	if o.oldSecretFile != "" {
		if r.OldSecret, err = readSecretFile(o.oldSecretFile, "old"); err != nil {
			return r, err
		}
	}
	if r.NewSecret.Equal(r.OldSecret) {
		return r, errors.New("the new secret is the same as the old one")
	}
	return r, nil
}

// readSecretFile reads a secret: the file's only word.
func readSecretFile(path, which string) (secret.Secret, error) {
	content, err := readSmallFile(path)
	if err != nil {
		return secret.Secret{}, fmt.Errorf("could not read the %s secret from %s: %s", which, untrusted.Clean(path), err)
	}
	words := strings.Fields(string(content))
	if len(words) != 1 {
		return secret.Secret{}, fmt.Errorf("%s should hold the %s secret alone, on one line", untrusted.Clean(path), which)
	}
	if err := replace.ValidateNewSecret(words[0]); err != nil {
		return secret.Secret{}, fmt.Errorf("%s does not hold a Mailjet secret: %s", untrusted.Clean(path), err)
	}
	return secret.New(words[0]), nil
}

// printPlan shows the diffs and what the command leaves to the user.
func printPlan(w io.Writer, p replace.Plan) {
	for _, u := range p.Updates {
		fmt.Fprint(w, u.Diff.String())
		fmt.Fprintln(w)
	}
	if len(p.Removals) > 0 {
		fmt.Fprintln(w, "Leaked copies to delete (this command does not delete them):")
		for _, r := range p.Removals {
			fmt.Fprintf(w, "  %s\n    %s\n", untrusted.Clean(r.Path), r.Reason)
		}
		fmt.Fprintln(w)
	}
	if len(p.EnvNotes) > 0 {
		fmt.Fprintln(w, "Read from the environment:")
		for _, n := range p.EnvNotes {
			fmt.Fprintf(w, "  %s:%d\n    %s\n", untrusted.Clean(n.Path), n.Line, n.Advice())
		}
		fmt.Fprintln(w)
	}
	if len(p.Manual) > 0 {
		fmt.Fprintln(w, "To do by hand:")
		for _, m := range p.Manual {
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
func applyPlan(ctx context.Context, p replace.Plan, stdout, stderr io.Writer) int {
	var a replace.Applier
	var done []replace.Update
	failed := 0
	for _, u := range p.Updates {
		res, err := a.Apply(ctx, u)
		if err != nil {
			failed++
			fmt.Fprintln(stderr, "Not changed: "+untrusted.Clean(err.Error()))
			continue
		}
		done = append(done, u)
		fmt.Fprintf(stdout, "Updated %s (the old version is in %s)\n", untrusted.Clean(res.Path), untrusted.Clean(res.Backup))
		for _, w := range res.Warnings {
			fmt.Fprintln(stdout, "  Note: "+w)
		}
	}
	if len(done) > 0 {
		check, err := replace.Verify(ctx, done)
		switch {
		case err != nil:
			fmt.Fprintf(stderr, "Could not check the files again: %s\n", untrusted.Clean(err.Error()))
			failed++
		case check.Clean():
			fmt.Fprintf(stdout, "Checked again: no old key or secret remains in the %s.\n", updatedFiles(len(check.Files)))
		default:
			failed++
			for _, l := range check.Leftovers {
				fmt.Fprintf(stderr, "Still there: %s:%d %s\n", untrusted.Clean(l.Path), l.Line, l.What)
			}
		}
	}
	if failed > 0 {
		return exitError
	}
	return exitChanges
}

func files(n int) string {
	if n == 1 {
		return "1 file"
	}
	return fmt.Sprintf("%d files", n)
}

func updatedFiles(n int) string {
	if n == 1 {
		return "updated file"
	}
	return fmt.Sprintf("%d updated files", n)
}
