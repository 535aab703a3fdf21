package mailjet_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

func TestCheckAuthSendsOneReadOnlyRequest(t *testing.T) {
	seen := make(chan *http.Request, 10)
	sb := sandbox.New()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Clone(context.Background())
		sb.ServeHTTP(w, r)
	}))
	defer ts.Close()
	if err := fastClient(ts.URL, masterCreds).CheckAuth(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 {
		t.Fatalf("%d requests, want 1", len(seen))
	}
	got := <-seen
	user, pass, ok := got.BasicAuth()
	checks := []struct {
		what      string
		got, want string
	}{
		{"method", got.Method, http.MethodGet},
		{"path", got.URL.Path, "/v3/REST/apikey"},
		{"query", got.URL.RawQuery, "Limit=1"},
		{"Accept", got.Header.Get("Accept"), "application/json"},
		{"User-Agent", got.Header.Get("User-Agent"), "mjrecover"},
		{"Basic user", user, sandbox.DemoMasterKey},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	if !ok || pass != sandbox.DemoMasterSecret {
		t.Error("the Basic password is not the secret")
	}
}
