package faultproxy_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/sandbox/faultproxy"
	"github.com/mjrecover/mjrecover/api/secret"
)

// upstream counts what it applies: each request adds its body to a list.
type upstream struct {
	mu      sync.Mutex
	applied []string // "METHOD /path body", in order
}

func (u *upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	u.mu.Lock()
	u.applied = append(u.applied, r.Method+" "+r.URL.Path+" "+string(body))
	n := len(u.applied)
	u.mu.Unlock()
	// A long answer: the proxy must read all of it before it drops the
	// client.
	w.Header().Set("X-Applied", fmt.Sprint(n))
	fmt.Fprintf(w, "applied %d: %s %s", n, body, strings.Repeat(".", 64<<10))
}

func (u *upstream) list() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]string(nil), u.applied...)
}

// setup serves h behind a proxy; it returns the proxy and its URL.
func setup(t *testing.T, h http.Handler) (*faultproxy.Proxy, string) {
	t.Helper()
	up := httptest.NewServer(h)
	t.Cleanup(up.Close)
	target, err := url.Parse(up.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := faultproxy.New(target)
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	return proxy, front.URL
}

// send makes one request; it returns the answer's body, or the error.
func send(t *testing.T, hc *http.Client, method, url, body string) (string, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status %d: %.80s", resp.StatusCode, data)
	}
	return string(data), nil
}

func newHTTPClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func TestALostAnswerIsStillApplied(t *testing.T) {
	up := &upstream{}
	proxy, base := setup(t, up)
	hc := newHTTPClient(t)
	proxy.LoseAnswer(http.MethodPost, "/apply", 1)

	got, err := send(t, hc, http.MethodPost, base+"/apply", "one")
	if err == nil {
		t.Fatalf("the client got an answer: %.40q", got)
	}
	if applied := up.list(); len(applied) != 1 || applied[0] != "POST /apply one" {
		t.Fatalf("upstream applied %q, want the request once with its body", applied)
	}
	if n := proxy.Seen(http.MethodPost, "/apply"); n != 1 {
		t.Errorf("Seen = %d, want 1", n)
	}

	// The rule is used up: the next request passes, on the same client.
	got, err = send(t, hc, http.MethodPost, base+"/apply?x=1", "two")
	if err != nil {
		t.Fatalf("second request: %v", err)
	}
	if !strings.HasPrefix(got, "applied 2: two ") {
		t.Errorf("answer %.40q, want the upstream's second application", got)
	}
	if n := proxy.Seen("", "/"); n != 2 {
		t.Errorf("Seen = %d, want 2", n)
	}
}

func TestRulesMatchMethodAndPrefixInOrder(t *testing.T) {
	up := &upstream{}
	proxy, base := setup(t, up)
	proxy.LoseAnswer("post", "/a", 2)
	proxy.LoseAnswer("", "/b", 1)
	// Each request on a fresh connection: Go's transport re-sends a lost
	// GET on a reused one (see TestTheTransportResendsALostGET).
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

	steps := []struct {
		method, path string
		lost         bool
	}{
		{http.MethodGet, "/a", false}, // wrong method
		{http.MethodPost, "/a/1", true},
		{http.MethodPut, "/b", true}, // "" matches any method
		{http.MethodGet, "/b", false},
		{http.MethodPost, "/a", true},
		{http.MethodPost, "/a", false}, // both rules used up
		{http.MethodPost, "/c", false},
	}
	for i, s := range steps {
		_, err := send(t, hc, s.method, base+s.path, fmt.Sprint(i))
		if lost := err != nil; lost != s.lost {
			t.Errorf("%d: %s %s: err = %v, want lost = %v", i, s.method, s.path, err, s.lost)
		}
	}
	if n := len(up.list()); n != len(steps) {
		t.Errorf("upstream applied %d requests, want all %d", n, len(steps))
	}
	for _, c := range []struct {
		method, prefix string
		want           int
	}{{"", "/", 7}, {"POST", "/a", 3}, {"post", "/a/", 1}, {"GET", "", 2}, {"DELETE", "/", 0}} {
		if n := proxy.Seen(c.method, c.prefix); n != c.want {
			t.Errorf("Seen(%q, %q) = %d, want %d", c.method, c.prefix, n, c.want)
		}
	}
}

// Documents a property of Go's client the proxy makes visible: a lost
// answer to a GET on a reused connection is re-sent by http.Transport
// itself, so the upstream sees the request twice and the caller only the
// second answer. POSTs are not re-sent (TestConcurrentUse).
func TestTheTransportResendsALostGET(t *testing.T) {
	up := &upstream{}
	proxy, base := setup(t, up)
	hc := newHTTPClient(t)
	if _, err := send(t, hc, http.MethodGet, base+"/warm", ""); err != nil {
		t.Fatal(err) // leaves an idle connection to reuse
	}
	proxy.LoseAnswer(http.MethodGet, "/read", 1)
	got, err := send(t, hc, http.MethodGet, base+"/read", "")
	if err != nil {
		t.Fatalf("err = %v, want the transport's retry to succeed", err)
	}
	if !strings.HasPrefix(got, "applied 3: ") || proxy.Seen(http.MethodGet, "/read") != 2 {
		t.Errorf("answer %.20q, Seen %d: want the GET applied twice", got, proxy.Seen(http.MethodGet, "/read"))
	}
}

func TestConcurrentUse(t *testing.T) {
	up := &upstream{}
	proxy, base := setup(t, up)
	hc := newHTTPClient(t)
	const requests, lost = 20, 5
	proxy.LoseAnswer(http.MethodPost, "/c", lost)

	var wg sync.WaitGroup
	errs := make(chan error, requests)
	for i := range requests {
		wg.Go(func() {
			_, err := send(t, hc, http.MethodPost, base+"/c", fmt.Sprint(i))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			failed++
		}
	}
	if failed != lost {
		t.Errorf("%d requests failed, want %d", failed, lost)
	}
	if n := len(up.list()); n != requests {
		t.Errorf("upstream applied %d, want %d (each exactly once)", n, requests)
	}
	if n := proxy.Seen(http.MethodPost, "/c"); n != requests {
		t.Errorf("Seen = %d, want %d", n, requests)
	}
}

func TestUpstreamBasePathAndFailure(t *testing.T) {
	up := &upstream{}
	ts := httptest.NewServer(up)
	target, _ := url.Parse(ts.URL + "/base")
	proxy := faultproxy.New(target)
	front := httptest.NewServer(proxy)
	defer front.Close()
	hc := newHTTPClient(t)

	if _, err := send(t, hc, http.MethodPost, front.URL+"/x", "b"); err != nil {
		t.Fatal(err)
	}
	if got := up.list(); len(got) != 1 || got[0] != "POST /base/x b" {
		t.Errorf("upstream got %q, want the path under its base", got)
	}
	if proxy.Seen("", "/x") != 1 || proxy.Seen("", "/base") != 0 {
		t.Error("Seen does not count by the client's path")
	}

	ts.Close() // the upstream is gone
	_, err := send(t, hc, http.MethodGet, front.URL+"/x", "")
	if err == nil || !strings.Contains(err.Error(), "status 502") {
		t.Errorf("err = %v, want a 502 from the proxy", err)
	}
	if n := proxy.Seen(http.MethodGet, "/x"); n != 1 {
		t.Errorf("Seen = %d: a failed forward still counts", n)
	}
}

// The case the package exists for: the sandbox creates a key, Mailjet's
// answer never arrives, and the client must report an error (it cannot
// know) without sending the POST again.
func TestCreateAPIKeyWithALostAnswer(t *testing.T) {
	sb := sandbox.New()
	proxy, base := setup(t, sb)
	creds := mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)}
	mj := mailjet.New(base, creds, mailjet.WithRetry(4, time.Millisecond))
	ctx := context.Background()
	proxy.LoseAnswer(http.MethodPost, "/v3/REST/apikey", 1)

	key, err := mj.CreateAPIKey(ctx, "Shop (new)")
	if err == nil {
		t.Fatalf("CreateAPIKey = %+v, want an error", key)
	}
	var apiErr *mailjet.Error
	if errors.Is(err, mailjet.ErrUnauthorized) || errors.As(err, &apiErr) {
		t.Errorf("err = %v, want a network error, not an answer", err)
	}
	if !strings.Contains(err.Error(), "POST /v3/REST/apikey") || strings.Contains(err.Error(), sandbox.DemoMasterSecret) {
		t.Errorf("err = %q, want the call named and no secret", err)
	}
	keys := sb.Keys()
	if len(keys) != 4 || keys[3].Name != "Shop (new)" || !keys[3].IsActive {
		t.Fatalf("sandbox keys %+v: want the new key created", keys)
	}
	if n := sb.Requests(http.MethodPost, "/v3/REST/apikey"); n != 1 {
		t.Errorf("the sandbox got %d POSTs, want 1 (never re-sent)", n)
	}
	if n := proxy.Seen(http.MethodPost, "/v3/REST/apikey"); n != 1 {
		t.Errorf("Seen = %d, want 1", n)
	}

	// What the client's doc says to do next: list the keys to find out.
	listed, err := mj.ListAPIKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != 4 || listed[3].APIKey != keys[3].APIKey {
		t.Errorf("listed %d keys; want the lost one among them", len(listed))
	}
}
