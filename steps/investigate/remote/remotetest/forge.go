package remotetest

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Forge fakes the parts of GitHub's REST API (at URL) and GitLab's (at
// URL/api/v4) that package remote uses: listing an account's
// repositories, page by page; code search; blobs; rate limits.
type Forge struct {
	URL     string
	Token   string // the only token accepted; code search needs it
	PerPage int    // repositories a page (2 unless set)

	mu       sync.Mutex
	accounts map[string][]Repo // "users/alice", "orgs/acme", "gitlab/users/bob", "gitlab/groups/team"
	limited  map[string]time.Time
	code     map[string][]Hit // search text -> files
	blobs    map[string]string
	seen     []Seen
}

// Repo is a repository the fake lists.
type Repo struct {
	Name     string // owner/name
	CloneURL string
	Fork     bool
}

// Hit is a file code search finds.
type Hit struct {
	Repository string // owner/name
	Path       string
	Content    string
}

// Seen is one request the fake answered.
type Seen struct {
	Path          string
	Query         url.Values
	Authorization string // the token header's value, as received
}

// NewForge starts a fake, closed when the test ends.
func NewForge(t testing.TB) *Forge {
	f := &Forge{PerPage: 2, accounts: map[string][]Repo{}, limited: map[string]time.Time{}, code: map[string][]Hit{}, blobs: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// Account sets what the listing at key ("users/alice", "orgs/acme",
// "gitlab/users/bob", "gitlab/groups/team/sub") returns.
func (f *Forge) Account(key string, repos ...Repo) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.accounts[key] = repos
}

// RateLimit makes requests for the listing at key fail as an exhausted
// rate limit does, resetting at reset.
func (f *Forge) RateLimit(key string, reset time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limited[key] = reset
}

// Code makes code search for text find the files.
func (f *Forge) Code(text string, hits ...Hit) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.code[text] = hits
}

// Requests lists what was asked so far.
func (f *Forge) Requests() []Seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Seen(nil), f.seen...)
}

func (f *Forge) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	auth := r.Header.Get("Authorization")
	if r.Header.Get("Private-Token") != "" {
		auth = r.Header.Get("Private-Token")
	}
	f.seen = append(f.seen, Seen{Path: r.URL.Path, Query: r.URL.Query(), Authorization: auth})
	if auth != "" && auth != "Bearer "+f.Token && auth != f.Token {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
		return
	}
	path := r.URL.EscapedPath()
	switch {
	case strings.HasPrefix(path, "/api/v4/"):
		f.gitlab(w, r, strings.TrimPrefix(path, "/api/v4/"))
	case path == "/search/code":
		f.search(w, r, auth != "")
	case strings.HasPrefix(path, "/blobs/"):
		content, ok := f.blobs[strings.TrimPrefix(path, "/blobs/")]
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"content": base64.StdEncoding.EncodeToString([]byte(content)), "encoding": "base64", "size": len(content)})
	case strings.HasSuffix(path, "/repos"):
		f.github(w, r, strings.TrimSuffix(strings.TrimPrefix(path, "/"), "/repos"))
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
	}
}

// page cuts the listing at key to the requested page; ok is false when
// no such account.
func (f *Forge) page(r *http.Request, key string) (repos []Repo, next int, ok bool) {
	all, ok := f.accounts[key]
	if !ok {
		return nil, 0, false
	}
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	n = max(n, 1)
	from := min((n-1)*f.PerPage, len(all))
	to := min(from+f.PerPage, len(all))
	if to < len(all) {
		next = n + 1
	}
	return all[from:to], next, true
}

func (f *Forge) github(w http.ResponseWriter, r *http.Request, key string) {
	w.Header().Set("X-Ratelimit-Limit", "60")
	if reset, ok := f.limited[key]; ok {
		w.Header().Set("X-Ratelimit-Remaining", "0")
		w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		writeJSON(w, http.StatusForbidden, map[string]string{"message": "API rate limit exceeded for 127.0.0.1."})
		return
	}
	repos, next, ok := f.page(r, key)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	w.Header().Set("X-Ratelimit-Remaining", "42")
	if next > 0 {
		u := *r.URL
		q := u.Query()
		q.Set("page", strconv.Itoa(next))
		u.RawQuery = q.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s>; rel="next", <http://%s%s?page=9>; rel="last"`, r.Host, u.RequestURI(), r.Host, r.URL.Path))
	}
	out := []map[string]any{}
	for _, repo := range repos {
		out = append(out, map[string]any{"full_name": repo.Name, "clone_url": repo.CloneURL, "html_url": "https://github.example/" + repo.Name,
			"fork": repo.Fork, "archived": false, "private": false, "size": 12})
	}
	writeJSON(w, http.StatusOK, out)
}

func (f *Forge) search(w http.ResponseWriter, r *http.Request, authenticated bool) {
	if !authenticated {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Requires authentication"})
		return
	}
	w.Header().Set("X-Ratelimit-Resource", "code_search")
	if reset, ok := f.limited["search"]; ok {
		w.Header().Set("X-Ratelimit-Remaining", "0")
		w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		writeJSON(w, http.StatusForbidden, map[string]string{"message": "API rate limit exceeded"})
		return
	}
	hits := f.code[r.URL.Query().Get("q")]
	items := []map[string]any{}
	for _, h := range hits {
		sum := sha1.Sum([]byte(h.Content))
		sha := hex.EncodeToString(sum[:])
		f.blobs[sha] = h.Content
		items = append(items, map[string]any{
			"name": h.Path, "path": h.Path, "sha": sha,
			"git_url":    "http://" + r.Host + "/blobs/" + sha,
			"html_url":   "https://github.example/" + h.Repository + "/blob/" + sha[:7] + "/" + h.Path,
			"repository": map[string]any{"full_name": h.Repository},
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"total_count": len(items), "incomplete_results": false, "items": items})
}

func (f *Forge) gitlab(w http.ResponseWriter, r *http.Request, path string) {
	kind, rest, _ := strings.Cut(path, "/")
	owner, _ := url.PathUnescape(strings.TrimSuffix(rest, "/projects"))
	key := "gitlab/" + kind + "/" + owner
	if reset, ok := f.limited[key]; ok {
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"message": "Retry later"})
		return
	}
	repos, next, ok := f.page(r, key)
	if !ok || !strings.HasSuffix(rest, "/projects") || r.URL.Query().Get("visibility") != "public" {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Not Found"})
		return
	}
	if next > 0 {
		w.Header().Set("X-Next-Page", strconv.Itoa(next))
	} else {
		w.Header().Set("X-Next-Page", "")
	}
	out := []map[string]any{}
	for _, repo := range repos {
		p := map[string]any{"path_with_namespace": repo.Name, "http_url_to_repo": repo.CloneURL, "web_url": "https://gitlab.example/" + repo.Name, "archived": false}
		if repo.Fork {
			p["forked_from_project"] = map[string]any{"id": 1}
		}
		out = append(out, p)
	}
	writeJSON(w, http.StatusOK, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
