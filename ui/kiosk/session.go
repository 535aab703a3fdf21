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
	"github.com/mjrecover/mjrecover/steps/support"
	"github.com/mjrecover/mjrecover/ui"
)

// session is one SSH session's own world: nothing in it is shared with
// another session.
type session struct {
	id      string // random; the audit log only sees its hash
	hash    string
	client  string // the client's address, for the audit log
	ip      string // what the wrong-code throttle counts by
	env     []string
	noColor bool
	started time.Time

	dir        string             // the session's temporary folder, removed at the end
	ctx        context.Context    // ends with the SSH session
	cancel     context.CancelFunc // called when the program ends
	httpClient *http.Client

	// grant is set once the access code is right: the account this session
	// may recover, and grant.StateKey, derived from the code, which names
	// the session's saved progress when the wizard keeps one
	// (ui.Config.ProgressID).
	grant access.Grant

	root *root

	closeOnce sync.Once
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
		id: id, hash: audit.SessionHash(id), client: sess.RemoteAddr().String(),
		started: time.Now(), dir: dir, ctx: ctx, cancel: cancel, httpClient: newHTTPClient(),
	}
	ks.ip = ks.client
	if tcp, ok := sess.RemoteAddr().(*net.TCPAddr); ok {
		ks.ip = tcp.IP.String()
	}
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
	return ks, nil
}

// close ends everything the session started and removes its folder (the
// demo's web root, reports): nothing of it stays on the server.
func (ks *session) close() {
	ks.closeOnce.Do(func() {
		ks.cancel()
		ks.httpClient.CloseIdleConnections()
		_ = os.RemoveAll(ks.dir)
	})
}

// ending is how a session ended, for the person and the audit log.
type ending struct {
	result  string
	message string
	code    int // the SSH exit status
}

func (ks *session) ending() ending {
	if ks.ctx.Err() != nil && (ks.root == nil || !ks.root.over()) {
		return ending{result: "dropped", message: "The connection was lost.", code: 1}
	}
	if ks.root == nil {
		return ending{result: "not started", message: "The session could not start.", code: 1}
	}
	return ks.root.ending()
}

// wizardConfig is the wizard's configuration for a session whose code was
// right, started at now: its own clients and folder, the kiosk's rules,
// and the time left of the session.
func (s *Server) wizardConfig(ks *session, now time.Time) (ui.Config, error) {
	reports := filepath.Join(ks.dir, "reports")
	scan := filepath.Join(ks.dir, "scan")
	demo := filepath.Join(ks.dir, "demo")
	for _, d := range []string{reports, scan, demo} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return ui.Config{}, fmt.Errorf("make the session's folders: %w", err)
		}
	}
	left := s.opts.MaxSession - now.Sub(ks.started)
	cfg := ui.Config{
		Version:         s.opts.Version,
		APIBaseURL:      s.opts.APIBaseURL,
		RecoveryURL:     s.opts.RecoveryURL,
		HTTPClient:      ks.httpClient,
		Presenting:      true,
		IdleWarn:        s.opts.IdleWarn,
		IdleLimit:       s.opts.IdleLimit,
		MaxSession:      max(left, time.Minute),
		Kiosk:           true,
		RequireAccount:  ks.grant.Account,
		OnStep:          s.onStep(ks),
		ScanRoot:        scan,
		ReportDir:       reports,
		CommonPasswords: s.common,
		Context:         ks.ctx,
		Now:             time.Now,
		Rand:            rand.Reader,
	}
	if !s.opts.OfflinePasswords && s.opts.PwnedURL != "" {
		cfg.Breaches = pwned.New(s.opts.PwnedURL, pwned.WithHTTPClient(ks.httpClient))
	}
	if s.opts.Demo {
		// A sandbox of its own: one session's rotations never touch
		// another's demo account.
		box := sandbox.New(sandbox.WithBreachedPasswords(s.common))
		base, err := box.Listen(ks.ctx, "127.0.0.1:0")
		if err != nil {
			return ui.Config{}, fmt.Errorf("start the sandbox: %w", err)
		}
		root, err := assets.ExtractDemo(demo)
		if err != nil {
			return ui.Config{}, fmt.Errorf("unpack the demo web root: %w", err)
		}
		cfg.Demo = true
		cfg.APIBaseURL, cfg.RecoveryURL = base, base
		cfg.Breaches = pwned.New(base, pwned.WithHTTPClient(ks.httpClient))
		cfg.ScanRoot = root
		cfg.Credentials = &mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)}
		cfg.CredentialsSource = "the demo account " + sandbox.DemoEmail
	}
	return cfg, nil
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
