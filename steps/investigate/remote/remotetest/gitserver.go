// Package remotetest serves repositories and fakes forges on loopback,
// for tests of package remote and of the scan command: bare repositories
// made with the real git, served by git's own http-backend (smart HTTP)
// behind net/http/cgi, and a fake of GitHub's and GitLab's REST APIs.
package remotetest

import (
	"io"
	"log"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// HTTPBackend is Debian's path to git's smart-HTTP CGI program.
const HTTPBackend = "/usr/lib/git-core/git-http-backend"

// GitServer serves the bare repositories under Root at URL/<name>.git.
type GitServer struct {
	Root string
	URL  string // http://127.0.0.1:port/git

	mu    sync.Mutex
	paths []string // requested paths, in order
	hook  func(*http.Request)
}

// NewGitServer starts a server, closed when the test ends. It skips the
// test when git or its http-backend is missing.
func NewGitServer(t testing.TB) *GitServer {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	if _, err := os.Stat(HTTPBackend); err != nil {
		t.Skip("git http-backend is not installed: " + err.Error())
	}
	s := &GitServer{Root: t.TempDir()}
	backend := &cgi.Handler{
		Path: HTTPBackend,
		Root: "/git",
		Env:  []string{"GIT_PROJECT_ROOT=" + s.Root, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME=" + s.Root},
		// A refused request (no such repository, a client that hung up)
		// is part of some tests: keep the backend's complaints quiet.
		Stderr: io.Discard,
		Logger: log.New(io.Discard, "", 0),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.Path)
		hook := s.hook
		s.mu.Unlock()
		if hook != nil {
			hook(r)
		}
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL + "/git"
	return s
}

// URLOf is the address of the repository name.
func (s *GitServer) URLOf(name string) string { return s.URL + "/" + name + ".git" }

// Requested lists the paths asked for so far.
func (s *GitServer) Requested() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.paths...)
}

// OnRequest runs hook before each request is served (nil: none).
func (s *GitServer) OnRequest(hook func(*http.Request)) {
	s.mu.Lock()
	s.hook = hook
	s.mu.Unlock()
}

// Commit is one commit of a test repository: Files written (path in the
// repository -> content), then Delete removed, and Gitlinks (path ->
// commit id) added as submodules are (name them in a .gitmodules file).
type Commit struct {
	Message  string
	Files    map[string]string
	Delete   []string
	Gitlinks map[string]string
}

// Repo makes the bare repository name.git from the commits, a day apart,
// and returns their full ids in order.
func (s *GitServer) Repo(t testing.TB, name string, commits ...Commit) []string {
	t.Helper()
	work := t.TempDir()
	Git(t, work, nil, "init", "-q", "-b", "main")
	var ids []string
	for i, c := range commits {
		for p, content := range c.Files {
			full := filepath.Join(work, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range c.Delete {
			if err := os.Remove(filepath.Join(work, filepath.FromSlash(p))); err != nil {
				t.Fatal(err)
			}
		}
		when := time.Date(2024, 1, 1+i, 10, 0, 0, 0, time.UTC).Format(time.RFC3339)
		Git(t, work, []string{"GIT_AUTHOR_DATE=" + when, "GIT_COMMITTER_DATE=" + when}, "add", "-A")
		for p, id := range c.Gitlinks {
			Git(t, work, nil, "update-index", "--add", "--cacheinfo", "160000,"+id+","+p)
		}
		Git(t, work, []string{"GIT_AUTHOR_DATE=" + when, "GIT_COMMITTER_DATE=" + when}, "commit", "-q", "--allow-empty", "-m", c.Message)
		ids = append(ids, strings.TrimSpace(Git(t, work, nil, "rev-parse", "HEAD")))
	}
	Git(t, s.Root, nil, "clone", "-q", "--bare", work, name+".git")
	return ids
}

// Git runs git in dir with a configuration of its own (no system or
// global file, a fixed author) plus env, and returns its output; a
// failure fails the test.
func Git(t testing.TB, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.test",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.test", "GIT_TERMINAL_PROMPT=0")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
