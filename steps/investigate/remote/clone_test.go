package remote

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/investigate/history"
	"github.com/mjrecover/mjrecover/steps/investigate/remote/remotetest"
)

// The pair of the Laravel fixture.
const (
	fixtureKey    = "d592c9448572baaa79d6398e48458868"
	fixtureLast4  = "03db"
	fixtureSecret = "9087c28cee88ab26d6428e18d25d03db"
)

func fixture(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../testdata/credentials/laravel.env")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), fixtureKey) {
		t.Fatalf("the fixture no longer holds %s", fixtureKey)
	}
	return string(b)
}

// leakyRepo has the pair in its first commit only: the second deletes it.
func leakyRepo(t *testing.T, s *remotetest.GitServer, name string) []string {
	return s.Repo(t, name,
		remotetest.Commit{Message: "site", Files: map[string]string{".env": fixture(t), "index.php": "<?php echo 'hi';\n"}},
		remotetest.Commit{Message: "no secrets in git", Files: map[string]string{".env.example": "MAILJET_APIKEY=\n"}, Delete: []string{".env"}},
	)
}

func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind in %s: %s", dir, e.Name())
	}
}

func TestScanFindsAKeyOnlyInAnOldCommit(t *testing.T) {
	s := remotetest.NewGitServer(t)
	ids := leakyRepo(t, s, "leaky")
	tmp := t.TempDir()
	res, err := Scan(context.Background(), s.URLOf("leaky"), Options{TempDir: tmp}, investigate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := s.URLOf("leaky") + "/.env@" + ids[0][:12]
	var pair *investigate.Finding
	for i, f := range res.Findings {
		if f.Rule == investigate.RuleExposedGit {
			t.Errorf("the private copy's .git reported as an exposure: %+v", f)
		}
		if strings.Contains(f.Path, tmp) {
			t.Errorf("a finding names the private copy: %s", f.Path)
		}
		if f.Rule == investigate.RuleMailjetPair {
			pair = &res.Findings[i]
		}
	}
	if pair == nil {
		t.Fatalf("no pair found in the history; findings: %+v", res.Findings)
	}
	if pair.Path != want || pair.APIKey != fixtureKey || pair.Secret.Last4() != fixtureLast4 {
		t.Errorf("pair at %q key %q secret …%s; want %q %q …%s", pair.Path, pair.APIKey, pair.Secret.Last4(), want, fixtureKey, fixtureLast4)
	}
	if res.Stats.Files < 3 {
		t.Errorf("read %d file versions, want the 3 of the history", res.Stats.Files)
	}
	assertEmpty(t, tmp)
}

func TestCloneIsPrivateHoldsEveryRefAndIsRemoved(t *testing.T) {
	s := remotetest.NewGitServer(t)
	leakyRepo(t, s, "leaky")
	// A commit reachable from a tag only: a mirror has it too.
	remotetest.Git(t, filepath.Join(s.Root, "leaky.git"), nil, "tag", "old", "HEAD~1")
	tmp := t.TempDir()
	c, err := Clone(context.Background(), s.URLOf("leaky"), Options{TempDir: tmp})
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(c.Root)
	if err != nil || info.Mode().Perm() != 0o700 || filepath.Dir(c.Root) != tmp {
		t.Errorf("copy at %s: %v, mode %v; want a 0700 folder in %s", c.Root, err, info.Mode().Perm(), tmp)
	}
	if entries, _ := os.ReadDir(c.Root); len(entries) != 1 || entries[0].Name() != ".git" {
		t.Errorf("the copy holds %v; want only .git (nothing checked out)", entries)
	}
	st, err := history.Read(context.Background(), c.GitDir, history.Options{}, func(history.File) error { return nil })
	if err != nil || st.Commits != 2 {
		t.Errorf("history of the copy: %d commits, %v; want 2", st.Commits, err)
	}
	if err := c.Remove(); err != nil {
		t.Fatal(err)
	}
	assertEmpty(t, tmp)
}

func TestTheSizeCapStopsTheDownload(t *testing.T) {
	s := remotetest.NewGitServer(t)
	noise := make([]byte, 3<<20) // random: the pack cannot compress it
	rand.Read(noise)
	s.Repo(t, "big", remotetest.Commit{Message: "video", Files: map[string]string{"intro.bin": string(noise)}})
	tmp := t.TempDir()
	_, err := Clone(context.Background(), s.URLOf("big"), Options{TempDir: tmp, MaxSize: 1 << 20})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), s.URLOf("big")) {
		t.Errorf("a 3 MiB repository with a 1 MiB cap: %v; want ErrTooLarge naming it", err)
	}
	assertEmpty(t, tmp)
	if _, err := Scan(context.Background(), s.URLOf("big"), Options{TempDir: tmp, MaxSize: 8 << 20}, investigate.Options{}); err != nil {
		t.Errorf("under the cap: %v", err)
	}
	assertEmpty(t, tmp)
}

func TestCancellingRemovesTheCopy(t *testing.T) {
	s := remotetest.NewGitServer(t)
	leakyRepo(t, s, "leaky")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.OnRequest(func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
			cancel() // while the clone waits for the pack
		}
	})
	tmp := t.TempDir()
	_, err := Clone(ctx, s.URLOf("leaky"), Options{TempDir: tmp})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled clone: %v; want context.Canceled", err)
	}
	assertEmpty(t, tmp)
}

func TestAnEmptyRepositoryIsNothingToRead(t *testing.T) {
	s := remotetest.NewGitServer(t)
	remotetest.Git(t, s.Root, nil, "init", "-q", "--bare", "empty.git")
	tmp := t.TempDir()
	res, err := Scan(context.Background(), s.URLOf("empty"), Options{TempDir: tmp}, investigate.Options{})
	if err != nil || len(res.Findings) != 0 {
		t.Errorf("empty repository: %v, %+v", err, res.Findings)
	}
	assertEmpty(t, tmp)
}

func TestAMissingRepositoryIsAnError(t *testing.T) {
	s := remotetest.NewGitServer(t)
	tmp := t.TempDir()
	if _, err := Scan(context.Background(), s.URLOf("nope"), Options{TempDir: tmp}, investigate.Options{}); err == nil || !strings.Contains(err.Error(), s.URLOf("nope")) {
		t.Errorf("a repository that is not there: %v; want an error naming it", err)
	}
	assertEmpty(t, tmp)
}

// A hostile repository names a filter and a textconv driver in its
// .gitattributes and a submodule; the user's own git configuration
// defines those drivers and a hooks folder. Real git runs them (the
// control); a remote scan runs none and fetches no submodule.
func TestNothingOfTheRepositoryRuns(t *testing.T) {
	s := remotetest.NewGitServer(t)
	sub := s.Repo(t, "sub", remotetest.Commit{Message: "sub", Files: map[string]string{"x": "x\n"}})
	s.Repo(t, "hostile", remotetest.Commit{
		Message: "evil",
		Files: map[string]string{
			".gitattributes":      "* filter=evil diff=evil\n",
			".gitmodules":         "[submodule \"sub\"]\n\tpath = sub\n\turl = " + s.URLOf("sub") + "\n",
			".env":                fixture(t),
			"hooks/post-checkout": "#!/bin/sh\ntouch \"$MARKERS/committed-hook\"\n",
		},
		Gitlinks: map[string]string{"sub": sub[0]},
	})
	home := t.TempDir()
	markers := t.TempDir()
	// Each program leaves a mark, then passes its input through.
	program := func(name string) string {
		p := filepath.Join(home, name)
		script := "#!/bin/sh\ntouch " + filepath.Join(markers, name) + "\nif [ $# -gt 0 ]; then exec cat \"$1\"; fi\nexec cat\n"
		if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hooks := filepath.Join(home, "hooks")
	os.Mkdir(hooks, 0o755)
	for _, h := range []string{"post-checkout", "post-merge", "reference-transaction"} {
		os.WriteFile(filepath.Join(hooks, h), []byte("#!/bin/sh\ntouch "+filepath.Join(markers, h)+"\n"), 0o755)
	}
	config := filepath.Join(home, ".gitconfig")
	os.WriteFile(config, []byte("[core]\n\thooksPath = "+hooks+"\n"+
		"[filter \"evil\"]\n\tsmudge = "+program("smudge")+"\n\tclean = "+program("clean")+"\n"+
		"[diff \"evil\"]\n\ttextconv = "+program("textconv")+"\n"+
		"[protocol]\n\tallow = always\n"), 0o644)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("GIT_CONFIG_GLOBAL", config)
	t.Setenv("MARKERS", markers)

	// The control: real git with this configuration runs the drivers.
	control := t.TempDir()
	env := []string{"GIT_CONFIG_GLOBAL=" + config, "HOME=" + home}
	remotetest.Git(t, control, env, "clone", "-q", "--recurse-submodules", s.URLOf("hostile"), "c")
	remotetest.Git(t, filepath.Join(control, "c"), env, "log", "-p", "-1")
	for _, name := range []string{"post-checkout", "smudge", "textconv"} {
		if _, err := os.Stat(filepath.Join(markers, name)); err != nil {
			t.Fatalf("the control did not run %s: the test would prove nothing", name)
		}
	}
	if !requested(s, "/git/sub.git/") {
		t.Fatalf("the control did not fetch the submodule: %q", s.Requested())
	}
	os.RemoveAll(markers)
	os.Mkdir(markers, 0o755)
	before := len(s.Requested())

	tmp := t.TempDir()
	res, err := Scan(context.Background(), s.URLOf("hostile"), Options{TempDir: tmp}, investigate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ran, _ := os.ReadDir(markers); len(ran) != 0 {
		t.Errorf("the remote scan ran the repository's or the configuration's programs: %v", ran)
	}
	for _, p := range s.Requested()[before:] {
		if !strings.HasPrefix(p, "/git/hostile.git/") {
			t.Errorf("the remote scan asked for %s", p)
		}
	}
	found := false
	for _, f := range res.Findings {
		found = found || (f.Rule == investigate.RuleMailjetPair && f.APIKey == fixtureKey)
	}
	if !found {
		t.Errorf("the pair in the hostile repository was not found: %+v", res.Findings)
	}
	assertEmpty(t, tmp)
}

func requested(s *remotetest.GitServer, prefix string) bool {
	for _, p := range s.Requested() {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

func TestServesGitTellsARepositoryFromASite(t *testing.T) {
	s := remotetest.NewGitServer(t)
	leakyRepo(t, s, "leaky")
	ctx := context.Background()
	if !ServesGit(ctx, nil, s.URL+"/leaky") {
		t.Errorf("%s/leaky (no .git) is a repository", s.URL)
	}
	if ServesGit(ctx, nil, s.URL+"/nope") || ServesGit(ctx, nil, "http://127.0.0.1:1/") {
		t.Error("an address that serves no repository taken for one")
	}
}
