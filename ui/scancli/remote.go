package scancli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/investigate/remote"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// remoteFlags are the options about repositories that are not on disk:
// an account's public repositories on GitHub or GitLab, and the size a
// download may take. (Repositories given by address are targets.)
type remoteFlags struct {
	github    pathList // --github, repeatable
	githubAPI string
	gitlab    pathList // --gitlab, repeatable
	gitlabAPI string
	maxSize   sizeFlag
	getenv    func(string) string // the tokens' environment
}

func (rf *remoteFlags) register(fs *flag.FlagSet, p *lang.Printer) {
	fs.Var(&rf.github, "github", p.T("read the public repositories of GitHub `account` too (repeatable)"))
	fs.StringVar(&rf.githubAPI, "github-api-url", "", p.T("with --github: GitHub's API at this `URL` (GitHub Enterprise)"))
	fs.Var(&rf.gitlab, "gitlab", p.T("read the public projects of GitLab `account` too (repeatable)"))
	fs.StringVar(&rf.gitlabAPI, "gitlab-api-url", "", p.T("with --gitlab: your GitLab's `URL` (default: gitlab.com)"))
	rf.maxSize = sizeFlag{n: remote.DefaultMaxSize, p: p}
	fs.Var(&rf.maxSize, "max-repo-size", p.T("give up on a repository whose download passes `SIZE`"))
	rf.getenv = os.Getenv
}

// accounts reports whether an account is to be read (then no target is
// needed).
func (rf remoteFlags) accounts() bool { return len(rf.github)+len(rf.gitlab) > 0 }

// mistake says what is wrong with these flags; "" when nothing.
func (rf remoteFlags) mistake(p *lang.Printer) string {
	switch {
	case rf.githubAPI != "" && len(rf.github) == 0:
		return p.T("--github-api-url only makes sense with --github")
	case rf.gitlabAPI != "" && len(rf.gitlab) == 0:
		return p.T("--gitlab-api-url only makes sense with --gitlab")
	}
	for _, a := range rf.github {
		if !remote.ValidGitHubName(a) {
			return p.T("--github %q: not a GitHub account name", untrusted.Clean(a))
		}
	}
	for _, a := range rf.gitlab {
		if !remote.ValidGitLabName(a) {
			return p.T("--gitlab %q: not a GitLab account name", untrusted.Clean(a))
		}
	}
	return ""
}

// listed is a repository of an account, with the forge it is on.
type listed struct {
	remote.Repository
	onGitHub bool
}

// scan runs the scan: the folders, files and web sites of opts, the
// repositories among the targets (git@host:path, ssh://, an http(s)
// address of a repository: with history, an address that answers as
// git does), and the accounts' repositories; then, with a GitHub token,
// GitHub's code search for the keys found. Progress goes to stderr.
func (rf remoteFlags) scan(ctx context.Context, p *lang.Printer, history bool, opts investigate.Options, stderr io.Writer) (investigate.Result, error) {
	opts, addrs := splitRepositories(ctx, history, opts)
	if len(addrs) == 0 && !rf.accounts() {
		return investigate.Scan(ctx, opts) // as before repositories by address
	}
	start := time.Now()
	repos, err := rf.list(ctx, p, stderr)
	if err != nil {
		return investigate.Result{}, err
	}
	var results []investigate.Result
	if len(opts.Roots)+len(opts.URLs) > 0 {
		res, err := investigate.Scan(ctx, opts)
		if err != nil {
			return investigate.Result{}, err
		}
		results = append(results, res)
	}
	clone := remote.Options{MaxSize: rf.maxSize.n}
	for _, addr := range addrs {
		res, err := rf.readAddress(ctx, p, addr, clone, opts, stderr)
		if err != nil {
			return investigate.Result{}, err
		}
		results = append(results, res)
	}
	read := map[string]bool{} // GitHub repositories read in full
	for i, r := range repos {
		res, ok, err := rf.readListed(ctx, p, r, i+1, len(repos), clone, opts, stderr)
		if err != nil {
			return investigate.Result{}, err
		}
		if ok && r.onGitHub {
			read[strings.ToLower(r.Name)] = true
		}
		results = append(results, res)
	}
	merged := remote.Merge(results...)
	if len(rf.github) > 0 {
		found, err := rf.searchPublished(ctx, p, merged, read, clone, opts, stderr)
		if err != nil {
			return investigate.Result{}, err
		}
		merged = remote.Merge(merged, found)
	}
	merged.Stats.Duration = time.Since(start)
	return merged, nil
}

// readAddress reads a repository given by address: failing to is an
// error, as a folder that cannot be scanned is.
func (rf remoteFlags) readAddress(ctx context.Context, p *lang.Printer, addr string, clone remote.Options, opts investigate.Options, stderr io.Writer) (investigate.Result, error) {
	fmt.Fprintln(stderr, p.T("Reading the history of %s…", remote.Display(addr)))
	res, err := remote.Scan(ctx, addr, clone, opts)
	if err == nil || ctx.Err() != nil {
		return res, err
	}
	explained := rf.notRead(p, remote.Display(addr), err)
	if remote.IsAddress(addr) && !errors.Is(err, remote.ErrTooLarge) { // SSH wants a key and a known host
		explained = errors.New(explained.Error() + " " + p.T("(a public repository can be read without a key at its https:// address)"))
	}
	return res, explained
}

// readListed reads an account's repository n of total; ok says it was
// read. Failing to is said and listed among the skipped paths, and the
// scan goes on.
func (rf remoteFlags) readListed(ctx context.Context, p *lang.Printer, r listed, n, total int, clone remote.Options, opts investigate.Options, stderr io.Writer) (res investigate.Result, ok bool, err error) {
	shown := untrusted.Clean(r.Name)
	if r.Fork {
		shown = p.T("%s, a fork", shown)
	}
	fmt.Fprintln(stderr, p.T("Reading the history of %[1]s (%[2]d of %[3]d)…", shown, n, total))
	res, err = remote.Scan(ctx, r.CloneURL, clone, opts)
	if err == nil || ctx.Err() != nil {
		return res, err == nil, err
	}
	fmt.Fprintln(stderr, name+":", rf.notRead(p, untrusted.Clean(r.Name), err))
	where := r.WebURL
	if where == "" {
		where = r.Name
	}
	return investigate.Result{Stats: investigate.Stats{Skipped: []investigate.Skip{{
		Path: untrusted.Clean(where), Reason: "repository not read: " + untrusted.Clean(err.Error()),
	}}}}, false, nil
}

// splitRepositories takes the repositories out of opts' roots and
// addresses. A root written as user@host:path or ssh://… is one, unless
// a file has that name; an http(s) address is one when its shape says
// so (…/x.git, https://github.com/owner/repo) or, with history, when it
// answers as a git server does.
func splitRepositories(ctx context.Context, history bool, opts investigate.Options) (investigate.Options, []string) {
	var addrs, roots, urls []string
	for _, r := range opts.Roots {
		if _, err := os.Lstat(r); err != nil && remote.IsAddress(r) {
			addrs = append(addrs, r)
		} else {
			roots = append(roots, r)
		}
	}
	for _, u := range opts.URLs {
		if remote.LooksLikeRepository(u) || (history && remote.ServesGit(ctx, nil, u)) {
			addrs = append(addrs, u)
		} else {
			urls = append(urls, u)
		}
	}
	opts.Roots, opts.URLs = roots, urls
	return opts, addrs
}

// list lists the accounts' public repositories.
func (rf remoteFlags) list(ctx context.Context, p *lang.Printer, stderr io.Writer) ([]listed, error) {
	var out []listed
	for _, account := range rf.github {
		gh := remote.GitHub{APIURL: rf.githubAPI, Token: remote.GitHubToken(rf.getenv)}
		repos, err := gh.Repositories(ctx, account)
		if errors.Is(err, remote.ErrNoSuchOwner) {
			return nil, errors.New(p.T("GitHub has no user or organisation named %s", untrusted.Clean(account)))
		}
		if err != nil {
			return nil, rf.explain(p, account, err)
		}
		fmt.Fprintln(stderr, p.T("%[1]d public repository of %[2]s on %[3]s", len(repos), untrusted.Clean(account), "GitHub"))
		for _, r := range repos {
			out = append(out, listed{r, true})
		}
	}
	for _, account := range rf.gitlab {
		gl := remote.GitLab{APIURL: rf.gitlabAPI, Token: remote.GitLabToken(rf.getenv)}
		repos, err := gl.Repositories(ctx, account)
		if errors.Is(err, remote.ErrNoSuchOwner) {
			return nil, errors.New(p.T("GitLab has no user or group named %s", untrusted.Clean(account)))
		}
		if err != nil {
			return nil, rf.explain(p, account, err)
		}
		fmt.Fprintln(stderr, p.T("%[1]d public repository of %[2]s on %[3]s", len(repos), untrusted.Clean(account), "GitLab"))
		for _, r := range repos {
			out = append(out, listed{r, false})
		}
	}
	return out, nil
}

// searchPublished runs GitHub's code search for the keys found, with a
// token; without one it says what a token would add. A refusal of
// GitHub's (its rate limit) is said and listed among the skipped, and
// what was found before it is kept.
func (rf remoteFlags) searchPublished(ctx context.Context, p *lang.Printer, res investigate.Result, read map[string]bool, clone remote.Options, opts investigate.Options, stderr io.Writer) (investigate.Result, error) {
	var keys []string
	for _, f := range res.Findings {
		if f.APIKey != "" && !slices.Contains(keys, f.APIKey) {
			keys = append(keys, f.APIKey)
		}
	}
	if len(keys) == 0 {
		return investigate.Result{}, nil
	}
	slices.Sort(keys)
	token := remote.GitHubToken(rf.getenv)
	if token.IsZero() {
		fmt.Fprintln(stderr, p.T("To also look for the keys found in every public repository on GitHub, set GH_TOKEN to a GitHub access token: GitHub searches code only for signed-in users."))
		return investigate.Result{}, nil
	}
	fmt.Fprintln(stderr, p.T("Searching GitHub for the %d key found…", len(keys)))
	gh := remote.GitHub{APIURL: rf.githubAPI, Token: token}
	found, err := remote.SearchPublished(ctx, gh, keys, read, clone, opts)
	if err != nil {
		if ctx.Err() != nil {
			return investigate.Result{}, ctx.Err()
		}
		fmt.Fprintln(stderr, name+":", rf.explain(p, "GitHub", err))
		found.Stats.Skipped = append(found.Stats.Skipped, investigate.Skip{
			Path: "GitHub code search", Reason: "stopped: " + untrusted.Clean(err.Error()),
		})
	}
	return found, nil
}

// notRead says why the repository what could not be read.
func (rf remoteFlags) notRead(p *lang.Printer, what string, err error) error {
	if explained := rf.explain(p, what, err); explained.Error() != untrusted.Clean(err.Error()) {
		return explained
	}
	cause := untrusted.Clean(err.Error())
	if rest, ok := strings.CutPrefix(cause, "cloning "); ok { // "cloning ADDRESS: why": what names it
		if _, why, ok := strings.Cut(rest, ": "); ok {
			cause = why
		}
	}
	return errors.New(p.T("could not read %[1]s: %[2]s", what, cause))
}

// explain says err about what (an address, an account) in p's language
// when it is one the customer can act on; other errors as they are.
func (rf remoteFlags) explain(p *lang.Printer, what string, err error) error {
	var rl *remote.RateLimitError
	switch {
	case errors.As(err, &rl):
		var msg string
		if rl.Reset.IsZero() {
			msg = p.T("%s accepts no more requests for now.", rl.Forge)
		} else {
			msg = p.T("%[1]s accepts no more requests until %[2]s.", rl.Forge, p.Moment(rl.Reset.Local()))
		}
		switch {
		case rl.Authenticated:
			return errors.New(msg + " " + p.T("Run the scan again after that."))
		case rl.Forge == "GitLab":
			return errors.New(msg + " " + p.T("Run the scan again after that, or set GITLAB_TOKEN to a GitLab access token: GitLab allows more requests to signed-in users."))
		}
		return errors.New(msg + " " + p.T("Run the scan again after that, or set GH_TOKEN to a GitHub access token: GitHub allows more requests to signed-in users."))
	case errors.Is(err, remote.ErrTooLarge):
		return errors.New(p.T("%[1]s is larger than %[2]s, so it was not read; to read it, raise --max-repo-size", untrusted.Clean(what), rf.maxSize.String()))
	case errors.Is(err, remote.ErrNotRepository):
		return errors.New(p.T("%s is not a repository address: use https://, ssh:// or user@host:path", untrusted.Clean(what)))
	}
	return errors.New(untrusted.Clean(err.Error()))
}
