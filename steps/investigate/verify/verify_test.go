package verify

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

const wrongSecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"

func newSandbox(t *testing.T) (*sandbox.Server, string) {
	t.Helper()
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return sb, srv.URL
}

// counting answers 401 to everything, like a host where the account is not.
func counting(t *testing.T, hits *atomic.Int32) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Method != http.MethodGet || r.URL.Path != "/v3/REST/apikey" || r.URL.Query().Get("Limit") != "1" {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="Provide an apiKey and secretKey"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func check(t *testing.T, c *Checker, key, sec string) (investigate.Verdict, string) {
	t.Helper()
	return c.Verify(context.Background(), key, secret.New(sec))
}

func TestVerifyLiveAndRefused(t *testing.T) {
	sb, url := newSandbox(t)
	c := New(Options{Hosts: []string{url}, Interval: -1, Attempts: 1})
	if v, note := check(t, c, sandbox.DemoMasterKey, sandbox.DemoMasterSecret); v != investigate.Live || !strings.Contains(note, url) {
		t.Errorf("demo master pair: %v %q, want live naming the host", v, note)
	}
	if v, _ := check(t, c, sandbox.DemoMasterKey, wrongSecret); v != investigate.Refused {
		t.Errorf("wrong secret: %v, want refused", v)
	}
	if n := sb.Requests(http.MethodGet, "/v3/REST/apikey"); n != 2 {
		t.Errorf("sandbox saw %d apikey reads, want one per check", n)
	}
}

func TestVerifyTriesTheUSHostOn401(t *testing.T) {
	var eu atomic.Int32
	euURL := counting(t, &eu)
	sb, usURL := newSandbox(t)
	c := New(Options{Hosts: []string{euURL, usURL}, Interval: -1, Attempts: 1})
	v, note := check(t, c, sandbox.DemoShopKey, sandbox.DemoShopSecret)
	if v != investigate.Live || !strings.Contains(note, usURL) {
		t.Errorf("verdict %v %q, want live on the US host", v, note)
	}
	if eu.Load() != 1 || sb.Requests(http.MethodGet, "/v3/REST/apikey") != 1 {
		t.Errorf("requests: EU %d, US %d; want one each", eu.Load(), sb.Requests(http.MethodGet, "/v3/REST/apikey"))
	}
	// Refused on both: refused, after asking both.
	v, _ = check(t, c, sandbox.DemoShopKey, wrongSecret)
	if v != investigate.Refused || eu.Load() != 2 {
		t.Errorf("verdict %v after %d EU requests, want refused after asking both hosts", v, eu.Load())
	}
}

func TestVerifyNeverCallsFailuresRefused(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable} {
		sb, url := newSandbox(t)
		sb.FailNext(http.MethodGet, "/v3/REST/apikey", status, 5)
		c := New(Options{Hosts: []string{url, url}, Interval: -1, Attempts: 1})
		v, note := check(t, c, sandbox.DemoMasterKey, sandbox.DemoMasterSecret)
		if v != investigate.CouldNotCheck || !strings.HasPrefix(note, "could not check") {
			t.Errorf("status %d: %v %q, want could not check", status, v, note)
		}
	}
	// A host that does not answer at all.
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := New(Options{Hosts: []string{url}, Interval: -1, Attempts: 1})
	if v, _ := check(t, c, sandbox.DemoMasterKey, sandbox.DemoMasterSecret); v != investigate.CouldNotCheck {
		t.Errorf("closed host: %v, want could not check", v)
	}
	// A timeout.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer slow.Close()
	c = New(Options{Hosts: []string{slow.URL}, Interval: -1, Attempts: 1, HTTPClient: &http.Client{Timeout: 50 * time.Millisecond}})
	if v, _ := check(t, c, sandbox.DemoMasterKey, sandbox.DemoMasterSecret); v != investigate.CouldNotCheck {
		t.Errorf("timeout: %v, want could not check", v)
	}
}

func TestVerifyRetriesA429ThenSucceeds(t *testing.T) {
	sb, url := newSandbox(t)
	sb.FailNext(http.MethodGet, "/v3/REST/apikey", http.StatusServiceUnavailable, 1)
	c := New(Options{Hosts: []string{url}, Interval: -1, Attempts: 2})
	c.opts = append(c.opts, mailjet.WithRetry(2, time.Millisecond))
	if v, _ := check(t, c, sandbox.DemoMasterKey, sandbox.DemoMasterSecret); v != investigate.Live {
		t.Errorf("after one 503: %v, want live", v)
	}
}

func TestVerifyRefusesValuesOfAnotherShape(t *testing.T) {
	var hits atomic.Int32
	c := New(Options{Hosts: []string{counting(t, &hits)}, Interval: -1})
	if v, _ := check(t, c, "not-a-key", sandbox.DemoMasterSecret); v != investigate.NotChecked || hits.Load() != 0 {
		t.Errorf("%v after %d requests, want not checked and no request", v, hits.Load())
	}
}

func TestVerifyDefaultsToMailjetHosts(t *testing.T) {
	c := New(Options{})
	if len(c.hosts) != 2 || c.hosts[0] != mailjet.DefaultBaseURL || c.hosts[1] != mailjet.USBaseURL {
		t.Errorf("hosts %v, want Mailjet's main and US hosts only", c.hosts)
	}
	if c.interval != DefaultInterval {
		t.Errorf("interval %v, want %v", c.interval, DefaultInterval)
	}
}

func TestVerifySpacesRequests(t *testing.T) {
	var hits atomic.Int32
	const interval = 40 * time.Millisecond
	c := New(Options{Hosts: []string{counting(t, &hits)}, Interval: interval, Attempts: 1})
	start := time.Now()
	for range 3 {
		check(t, c, sandbox.DemoMasterKey, wrongSecret)
	}
	// A lower bound only: three requests need two full intervals between them.
	if el := time.Since(start); el < 2*interval {
		t.Errorf("3 requests in %v, want at least %v apart in total", el, 2*interval)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if v, _ := c.Verify(ctx, sandbox.DemoMasterKey, secret.New(wrongSecret)); v != investigate.CouldNotCheck {
		t.Errorf("cancelled: %v, want could not check", v)
	}
}
