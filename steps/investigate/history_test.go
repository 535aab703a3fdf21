package investigate

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// gitRepo creates a repository with the git binary (creating fixtures is
// all git is used for; the scan reads objects itself).
type gitRepo struct {
	t   *testing.T
	dir string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	r.git("config", "user.email", "dev@example.test")
	r.git("config", "user.name", "Dev")
	r.git("config", "commit.gpgsign", "false")
	return r
}

func (r *gitRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null",
		"GIT_AUTHOR_DATE=2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2024-01-01T00:00:00Z")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes files (content "" deletes) and commits at the given day.
func (r *gitRepo) commit(day int, msg string, files map[string]string) string {
	r.t.Helper()
	for name, content := range files {
		p := filepath.Join(r.dir, filepath.FromSlash(name))
		if content == "" {
			os.Remove(p)
			continue
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	r.git("add", "-A")
	date := "2024-01-" + twoDigits(day) + "T00:00:00Z"
	cmd := exec.Command("git", "commit", "-q", "-m", msg)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("git commit: %v\n%s", err, out)
	}
	return r.git("rev-parse", "HEAD")
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

func historyHits(t *testing.T, root string, res Result) []hit {
	t.Helper()
	var out []hit
	for _, h := range hitsOf(t, root, res.Findings) {
		if strings.Contains(h.path, "@") {
			out = append(out, h)
		}
	}
	return out
}

func TestScanReadsGitHistory(t *testing.T) {
	r := newGitRepo(t)
	c1 := r.commit(1, "config", map[string]string{"config/.env": leakEnv, "README": "shop\n"})
	r.commit(2, "unrelated change keeps the key", map[string]string{"config/.env": "APP_ENV=prod\n" + leakEnv})
	c3 := r.commit(3, "rotate", map[string]string{"config/.env": "MJ_APIKEY_PUBLIC=" + k1 + "\nMJ_APIKEY_PRIVATE=" + s2 + "\n"})
	c4 := r.commit(4, "remove the secrets", map[string]string{"config/.env": "MJ_APIKEY_PUBLIC=${MJ_KEY}\n"})
	// A branch that was never merged, and a tag on it.
	r.git("checkout", "-q", "-b", "experiment")
	c5 := r.commit(5, "try smtp", map[string]string{"mail.php": "<?php\n$mail->Host = 'in-v3.mailjet.com';\n$mail->Username = '" + k2 + "';\n$mail->Password = '" + s2 + "';\n"})
	r.git("tag", "-a", "v1", "-m", "tag")
	r.git("checkout", "-q", "main")
	_ = c4

	check := func(label string) {
		t.Helper()
		res := scan(t, Options{Roots: []string{r.dir}, History: true})
		got := historyHits(t, r.dir, res)
		want := []hit{
			{RuleMailjetPair, "config/.env@" + c1[:12], 2, k1, s1[28:]},
			{RuleMailjetPair, "config/.env@" + c3[:12], 2, k1, s2[28:]},
			{RuleMailjetSMTP, "mail.php@" + c5[:12], 4, k2, s2[28:]},
		}
		// Findings are sorted by path, and commit ids sort at random.
		slices.SortFunc(want, func(a, b hit) int { return strings.Compare(a.path, b.path) })
		if len(got) != len(want) {
			t.Fatalf("%s: history findings\n%s\nwant\n%s", label, formatHits(got), formatHits(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: finding %d = %+v, want %+v", label, i, got[i], want[i])
			}
		}
	}
	check("loose objects")
	r.git("gc", "-q", "--aggressive")
	if loose, _ := filepath.Glob(filepath.Join(r.dir, ".git/objects/??/*")); len(loose) != 0 {
		t.Fatalf("gc left %d loose objects", len(loose))
	}
	check("packed objects")

	// Without History, only the working tree is read.
	res := scan(t, Options{Roots: []string{r.dir}})
	if got := historyHits(t, r.dir, res); len(got) != 0 {
		t.Errorf("history read without Options.History: %v", got)
	}
}

// TestScanHistoryRunsNothingFromTheRepository plants the attack that
// makes gitleaks and betterleaks run a command: a diff driver with a
// textconv in .git/config, selected by .gitattributes. Also a filter
// driver, an fsmonitor hook and hooks. None may run.
func TestScanHistoryRunsNothingFromTheRepository(t *testing.T) {
	r := newGitRepo(t)
	marker := filepath.Join(t.TempDir(), "pwned")
	cmd := "sh -c 'touch " + marker + "; cat \"$1\"' --"
	r.commit(1, "attributes", map[string]string{
		".gitattributes": "*.php diff=evil filter=evil\n*.env diff=evil\n",
		"wp-config.php":  wpConfigLeak,
	})
	r.git("config", "diff.evil.textconv", cmd)
	r.git("config", "filter.evil.smudge", cmd)
	r.git("config", "filter.evil.clean", cmd)
	r.git("config", "core.fsmonitor", cmd)
	r.git("config", "core.pager", cmd)
	hook := filepath.Join(r.dir, ".git", "hooks", "post-checkout")
	os.WriteFile(hook, []byte("#!/bin/sh\ntouch "+marker+"\n"), 0o755)
	// Prove the trap works when git itself is asked for a diff.
	probe := exec.Command("git", "log", "-p", "-1", "--textconv", "--", "wp-config.php")
	probe.Dir = r.dir
	probe.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
	if out, err := probe.CombinedOutput(); err != nil {
		t.Fatalf("git log: %v\n%s", err, out)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("the trap did not fire with git itself (%v): the test proves nothing", err)
	}
	os.Remove(marker)

	res := scan(t, Options{Roots: []string{r.dir}, History: true})
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("scanning the history ran a command named by the repository")
	}
	if got := historyHits(t, r.dir, res); len(got) != 1 || got[0].rule != RuleMailjetPair || got[0].key != k1 {
		t.Errorf("history findings %v, want the wp-config.php pair", got)
	}
}

func TestScanHistoryOfExposedGitFolder(t *testing.T) {
	// A web root with a .git folder: the folder is an exposure and its
	// history is read with History.
	r := newGitRepo(t)
	c1 := r.commit(1, "site", map[string]string{"wp-config.php": wpConfigLeak, "index.php": "<?php\n"})
	r.commit(2, "hide", map[string]string{"wp-config.php": "<?php\ndefine( 'DB_NAME', 'shop' );\n"})
	res := scan(t, Options{Roots: []string{r.dir}, History: true})
	assertHits(t, r.dir, res.Findings, []hit{
		{RuleMailjetPair, "wp-config.php@" + c1[:12], 4, k1, s1[28:]},
		{RuleExposedGit, ".git", 0, "", ""},
	})
}

func TestScanHistoryOfBrokenRepository(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".git/refs/heads/main": "0123456789012345678901234567890123456789\n"})
	res := scan(t, Options{Roots: []string{dir}, History: true})
	for _, f := range res.Findings {
		if strings.Contains(f.Path, "@") {
			t.Errorf("finding in a repository without objects: %s", f.Path)
		}
	}
}
