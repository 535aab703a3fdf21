// Package kiosk serves the recovery wizard over SSH, for sessions Mailjet
// support hosts: `mjrecover kiosk`.
//
// Each SSH session gets its own Bubble Tea program, HTTP client, state and
// temporary folder (removed when it ends). A session first asks for a
// one-time access code (steps/access) that ties it to one account, then
// runs the wizard in kiosk mode (presenting on, nothing saved to files,
// only that account). Nothing else is reachable: exec and subsystem
// requests, port, agent and X11 forwarding are refused, only TERM, LANG
// and NO_COLOR are taken from the client's environment, and no editor,
// pager, browser or shell is ever started. Every step's outcome goes to an
// append-only, hash-chained audit log (steps/audit).
//
// The kiosk's state (the codes, the wrong codes of each address, each
// recovery's journal, the audit chain and the locks that keep one live
// session per recovery) is in its store (steps/kioskstore): a SQLite file
// for one host, or PostgreSQL shared by several hosts behind one address,
// so a code issued through any host opens on any, and a customer whose
// line dropped goes on through whichever host they reach.
package kiosk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/activeterm"
	bm "charm.land/wish/v2/bubbletea"
	"charm.land/wish/v2/ratelimiter"
	"github.com/charmbracelet/colorprofile"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"

	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/assets"
	"github.com/mjrecover/mjrecover/steps/access"
	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/steps/kioskstore"
	"github.com/mjrecover/mjrecover/steps/password"
	"github.com/mjrecover/mjrecover/ui"
)

// Options configure a kiosk server; Run fills them from flags.
type Options struct {
	Demo bool // serve the embedded sandbox and its demo account

	HostKeyPath    string // made (ed25519, 0600) when missing
	AuthorizedKeys string // when set, the client's public key must be in it too
	// Store keeps the kiosk's state, shared with issue-code and with the
	// other hosts that use the same database. The caller opens it and
	// closes it after Serve returns.
	Store *kioskstore.Store

	// The wizard's timers: a warning after IdleWarn without a key press,
	// the end after IdleLimit, and MaxSession for the whole session.
	IdleWarn, IdleLimit, MaxSession time.Duration

	MaxSessions int // sessions past the access code at once
	// MaxWaiting is the sessions at the access code screen at once (0: a
	// quarter of MaxSessions, at least 4), WaitingPerAddress how many of
	// them one address may have, and CodeScreenLimit how long one may stay
	// there.
	MaxWaiting        int
	WaitingPerAddress int
	CodeScreenLimit   time.Duration
	RatePerMinute     float64 // new sessions per minute from one address
	RateBurst         int
	WrongCodeDelay    time.Duration // answer to the first wrong code; doubles each time
	CodeTries         int           // wrong codes one session may try
	CodeTriesAddr     int           // wrong codes one address may try in 15 minutes

	// The live services (not used with Demo).
	APIBaseURL, RecoveryURL, PwnedURL string
	OfflinePasswords                  bool

	Version string
	Log     io.Writer // the server's own messages (nil: discarded)

	// Sleep waits d or until ctx ends: the delay before the answer to a
	// wrong access code (nil: a timer). Tests give their own to see the
	// delays asked for without waiting for them.
	Sleep func(ctx context.Context, d time.Duration)
	// AfterFunc runs f after d, and returns what stops it: the code
	// screen's time limit and the minute of the refusals' audit lines
	// (nil: time.AfterFunc). Tests give their own to end those times when
	// they choose.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
}

// Defaults for Options left zero.
const (
	DefaultListen         = "127.0.0.1:2222"
	DefaultIdleWarn       = 5 * time.Minute
	DefaultIdleLimit      = 10 * time.Minute
	DefaultMaxSession     = 60 * time.Minute
	DefaultMaxSessions    = 50
	DefaultRatePerMinute  = 10
	DefaultRateBurst      = 5
	DefaultCodeTries      = 5
	DefaultWrongCodeDelay = time.Second
)

// Limits on what a client may ask for.
const (
	maxCols, maxRows = 500, 200 // a bigger window is drawn at this size
	maxTermLen       = 64
	maxEnvValue      = 256
	handshakeTimeout = 20 * time.Second
)

// allowedEnv are the only variables taken from the client.
var allowedEnv = map[string]bool{"TERM": true, "LANG": true, "NO_COLOR": true}

// Server is a kiosk SSH server.
type Server struct {
	opts     Options
	ssh      *ssh.Server
	store    *kioskstore.Store
	throttle *access.Throttle
	audit    *audit.Log
	limiter  ratelimiter.RateLimiter
	admit    *admission
	refusals *refusalLog
	common   []string          // the common-password list, shared read-only by sessions
	breaches *sandbox.Breaches // the demo sandboxes' breach data (nil without --demo), shared read-only

	passwords *password.Checker // the password step's checker without breaches, shared read-only

	mu       sync.Mutex
	closing  bool           // Serve is ending: no new session starts
	sessions sync.WaitGroup // sessions being set up, run or cleaned up
	// demos are the demo worlds by code: a dropped session's recovery,
	// reopened with the same code, finds the sandbox as it left it.
	demos map[string]*demoWorld

	// The demo shop's site, one for every demo world.
	siteMu           sync.Mutex
	siteURL, siteDir string
	siteStop         context.CancelFunc

	hostKeyFingerprint string
	hostKeyCreated     bool
}

// New sets up a server: the host key (made when missing) and the audit
// log, over the store. Serve starts it.
func New(opts Options) (*Server, error) {
	if opts.IdleWarn == 0 {
		opts.IdleWarn = DefaultIdleWarn
	}
	if opts.IdleLimit == 0 {
		opts.IdleLimit = DefaultIdleLimit
	}
	if opts.MaxSession == 0 {
		opts.MaxSession = DefaultMaxSession
	}
	if opts.MaxSessions == 0 {
		opts.MaxSessions = DefaultMaxSessions
	}
	if opts.MaxWaiting == 0 {
		opts.MaxWaiting = defaultMaxWaiting(opts.MaxSessions)
	}
	if opts.WaitingPerAddress == 0 {
		opts.WaitingPerAddress = DefaultWaitingPerAddress
	}
	if opts.CodeScreenLimit == 0 {
		opts.CodeScreenLimit = DefaultCodeScreenLimit
	}
	if opts.RatePerMinute == 0 {
		opts.RatePerMinute = DefaultRatePerMinute
	}
	if opts.RateBurst == 0 {
		opts.RateBurst = DefaultRateBurst
	}
	if opts.CodeTries == 0 {
		opts.CodeTries = DefaultCodeTries
	}
	if opts.CodeTriesAddr == 0 {
		opts.CodeTriesAddr = access.DefaultPerAddress
	}
	if opts.WrongCodeDelay == 0 {
		opts.WrongCodeDelay = DefaultWrongCodeDelay
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	if opts.AfterFunc == nil {
		opts.AfterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	switch {
	case opts.IdleWarn < 0 || opts.IdleLimit < 0 || opts.MaxSession < 0 || opts.CodeScreenLimit < 0:
		return nil, errors.New("the time limits must be positive")
	case opts.IdleWarn >= opts.IdleLimit:
		return nil, fmt.Errorf("the idle warning (%s) must come before the idle limit (%s)", opts.IdleWarn, opts.IdleLimit)
	case opts.IdleLimit > opts.MaxSession:
		return nil, fmt.Errorf("the idle limit (%s) must not be longer than the session limit (%s)", opts.IdleLimit, opts.MaxSession)
	case opts.MaxSessions < 0 || opts.MaxWaiting < 0 || opts.WaitingPerAddress < 0 || opts.RatePerMinute < 0 ||
		opts.RateBurst < 0 || opts.CodeTries < 0 || opts.CodeTriesAddr < 0:
		return nil, errors.New("the session, rate and try limits must be positive")
	case opts.HostKeyPath == "":
		return nil, errors.New("the host key needs a path")
	case opts.Store == nil:
		return nil, errors.New("the kiosk needs its store")
	}
	if opts.AuthorizedKeys != "" {
		if _, err := os.Stat(opts.AuthorizedKeys); err != nil {
			return nil, fmt.Errorf("authorized keys: %w", err)
		}
	}

	s := &Server{
		opts:  opts,
		store: opts.Store,
		// Wrong codes are counted in the store: an address that tried too
		// many through one host waits on every host.
		throttle: &access.Throttle{Base: opts.WrongCodeDelay, Max: max(access.DefaultMax, opts.WrongCodeDelay),
			PerAddress: opts.CodeTriesAddr, Window: access.DefaultWindow, Attempts: opts.Store},
		limiter: ratelimiter.NewRateLimiter(rate.Limit(opts.RatePerMinute/60), opts.RateBurst, 4096),
		admit:   newAdmission(opts.MaxSessions, opts.MaxWaiting, opts.WaitingPerAddress),
		common:  assets.CommonPasswords(),
	}
	s.passwords = password.NewChecker(nil, s.common)
	if opts.Demo {
		s.breaches = sandbox.NewBreaches(s.common)
	}
	pemBytes, signer, created, err := loadHostKey(opts.HostKeyPath)
	if err != nil {
		return nil, err
	}
	s.hostKeyFingerprint = gossh.FingerprintSHA256(signer.PublicKey())
	s.hostKeyCreated = created
	// Every host appends to the store's one chain.
	s.audit = audit.OpenChain(opts.Store.AuditChain(), func(err error) {
		fmt.Fprintln(s.opts.Log, "mjrecover kiosk:", err)
	})
	s.refusals = newRefusalLog(s.audit.Post, opts.AfterFunc, opts.Version)

	sshOpts := []ssh.Option{
		wish.WithHostKeyPEM(pemBytes),
		wish.WithVersion("mjrecover-kiosk"),
		// A connection-level backstop above the wizard's own session limit
		// (wish's idle timeout is not used: screen updates would reset it).
		wish.WithMaxTimeout(opts.MaxSession + time.Minute),
		wish.WithMiddleware(
			// The last runs first: refuse commands, limit the rate, require
			// a terminal, take a place at the code screen, set up the
			// session, run it.
			bm.MiddlewareWithProgramHandler(s.program),
			s.sessionMiddleware,
			s.admitMiddleware,
			activeterm.Middleware(),
			s.rateMiddleware,
			s.shellOnlyMiddleware,
		),
		func(srv *ssh.Server) error {
			srv.HandshakeTimeout = handshakeTimeout
			// Only sessions: no direct-tcpip (-L), no streamlocal, no tun.
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
			// No global requests: tcpip-forward (-R) is refused.
			srv.RequestHandlers = map[string]ssh.RequestHandler{}
			srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
			srv.LocalPortForwardingCallback = func(ssh.Context, string, uint32) bool { return false }
			srv.ReversePortForwardingCallback = func(ssh.Context, string, uint32) bool { return false }
			srv.SessionRequestCallback = func(_ ssh.Session, kind string) bool { return kind == "shell" || kind == "exec" }
			srv.ConnCallback = s.connCallback
			return nil
		},
	}
	if opts.AuthorizedKeys != "" {
		sshOpts = append(sshOpts, wish.WithAuthorizedKeys(opts.AuthorizedKeys))
	}
	s.ssh, err = wish.NewServer(sshOpts...)
	if err != nil {
		s.audit.Close()
		return nil, fmt.Errorf("set up the SSH server: %w", err)
	}
	return s, nil
}

// HostKeyFingerprint is the SHA-256 fingerprint of the server's host key,
// for users to check on first connection.
func (s *Server) HostKeyFingerprint() string { return s.hostKeyFingerprint }

// Active is the number of sessions running now, at the access code
// screen or past it.
func (s *Server) Active() int { return s.admit.running() }

// Serve accepts connections on ln until ctx ends, then closes every
// session (their programs end, their folders are removed) and the audit
// log.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.ssh.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.ssh.Close()
	_ = ln.Close() // in case Serve had not yet taken it
	defer s.closeDemos()
	done := make(chan struct{})
	go func() { s.sessions.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		fmt.Fprintln(s.opts.Log, "mjrecover kiosk: some sessions did not end in time")
	}
	s.refusals.flush()
	if cerr := s.audit.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if errors.Is(err, ssh.ErrServerClosed) {
		err = nil
	}
	return err
}

// connCallback bounds the TCP connections not past the access code, per
// address and in all (before any SSH work), so a flood cannot exhaust the
// server nor one address crowd out the others; the friendly messages come
// later. A connection must open its session soon, and it is closed
// shortly after its one session ends.
func (s *Server) connCallback(ctx ssh.Context, conn net.Conn) net.Conn {
	addr := addrKey(conn.RemoteAddr())
	t, why := s.admit.connect(addr)
	if why != admitted {
		s.refusals.note(addr, why)
		return nil
	}
	cc := &kioskConn{Conn: conn, ticket: t}
	ctx.SetValue(connKey, cc)
	cc.noSession = time.AfterFunc(noSessionTimeout, func() { _ = cc.Close() })
	return cc
}

// Connection timing.
const (
	noSessionTimeout = 30 * time.Second // from connecting to opening a session
	afterSession     = 2 * time.Second  // from a session's end to closing its connection
)

var connKey = &struct{ name string }{"kiosk-conn"}

// kioskConn is one client connection.
type kioskConn struct {
	net.Conn
	once      sync.Once
	ticket    *ticket // the connection's place
	noSession *time.Timer
	sessions  atomic.Int32
}

func (c *kioskConn) Close() error {
	c.once.Do(func() {
		c.noSession.Stop()
		c.ticket.close()
	})
	return c.Conn.Close()
}

// closeSoon closes the connection of a session that ended, in case the
// client keeps it open.
func closeSoon(ctx ssh.Context) {
	if cc, ok := ctx.Value(connKey).(*kioskConn); ok {
		time.AfterFunc(afterSession, func() { _ = cc.Close() })
	}
}

// sessionChannel accepts one session channel per connection and filters
// its requests before charm's session handler sees them.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	cc, ok := ctx.Value(connKey).(*kioskConn)
	if !ok || cc.sessions.Add(1) > 1 {
		_ = nc.Reject(gossh.Prohibited, "one session per connection")
		return
	}
	cc.noSession.Stop()
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{nc}, ctx) // returns when the channel closes
	closeSoon(ctx)
}

// filteredChannel hands charm's session handler only the requests a kiosk
// session may make.
type filteredChannel struct{ gossh.NewChannel }

func (c filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		for req := range reqs {
			if filterRequest(req) {
				out <- req
			}
		}
	}()
	return ch, out, nil
}

// filterRequest answers a refused request itself (false) and reports
// whether the request goes on, possibly trimmed.
func filterRequest(req *gossh.Request) bool {
	refuse := func() bool {
		if req.WantReply {
			_ = req.Reply(false, nil)
		}
		return false
	}
	switch req.Type {
	case "shell":
		return true
	case "pty-req":
		var p struct {
			Term               string
			Cols, Rows, PW, PH uint32
			Modes              string
		}
		if gossh.Unmarshal(req.Payload, &p) != nil || len(p.Term) > maxTermLen {
			return refuse()
		}
		p.Cols, p.Rows = min(p.Cols, maxCols), min(p.Rows, maxRows)
		req.Payload = gossh.Marshal(&p)
		return true
	case "window-change":
		var w struct{ Cols, Rows, PW, PH uint32 }
		if gossh.Unmarshal(req.Payload, &w) != nil {
			return refuse()
		}
		w.Cols, w.Rows = min(w.Cols, maxCols), min(w.Rows, maxRows)
		req.Payload = gossh.Marshal(&w)
		return true
	case "env":
		var kv struct{ Key, Value string }
		if gossh.Unmarshal(req.Payload, &kv) != nil || !allowedEnv[kv.Key] || len(kv.Value) > maxEnvValue ||
			strings.ContainsAny(kv.Value, "\x00\r\n") {
			return refuse()
		}
		return true
	case "exec":
		// Goes on to shellOnlyMiddleware, which says why it is refused and
		// ends the session with status 1 (OpenSSH drops text sent before a
		// refused request, so refusing it here would leave the person with
		// only "exec request failed"). No command ever runs.
		return true
	default:
		// subsystem (sftp, scp -s), auth-agent-req@openssh.com, x11-req,
		// signal, break, keepalive…
		return refuse()
	}
}

// shellOnlyMiddleware refuses commands (ssh host cat /etc/passwd): it
// runs first, says why, and ends the session; nothing is executed. (A
// subsystem never gets here: its request is refused.)
func (s *Server) shellOnlyMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if strings.TrimSpace(sess.RawCommand()) != "" || sess.Subsystem() != "" {
			wish.Errorln(sess, clientLang(sess.Environ()).T("This server only runs the mjrecover recovery wizard: commands are refused.\n"+
				"Connect with %s and no command.", "ssh -t"))
			_ = sess.Exit(1)
			return
		}
		next(sess)
	}
}

// rateMiddleware limits how often one address may start a session.
func (s *Server) rateMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		addr := addrKey(sess.RemoteAddr())
		if err := s.limiter.Allow(keyedSession{sess, keyAddr(addr)}); err != nil {
			s.refuse(sess, addr, refusedRate)
			return
		}
		next(sess)
	}
}

// admitMiddleware gives the session a place at the access code screen, and
// its place back when it ends.
func (s *Server) admitMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		cc, ok := sess.Context().Value(connKey).(*kioskConn)
		if !ok {
			_ = sess.Exit(1)
			return
		}
		if why := cc.ticket.wait(); why != admitted {
			s.refuse(sess, cc.ticket.addr, why)
			return
		}
		defer cc.ticket.leave()
		next(sess)
	}
}

// refuse turns a session away: an audit line (gathered), the reason in
// the client's language, and exit status 1.
func (s *Server) refuse(sess ssh.Session, addr string, why refusal) {
	s.refusals.note(addr, why)
	if text := why.text(clientLang(sess.Environ())); text != "" {
		wish.Println(sess, text)
	}
	_ = sess.Exit(1)
}

// keyedSession is a session as the rate limiter sees it: counted by its
// address's key (an IPv6 /64 as one address), not by its exact IP.
type keyedSession struct {
	ssh.Session
	key keyAddr
}

func (k keyedSession) RemoteAddr() net.Addr { return k.key }

type keyAddr string

func (keyAddr) Network() string  { return "tcp" }
func (a keyAddr) String() string { return string(a) }

var sessionKey = &struct{ name string }{"kiosk-session"}

// sessionMiddleware gives the session its resources, runs the program
// (next), then says how it ended, releases everything and closes the
// session.
func (s *Server) sessionMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.mu.Lock()
		if s.closing {
			s.mu.Unlock()
			_ = sess.Exit(1)
			return
		}
		s.sessions.Add(1)
		s.mu.Unlock()
		defer s.sessions.Done()
		ks, err := s.newSession(sess)
		if err != nil {
			fmt.Fprintln(s.opts.Log, "mjrecover kiosk: start a session:", err)
			wish.Println(sess, clientLang(sess.Environ()).T("Sorry, the kiosk could not start your session. Please try again later."))
			_ = sess.Exit(1)
			return
		}
		defer ks.close()
		if cc, ok := sess.Context().Value(connKey).(*kioskConn); ok {
			// The time at the code screen starts now; the gate hears when
			// it is over, unless the code was right before.
			ks.codeTimeUp = make(chan struct{})
			cc.ticket.startClock(s.opts.CodeScreenLimit, s.opts.AfterFunc, func() { close(ks.codeTimeUp) })
			ks.ticket = cc.ticket
		}
		sess.Context().SetValue(sessionKey, ks)
		s.audit.Post(audit.Entry{Event: audit.EventSessionStart, Session: ks.hash, Client: ks.client, Version: s.opts.Version})

		next(sess)

		end := ks.ending()
		s.audit.Post(audit.Entry{Event: audit.EventSessionEnd, Session: ks.hash, Account: ks.grant.Account,
			Result: end.result, Client: ks.client, Version: s.opts.Version,
			Detail: fmt.Sprintf("after %s", time.Since(ks.started).Round(time.Second))})
		if sess.Context().Err() == nil {
			wish.Print(sess, "\n"+end.message+"\n")
		}
		_ = sess.Exit(end.code)
	}
}

// program makes the session's Bubble Tea program: the access code screen,
// then the wizard.
func (s *Server) program(sess ssh.Session) *tea.Program {
	ks, _ := sess.Context().Value(sessionKey).(*session)
	if ks == nil {
		return nil
	}
	ks.gate = newGate(s, ks)
	ks.wizard = ui.New(s.frameConfig(ks), ui.WithFirstPage(ks.gate))
	opts := append(bm.MakeOptions(sess),
		tea.WithEnvironment(ks.env),
		tea.WithoutSignalHandler(), // the server's signals are not the session's
		// Replaces MakeOptions' filter, doing the same: no suspending over SSH.
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			if _, ok := msg.(tea.SuspendMsg); ok {
				return tea.ResumeMsg{}
			}
			// Ctrl+Z does not suspend anything over SSH: like Ctrl+C, it
			// asks before ending.
			if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "ctrl+z" {
				return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
			}
			return msg
		}),
	)
	if ks.noColor {
		// colorprofile reads NO_COLOR as a boolean ("yes" keeps colour);
		// no-color.org says any non-empty value turns colour off.
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	return tea.NewProgram(ks.wizard, opts...)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// claim takes the code with record id for one live session, on every
// host that shares the store, until the lock is unlocked (the session
// ends) or its host goes: access.ErrInUse when another session holds it.
func (s *Server) claim(ctx context.Context, id string) (*kioskstore.Lock, error) {
	l, err := s.store.Lock(ctx, codeLock(id))
	if errors.Is(err, kioskstore.ErrLocked) {
		return nil, access.ErrInUse
	}
	return l, err
}

// codeLock names the lock of the code with record id (an id, not a code:
// lock names may appear in errors).
func codeLock(id string) string { return "code:" + id }
