// Package scancli is the `mjrecover scan` command: it runs the
// investigation engine (steps/investigate) on folders, files and web
// addresses and prints the result as text, JSON or SARIF.
//
// Exit codes: 0 nothing found, 1 something found, 2 an error (bad command
// line, a path that cannot be scanned, an output that cannot be written).
package scancli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/investigate/report"
	"github.com/mjrecover/mjrecover/steps/investigate/verify"
	"github.com/mjrecover/mjrecover/steps/investigate/wpdata"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/ui/cliflag"
)

// Exit codes.
const (
	ExitClean    = 0
	ExitFindings = 1
	ExitError    = 2
)

// config is the parsed command line.
type config struct {
	format        string
	output        string
	verify        bool
	apiURL        string
	history       bool
	maxFileSize   int64
	workers       int
	wordfenceFeed string
	noArchives    bool
	allArchives   bool
	logs          logFlags
	remote        remoteFlags
	targets       []string
}

// Run runs the command with args (after "scan") and returns the exit code.
// Its help and its mistakes are in the language of --lang or of the
// environment; the reports stay in English (they are for tools and for
// support).
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	p, err := cliflag.Language(name, args, os.Getenv, stderr)
	if err != nil {
		return ExitError
	}
	return runIn(ctx, p, args, stdout, stderr)
}

// name is the command's, in its messages.
const name = "mjrecover scan"

func runIn(ctx context.Context, p *lang.Printer, args []string, stdout, stderr io.Writer) int {
	cfg, err := parse(p, args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return ExitClean
	}
	if err != nil {
		return ExitError
	}
	opts, err := cfg.options()
	if err != nil {
		fmt.Fprintln(stderr, name+":", err)
		return ExitError
	}
	res, err := cfg.remote.scan(ctx, p, cfg.history, opts, stderr)
	if err != nil {
		fmt.Fprintln(stderr, name+":", untrusted.Clean(err.Error()))
		return ExitError
	}
	var out bytes.Buffer
	if err := render(&out, cfg.format, res, p); err != nil {
		fmt.Fprintln(stderr, name+":", err)
		return ExitError
	}
	if err := write(p, cfg.output, out.Bytes(), stdout); err != nil {
		fmt.Fprintln(stderr, name+":", err)
		return ExitError
	}
	if len(res.Findings) > 0 {
		return ExitFindings
	}
	return ExitClean
}

// parse reads flags and targets; flags may come after the targets, and
// everything after "--" is a target.
func parse(p *lang.Printer, args []string, stdout, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&cfg.format, "format", "text", p.T("output `format`: text, json or sarif"))
	fs.StringVar(&cfg.output, "output", "", p.T("write the report to `FILE` (mode 0600) instead of standard output"))
	fs.BoolVar(&cfg.verify, "verify", false, p.T("check each key pair found with one read-only request to Mailjet's API"))
	fs.StringVar(&cfg.apiURL, "api-url", "", p.T("with --verify: check pairs at this API `URL` only (default: Mailjet's hosts)"))
	fs.BoolVar(&cfg.history, "history", false, p.T("also read the git history of each repository (runs none of its code)"))
	size := sizeFlag{n: investigate.DefaultMaxFileSize, p: p}
	fs.Var(&size, "max-file-size", p.T("skip files larger than `SIZE` (bytes, or with K, M or G)"))
	fs.IntVar(&cfg.workers, "workers", 0, p.T("`number` of files read at once (default: one per CPU)"))
	fs.StringVar(&cfg.wordfenceFeed, "wordfence-feed", "", p.T("add the vulnerable WordPress versions of a Wordfence feed `FILE` (JSON)"))
	fs.BoolVar(&cfg.noArchives, "no-archives", false, p.T("do not look inside zip, tar and gzip files"))
	fs.BoolVar(&cfg.allArchives, "all-archives", false, p.T("open every .gz too: manuals, changelogs, old logs"))
	cfg.logs.register(fs, p)
	cfg.remote.register(fs, p)
	cliflag.LangFlag(fs, p)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), p.T(`Usage: mjrecover scan [flags] PATH|URL...

Looks for leaked Mailjet API keys and secrets, files a web server hands to
anyone (.env, wp-config.php backups, phpinfo pages, .git, logs, backups)
and outdated WordPress, in folders and files (also inside zip, tar and gzip
backups) and, for http:// and https:// addresses, on the web site itself.

Exit status: 0 nothing found, 1 something found, 2 an error.

Flags:
`))
		cliflag.PrintDefaults(p, fs)
	}
	var targets []string
	if i := indexOf(args, "--"); i >= 0 {
		targets = append(targets, args[i+1:]...)
		args = args[:i]
	}
	for {
		if err := cliflag.ParseIn(p, fs, args, stdout, stderr); err != nil {
			return cfg, err
		}
		if fs.NArg() == 0 {
			break
		}
		targets = append(targets, fs.Arg(0))
		args = fs.Args()[1:]
	}
	cfg.targets = append(targets[:0:0], targets...)
	cfg.maxFileSize = size.n
	return cfg, cfg.check(p, stderr)
}

// check says, in one line, what the command line lacks or gets wrong.
func (c config) check(p *lang.Printer, stderr io.Writer) error {
	var what string
	switch {
	case len(c.targets) == 0 && !c.remote.accounts():
		what = p.T("give at least one folder, file or web address to scan")
	case c.remote.mistake(p) != "":
		what = c.remote.mistake(p)
	case c.format != "text" && c.format != "json" && c.format != "sarif":
		what = p.T("unknown --format %q: use text, json or sarif", untrusted.Clean(c.format))
	case c.workers < 0:
		what = p.T("--workers must be 0 (one per CPU) or more")
	case c.apiURL != "" && !c.verify:
		what = p.T("--api-url only makes sense with --verify")
	case c.logs.noLogs && len(c.logs.files) > 0:
		what = p.T("--logs and --no-logs cannot go together")
	default:
		return nil
	}
	cliflag.Mistake(p, stderr, name, what)
	return errors.New(what)
}

// options turns the command line into scan options.
func (c config) options() (investigate.Options, error) {
	opts := investigate.Options{
		MaxFileSize: c.maxFileSize,
		Workers:     c.workers,
		History:     c.history,
		NoArchives:  c.noArchives,
		AllArchives: c.allArchives,
		AccessLogs:  c.logs.sources("/"),
	}
	for _, t := range c.targets {
		if investigate.IsURL(t) {
			opts.URLs = append(opts.URLs, t)
		} else {
			opts.Roots = append(opts.Roots, t)
		}
	}
	if c.verify {
		v := verify.Options{}
		if c.apiURL != "" {
			v.Hosts = []string{strings.TrimRight(c.apiURL, "/")}
		}
		opts.Verifier = verify.New(v)
	}
	if c.wordfenceFeed != "" {
		table, err := loadFeed(c.wordfenceFeed)
		if err != nil {
			return opts, err
		}
		opts.WordPress = table
	}
	return opts, nil
}

// loadFeed merges a Wordfence feed file into the bundled WordPress data.
func loadFeed(path string) (*wpdata.Table, error) {
	bundled, err := wpdata.Bundled()
	if err != nil {
		return nil, err
	}
	f, err := investigate.OpenRegular(path) // a FIFO would block forever
	if err != nil {
		return nil, fmt.Errorf("--wordfence-feed %s: %w", untrusted.Clean(path), err)
	}
	defer f.Close()
	feed, err := wpdata.ParseWordfence(f, "Wordfence Intelligence feed "+path)
	if err != nil {
		return nil, fmt.Errorf("--wordfence-feed %s: %w", untrusted.Clean(path), err)
	}
	return bundled.Merge(feed), nil
}

func render(w io.Writer, format string, res investigate.Result, p *lang.Printer) error {
	switch format {
	case "json":
		return report.JSON(w, res)
	case "sarif":
		return report.SARIF(w, res, toolVersion())
	}
	return report.Text(w, res, p)
}

// write sends the report to the file (created or replaced, mode 0600:
// it names where keys leaked) or to stdout.
func write(p *lang.Printer, path string, data []byte, stdout io.Writer) error {
	if path == "" {
		_, err := stdout.Write(data)
		return err
	}
	// Through a new file renamed over the old: what is at path is never
	// opened (a FIFO would block) nor followed (a symlink would aim the
	// report elsewhere), and the report is 0600 even where a looser file
	// was.
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return errors.New(p.T("--output %[1]s: %[2]s, not a file; give the name of a file to write", untrusted.Clean(path), fileKind(p, fi.Mode())))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mjrecover-scan-*")
	if err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	defer os.Remove(tmp.Name()) // gone once renamed; left over only on an error
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("--output: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("--output: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	return nil
}

// fileKind names what a non-regular file is, for the refusal.
func fileKind(p *lang.Printer, m os.FileMode) string {
	switch {
	case m&os.ModeSymlink != 0:
		return p.T("a symbolic link")
	case m&os.ModeNamedPipe != 0:
		return p.T("a named pipe")
	case m.IsDir():
		return p.T("a folder")
	case m&(os.ModeDevice|os.ModeCharDevice) != 0:
		return p.T("a device")
	case m&os.ModeSocket != 0:
		return p.T("a socket")
	}
	return p.T("something else")
}

// toolVersion is the module version when built from a tagged module.
func toolVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}

func indexOf(args []string, s string) int {
	for i, a := range args {
		if a == s {
			return i
		}
	}
	return -1
}
