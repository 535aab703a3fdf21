package remote

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
)

// DefaultGitHubAPI is github.com's REST API.
const DefaultGitHubAPI = "https://api.github.com"

// GitHub reads an account's public repositories and searches code through
// GitHub's REST API. The token, when set, goes to the API's host only,
// and never into an error.
type GitHub struct {
	APIURL string        // "" means DefaultGitHubAPI (a GitHub Enterprise server: https://host/api/v3)
	Token  secret.Secret // zero: anonymous (60 requests an hour, no code search)
	Client *http.Client  // nil: a client with a one-minute timeout
}

// GitHubToken is the token of the environment: GH_TOKEN, else
// GITHUB_TOKEN (the names GitHub's own tools read).
func GitHubToken(getenv func(string) string) secret.Secret {
	for _, name := range []string{"GH_TOKEN", "GITHUB_TOKEN"} {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return secret.New(v)
		}
	}
	return secret.Secret{}
}

// githubName is what GitHub allows in a user or organisation name (and a
// little more: Enterprise managed users have an underscore).
var githubName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$`)

// ValidGitHubName reports whether s can be a GitHub user or organisation.
func ValidGitHubName(s string) bool { return githubName.MatchString(s) }

func (g GitHub) api() (*forgeAPI, error) {
	base := g.APIURL
	if base == "" {
		base = DefaultGitHubAPI
	}
	token := g.Token
	f, err := newForgeAPI("GitHub", base, g.Client, !token.IsZero(), func(h http.Header) {
		h.Set("Accept", "application/vnd.github+json")
		h.Set("X-GitHub-Api-Version", "2022-11-28")
		if !token.IsZero() {
			h.Set("Authorization", "Bearer "+token.Reveal())
		}
	})
	if err != nil {
		return nil, err
	}
	f.limit = githubLimit
	return f, nil
}

// githubLimit reads GitHub's rate-limit headers: x-ratelimit-remaining 0
// (with x-ratelimit-reset, in seconds since 1970), or a secondary limit's
// retry-after on a 403 or 429.
func githubLimit(resp *http.Response, now time.Time) (bool, time.Time) {
	h := resp.Header
	refused := resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests
	if refused && h.Get("Retry-After") != "" {
		return true, retryAfter(h, now)
	}
	if strings.TrimSpace(h.Get("X-Ratelimit-Remaining")) == "0" {
		return true, epochHeader(h, "X-Ratelimit-Reset")
	}
	return false, time.Time{}
}

// Repositories lists the public repositories of a user or, when no user
// has that name, of an organisation: forks and archived ones included
// (see Repository.Fork), 100 a page, following the Link header.
func (g GitHub) Repositories(ctx context.Context, owner string) ([]Repository, error) {
	if !ValidGitHubName(owner) {
		return nil, fmt.Errorf("%q is not a GitHub user or organisation name", untrusted.Clean(owner))
	}
	f, err := g.api()
	if err != nil {
		return nil, err
	}
	query := url.Values{"per_page": {"100"}, "type": {"all"}, "sort": {"full_name"}}
	var repos []Repository
	for _, kind := range []string{"users", "orgs"} {
		first, err := f.at("/"+kind+"/"+url.PathEscape(owner)+"/repos", query)
		if err != nil {
			return nil, err
		}
		err = f.listAll(ctx, first, githubNext, func(raw json.RawMessage) error {
			var page []struct {
				FullName string `json:"full_name"`
				CloneURL string `json:"clone_url"`
				HTMLURL  string `json:"html_url"`
				Fork     bool   `json:"fork"`
				Archived bool   `json:"archived"`
				Private  bool   `json:"private"`
			}
			if err := json.Unmarshal(raw, &page); err != nil {
				return err
			}
			for _, r := range page {
				if !r.Private {
					repos = append(repos, Repository{Name: r.FullName, CloneURL: webAddress(r.CloneURL), WebURL: r.HTMLURL, Fork: r.Fork, Archived: r.Archived})
				}
			}
			return nil
		})
		if !errors.Is(err, errNotFound) {
			return repos, err
		}
	}
	return nil, fmt.Errorf("GitHub: %q: %w", untrusted.Clean(owner), ErrNoSuchOwner)
}

// githubNext is the rel="next" address of a Link header, nil when none.
func githubNext(h http.Header, _ *url.URL) *url.URL {
	for _, link := range h.Values("Link") {
		for part := range strings.SplitSeq(link, ",") {
			target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
			if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for p := range strings.SplitSeq(params, ";") {
				if k, v, _ := strings.Cut(strings.TrimSpace(p), "="); k == "rel" && strings.Trim(v, `"`) == "next" {
					if u, err := url.Parse(target[1 : len(target)-1]); err == nil {
						return u
					}
				}
			}
		}
	}
	return nil
}

// CodeHit is one file GitHub's code search found.
type CodeHit struct {
	WebURL     string // the file's page on GitHub
	Path       string // in its repository
	Repository string // owner/name
	BlobURL    string // the API address of its content
}

// CodeSearch is what one search found.
type CodeSearch struct {
	Total int // files GitHub counts (it lists at most 100 here)
	Hits  []CodeHit
}

// ErrNeedsToken: GitHub's code search answers only authenticated requests.
var ErrNeedsToken = errors.New("GitHub's code search needs a token (GH_TOKEN or GITHUB_TOKEN)")

// SearchCode runs GitHub's code search for text (an API key: public)
// and returns the first 100 files it lists.
func (g GitHub) SearchCode(ctx context.Context, text string) (CodeSearch, error) {
	if g.Token.IsZero() {
		return CodeSearch{}, ErrNeedsToken
	}
	f, err := g.api()
	if err != nil {
		return CodeSearch{}, err
	}
	u, err := f.at("/search/code", url.Values{"q": {text}, "per_page": {"100"}})
	if err != nil {
		return CodeSearch{}, err
	}
	var answer struct {
		TotalCount int `json:"total_count"`
		Items      []struct {
			HTMLURL    string `json:"html_url"`
			Path       string `json:"path"`
			GitURL     string `json:"git_url"`
			Repository struct {
				FullName string `json:"full_name"`
			} `json:"repository"`
		} `json:"items"`
	}
	if _, err := f.get(ctx, u, &answer); err != nil {
		if errors.Is(err, errNotFound) {
			return CodeSearch{}, errors.New("GitHub has no code search at this API address")
		}
		return CodeSearch{}, err
	}
	out := CodeSearch{Total: answer.TotalCount}
	for _, it := range answer.Items {
		out.Hits = append(out.Hits, CodeHit{WebURL: it.HTMLURL, Path: it.Path, Repository: it.Repository.FullName, BlobURL: it.GitURL})
	}
	return out, nil
}

// Blob returns the content of a file found by SearchCode, refusing one
// larger than max bytes.
func (g GitHub) Blob(ctx context.Context, hit CodeHit, max int64) ([]byte, error) {
	f, err := g.api()
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(hit.BlobURL)
	if err != nil || hit.BlobURL == "" {
		return nil, fmt.Errorf("GitHub gave no usable address for the content of %s", untrusted.Clean(hit.WebURL))
	}
	var blob struct {
		Content  string `json:"content"`
		Encoding string `json:"encoding"`
		Size     int64  `json:"size"`
	}
	if _, err := f.get(ctx, u, &blob); err != nil {
		if errors.Is(err, errNotFound) {
			return nil, fmt.Errorf("GitHub no longer has %s", untrusted.Clean(hit.WebURL))
		}
		return nil, err
	}
	if blob.Size > max {
		return nil, fmt.Errorf("%s is larger than %s bytes", untrusted.Clean(hit.WebURL), strconv.FormatInt(max, 10))
	}
	if blob.Encoding != "base64" {
		return []byte(blob.Content), nil
	}
	data, err := base64.StdEncoding.DecodeString(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, blob.Content))
	if err != nil {
		return nil, fmt.Errorf("reading GitHub's content of %s: %w", untrusted.Clean(hit.WebURL), err)
	}
	return data, nil
}
