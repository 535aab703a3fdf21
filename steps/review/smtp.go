package review

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/lang"
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
	Problem   string // why it could not be checked, in plain English words
	CheckedAt time.Time

	problem lang.Message // Problem as a message
}

// Words says the result in one plain sentence, in p's language (nil:
// English).
func (c SMTPCheck) Words(p *lang.Printer) string { return p.Say(c.Msg()) }

// Msg is Words as a message, to be said later.
func (c SMTPCheck) Msg() lang.Message {
	switch c.Outcome {
	case SMTPRefused:
		return lang.Msg("Mailjet's email server now refuses the old secret of key %s.", c.Key)
	case SMTPAccepted:
		return lang.Msg("Mailjet's email server still accepts the old secret of key %s. "+
			"It usually stops about an hour after the reset; check again later, and tell support if it goes on.", c.Key)
	}
	problem := c.problem
	if problem.IsZero() {
		problem = lang.Kept(c.Problem)
	}
	return lang.Msg("The old login of key %[1]s could not be checked: %[2]s", c.Key, problem)
}

// Line is the check for the support report (times in UTC).
func (c SMTPCheck) Line() Line {
	action := lang.Msg("Checked at %s", c.CheckedAt.UTC().Format("2006-01-02 15:04 UTC"))
	if c.Outcome == SMTPNotChecked {
		action = lang.Msg("Not checked")
	}
	return said(AreaSMTP.Msg(), c.Msg(), action)
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
	check := SMTPCheck{Key: untrusted.Text(key, 64), Outcome: outcome, CheckedAt: now()}
	if !problem.IsZero() {
		check.problem = problem.MapText(func(s string) string {
			if sec.IsZero() {
				return s
			}
			return strings.ReplaceAll(s, sec.Reveal(), secret.Mask)
		})
		check.Problem = check.problem.String()
	}
	return check
}

func (c SMTPChecker) login(ctx context.Context, key string, sec secret.Secret) (SMTPOutcome, lang.Message) {
	addr := c.Addr
	if addr == "" {
		addr = DefaultSMTPAddr
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return SMTPNotChecked, lang.Msg("the email server's address is not host:port.")
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
		return SMTPNotChecked, lang.Msg("could not reach Mailjet's email server (%s). Check the internet connection, or that the hosting provider does not block port 587.", netWords(err))
	}
	defer conn.Close()
	if d, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() }) // cancelling ends a blocked read
	defer stop()

	unexpected := func(err error) lang.Message {
		return lang.Msg("the email server did not answer as expected (%s).", netWords(err))
	}
	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		return SMTPNotChecked, unexpected(err)
	}
	defer cl.Close()
	if err := cl.Hello("localhost"); err != nil {
		return SMTPNotChecked, unexpected(err)
	}
	if ok, _ := cl.Extension("STARTTLS"); !ok {
		return SMTPNotChecked, lang.Msg("the email server did not offer an encrypted connection, so the secret was not sent.")
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.TLS != nil {
		cfg = c.TLS.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	if err := cl.StartTLS(cfg); err != nil {
		return SMTPNotChecked, lang.Msg("could not make a secure connection to the email server (%s), so the secret was not sent.", netWords(err))
	}
	ok, mechs := cl.Extension("AUTH")
	var auth smtp.Auth
	switch {
	case ok && hasWord(mechs, "PLAIN"):
		auth = smtp.PlainAuth("", key, sec.Reveal(), host)
	case ok && hasWord(mechs, "LOGIN"):
		auth = loginAuth{user: key, pass: sec}
	default:
		return SMTPNotChecked, lang.Msg("the email server offers no login method mjrecover knows.")
	}
	err = cl.Auth(auth)
	_ = cl.Quit() // log out politely; the answer is already known
	var tpErr *textproto.Error
	switch {
	case err == nil:
		return SMTPAccepted, lang.Message{}
	case errors.As(err, &tpErr) && (tpErr.Code == 535 || tpErr.Code == 534 || tpErr.Code == 530):
		return SMTPRefused, lang.Message{}
	case errors.As(err, &tpErr):
		code := strconv.Itoa(tpErr.Code)
		return SMTPNotChecked, lang.Msg("the email server answered %s; try again later.", code)
	}
	return SMTPNotChecked, lang.Msg("the login could not be completed (%s).", netWords(err))
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
