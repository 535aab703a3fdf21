// Package faultproxy is an HTTP reverse proxy for tests that loses
// answers. It forwards a request to the upstream, lets the upstream apply
// it and reads the whole answer, then drops the client's connection
// without writing a byte: "the request reached Mailjet, the answer was
// lost". A client that cannot tell a lost answer from a request that never
// arrived, and sends it again, applies the change twice; tests use the
// proxy to show that ours do not.
//
//	proxy := faultproxy.New(upstreamURL)
//	ts := httptest.NewServer(proxy)
//	proxy.LoseAnswer(http.MethodPost, "/v3/REST/apikey", 1)
//
// Note that Go's own http.Transport re-sends a request whose answer is
// lost on a reused keep-alive connection when the request is idempotent
// (GET, HEAD, OPTIONS, TRACE, or one with an Idempotency-Key header) and
// its body can be replayed: such a request then reaches the upstream twice
// and the caller sees only the second answer. A POST is never re-sent.
//
// The proxy needs an HTTP/1.x connection to drop (http.Hijacker), as
// httptest.NewServer gives. It never logs.
package faultproxy

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
)

// maxSeenPaths bounds the request counter's memory.
const maxSeenPaths = 10_000

// Proxy forwards every request to one upstream and loses the answers that
// LoseAnswer asks for. It is an http.Handler, safe for concurrent use.
type Proxy struct {
	rp *httputil.ReverseProxy

	mu    sync.Mutex
	rules []rule
	seen  map[string]int // "METHOD /path" → requests sent upstream
}

// rule loses the answers of the next left matching requests.
type rule struct {
	method     string // "" matches any
	pathPrefix string
	left       int
}

// New returns a proxy to upstream (scheme://host[/base]): a request for
// /p goes to upstream's /base/p, with its method, headers (Authorization
// included), query and body.
func New(upstream *url.URL) *Proxy {
	p := &Proxy{seen: make(map[string]int)}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(upstream)
		},
		// A transport of its own: no connection pool shared with the
		// process (or with the clients under test).
		Transport: countingTransport{p: p, base: newTransport()},
		ErrorLog:  log.New(io.Discard, "", 0),
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
			// A test should see why; the text holds the upstream URL and
			// the transport error, never a header.
			http.Error(w, "faultproxy: the upstream did not answer: "+err.Error(), http.StatusBadGateway)
		},
	}
	return p
}

// LoseAnswer makes the next times requests whose method is method ("" for
// any) and whose path starts with pathPrefix lose their answer: each is
// forwarded, the upstream's answer is read to its end (so the upstream has
// finished with it), and the client's connection is closed without a
// response. Rules apply in the order they were added; a request uses up
// at most one. times <= 0 adds nothing.
func (p *Proxy) LoseAnswer(method, pathPrefix string, times int) {
	if times <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = append(p.rules, rule{method: strings.ToUpper(method), pathPrefix: pathPrefix, left: times})
}

// Seen counts the requests whose method is method ("" for any) and whose
// path starts with pathPrefix that the proxy sent upstream, lost answers
// included. A request counts as soon as the upstream answered (or failed),
// before anything reaches the client: once a client has its answer or its
// error, its request is in the count. Tests wait on it instead of
// sleeping.
func (p *Proxy) Seen(method, pathPrefix string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for key, count := range p.seen {
		m, path, _ := strings.Cut(key, " ")
		if (method == "" || strings.EqualFold(method, m)) && strings.HasPrefix(path, pathPrefix) {
			n += count
		}
	}
	return n
}

// ServeHTTP implements http.Handler.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The transport counts by the client's path, not the upstream's
	// (which the upstream's base path may prefix).
	r = r.WithContext(context.WithValue(r.Context(), clientPathKey{}, r.URL.Path))
	if !p.takeRule(r) {
		p.rp.ServeHTTP(w, r)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		// Not forwarded: the upstream must not apply a request whose
		// answer cannot be lost as asked.
		http.Error(w, "faultproxy: cannot drop this connection (no http.Hijacker; HTTP/2?)", http.StatusNotImplemented)
		return
	}
	// The reverse proxy copies the upstream's answer into the sink, which
	// reads it to its end; the client gets none of it.
	p.rp.ServeHTTP(&sink{header: make(http.Header)}, r)
	conn, _, err := hj.Hijack()
	if err != nil {
		return // the connection is already gone: the answer is lost anyway
	}
	_ = conn.Close()
}

// takeRule consumes the first rule matching r.
func (p *Proxy) takeRule(r *http.Request) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range p.rules {
		rl := &p.rules[i]
		if (rl.method == "" || rl.method == r.Method) && strings.HasPrefix(r.URL.Path, rl.pathPrefix) {
			if rl.left--; rl.left == 0 {
				p.rules = append(p.rules[:i], p.rules[i+1:]...)
			}
			return true
		}
	}
	return false
}

// record counts a request sent upstream, by the client's method and path.
func (p *Proxy) record(method, path string) {
	key := method + " " + path
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.seen[key]; ok || len(p.seen) < maxSeenPaths {
		p.seen[key]++
	}
}

// newTransport is a copy of Go's default transport (proxy settings,
// timeouts), or a plain one if a program replaced the default.
func newTransport() *http.Transport {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	return &http.Transport{}
}

// countingTransport counts each request once its round trip upstream is
// over, before the reverse proxy writes anything to the client.
type countingTransport struct {
	p    *Proxy
	base http.RoundTripper
}

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	t.p.record(req.Method, clientPath(req))
	return resp, err
}

// clientPathKey carries the client's path from ServeHTTP to the transport.
type clientPathKey struct{}

// clientPath is the path the client asked for, or the outgoing one.
func clientPath(req *http.Request) string {
	if v, ok := req.Context().Value(clientPathKey{}).(string); ok {
		return v
	}
	return req.URL.Path
}

// sink is a ResponseWriter that throws the answer away.
type sink struct {
	header http.Header
}

func (s *sink) Header() http.Header         { return s.header }
func (s *sink) Write(b []byte) (int, error) { return len(b), nil }
func (s *sink) WriteHeader(int)             {}
func (s *sink) Flush()                      {}
