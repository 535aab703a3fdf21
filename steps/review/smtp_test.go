package review

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"net"
	"net/smtp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/secret"
)

// fakeSMTP is a tiny SMTP server on loopback: EHLO, STARTTLS, AUTH PLAIN
// and LOGIN, QUIT. It records what clients did.
type fakeSMTP struct {
	addr     string
	cert     tls.Certificate
	user     string
	pass     string
	offerTLS bool
	mechs    string // advertised after STARTTLS
	silent   bool   // never greet

	ended chan struct{} // a value each time a connection has been served
	stop  chan struct{} // closed when the test ends

	mu           sync.Mutex
	auths        int
	authClear    int // AUTH before STARTTLS
	mailCommands int
	quits        int
}

func startSMTP(t *testing.T, s *fakeSMTP) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	s.cert = testCert(t)
	s.ended = make(chan struct{}, 64)
	s.stop = make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.serve(c)
				select {
				case s.ended <- struct{}{}:
				default:
				}
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		close(s.stop)
		wg.Wait() // no server goroutine outlives the test
	})
	return s
}

// waitServed waits until the server is done with a connection, so what it
// counted is complete.
func (s *fakeSMTP) waitServed(t *testing.T) {
	t.Helper()
	select {
	case <-s.ended:
	case <-time.After(time.Minute): // a hang, not a measurement
		t.Fatal("the server is still serving the check's connection")
	}
}

func (s *fakeSMTP) count(n *int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	*n++
}

func (s *fakeSMTP) serve(c net.Conn) {
	defer c.Close()
	if s.silent {
		// Never a word, and no hanging up either: only the client's own
		// timeout ends its wait. The connection ends when the client
		// closes it, or with the test.
		hungUp := make(chan struct{})
		go func() {
			select {
			case <-s.stop:
				c.Close()
			case <-hungUp:
			}
		}()
		_, _ = io.Copy(io.Discard, c)
		close(hungUp)
		return
	}
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	var conn net.Conn = c
	r := bufio.NewReader(conn)
	say := func(lines ...string) { _, _ = conn.Write([]byte(strings.Join(lines, "\r\n") + "\r\n")) }
	read := func() string { l, _ := r.ReadString('\n'); return strings.TrimRight(l, "\r\n") }
	secure := false
	check := func(user, pass string) {
		if user == s.user && pass == s.pass {
			say("235 2.7.0 Authentication successful")
		} else {
			say("535 5.7.8 Authentication credentials invalid")
		}
	}
	say("220 fake.example ESMTP")
	for {
		line := read()
		if line == "" {
			return
		}
		parts := strings.Fields(line)
		switch cmd := strings.ToUpper(parts[0]); {
		case cmd == "EHLO" || cmd == "HELO":
			if !secure && s.offerTLS {
				say("250-fake.example", "250-STARTTLS", "250 SIZE 1000000")
			} else {
				say("250-fake.example", "250 AUTH "+s.mechs)
			}
		case cmd == "STARTTLS":
			say("220 2.0.0 Ready")
			tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{s.cert}})
			if tc.Handshake() != nil {
				return
			}
			conn, r, secure = tc, bufio.NewReader(tc), true
		case cmd == "AUTH":
			s.count(&s.auths)
			if !secure {
				s.count(&s.authClear)
			}
			switch {
			case len(parts) >= 3 && strings.EqualFold(parts[1], "PLAIN"):
				b, _ := base64.StdEncoding.DecodeString(parts[2])
				f := strings.Split(string(b), "\x00")
				if len(f) != 3 {
					say("501 5.5.2 Bad credentials")
					continue
				}
				check(f[1], f[2])
			case len(parts) >= 2 && strings.EqualFold(parts[1], "LOGIN"):
				say("334 " + base64.StdEncoding.EncodeToString([]byte("Username:")))
				u, _ := base64.StdEncoding.DecodeString(read())
				say("334 " + base64.StdEncoding.EncodeToString([]byte("Password:")))
				p, _ := base64.StdEncoding.DecodeString(read())
				check(string(u), string(p))
			default:
				say("504 5.5.4 Unrecognized authentication type")
			}
		case cmd == "MAIL" || cmd == "RCPT" || cmd == "DATA":
			s.count(&s.mailCommands)
			say("250 OK")
		case cmd == "QUIT":
			s.count(&s.quits)
			say("221 2.0.0 Bye")
			return
		default:
			say("502 5.5.2 Command not recognized")
		}
	}
}

// testCert is a self-signed certificate for 127.0.0.1.
func testCert(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "fake.example"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// trusting returns a checker that trusts the fake server's certificate.
func (s *fakeSMTP) trusting() SMTPChecker {
	pool := x509.NewCertPool()
	leaf, _ := x509.ParseCertificate(s.cert.Certificate[0])
	pool.AddCert(leaf)
	return SMTPChecker{Addr: s.addr, TLS: &tls.Config{RootCAs: pool}, Timeout: 3 * time.Second,
		Now: func() time.Time { return time.Date(2026, 11, 25, 20, 55, 0, 0, time.UTC) }}
}

const (
	smtpKey    = "5d926341e58aad799937006832cd4828"
	smtpSecret = "3d1f3f7eb1d6072386087b3c255bd656"
)

func TestSMTPLoginOutcomes(t *testing.T) {
	cases := []struct {
		name   string
		server *fakeSMTP
		want   SMTPOutcome
	}{
		{"old secret refused (PLAIN)", &fakeSMTP{user: smtpKey, pass: "the-new-secret", offerTLS: true, mechs: "PLAIN LOGIN"}, SMTPRefused},
		{"old secret still accepted (PLAIN)", &fakeSMTP{user: smtpKey, pass: smtpSecret, offerTLS: true, mechs: "LOGIN PLAIN"}, SMTPAccepted},
		{"LOGIN only, refused", &fakeSMTP{user: smtpKey, pass: "the-new-secret", offerTLS: true, mechs: "LOGIN"}, SMTPRefused},
		{"LOGIN only, accepted", &fakeSMTP{user: smtpKey, pass: smtpSecret, offerTLS: true, mechs: "LOGIN"}, SMTPAccepted},
		{"no known method", &fakeSMTP{user: smtpKey, pass: smtpSecret, offerTLS: true, mechs: "CRAM-MD5"}, SMTPNotChecked},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := startSMTP(t, c.server)
			got := s.trusting().CheckLogin(context.Background(), smtpKey, secret.New(smtpSecret))
			if got.Outcome != c.want {
				t.Fatalf("outcome %v (%s), want %v", got.Outcome, got.Problem, c.want)
			}
			s.waitServed(t) // the server has counted everything, the QUIT included
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.mailCommands != 0 {
				t.Error("the check sent mail commands")
			}
			if c.want != SMTPNotChecked && s.quits != 1 {
				t.Errorf("%d QUITs, want 1", s.quits)
			}
			if strings.Contains(got.Words(nil)+got.Problem, smtpSecret) {
				t.Error("the result shows the secret")
			}
			if l := got.Line(); l.Area != "SMTP login" || !strings.Contains(l.Finding, smtpKey) {
				t.Errorf("line = %+v", l)
			}
			if c.want == SMTPRefused && got.Line().Action != "Checked at 2026-11-25 20:55 UTC" {
				t.Errorf("line action = %q", got.Line().Action)
			}
		})
	}
}

func TestSMTPSecretIsNeverSentUnencrypted(t *testing.T) {
	t.Run("no STARTTLS", func(t *testing.T) {
		s := startSMTP(t, &fakeSMTP{user: smtpKey, pass: smtpSecret, mechs: "PLAIN LOGIN"})
		got := s.trusting().CheckLogin(context.Background(), smtpKey, secret.New(smtpSecret))
		if got.Outcome != SMTPNotChecked || !strings.Contains(got.Problem, "not sent") {
			t.Errorf("got %+v, want not checked, secret not sent", got)
		}
		s.waitServed(t) // anything the client sent has been counted
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.auths != 0 {
			t.Error("the client tried to log in without encryption")
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		s := startSMTP(t, &fakeSMTP{user: smtpKey, pass: smtpSecret, offerTLS: true, mechs: "PLAIN"})
		checker := s.trusting()
		checker.TLS = nil // the system's roots do not know the fake's certificate
		got := checker.CheckLogin(context.Background(), smtpKey, secret.New(smtpSecret))
		if got.Outcome != SMTPNotChecked || !strings.Contains(got.Problem, "secure connection") {
			t.Errorf("got %+v, want not checked for the certificate", got)
		}
		s.waitServed(t)
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.auths != 0 {
			t.Error("the secret was sent to a server whose certificate failed")
		}
	})
	t.Run("LOGIN refuses a clear connection", func(t *testing.T) {
		if _, _, err := (loginAuth{user: smtpKey, pass: secret.New(smtpSecret)}).Start(&smtp.ServerInfo{Name: "127.0.0.1", TLS: false}); err == nil {
			t.Error("LOGIN started without TLS")
		}
	})
}

func TestSMTPUnreachableOrSilent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	got := SMTPChecker{Addr: addr, Timeout: time.Second}.CheckLogin(context.Background(), smtpKey, secret.New(smtpSecret))
	if got.Outcome != SMTPNotChecked || !strings.Contains(got.Problem, "could not reach") {
		t.Errorf("closed port: %+v", got)
	}

	// A server that accepts the connection and then says nothing: only
	// the checker's Timeout can end the check.
	s := startSMTP(t, &fakeSMTP{silent: true})
	checker := s.trusting()
	checker.Timeout = 300 * time.Millisecond
	done := make(chan SMTPCheck, 1)
	go func() { done <- checker.CheckLogin(context.Background(), smtpKey, secret.New(smtpSecret)) }()
	select {
	case got = <-done:
		if got.Outcome != SMTPNotChecked || !strings.Contains(got.Problem, "did not answer") {
			t.Errorf("silent server: %+v, want not checked, no answer", got)
		}
	case <-time.After(DefaultSMTPTimeout / 2): // a hang, or the default timeout instead of 300 ms
		t.Fatal("silent server: the check did not give up after its Timeout")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := s.trusting().CheckLogin(ctx, smtpKey, secret.New(smtpSecret)); got.Outcome != SMTPNotChecked {
		t.Errorf("cancelled: %+v", got)
	}
	if got := (SMTPChecker{Addr: "no-port"}).CheckLogin(context.Background(), smtpKey, secret.New(smtpSecret)); got.Outcome != SMTPNotChecked {
		t.Errorf("bad address: %+v", got)
	}
}
