package flow

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/investigate/remote"
	"github.com/mjrecover/mjrecover/steps/investigate/remote/remotetest"
)

// Step 1 also reads the customer's GitHub account when they name it: a
// pair in an old commit of a public repository is a finding.
func TestStepOneReadsTheGitHubAccount(t *testing.T) {
	env, err := os.ReadFile("../investigate/testdata/credentials/laravel.env")
	if err != nil {
		t.Fatal(err)
	}
	git := remotetest.NewGitServer(t)
	git.Repo(t, "orders",
		remotetest.Commit{Message: "app", Files: map[string]string{".env": string(env)}},
		remotetest.Commit{Message: "no secrets in git", Files: map[string]string{"README.md": "orders\n"}, Delete: []string{".env"}})
	forge := remotetest.NewForge(t)
	forge.Account("users/lafleur-bakery", remotetest.Repo{Name: "lafleur-bakery/orders", CloneURL: git.URLOf("orders")})

	w := newWorld(t)
	cfg := w.config(&demoCreds)
	cfg.GitHub = &remote.GitHub{APIURL: forge.URL}
	d := drive(t, cfg)
	d.at(Connect, "Press Enter to start.")
	d.do(Continue)
	d.at(Investigate, "Folder to check", "Your GitHub account, if you publish code there (optional)")
	d.edit(fieldGitHub, "not a name!")
	d.do(Continue)
	d.at(Investigate, "not a GitHub account name")
	d.edit(fieldGitHub, "lafleur-bakery")
	d.do(Continue)
	got := d.at(Investigate, "Found", "CRITICAL")
	if want := git.URLOf("orders") + "/.env@"; !strings.Contains(got, want) {
		t.Errorf("no finding in the repository's history (%s):\n%s", want, got)
	}
	// The folder's findings are still there, paths relative to it.
	if !strings.Contains(got, "public_html/.env.bak") {
		t.Errorf("the folder's findings are gone:\n%s", got)
	}
}

// A rate limit on GitHub is said plainly, and the folder's scan stands.
func TestStepOneSaysGitHubsLimit(t *testing.T) {
	forge := remotetest.NewForge(t)
	forge.RateLimit("users/lafleur-bakery", time.Now().Add(20*time.Minute))
	w := newWorld(t)
	cfg := w.config(&demoCreds)
	cfg.GitHub = &remote.GitHub{APIURL: forge.URL}
	d := drive(t, cfg)
	d.at(Connect, "Press Enter to start.")
	d.do(Continue)
	d.at(Investigate, "Folder to check")
	d.edit(fieldGitHub, "lafleur-bakery")
	d.do(Continue)
	d.at(Investigate, "GitHub allows only a few requests without a token", "set GH_TOKEN", "CRITICAL")
}
