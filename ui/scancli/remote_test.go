package scancli

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/investigate/remote/remotetest"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// The pair of the Laravel fixture, committed then deleted.
const (
	laravelKey   = "d592c9448572baaa79d6398e48458868"
	laravelLast4 = "03db"
	cliToken     = "ghp_cliTokenThatMustNeverBeShown42"
)

func leaky(t *testing.T, s *remotetest.GitServer, name string) []string {
	t.Helper()
	env, err := os.ReadFile(credentials + "/laravel.env")
	if err != nil || !bytes.Contains(env, []byte(laravelKey)) {
		t.Fatalf("fixture: %v", err)
	}
	return s.Repo(t, name,
		remotetest.Commit{Message: "site", Files: map[string]string{".env": string(env), "index.php": "<?php\n"}},
		remotetest.Commit{Message: "remove the keys", Delete: []string{".env"}},
	)
}

// privateTemp points the copies' folder at a fresh one, to check it is
// left empty. Call it after the other t.TempDir calls.
func privateTemp(t *testing.T) string {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return dir
}

func assertNothingLeft(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		t.Errorf("left in the temporary folder: %s", e.Name())
	}
}

func TestHistoryOfARepositoryByAddress(t *testing.T) {
	s := remotetest.NewGitServer(t)
	ids := leaky(t, s, "shop")
	tmp := privateTemp(t)
	for _, addr := range []string{s.URLOf("shop"), s.URL + "/shop"} { // without .git: git's answer tells
		code, out, errOut := run(t, "--format", "json", "--history", addr)
		if code != ExitFindings {
			t.Fatalf("%s: exit %d, stderr %q", addr, code, errOut)
		}
		want := addr + "/.env@" + ids[0][:12]
		found := false
		for _, f := range decode(t, out).Findings {
			if f.Path == want && f.Rule == "mailjet-pair" && f.APIKey != nil && *f.APIKey == laravelKey && f.Secret != nil && *f.Secret == laravelLast4 {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no pair at %s:\n%s", addr, want, out)
		}
		if !strings.Contains(errOut, "Reading the history of "+addr+"…") {
			t.Errorf("stderr %q; want the progress line", errOut)
		}
		assertNothingLeft(t, tmp)
	}
}

func TestARepositoryAddressNeedsNoHistoryFlag(t *testing.T) {
	s := remotetest.NewGitServer(t)
	leaky(t, s, "shop")
	privateTemp(t)
	// An address shaped as a repository's is one; another is a web site.
	if code, out, errOut := run(t, "--format", "json", s.URLOf("shop")); code != ExitFindings || len(decode(t, out).Findings) == 0 {
		t.Errorf("…/shop.git without --history: exit %d, stderr %q", code, errOut)
	}
	before := len(s.Requested())
	code, out, _ := run(t, "--format", "json", s.URL+"/shop")
	for _, f := range decode(t, out).Findings {
		if strings.Contains(f.Path, "@") {
			t.Errorf("…/shop (no .git) without --history read as a repository: exit %d, %s", code, f.Path)
		}
	}
	for _, p := range s.Requested()[before:] {
		if strings.HasSuffix(p, "/git-upload-pack") {
			t.Errorf("…/shop (no .git) without --history was cloned: %s", p)
		}
	}
}

func TestARepositoryOverTheCapIsAnError(t *testing.T) {
	s := remotetest.NewGitServer(t)
	noise := make([]byte, 2<<20)
	rand.Read(noise)
	s.Repo(t, "big", remotetest.Commit{Message: "big", Files: map[string]string{"a.bin": string(noise)}})
	tmp := privateTemp(t)
	code, out, errOut := run(t, "--max-repo-size", "1M", s.URLOf("big"))
	if code != ExitError || out != "" || !strings.Contains(errOut, "is larger than 1M") || !strings.Contains(errOut, "--max-repo-size") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2 and the cap said", code, out, errOut)
	}
	assertNothingLeft(t, tmp)
}

// alice has three repositories over two pages, a fork among them; the
// key of her old commit is also in a stranger's copy, which GitHub's
// code search finds.
func aliceOnGitHub(t *testing.T) (*remotetest.Forge, *remotetest.GitServer, []string) {
	s := remotetest.NewGitServer(t)
	ids := leaky(t, s, "shop")
	s.Repo(t, "blog", remotetest.Commit{Message: "hello", Files: map[string]string{"README": "hello\n"}})
	s.Repo(t, "theme", remotetest.Commit{Message: "fork", Files: map[string]string{"style.css": "body{}\n"}})
	f := remotetest.NewForge(t)
	f.Token = cliToken
	f.Account("users/alice",
		remotetest.Repo{Name: "alice/blog", CloneURL: s.URLOf("blog")},
		remotetest.Repo{Name: "alice/shop", CloneURL: s.URLOf("shop")},
		remotetest.Repo{Name: "alice/theme", CloneURL: s.URLOf("theme"), Fork: true},
	)
	env, _ := os.ReadFile(credentials + "/laravel.env")
	f.Code(laravelKey,
		remotetest.Hit{Repository: "stranger/copy", Path: ".env", Content: string(env)},
		remotetest.Hit{Repository: "alice/shop", Path: ".env", Content: string(env)},
	)
	return f, s, ids
}

func TestAGitHubAccountAndCodeSearch(t *testing.T) {
	f, s, ids := aliceOnGitHub(t)
	t.Setenv("GH_TOKEN", cliToken)
	tmp := privateTemp(t)
	code, out, errOut := run(t, "--format", "json", "--github", "alice", "--github-api-url", f.URL)
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	paths := map[string]string{}
	for _, fd := range decode(t, out).Findings {
		paths[fd.Path] = fd.Rule
	}
	if rule := paths[s.URLOf("shop")+"/.env@"+ids[0][:12]]; rule != "mailjet-pair" {
		t.Errorf("alice/shop's old commit: %q; findings %v", rule, paths)
	}
	stranger := false
	for p, rule := range paths {
		stranger = stranger || (strings.HasPrefix(p, "https://github.example/stranger/copy/blob/") && rule == "mailjet-pair")
		if strings.HasPrefix(p, "https://github.example/alice/shop/") {
			t.Errorf("code search hit in a repository read already: %s", p)
		}
	}
	if !stranger {
		t.Errorf("the stranger's copy found by code search is not reported: %v", paths)
	}
	for _, want := range []string{"3 public repositories of alice on GitHub", "alice/theme, a fork (3 of 3)", "Searching GitHub for the key found…"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(out+errOut, cliToken) {
		t.Error("the token was printed")
	}
	var searched bool
	for _, r := range f.Requests() {
		searched = searched || r.Path == "/search/code"
		if r.Authorization != "Bearer "+cliToken {
			t.Errorf("%s asked with %q", r.Path, r.Authorization)
		}
	}
	if !searched {
		t.Error("no code search")
	}
	assertNothingLeft(t, tmp)
}

func TestWithoutATokenNoCodeSearch(t *testing.T) {
	f, _, _ := aliceOnGitHub(t)
	f.Token = ""
	t.Setenv("GH_TOKEN", "")
	t.Setenv("GITHUB_TOKEN", "")
	privateTemp(t)
	code, _, errOut := run(t, "--github", "alice", "--github-api-url", f.URL)
	if code != ExitFindings || !strings.Contains(errOut, "set GH_TOKEN to a GitHub access token") {
		t.Errorf("exit %d, stderr %q; want findings and the token's use said", code, errOut)
	}
	for _, r := range f.Requests() {
		if r.Path == "/search/code" {
			t.Error("code search without a token")
		}
	}
}

func TestGitHubRateLimitIsSaidInTheCustomersLanguage(t *testing.T) {
	f := remotetest.NewForge(t)
	reset := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	f.RateLimit("users/alice", reset)
	t.Setenv("GH_TOKEN", "")
	t.Setenv("GITHUB_TOKEN", "")
	code, out, errOut := run(t, "--github", "alice", "--github-api-url", f.URL)
	want := "mjrecover scan: GitHub accepts no more requests until " + lang.New(lang.English).Moment(reset.Local()) + ". Run the scan again after that, or set GH_TOKEN"
	if code != ExitError || out != "" || !strings.HasPrefix(errOut, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, out, errOut, want)
	}
	var buf, errBuf strings.Builder
	code = runIn(context.Background(), strictFrench(t), []string{"--github", "alice", "--github-api-url", f.URL}, &buf, &errBuf)
	wantFR := "mjrecover scan: GitHub refuse toute nouvelle demande jusqu'au " + lang.New(lang.French).Moment(reset.Local())
	if code != ExitError || !strings.HasPrefix(errBuf.String(), wantFR) || !strings.Contains(errBuf.String(), "GH_TOKEN") {
		t.Errorf("in French: exit %d, stderr %q; want %q…", code, errBuf.String(), wantFR)
	}
}

func TestAGitLabAccount(t *testing.T) {
	s := remotetest.NewGitServer(t)
	ids := leaky(t, s, "shop")
	f := remotetest.NewForge(t)
	f.Account("gitlab/groups/team/web", remotetest.Repo{Name: "team/web/shop", CloneURL: s.URLOf("shop")})
	t.Setenv("GITLAB_TOKEN", "")
	tmp := privateTemp(t)
	code, out, errOut := run(t, "--format", "json", "--gitlab", "team/web", "--gitlab-api-url", f.URL)
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	want := s.URLOf("shop") + "/.env@" + ids[0][:12]
	found := false
	for _, fd := range decode(t, out).Findings {
		found = found || fd.Path == want
	}
	if !found || !strings.Contains(errOut, "1 public repository of team/web on GitLab") {
		t.Errorf("no finding at %s:\n%s\nstderr %s", want, out, errOut)
	}
	assertNothingLeft(t, tmp)
}

// Everything said about repositories and accounts has its French.
func TestRemoteScanInFrench(t *testing.T) {
	f, _, _ := aliceOnGitHub(t)
	f.Account("users/bob", remotetest.Repo{Name: "bob/huge", CloneURL: "http://127.0.0.1:1/nowhere.git"})
	t.Setenv("GH_TOKEN", cliToken)
	privateTemp(t)
	var out, errOut strings.Builder
	code := runIn(context.Background(), strictFrench(t), []string{"--github", "alice", "--github", "bob", "--github-api-url", f.URL}, &out, &errOut)
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	for _, want := range []string{"3 dépôts publics de alice sur GitHub", "1 dépôt public de bob sur GitHub", "Lecture de l'historique de alice/theme, un fork (3 sur 4)…", "impossible de lire bob/huge : Get ", "Recherche sur GitHub de la clé trouvée…"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
	for _, args := range [][]string{
		{"--github-api-url", "http://127.0.0.1:1"},
		{"--gitlab-api-url", "http://127.0.0.1:1", negatives},
		{"--github", "../etc"},
		{"--gitlab", "a//b"},
		{"--github", "nobody", "--github-api-url", f.URL},
		{"--max-repo-size", "lots", negatives},
	} {
		var out, errOut strings.Builder
		code := runIn(context.Background(), strictFrench(t), args, &out, &errOut)
		if code != ExitError || out.Len() != 0 || strings.Count(errOut.String(), "\n") != 1 || !strings.HasPrefix(errOut.String(), "mjrecover scan") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and one line", args, code, out.String(), errOut.String())
		}
	}
	out.Reset()
	errOut.Reset()
	code = runIn(context.Background(), strictFrench(t), []string{"ssh://git@127.0.0.1:1/nowhere/x.git"}, &out, &errOut)
	if code != ExitError || !strings.Contains(errOut.String(), "Lecture de l'historique de ssh://git@127.0.0.1:1/nowhere/x.git…") ||
		!strings.Contains(errOut.String(), "(un dépôt public se lit sans clé à son adresse https://)") {
		t.Errorf("an SSH address that cannot be read: exit %d, stderr %q", code, errOut.String())
	}
}
