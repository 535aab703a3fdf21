package investigate

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestScanProbesWebSites(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.env.backup":
			// An escape sequence in the body must not reach any output.
			w.Write([]byte("APP_ENV=production\x1b[31m\nMJ_APIKEY_PUBLIC=" + k1 + "\nMJ_APIKEY_PRIVATE=" + s1 + "\n"))
		case "/.git/config":
			w.Write([]byte("[core]\n\trepositoryformatversion = 0\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	res := scan(t, Options{URLs: []string{srv.URL}, HTTPClient: srv.Client()})
	assertHits(t, "", res.Findings, []hit{
		{RuleMailjetPair, srv.URL + "/.env.backup", 3, k1, s1[28:]},
		{RuleExposedEnv, srv.URL + "/.env.backup", 0, "", ""},
		{RuleExposedGit, srv.URL + "/.git/config", 0, "", ""},
	})

	// An unreachable site is skipped with a reason, not fatal.
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	res = scan(t, Options{URLs: []string{closedURL}})
	if len(res.Stats.Skipped) != 1 || !strings.HasPrefix(res.Stats.Skipped[0].Reason, "could not be probed") {
		t.Errorf("skipped %v, want the closed site", res.Stats.Skipped)
	}
}

func TestScanRefusesBadAddresses(t *testing.T) {
	for _, u := range []string{"ftp://example.test/", "http://user:pass@example.test/", "https://"} {
		if _, err := newScanner(Options{URLs: []string{u}}).run(t.Context()); err == nil {
			t.Errorf("%q: want an error", u)
		}
	}
	if !IsURL("HTTPS://example.test") || IsURL("/var/www") || IsURL("http.txt") {
		t.Error("IsURL")
	}
}
