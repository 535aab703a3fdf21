package remote

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// ErrNotRepository: the text is no repository address this package reads.
var ErrNotRepository = errors.New("not a git repository address (use https://, http://, ssh:// or user@host:path)")

// scpLike is git's user@host:path form (git@github.com:owner/repo.git). A
// user is required: "name:path" alone reads like a local file name.
var scpLike = regexp.MustCompile(`^([A-Za-z0-9._~-]+)@([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):([^/\\:][^\\]*|/[^\\]+)$`)

// forgeHosts publish repositories at https://host/owner/repo, the same
// address as their web page.
var forgeHosts = map[string]bool{
	"github.com": true, "gitlab.com": true, "bitbucket.org": true, "codeberg.org": true,
}

// IsAddress reports whether s is written the way only a repository is:
// ssh://… or user@host:path. Such a target is never a folder nor a web
// site.
func IsAddress(s string) bool {
	if scpLike.MatchString(s) {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && strings.EqualFold(u.Scheme, "ssh") && u.Host != ""
}

// LooksLikeRepository reports whether s names a repository by its shape
// alone: IsAddress, or an http(s) address whose path ends in .git, or a
// forge's https://github.com/owner/repo. Other http(s) addresses may be
// web sites; ServesGit tells.
func LooksLikeRepository(s string) bool {
	if IsAddress(s) {
		return true
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false
	}
	p := strings.Trim(u.Path, "/")
	if strings.HasSuffix(p, ".git") {
		return true
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	return forgeHosts[host] && strings.Count(p, "/") >= 1 && !strings.Contains(p, "/-/") &&
		!strings.Contains(p, "/tree/") && !strings.Contains(p, "/blob/")
}

// address is a repository address checked for cloning.
type address struct {
	raw      string // as given: what go-git connects to
	display  string // as shown: no password, no control characters
	password string // the password in the address, to keep it out of errors
}

// parseAddress accepts https://, http://, ssh:// and user@host:path
// addresses; anything else (file://, a local path, ext::) is refused,
// since go-git would run programs for some of them.
func parseAddress(s string) (address, error) {
	if scpLike.MatchString(s) {
		return address{raw: s, display: untrusted.Clean(s)}, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return address{}, fmt.Errorf("%q: %w", untrusted.Clean(s), ErrNotRepository)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ssh":
	default:
		return address{}, fmt.Errorf("%q: %w", untrusted.Clean(u.Redacted()), ErrNotRepository)
	}
	if u.Host == "" || strings.Trim(u.Path, "/") == "" {
		return address{}, fmt.Errorf("%q: %w", untrusted.Clean(u.Redacted()), ErrNotRepository)
	}
	a := address{raw: s}
	if u.User != nil {
		a.password, _ = u.User.Password()
	}
	shown := *u
	if a.password != "" {
		shown.User = url.User(u.User.Username())
	}
	a.display = untrusted.Clean(shown.String())
	return a, nil
}

// Display is how a repository address is shown: its password, if it has
// one, removed.
func Display(s string) string {
	a, err := parseAddress(s)
	if err != nil {
		return untrusted.Clean(s)
	}
	return a.display
}

// scrub keeps the address's password out of an error's text.
func (a address) scrub(err error) error {
	if err == nil || a.password == "" || !strings.Contains(err.Error(), a.password) {
		return err
	}
	return scrubbed{err, strings.ReplaceAll(err.Error(), a.password, "***")}
}

type scrubbed struct {
	err error
	msg string
}

func (s scrubbed) Error() string { return s.msg }

// Is matches what the error wraps (errors.Is(err, ErrTooLarge) works)
// without handing the unscrubbed error out, as Unwrap would.
func (s scrubbed) Is(target error) bool { return errors.Is(s.err, target) }
