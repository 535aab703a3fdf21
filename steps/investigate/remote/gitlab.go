package remote

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
)

// DefaultGitLabAPI is gitlab.com's REST API.
const DefaultGitLabAPI = "https://gitlab.com/api/v4"

// GitLab reads an account's public projects through GitLab's REST API.
// (GitLab's code search over every project needs its paid search and is
// not used.)
type GitLab struct {
	APIURL string        // "" means DefaultGitLabAPI; an instance's address without a path gets /api/v4
	Token  secret.Secret // zero: anonymous; sent as PRIVATE-TOKEN to the API's host only
	Client *http.Client  // nil: a client with a one-minute timeout
}

// GitLabToken is the token of the environment: GITLAB_TOKEN (the name
// GitLab's own tool reads).
func GitLabToken(getenv func(string) string) secret.Secret {
	return secret.New(strings.TrimSpace(getenv("GITLAB_TOKEN")))
}

// gitlabName is a user name or a group path (group/subgroup).
var gitlabName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$`)

// ValidGitLabName reports whether s can be a GitLab user or group path.
func ValidGitLabName(s string) bool {
	return len(s) <= 1024 && gitlabName.MatchString(s) && !strings.Contains(s, "..")
}

func (g GitLab) api() (*forgeAPI, error) {
	base := g.APIURL
	if base == "" {
		base = DefaultGitLabAPI
	}
	if u, err := url.Parse(base); err == nil && strings.Trim(u.Path, "/") == "" {
		base = strings.TrimRight(base, "/") + "/api/v4"
	}
	token := g.Token
	f, err := newForgeAPI("GitLab", base, g.Client, !token.IsZero(), func(h http.Header) {
		if !token.IsZero() {
			h.Set("PRIVATE-TOKEN", token.Reveal())
		}
	})
	if err != nil {
		return nil, err
	}
	f.limit = gitlabLimit
	return f, nil
}

// gitlabLimit reads GitLab's rate-limit headers: RateLimit-Remaining 0
// with RateLimit-Reset (seconds since 1970), or a 429 with Retry-After.
func gitlabLimit(resp *http.Response, now time.Time) (bool, time.Time) {
	h := resp.Header
	if resp.StatusCode == http.StatusTooManyRequests {
		if t := epochHeader(h, "RateLimit-Reset"); !t.IsZero() {
			return true, t
		}
		return true, retryAfter(h, now)
	}
	if strings.TrimSpace(h.Get("RateLimit-Remaining")) == "0" {
		return true, epochHeader(h, "RateLimit-Reset")
	}
	return false, time.Time{}
}

// Repositories lists the public projects of a user or, when no user has
// that name, of a group (its subgroups' included), 100 a page, following
// X-Next-Page.
func (g GitLab) Repositories(ctx context.Context, owner string) ([]Repository, error) {
	if !ValidGitLabName(owner) {
		return nil, fmt.Errorf("%q is not a GitLab user or group name", untrusted.Clean(owner))
	}
	f, err := g.api()
	if err != nil {
		return nil, err
	}
	query := url.Values{"per_page": {"100"}, "visibility": {"public"}, "order_by": {"id"}, "sort": {"asc"}}
	var repos []Repository
	for _, kind := range []string{"users", "groups"} {
		q := maps.Clone(query)
		if kind == "groups" {
			q.Set("include_subgroups", "true")
		}
		first, err := f.at("/"+kind+"/"+url.PathEscape(owner)+"/projects", q)
		if err != nil {
			return nil, err
		}
		err = f.listAll(ctx, first, gitlabNext, func(raw json.RawMessage) error {
			var page []struct {
				Path     string          `json:"path_with_namespace"`
				CloneURL string          `json:"http_url_to_repo"`
				WebURL   string          `json:"web_url"`
				Archived bool            `json:"archived"`
				Forked   json.RawMessage `json:"forked_from_project"`
			}
			if err := json.Unmarshal(raw, &page); err != nil {
				return err
			}
			for _, p := range page {
				fork := len(p.Forked) > 0 && string(p.Forked) != "null"
				repos = append(repos, Repository{Name: p.Path, CloneURL: webAddress(p.CloneURL), WebURL: p.WebURL, Fork: fork, Archived: p.Archived})
			}
			return nil
		})
		if !errors.Is(err, errNotFound) {
			return repos, err
		}
	}
	return nil, fmt.Errorf("GitLab: %q: %w", untrusted.Clean(owner), ErrNoSuchOwner)
}

// gitlabNext is the address of the page X-Next-Page names, nil after the
// last page.
func gitlabNext(h http.Header, current *url.URL) *url.URL {
	n := strings.TrimSpace(h.Get("X-Next-Page"))
	if n == "" {
		return nil
	}
	next := *current
	q := next.Query()
	q.Set("page", n)
	next.RawQuery = q.Encode()
	return &next
}
