package httpprobe

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	envBody     = "APP_NAME=Shop\nAPP_ENV=production\nMAILJET_APIKEY=9d5ed678fe57bcca610140957afab571\nMAILJET_APISECRET=0cc175b9c0f1b6a831c399e269772661\n"
	gitConfig_  = "[core]\n\trepositoryformatversion = 0\n\tbare = false\n"
	phpinfoBody = "<!DOCTYPE html><html><body><h1>PHP Version 8.2.7</h1><h2>PHP Extension</h2></body></html>"
	debugLog    = "[14-May-2024 08:02:11 UTC] PHP Warning:  Undefined array key \"x\" in /var/www/wp-content/plugins/a/a.php on line 3\n"
	wpBackup    = "<?php\ndefine( 'DB_NAME', 'shop' );\ndefine( 'DB_PASSWORD', 'x' );\n"
)

// site serves the given paths and 404 for the rest.
func site(t *testing.T, pages map[string]string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if body, ok := pages[r.URL.Path]; ok {
			w.Write([]byte(body))
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func kinds(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, string(h.Kind)+" "+mustPath(h.URL))
	}
	slices.Sort(out)
	return out
}

func mustPath(s string) string {
	u, _ := url.Parse(s)
	return u.Path
}

func TestSiteFindsExposures(t *testing.T) {
	srv, _ := site(t, map[string]string{
		"/.env":                 envBody,
		"/.git/config":          gitConfig_,
		"/.git/HEAD":            "ref: refs/heads/main\n",
		"/info.php":             phpinfoBody,
		"/wp-content/debug.log": debugLog,
		"/wp-config.php.bak":    wpBackup,
		"/backup.zip":           "PK\x03\x04rest of a zip",
		"/dump.sql":             "-- MySQL dump 10.13\nCREATE TABLE `wp_options` (\n",
		// Status 200 without the content: not a finding.
		"/.env.bak":    "",
		"/phpinfo.php": "<html><body>Welcome</body></html>",
		"/db.sql":      "<html><body>Not here</body></html>",
	})
	hits, err := Site(context.Background(), mustURL(t, srv.URL), Config{Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"backup /backup.zip", "backup /dump.sql", "env /.env", "git /.git/HEAD", "git /.git/config",
		"log /wp-content/debug.log", "phpinfo /info.php", "wp-config-backup /wp-config.php.bak"}
	if got := kinds(hits); !slices.Equal(got, want) {
		t.Errorf("hits %v, want %v", got, want)
	}
	for _, h := range hits {
		if h.Kind == Env && string(h.Body) != envBody {
			t.Errorf(".env body %q, want the file", h.Body)
		}
	}
}

func TestSiteProbesUnderTheGivenPath(t *testing.T) {
	srv, _ := site(t, map[string]string{"/blog/.env": envBody, "/.env": "nope"})
	hits, err := Site(context.Background(), mustURL(t, srv.URL+"/blog"), Config{Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(hits); !slices.Equal(got, []string{"env /blog/.env"}) {
		t.Errorf("hits %v", got)
	}
}

func TestSiteThatAnswers200ForEverything(t *testing.T) {
	for name, body := range map[string]string{
		"html home page": "<!doctype html><html><body>Shop</body></html>",
		"plain text":     "OK\n",
		// A page that would pass the .env matcher, returned for any path.
		"env-like page": envBody,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(body)) }))
			defer srv.Close()
			hits, err := Site(context.Background(), mustURL(t, srv.URL), Config{Client: srv.Client()})
			if err != nil || len(hits) != 0 {
				t.Errorf("hits %v err %v, want none on a site that answers 200 for every path", kinds(hits), err)
			}
		})
	}
}

func TestSiteFollowsRedirectsOnlyWithinTheHost(t *testing.T) {
	other, otherHits := site(t, map[string]string{"/.env": envBody})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.env":
			http.Redirect(w, r, other.URL+"/.env", http.StatusFound)
		case "/.git/config":
			http.Redirect(w, r, "/moved/git-config", http.StatusMovedPermanently)
		case "/moved/git-config":
			w.Write([]byte(gitConfig_))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	hits, err := Site(context.Background(), mustURL(t, srv.URL), Config{Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(hits); !slices.Equal(got, []string{"git /.git/config"}) {
		t.Errorf("hits %v, want only the same-host redirect", got)
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("the other host got %d requests, want none", n)
	}
}

// countingTransport counts requests in flight on the client side: from
// the start of RoundTrip until the response body is closed (or RoundTrip
// fails). That is what Config.Concurrency limits; the server's view is
// not, since a handler can still be running after the client has read
// its 64 KiB and closed the body. It also counts the bytes read from
// each body.
type countingTransport struct {
	base http.RoundTripper

	mu       sync.Mutex
	inFlight int
	peak     int
	opened   int // requests started
	closed   int // requests finished (body closed, or RoundTrip failed)
	maxRead  int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.inFlight++
	c.opened++
	c.peak = max(c.peak, c.inFlight)
	c.mu.Unlock()
	resp, err := c.base.RoundTrip(r)
	if err != nil {
		c.done(0)
		return nil, err
	}
	resp.Body = &countingBody{ReadCloser: resp.Body, t: c}
	return resp, nil
}

func (c *countingTransport) done(read int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inFlight--
	c.closed++
	c.maxRead = max(c.maxRead, read)
}

func (c *countingTransport) current() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inFlight
}

type countingBody struct {
	io.ReadCloser
	t    *countingTransport
	read int64
	once sync.Once
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.read += int64(n)
	return n, err
}

func (b *countingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(func() { b.t.done(b.read) })
	return err
}

func TestSiteReadsAtMost64KiBAndLimitsConcurrency(t *testing.T) {
	if DefaultConcurrency != 4 || DefaultReadCap != 64<<10 {
		t.Fatalf("defaults %d requests, %d bytes; want 4 and 64 KiB", DefaultConcurrency, DefaultReadCap)
	}
	ct := &countingTransport{}
	// The first DefaultConcurrency probes wait at a barrier until all of
	// them have arrived: the limit must be reached, not just respected.
	// While they wait, none has answered, so the client has exactly that
	// many requests in flight.
	var arrived atomic.Int32
	full := make(chan struct{})
	var atBarrier atomic.Int32 // the client's count when the barrier opened
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/mjrecover-check-") { // not the baseline
			if n := arrived.Add(1); n <= DefaultConcurrency {
				if n == DefaultConcurrency {
					atBarrier.Store(int32(ct.current()))
					close(full)
				}
				select {
				case <-full:
				case <-r.Context().Done(): // the client gave up: the limit was not reached
					return
				}
			}
		}
		if r.URL.Path == "/.env" {
			w.Write([]byte(envBody + strings.Repeat("PADDING=x\n", 1<<20)))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	ct.base = srv.Client().Transport
	// Only a guard against hanging if the limit is never reached.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	hits, err := Site(ctx, mustURL(t, srv.URL), Config{Client: &http.Client{Transport: ct}})
	select {
	case <-full:
		if n := atBarrier.Load(); n != DefaultConcurrency {
			t.Errorf("%d requests in flight when %d probes had reached the server, want exactly %d", n, DefaultConcurrency, DefaultConcurrency)
		}
	default:
		t.Errorf("never %d requests at once (%d probes arrived)", DefaultConcurrency, arrived.Load())
	}
	ct.mu.Lock()
	defer ct.mu.Unlock()
	if ct.peak > DefaultConcurrency {
		t.Errorf("%d requests at once, want at most %d", ct.peak, DefaultConcurrency)
	}
	if ct.maxRead > DefaultReadCap {
		t.Errorf("%d bytes read from one answer, want at most %d", ct.maxRead, DefaultReadCap)
	}
	if err != nil || len(hits) != 1 {
		t.Fatalf("hits %v err %v", kinds(hits), err)
	}
	if len(hits[0].Body) != DefaultReadCap {
		t.Errorf("body of %d bytes kept, want the %d-byte cap", len(hits[0].Body), DefaultReadCap)
	}
	if want := len(Default()) + 1; ct.opened != want || ct.closed != want || ct.inFlight != 0 {
		t.Errorf("%d requests started, %d finished, %d still open; want all %d finished", ct.opened, ct.closed, ct.inFlight, want)
	}
}

func TestSiteErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := mustURL(t, srv.URL)
	srv.Close()
	if _, err := Site(context.Background(), u, Config{}); err == nil {
		t.Error("closed site: want an error")
	}
	if _, err := Site(context.Background(), mustURL(t, "ftp://example.test/"), Config{}); err == nil {
		t.Error("ftp: want an error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	open, n := site(t, nil)
	if _, err := Site(ctx, mustURL(t, open.URL), Config{Client: open.Client()}); err == nil || n.Load() != 0 {
		t.Errorf("cancelled: err %v after %d requests, want an error and none", err, n.Load())
	}
}

func TestProbeMatchersNeedContent(t *testing.T) {
	for _, p := range Default() {
		if p.Match(Response{Status: 200, Body: []byte("<html><body>hello</body></html>")}) {
			t.Errorf("%s matches an HTML page", p.Path)
		}
		if p.Match(Response{Status: 200}) {
			t.Errorf("%s matches an empty 200", p.Path)
		}
	}
}
