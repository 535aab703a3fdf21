package kiosk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"charm.land/ssh"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/pwned"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/assets"
	"github.com/mjrecover/mjrecover/steps/access"
	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/steps/flow"
	"github.com/mjrecover/mjrecover/steps/kioskstore"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/support"
	"github.com/mjrecover/mjrecover/steps/wording"
	"github.com/mjrecover/mjrecover/ui"
)

// session is one SSH session's own world: nothing in it is shared with
// another session.
type session struct {
	srv     *Server
	id      string // random; the audit log only sees its hash
	hash    string
	client  string // the client's address, for the audit log
	ip      string // the address it is counted by (addrKey): the wrong-code throttle's key
	env     []string
	noColor bool
	lang    *lang.Printer // from the client's LANG (English without one)
	started time.Time

	dir        string             // the session's temporary folder, removed at the end
	ctx        context.Context    // ends with the SSH session
	cancel     context.CancelFunc // called when the program ends
	httpClient *http.Client
	outbound   *outboundPolicy // where httpClient may connect

	// grant is set once the access code is right: the account this session
	// may recover, and grant.StateKey, derived from the code, which names
	// the recovery's journal in the store (ui.Config.ProgressID).
	grant access.Grant

	gate   *gate
	wizard *ui.Wizard

	// ticket is the session's place in the kiosk (at the code screen,
	// then past it); codeTimeUp closes when its time at the code screen is
	// over.
	ticket     *ticket
	codeTimeUp chan struct{}

	closeOnce sync.Once
	mu        sync.Mutex
	closed    bool             // close has begun: a claim made now is let go at once
	claim     *kioskstore.Lock // the code's lock, held while the session lives
}

func (s *Server) newSession(sess ssh.Session) (*session, error) {
	var idb [16]byte
	if _, err := rand.Read(idb[:]); err != nil {
		return nil, err
	}
	id := hex.EncodeToString(idb[:])
	dir, err := os.MkdirTemp("", "mjrecover-kiosk-")
	if err != nil {
		return nil, fmt.Errorf("make the session's folder: %w", err)
	}
	ctx, cancel := context.WithCancel(sess.Context())
	ks := &session{
		srv: s, id: id, hash: audit.SessionHash(id), client: sess.RemoteAddr().String(),
		started: time.Now(), dir: dir, ctx: ctx, cancel: cancel,
	}
	ks.ip = addrKey(sess.RemoteAddr())
	for _, kv := range sess.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if !allowedEnv[k] || k == "TERM" {
			continue
		}
		ks.env = append(ks.env, kv)
		if k == "NO_COLOR" && v != "" {
			ks.noColor = true
		}
	}
	if pty, _, ok := sess.Pty(); ok {
		ks.env = append(ks.env, "TERM="+pty.Term)
	}
	ks.lang = clientLang(ks.env)
	// Checks made for the customer reach public addresses only (a demo
	// also its own sandbox and site, allowed once they exist).
	ks.outbound = &outboundPolicy{lang: ks.lang}
	ks.httpClient = ks.outbound.client()
	return ks, nil
}

// clientLang is the language of a client's environment (KEY=value
// lines). Only LANG crosses from the client (see allowedEnv): LC_ALL and
// LC_MESSAGES are the server's business.
func clientLang(env []string) *lang.Printer {
	tag, _ := lang.Pick("", func(name string) string {
		if name != "LANG" {
			return ""
		}
		for _, kv := range env {
			if v, ok := strings.CutPrefix(kv, "LANG="); ok {
				return v
			}
		}
		return ""
	})
	return lang.New(tag)
}

// hold keeps the claim on the session's code until the session ends. A
// session already ending lets it go at once (false): a lock it kept would
// hold the code on every host until this one stops.
func (ks *session) hold(l *kioskstore.Lock) bool {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if ks.closed {
		ks.srv.unlock(l)
		return false
	}
	ks.claim = l
	return true
}

// letGo lets go of the session's claim before it ends (the kiosk was
// full): the code is free for the next session.
func (ks *session) letGo() {
	ks.mu.Lock()
	claim := ks.claim
	ks.claim = nil
	ks.mu.Unlock()
	if claim != nil {
		ks.srv.unlock(claim)
	}
}

// close ends everything the session started and removes its folder (the
// demo's web root, reports): nothing of it stays on the server. The
// recovery's journal is closed, then its code let go: from then on the
// code opens it on any host.
func (ks *session) close() {
	ks.closeOnce.Do(func() {
		ks.mu.Lock()
		ks.closed = true
		claim := ks.claim
		ks.mu.Unlock()
		ks.cancel()
		if ks.wizard != nil {
			if err := ks.wizard.Close(); err != nil {
				ks.srv.logf("close a recovery's journal: %v", err)
			}
		}
		ks.httpClient.CloseIdleConnections()
		_ = os.RemoveAll(ks.dir)
		if ks.grant.ID != "" && ks.wizard != nil && ks.wizard.Outcome().Finished {
			// Done: the code opens nothing more, and its saved progress
			// went with the finished recovery.
			ctx, cancel := context.WithTimeout(context.Background(), storeWait)
			if err := ks.srv.store.FinishCode(ctx, ks.grant.ID); err != nil {
				ks.srv.logf("close an access code: %v", err)
			}
			cancel()
		}
		if claim != nil {
			ks.srv.unlock(claim)
		}
	})
}

// storeWait bounds what a session does in the store once its own context
// is over (it ended): finishing its code, letting go of it.
const storeWait = 30 * time.Second

// unlock lets go of a session's lock.
func (s *Server) unlock(l *kioskstore.Lock) {
	ctx, cancel := context.WithTimeout(context.Background(), storeWait)
	defer cancel()
	if err := l.Unlock(ctx); err != nil {
		s.logf("%v", err)
	}
}

// ending is how a session ended, for the person and the audit log.
type ending struct {
	result  string
	message string
	code    int // the SSH exit status
}

func (ks *session) ending() ending {
	p := ks.lang
	if ks.wizard == nil {
		return ending{result: "not started", message: p.T("The session could not start."), code: 1}
	}
	out := ks.wizard.Outcome()
	over := out.Finished || out.TimedOut || out.Quit || ks.gate.reason != ""
	if ks.ctx.Err() != nil && !over {
		return ending{result: "dropped", message: p.T("The connection was lost."), code: 1}
	}
	return ks.sessionEnding(out)
}

// sessionEnding says how the session ended, once its program has.
func (ks *session) sessionEnding(out ui.Outcome) ending {
	p := ks.lang
	if ks.wizard.Flow() == nil {
		switch {
		case ks.gate.reason == reasonCodeTime:
			return ending{result: reasonCodeTime, message: p.T("This session ended: the access code screen waits %s at most. "+
				"Connect again when you have your code at hand.", wording.Duration(p, ks.srv.opts.CodeScreenLimit)), code: 1}
		case ks.gate.reason == reasonFull:
			return ending{result: reasonFull, message: fullText(p), code: 1}
		case out.TimedOut:
			return ending{result: "timed out", message: p.T("This session ended: no key was pressed for a while. " +
				"Ask Mailjet support for a new code to go on."), code: 1}
		case ks.gate.reason == reasonWrongCode:
			return ending{result: reasonWrongCode, message: p.T("This session ended after too many wrong access codes. " +
				"Ask Mailjet support for a new code to go on."), code: 1}
		case out.Quit:
			return ending{result: "left", message: p.T("You left before typing the access code."), code: 130}
		}
		return ending{result: "failed", message: p.T("The session could not start. Please try again later."), code: 1}
	}
	switch {
	case out.Finished:
		msg := p.T("Your recovery is done.")
		if out.Ticket != "" {
			msg += " " + p.T("Mailjet support has your report: ticket %s.", out.Ticket)
		}
		return ending{result: "finished", message: msg + " " + p.T("You can close this window."), code: 0}
	case out.IdleOut:
		return ending{result: "timed out (no key pressed)", message: p.T("This session ended: no key was pressed for a while. " +
			"Your progress is kept: type the same code in a new session to go on."), code: 1}
	case out.TimedOut:
		return ending{result: "timed out (session limit)", message: p.T("This session reached its time limit. " +
			"Your progress is kept: type the same code in a new session to go on, while it is valid."), code: 1}
	}
	return ending{result: "left", message: p.T("You left the recovery. What you finished stays done at Mailjet, and your progress " +
		"is kept: type the same code in a new session to go on, while it is valid."), code: 130}
}

// frameConfig is the frame of a session before its code is typed: the
// kiosk's clocks and badges.
func (s *Server) frameConfig(ks *session) ui.Config {
	cfg := ui.Config{Context: ks.ctx, IdleWarn: s.opts.IdleWarn, IdleLimit: s.opts.IdleLimit, MaxSession: s.opts.MaxSession}
	cfg.Demo, cfg.Presenting, cfg.Kiosk, cfg.Now, cfg.Lang = s.opts.Demo, true, true, time.Now, ks.lang
	return cfg
}

// wizardConfig is the wizard's configuration for a session whose code was
// right, started at now: its own clients and folder, the kiosk's rules,
// and the time left of the session.
func (s *Server) wizardConfig(ks *session, now time.Time) (ui.Config, error) {
	reports := filepath.Join(ks.dir, "reports")
	for _, d := range []string{reports} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return ui.Config{}, fmt.Errorf("make the session's folders: %w", err)
		}
	}
	left := s.opts.MaxSession - now.Sub(ks.started)
	cfg := ui.Config{Context: ks.ctx, IdleWarn: s.opts.IdleWarn, IdleLimit: s.opts.IdleLimit, MaxSession: max(left, time.Minute)}
	cfg.Config = flow.Config{
		Version:         s.opts.Version,
		Lang:            ks.lang,
		APIBaseURL:      s.opts.APIBaseURL,
		RecoveryURL:     s.opts.RecoveryURL,
		HTTPClient:      ks.httpClient,
		Presenting:      true,
		Kiosk:           true,
		RequireAccount:  ks.grant.Account,
		OnStep:          s.onStep(ks),
		ReportDir:       reports,
		CommonPasswords: s.common,
		Passwords:       s.passwords,
		PassphraseWords: assets.PassphraseWordsIn(ks.lang.Tag().String()),
		Now:             time.Now,
		Rand:            rand.Reader,
	}
	if !s.opts.OfflinePasswords && s.opts.PwnedURL != "" {
		cfg.Breaches = pwned.New(s.opts.PwnedURL, pwned.WithHTTPClient(ks.httpClient))
	}
	// The recovery's journal, in the store and named by the code: a
	// session that reopens the code, through any host, goes on where the
	// last one stopped.
	cfg.Journals = s.store.Journals()
	cfg.ProgressID = ks.grant.StateKey
	if s.opts.Demo {
		world, err := s.demoWorld(ks.grant.ID)
		if err != nil {
			return ui.Config{}, err
		}
		for _, u := range []string{world.base, world.site} {
			if err := ks.outbound.allowURL(u); err != nil {
				return ui.Config{}, fmt.Errorf("allow the demo's own address %s: %w", u, err)
			}
		}
		cfg.Demo = true
		cfg.APIBaseURL, cfg.RecoveryURL = world.base, world.base
		cfg.Breaches = pwned.New(world.base, pwned.WithHTTPClient(ks.httpClient))
		cfg.ScanURLs = []string{world.site}
		cfg.Credentials = &mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: world.masterSecret()}
		cfg.CredentialsSource = ks.lang.T("the demo account %s", sandbox.DemoEmail)
	}
	return cfg, nil
}

// demoWorld is the demo account of one access code: a sandbox of its own,
// so one code's rotations never touch another's, kept while the server
// runs so a reopened code finds it as it was left.
type demoWorld struct {
	box    *sandbox.Server
	base   string
	site   string // the demo shop's web site, as badly set up as its files (one for every world)
	cancel context.CancelFunc
}

// masterSecret is the demo master key's secret now (it changes when the
// recovery resets it): what a customer would type after a reset.
func (w *demoWorld) masterSecret() secret.Secret {
	for _, k := range w.box.Keys() {
		if k.IsMaster {
			return k.Secret
		}
	}
	return secret.New(sandbox.DemoMasterSecret)
}

func (s *Server) demoWorld(codeID string) (*demoWorld, error) {
	s.mu.Lock()
	w, ok := s.demos[codeID]
	s.mu.Unlock()
	if ok {
		return w, nil
	}
	// Made without the lock (it unpacks files and opens ports): other
	// sessions need the lock meanwhile. One code is in one session at a
	// time, so no two sessions make the same code's world.
	w, err := s.newDemoWorld()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.demos == nil {
		s.demos = map[string]*demoWorld{}
	}
	s.demos[codeID] = w
	return w, nil
}

func (s *Server) newDemoWorld() (*demoWorld, error) {
	site, err := s.sharedDemoSite()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	box := sandbox.New(sandbox.WithBreaches(s.breaches))
	base, err := box.Listen(ctx, "127.0.0.1:0")
	if err != nil {
		cancel()
		return nil, fmt.Errorf("start the sandbox: %w", err)
	}
	return &demoWorld{box: box, base: base, site: site, cancel: cancel}, nil
}

// sharedDemoSite is the demo shop's web site, unpacked and served once for
// every demo world: sessions only read it, over HTTP.
func (s *Server) sharedDemoSite() (string, error) {
	s.siteMu.Lock()
	defer s.siteMu.Unlock()
	if s.siteURL != "" {
		return s.siteURL, nil
	}
	dir, err := os.MkdirTemp("", "mjrecover-demo-site-")
	if err != nil {
		return "", fmt.Errorf("make the demo site's folder: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	site, err := serveDemoSite(ctx, dir)
	if err != nil {
		cancel()
		os.RemoveAll(dir)
		return "", err
	}
	s.siteURL, s.siteDir, s.siteStop = site, dir, cancel
	return site, nil
}

// closeDemos stops every demo sandbox and the demo site (the server is
// stopping).
func (s *Server) closeDemos() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, w := range s.demos {
		w.cancel()
		delete(s.demos, id)
	}
	s.siteMu.Lock()
	defer s.siteMu.Unlock()
	if s.siteStop != nil {
		s.siteStop()
		os.RemoveAll(s.siteDir)
		s.siteURL, s.siteStop = "", nil
	}
}

// serveDemoSite serves the demo shop's public_html on a loopback port the
// way a carelessly set up web server does: every file, dotfiles and
// backups included. A kiosk session checks it from the outside, as it
// would check a customer's real site. It stops when ctx ends.
func serveDemoSite(ctx context.Context, dir string) (string, error) {
	root, err := assets.ExtractDemo(dir)
	if err != nil {
		return "", fmt.Errorf("unpack the demo web site: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("serve the demo web site: %w", err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(filepath.Join(root, "public_html"))), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	return "http://" + ln.Addr().String() + "/", nil
}

// onStep writes a step's outcome to the audit log without waiting.
func (s *Server) onStep(ks *session) func(string, support.StepResult) {
	return func(account string, r support.StepResult) {
		s.audit.Post(audit.Entry{
			Event: audit.EventStep, Session: ks.hash, Account: account,
			Step: r.Name, StepNum: r.Number, Result: string(r.Status), Detail: r.Detail,
			Client: ks.client, Version: s.opts.Version,
		})
	}
}
