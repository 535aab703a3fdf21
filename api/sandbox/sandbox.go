// Package sandbox is an in-memory, Mailjet-compatible HTTP server for the
// demo and the tests: the apikey and user resources of REST v3, the
// resources the account review reads (eventcallbackurl, parseroute,
// sender, apikeytotals, statcounters), the
// recovery API (api/recovery/README.md), and a Pwned Passwords range
// endpoint. It speaks the wire formats on its own (it shares no types with
// the clients), so tests against it check the protocol, and the official
// Mailjet Go SDK works against it too.
//
// It never logs. Its state lives in the Server, behind a mutex.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The demo account. The demo web root in assets/ leaks the master pair and
// the "Shop" sub-account pair.
const (
	DemoEmail = "jane@lafleur-bakery.example"

	DemoMasterKey    = "4a91a1b977547f206f136fc678d365fa"
	DemoMasterSecret = "f31975f7f33e4bcb57d79293d9ea590b"

	// Sub-account "Shop (WooCommerce)": leaked by the demo web root.
	DemoShopKey    = "06d340744b2965d3e85f7cef673379ff"
	DemoShopSecret = "e8b9bbc4ab9dfe2bf8fb18889ed4cbd5"

	// Sub-account "Newsletter": not leaked.
	DemoNewsletterKey    = "a28aa0259d148b8f4d5932967d97c758"
	DemoNewsletterSecret = "f72d4bf5f36310e9dc8dce87409f7e48"
)

// IDs and names of the demo account's records.
const (
	DemoUserID         = 2001
	DemoMasterID       = 1001
	DemoShopID         = 1002
	DemoNewsletterID   = 1003
	DemoMasterName     = "Master key"
	DemoShopName       = "Shop (WooCommerce)"
	DemoNewsletterName = "Newsletter"
)

// Server is the sandbox. It is an http.Handler.
type Server struct {
	// Set by options, then read-only.
	clock         func() time.Time
	latency       time.Duration // before every request
	writeLatency  time.Duration // before requests that change something
	secretsOnce   bool          // SecretKey only in the answer that creates a key
	extraBreached []string
	shared        *Breaches
	breaches      breachIndex

	mu     sync.Mutex
	keys   []*keyRecord // ordered by ID
	nextID int64
	// The account review's resources (review_state.go).
	webhooks     []*webhookRecord
	parseRoutes  []*parseRouteRecord
	senders      []*senderRecord
	usage        map[int64]usageProfile // key ID → sending history; keys made later have none
	nextObjectID int64
	acct         account
	faults       []fault
	requests     map[string]int // "METHOD /path" → how many were seen
	report       []byte
	sends        sendState // the Send API's log and counters (send_state.go)
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the time source (TOTP checks, lockouts, creation dates),
// so tests can control time. nil is ignored.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.clock = now
		}
	}
}

// WithLatency delays every request, reads included, by d before it is
// handled (or until the client goes away: then nothing is applied or
// answered), to exercise timeouts and spinners. See WithWriteLatency for
// a delay of changes only.
func WithLatency(d time.Duration) Option {
	return func(s *Server) { s.latency = max(0, d) }
}

// WithWriteLatency delays every request that may change something (any
// method but GET, HEAD, OPTIONS and TRACE: POST, PUT, DELETE, …) by d
// before it is applied. Reads answer at once, so a wizard can load its
// screens against a slow sandbox and a person can interrupt a change while
// it waits (Ctrl+C, kill -9, a dropped SSH session) to see what the client
// does next.
//
// The wait honours the request's context: if the client goes away during
// it, the change is not applied and nothing is answered. The request still
// counts in Requests (it was seen), which lets a test wait until a change
// is in its delay. A delay set by WithLatency comes first; the two add up.
func WithWriteLatency(d time.Duration) Option {
	return func(s *Server) { s.writeLatency = max(0, d) }
}

// WithSecretsShownOnce makes the apikey resource show a key's SecretKey
// only in the answer to the POST that creates it, as Mailjet's help centre
// says it does ("displayed only once upon creation"); lists and reads
// answer an empty SecretKey. Without it the sandbox shows secrets in
// lists too, as Mailjet's 2020 recordings did: clients must cope with
// both.
func WithSecretsShownOnce() Option {
	return func(s *Server) { s.secretsOnce = true }
}

// WithBreachedPasswords adds passwords to the breach data served on
// /range (the demo passes the bundled common-password list). Each gets a
// plausible count that falls with its position in the list. The built-in
// set stays.
func WithBreachedPasswords(passwords []string) Option {
	return func(s *Server) {
		s.extraBreached = append(s.extraBreached, passwords...)
	}
}

// WithBreaches serves shared breach data (see NewBreaches) instead of
// hashing its own; it replaces WithBreachedPasswords.
func WithBreaches(b *Breaches) Option {
	return func(s *Server) { s.shared = b }
}

// New returns a sandbox seeded with the demo account.
func New(opts ...Option) *Server {
	s := &Server{clock: time.Now, requests: make(map[string]int)}
	for _, opt := range opts {
		opt(s)
	}
	if s.shared != nil {
		s.breaches = s.shared.idx
	} else {
		s.breaches = newBreachIndex(s.extraBreached)
	}
	s.extraBreached = nil
	s.seedDemo()
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !pause(r, s.latency) {
		return
	}
	s.record(r)
	if !isSafeMethod(r.Method) && !pause(r, s.writeLatency) {
		return
	}
	if status, ok := s.takeFault(r); ok {
		writeFault(w, r, status)
		return
	}
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/range/"):
		s.serveRange(w, r)
	case isSendPath(path, "/v3.1/send"):
		s.serveSendV31(w, r)
	case isSendV3Path(path):
		s.serveSendV3(w, r)
	case isKeyTotalsPath(path):
		s.serveKeyTotalsWithSends(w, r) // apikeytotals counts what the Send API sent
	case strings.HasPrefix(path, "/v3/REST/"):
		s.serveREST(w, r)
	case strings.HasPrefix(path, "/recovery/"):
		s.serveRecovery(w, r)
	default:
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
	}
}

// Listen serves the sandbox on addr (e.g. "127.0.0.1:0") until ctx ends.
// It returns the base URL ("http://127.0.0.1:PORT"). When addr leaves the
// host unspecified, the URL names the loopback address.
func (s *Server) Listen(ctx context.Context, addr string) (string, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	serveUntil(ctx, newSandboxHTTPServer(s), ln, nil)
	return "http://" + dialableAddr(ln.Addr(), addr), nil
}

// serveUntil serves srv on ln until ctx ends, then shuts it down and
// runs after (if any). With srv.TLSConfig set, it serves HTTPS.
func serveUntil(ctx context.Context, srv *http.Server, ln net.Listener, after func()) {
	go func() {
		var err error
		if srv.TLSConfig != nil {
			err = srv.ServeTLS(ln, "", "")
		} else {
			err = srv.Serve(ln)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = ln.Close()
		}
	}()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if srv.Shutdown(shutdownCtx) != nil {
			_ = srv.Close()
		}
		if after != nil {
			after()
		}
	}()
}

// dialableAddr turns a wildcard listener address (0.0.0.0:port, [::]:port)
// into a loopback one a client can dial. Go listens on [::] dual-stack for
// "0.0.0.0", so the IPv6 loopback is used only when addr asked for "::".
func dialableAddr(a net.Addr, addr string) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	ip := net.IPv4(127, 0, 0, 1)
	if host, _, err := net.SplitHostPort(addr); err == nil {
		if asked := net.ParseIP(host); asked != nil && asked.To4() == nil {
			ip = net.IPv6loopback
		}
	}
	return (&net.TCPAddr{IP: ip, Port: tcp.Port}).String()
}
