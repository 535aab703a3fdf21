package review

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
)

// Mailjet's SMTP server, and how long it keeps accepting an old secret
// after a reset ("more than one hour", Mailjet's help centre).
const (
	DefaultSMTPAddr = "in-v3.mailjet.com:587"
	SMTPGrace       = time.Hour
	// SMTPRecheckAfter is when to check the old login again after a reset:
	// the grace period and some margin.
	SMTPRecheckAfter = 70 * time.Minute
	// DefaultSMTPTimeout bounds a whole check.
	DefaultSMTPTimeout = 20 * time.Second
)

// SMTPOutcome is what the SMTP server said of a key pair.
type SMTPOutcome int

const (
	SMTPNotChecked SMTPOutcome = iota // the check could not be made; see Problem
	SMTPRefused                       // the pair no longer logs in
	SMTPAccepted                      // the pair still logs in
)

// SMTPCheck is the result of one login attempt.
type SMTPCheck struct {
	Key       string
	Outcome   SMTPOutcome
	Problem   string // why it could not be checked, in plain words
	CheckedAt time.Time
}

// Words says the result in one plain sentence.
func (c SMTPCheck) Words() string {
	switch c.Outcome {
	case SMTPRefused:
		return fmt.Sprintf("Mailjet's email server now refuses the old secret of key %s.", c.Key)
	case SMTPAccepted:
		return fmt.Sprintf("Mailjet's email server still accepts the old secret of key %s. "+
			"It usually stops about an hour after the reset; check again later, and tell support if it goes on.", c.Key)
	}
	return fmt.Sprintf("The old login of key %s could not be checked: %s", c.Key, c.Problem)
}

// Line is the check for the support report.
func (c SMTPCheck) Line() Line {
	action := "Checked at " + c.CheckedAt.UTC().Format("2006-01-02 15:04 UTC")
	if c.Outcome == SMTPNotChecked {
		action = "Not checked"
	}
	return Line{Area: string(AreaSMTP), Finding: c.Words(), Action: action}
}

// SMTPChecker logs in to an SMTP server with a key pair and logs out: it
// never sends an email. The zero value checks Mailjet's server.
type SMTPChecker struct {
	Addr    string      // host:port; "" for DefaultSMTPAddr
	TLS     *tls.Config // nil: the system's certificates, for the host of Addr
	Timeout time.Duration
	// Dial opens the connection (nil: a net.Dialer); tests and proxies
	// replace it.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	Now  func() time.Time
}

// CheckLogin tries AUTH (PLAIN, else LOGIN) with key and sec after
// STARTTLS, then QUIT. The secret is sent only over an encrypted
// connection to a server whose certificate checks out; without STARTTLS
// it is not sent and the result is SMTPNotChecked.
func (c SMTPChecker) CheckLogin(ctx context.Context, key string, sec secret.Secret) SMTPCheck {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	outcome, problem := c.login(ctx, key, sec)
	if problem != "" && !sec.IsZero() {
		problem = strings.ReplaceAll(problem, sec.Reveal(), secret.Mask)
	}
	return SMTPCheck{Key: untrusted.Text(key, 64), Outcome: outcome, Problem: problem, CheckedAt: now()}
}

func (c SMTPChecker) login(ctx context.Context, key string, sec secret.Secret) (SMTPOutcome, string) {
	addr := c.Addr
	if addr == "" {
		addr = DefaultSMTPAddr
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return SMTPNotChecked, "the email server's address is not host:port."
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultSMTPTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	dial := c.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(ctx, "tcp", addr)
	if err != nil {
		return SMTPNotChecked, "could not reach Mailjet's email server (" + netWords(err) + "). Check the internet connection, or that the hosting provider does not block port 587."
	}
	defer conn.Close()
	if d, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() }) // cancelling ends a blocked read
	defer stop()

	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		return SMTPNotChecked, "the email server did not answer as expected (" + netWords(err) + ")."
	}
	defer cl.Close()
	if err := cl.Hello("localhost"); err != nil {
		return SMTPNotChecked, "the email server did not answer as expected (" + netWords(err) + ")."
	}
	if ok, _ := cl.Extension("STARTTLS"); !ok {
		return SMTPNotChecked, "the email server did not offer an encrypted connection, so the secret was not sent."
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.TLS != nil {
		cfg = c.TLS.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	if err := cl.StartTLS(cfg); err != nil {
		return SMTPNotChecked, "could not make a secure connection to the email server (" + netWords(err) + "), so the secret was not sent."
	}
	ok, mechs := cl.Extension("AUTH")
	var auth smtp.Auth
	switch {
	case ok && hasWord(mechs, "PLAIN"):
		auth = smtp.PlainAuth("", key, sec.Reveal(), host)
	case ok && hasWord(mechs, "LOGIN"):
		auth = loginAuth{user: key, pass: sec}
	default:
		return SMTPNotChecked, "the email server offers no login method mjrecover knows."
	}
	err = cl.Auth(auth)
	_ = cl.Quit() // log out politely; the answer is already known
	var tpErr *textproto.Error
	switch {
	case err == nil:
		return SMTPAccepted, ""
	case errors.As(err, &tpErr) && (tpErr.Code == 535 || tpErr.Code == 534 || tpErr.Code == 530):
		return SMTPRefused, ""
	case errors.As(err, &tpErr):
		return SMTPNotChecked, fmt.Sprintf("the email server answered %d; try again later.", tpErr.Code)
	}
	return SMTPNotChecked, "the login could not be completed (" + netWords(err) + ")."
}

func hasWord(list, word string) bool {
	for _, w := range strings.Fields(list) {
		if strings.EqualFold(w, word) {
			return true
		}
	}
	return false
}

// netWords is an error's last part, safe to show.
func netWords(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		err = opErr.Err
	}
	return untrusted.Text(err.Error(), 120)
}

// loginAuth is AUTH LOGIN, which net/smtp lacks: the server asks for the
// user name, then the password. Like smtp.PlainAuth, it refuses to run
// on an unencrypted connection.
type loginAuth struct {
	user string
	pass secret.Secret
}

func (a loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS {
		return "", nil, errors.New("unencrypted connection")
	}
	return "LOGIN", nil, nil
}

func (a loginAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch strings.ToLower(strings.TrimSpace(string(fromServer))) {
	case "username:", "user name:", "username":
		return []byte(a.user), nil
	case "password:", "password":
		return []byte(a.pass.Reveal()), nil
	}
	return nil, errors.New("unexpected login question")
}
