package remote

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/investigate/remote/remotetest"
)

const testToken = "ghp_testtokenNeverShown0123456789"

func names(repos []Repository) string {
	var out []string
	for _, r := range repos {
		s := r.Name
		if r.Fork {
			s += "(fork)"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestGitHubListsEveryPageForksIncluded(t *testing.T) {
	f := remotetest.NewForge(t)
	f.Account("users/alice",
		remotetest.Repo{Name: "alice/a", CloneURL: "https://git.example/alice/a.git"},
		remotetest.Repo{Name: "alice/b", CloneURL: "https://git.example/alice/b.git"},
		remotetest.Repo{Name: "alice/wordpress", CloneURL: "https://git.example/alice/wordpress.git", Fork: true},
	)
	repos, err := GitHub{APIURL: f.URL}.Repositories(context.Background(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	if got := names(repos); got != "alice/a alice/b alice/wordpress(fork)" {
		t.Errorf("listed %q; want the two pages, the fork included", got)
	}
	reqs := f.Requests()
	if len(reqs) != 2 || reqs[1].Query.Get("page") != "2" || reqs[0].Query.Get("per_page") != "100" {
		t.Errorf("requests %+v; want two pages of 100", reqs)
	}
	for _, r := range reqs {
		if r.Authorization != "" {
			t.Errorf("a token was sent without one set: %q", r.Authorization)
		}
	}
}

// A listing names what to clone: only a web address is taken from it.
func TestAListingCannotPointTheCloneAnywhere(t *testing.T) {
	f := remotetest.NewForge(t)
	f.Account("users/eve",
		remotetest.Repo{Name: "eve/a", CloneURL: "file:///etc/shadow.git"},
		remotetest.Repo{Name: "eve/b", CloneURL: "ssh://intranet.example/secret.git"},
	)
	repos, err := GitHub{APIURL: f.URL}.Repositories(context.Background(), "eve")
	if err != nil || len(repos) != 2 || repos[0].CloneURL != "" || repos[1].CloneURL != "" {
		t.Errorf("listing with other addresses: %+v, %v; want them dropped", repos, err)
	}
}

func TestGitHubSendsTheTokenAsBearer(t *testing.T) {
	f := remotetest.NewForge(t)
	f.Token = testToken
	f.Account("users/alice", remotetest.Repo{Name: "alice/a", CloneURL: "https://git.example/alice/a.git"})
	if _, err := (GitHub{APIURL: f.URL, Token: secret.New(testToken)}).Repositories(context.Background(), "alice"); err != nil {
		t.Fatal(err)
	}
	if r := f.Requests(); len(r) != 1 || r[0].Authorization != "Bearer "+testToken {
		t.Errorf("requests %+v; want the token as Bearer", r)
	}
	_, err := (GitHub{APIURL: f.URL, Token: secret.New("wrong-token-value")}).Repositories(context.Background(), "alice")
	if err == nil || strings.Contains(err.Error(), "wrong-token-value") || !strings.Contains(err.Error(), "401") {
		t.Errorf("a refused token: %v; want the 401 said, the token not", err)
	}
}

func TestGitHubFallsBackToTheOrganisation(t *testing.T) {
	f := remotetest.NewForge(t)
	f.Account("orgs/acme", remotetest.Repo{Name: "acme/site", CloneURL: "https://git.example/acme/site.git"})
	repos, err := GitHub{APIURL: f.URL}.Repositories(context.Background(), "acme")
	if err != nil || names(repos) != "acme/site" {
		t.Errorf("organisation: %q, %v", names(repos), err)
	}
	if _, err := (GitHub{APIURL: f.URL}).Repositories(context.Background(), "nobody"); !errors.Is(err, ErrNoSuchOwner) {
		t.Errorf("unknown account: %v; want ErrNoSuchOwner", err)
	}
	if _, err := (GitHub{APIURL: f.URL}).Repositories(context.Background(), "../x"); err == nil || len(f.Requests()) != 4 {
		t.Errorf("a name GitHub cannot have: %v (%d requests); want refused before asking", err, len(f.Requests()))
	}
}

func TestGitHubRateLimitSaysWhenItResets(t *testing.T) {
	f := remotetest.NewForge(t)
	reset := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	f.RateLimit("users/alice", reset)
	_, err := GitHub{APIURL: f.URL}.Repositories(context.Background(), "alice")
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.Reset.Equal(reset) || rl.Authenticated || rl.Forge != "GitHub" {
		t.Fatalf("rate limited: %v (%+v); want a RateLimitError resetting at %v", err, rl, reset)
	}
	if len(f.Requests()) != 1 {
		t.Errorf("%d requests; want none after the refusal", len(f.Requests()))
	}
}

// An answer with no request left ends the listing before the next page.
func TestGitHubStopsWhenNoRequestIsLeft(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("X-Ratelimit-Remaining", "0")
		w.Header().Set("X-Ratelimit-Reset", "1900000000")
		w.Header().Set("Link", `<http://`+r.Host+`/users/alice/repos?page=2>; rel="next"`)
		w.Write([]byte(`[{"full_name":"alice/a","clone_url":"https://git.example/alice/a.git"}]`))
	}))
	defer srv.Close()
	repos, err := GitHub{APIURL: srv.URL}.Repositories(context.Background(), "alice")
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.Reset.Unix() != 1900000000 || calls.Load() != 1 || names(repos) != "alice/a" {
		t.Errorf("%d calls, %q, %v; want one call, its page, and the limit", calls.Load(), names(repos), err)
	}
}

// A next page on another host is not followed: the token would go there.
func TestGitHubNeverSendsTheTokenElsewhere(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.Write([]byte(`[]`))
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("redirect") != "" {
			http.Redirect(w, r, other.URL+"/users/alice/repos", http.StatusFound)
			return
		}
		w.Header().Set("Link", `<`+other.URL+`/users/alice/repos?page=2>; rel="next"`)
		w.Write([]byte(`[]`))
	}))
	defer api.Close()
	gh := GitHub{APIURL: api.URL, Token: secret.New(testToken)}
	_, err := gh.Repositories(context.Background(), "alice")
	if err == nil || elsewhere.Load() != 0 || strings.Contains(err.Error(), testToken) {
		t.Errorf("next page elsewhere: %v, %d requests there; want refused, none", err, elsewhere.Load())
	}
	_, err = gh.Blob(context.Background(), CodeHit{BlobURL: other.URL + "/blobs/1", WebURL: "https://github.example/x"}, 1<<20)
	if err == nil || elsewhere.Load() != 0 {
		t.Errorf("a blob elsewhere: %v, %d requests there; want refused, none", err, elsewhere.Load())
	}
	_, err = gh.Blob(context.Background(), CodeHit{BlobURL: api.URL + "/blobs/1?redirect=1", WebURL: "https://github.example/x"}, 1<<20)
	if err == nil || elsewhere.Load() != 0 {
		t.Errorf("a redirect elsewhere: %v, %d requests there; want refused, none", err, elsewhere.Load())
	}
}

func TestCodeSearchNeedsAToken(t *testing.T) {
	f := remotetest.NewForge(t)
	if _, err := (GitHub{APIURL: f.URL}).SearchCode(context.Background(), fixtureKey); !errors.Is(err, ErrNeedsToken) || len(f.Requests()) != 0 {
		t.Errorf("code search without a token: %v, %d requests; want ErrNeedsToken, none", err, len(f.Requests()))
	}
}

func TestSearchPublishedReadsWhatGitHubFinds(t *testing.T) {
	f := remotetest.NewForge(t)
	f.Token = testToken
	f.Code(fixtureKey,
		remotetest.Hit{Repository: "stranger/copy", Path: "config/.env", Content: fixture(t)},
		remotetest.Hit{Repository: "stranger/notes", Path: "notes.md", Content: "our Mailjet API key is " + fixtureKey + "\n"},
		remotetest.Hit{Repository: "Alice/site", Path: ".env", Content: fixture(t)},
	)
	gh := GitHub{APIURL: f.URL, Token: secret.New(testToken)}
	tmp := t.TempDir()
	res, err := SearchPublished(context.Background(), gh, []string{fixtureKey}, map[string]bool{"alice/site": true}, Options{TempDir: tmp}, investigate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]investigate.Finding{}
	for _, fd := range res.Findings {
		byPath[fd.Path] = fd
		if strings.Contains(fd.Path, "Alice/site") {
			t.Errorf("a file of a repository read already: %s", fd.Path)
		}
	}
	copyPage := "https://github.example/stranger/copy/blob/"
	var pair, alone *investigate.Finding
	for p, fd := range byPath {
		switch {
		case strings.HasPrefix(p, copyPage) && strings.HasSuffix(p, "/config/.env") && fd.Rule == investigate.RuleMailjetPair:
			pair = &fd
		case strings.Contains(p, "stranger/notes") && fd.Rule == investigate.RuleMailjetKey:
			alone = &fd
		}
	}
	if pair == nil || pair.Secret.Last4() != fixtureLast4 || pair.APIKey != fixtureKey {
		t.Errorf("the copied .env: %+v; want its pair at its page (findings %+v)", pair, res.Findings)
	}
	if alone == nil || alone.APIKey != fixtureKey {
		t.Errorf("the page with the key alone: %+v; want a key finding (findings %+v)", alone, res.Findings)
	}
	for _, r := range f.Requests() {
		if r.Path == "/search/code" && r.Query.Get("q") != fixtureKey {
			t.Errorf("searched for %q", r.Query.Get("q"))
		}
	}
	assertEmpty(t, tmp)
}

func TestSearchPublishedStopsAtTheRateLimit(t *testing.T) {
	f := remotetest.NewForge(t)
	f.Token = testToken
	f.RateLimit("search", time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	gh := GitHub{APIURL: f.URL, Token: secret.New(testToken)}
	_, err := SearchPublished(context.Background(), gh, []string{fixtureKey}, nil, Options{TempDir: t.TempDir()}, investigate.Options{})
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.Authenticated || strings.Contains(err.Error(), testToken) {
		t.Errorf("search rate limited: %v; want an authenticated RateLimitError without the token", err)
	}
}

func TestGitLabListsUsersAndGroups(t *testing.T) {
	f := remotetest.NewForge(t)
	f.Account("gitlab/users/bob",
		remotetest.Repo{Name: "bob/a", CloneURL: "https://gitlab.example/bob/a.git"},
		remotetest.Repo{Name: "bob/b", CloneURL: "https://gitlab.example/bob/b.git", Fork: true},
		remotetest.Repo{Name: "bob/c", CloneURL: "https://gitlab.example/bob/c.git"},
	)
	f.Account("gitlab/groups/team/web", remotetest.Repo{Name: "team/web/site", CloneURL: "https://gitlab.example/team/web/site.git"})
	gl := GitLab{APIURL: f.URL} // an instance's address: /api/v4 is added
	repos, err := gl.Repositories(context.Background(), "bob")
	if err != nil || names(repos) != "bob/a bob/b(fork) bob/c" {
		t.Errorf("user: %q, %v; want both pages", names(repos), err)
	}
	repos, err = gl.Repositories(context.Background(), "team/web")
	if err != nil || names(repos) != "team/web/site" {
		t.Errorf("subgroup: %q, %v", names(repos), err)
	}
	reset := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	f.RateLimit("gitlab/users/bob", reset)
	f.Token = testToken
	_, err = (GitLab{APIURL: f.URL, Token: secret.New(testToken)}).Repositories(context.Background(), "bob")
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.Reset.Equal(reset) || rl.Forge != "GitLab" || strings.Contains(err.Error(), testToken) {
		t.Errorf("rate limited: %v; want a GitLab RateLimitError at %v", err, reset)
	}
	for _, r := range f.Requests() {
		if r.Authorization != "" && r.Authorization != testToken {
			t.Errorf("token sent as %q", r.Authorization)
		}
	}
}

func TestAddresses(t *testing.T) {
	for s, want := range map[string]bool{
		"git@github.com:alice/site.git":    true,
		"ssh://git@example.com/alice/site": true,
		"https://github.com/alice/site":    true,
		"https://gitlab.com/team/web/site": true,
		"http://127.0.0.1:8080/x/site.git": true,
		"https://example.com/":             false,
		"https://example.com/blog":         false,
		"https://github.com/alice":         false,
		"./backup@host:dir":                false,
		"/var/www":                         false,
		"file:///srv/git/site.git":         false,
	} {
		if got := LooksLikeRepository(s); got != want {
			t.Errorf("LooksLikeRepository(%q) = %v", s, got)
		}
	}
	for _, s := range []string{"file:///etc", "/srv/git/site.git", "ext::sh -c touch% /tmp/x", "https://", "ftp://example.com/x.git"} {
		if _, err := parseAddress(s); !errors.Is(err, ErrNotRepository) {
			t.Errorf("parseAddress(%q): %v; want refused", s, err)
		}
		if _, err := Clone(context.Background(), s, Options{TempDir: t.TempDir()}); err == nil {
			t.Errorf("Clone(%q) accepted", s)
		}
	}
	if got := Display("https://alice:hunter2secret@example.com/site.git"); got != "https://alice@example.com/site.git" {
		t.Errorf("Display kept the password: %s", got)
	}
	_, err := Clone(context.Background(), "http://alice:hunter2secret@127.0.0.1:1/site.git", Options{TempDir: t.TempDir()})
	if err == nil || strings.Contains(err.Error(), "hunter2secret") {
		t.Errorf("an address with a password: %v; want an error without the password", err)
	}
}

// ScanAccount reads each listed repository; one that cannot be read is
// skipped with its reason, the others are still read.
func TestScanAccountReadsEachRepository(t *testing.T) {
	s := remotetest.NewGitServer(t)
	leakyRepo(t, s, "shop")
	f := remotetest.NewForge(t)
	f.Account("users/lafleur",
		remotetest.Repo{Name: "lafleur/gone", CloneURL: s.URLOf("gone")},
		remotetest.Repo{Name: "lafleur/shop", CloneURL: s.URLOf("shop")},
	)
	var heard []string
	res, err := ScanAccount(context.Background(), GitHub{APIURL: f.URL}, "lafleur", Options{TempDir: t.TempDir()},
		investigate.Options{}, func(n, total int, repo string) { heard = append(heard, fmt.Sprintf("%d/%d %s", n, total, repo)) })
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(heard, []string{"1/2 lafleur/gone", "2/2 lafleur/shop"}) {
		t.Errorf("progress %v", heard)
	}
	pair := false
	for _, f := range res.Findings {
		pair = pair || f.Rule == investigate.RuleMailjetPair && strings.HasPrefix(f.Path, s.URLOf("shop"))
	}
	if !pair || len(res.Stats.Skipped) != 1 || !strings.Contains(res.Stats.Skipped[0].Reason, "repository not read") {
		t.Errorf("findings %+v, skipped %+v", res.Findings, res.Stats.Skipped)
	}
	if _, err := ScanAccount(context.Background(), GitHub{APIURL: f.URL}, "nobody", Options{}, investigate.Options{}, nil); !errors.Is(err, ErrNoSuchOwner) {
		t.Errorf("unknown account: %v", err)
	}
}
