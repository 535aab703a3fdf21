package sandbox

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// certValidity is how long a ListenTLS certificate is valid: a rehearsal
// lasts hours, and a certificate that outlives its server is no use.
const certValidity = 24 * time.Hour

// ListenTLS is Listen over HTTPS, for clients that speak only HTTPS:
// node-mailjet 6 builds every URL as "https://" + host (the fact sheet's
// note on official SDKs). It makes a certificate for this run
// (self-signed, ECDSA P-256, valid for a day, for localhost, 127.0.0.1,
// ::1 and the host addr names), whose private key never leaves memory, and
// writes the certificate alone, in PEM, to certPath, so that a client can
// be told to trust it (NODE_EXTRA_CA_CERTS=certPath, curl --cacert, a
// system trust store). With certPath "", it writes a new file in the
// temporary directory and removes it when ctx ends; a given certPath is
// left in place. It returns the base URL ("https://127.0.0.1:PORT") and
// the certificate's path.
//
// The certificate is its own CA, because some trust stores take only CA
// certificates; it may sign nothing but certificates for the hosts it
// names (critical name constraints, no intermediate), so even a copy of
// its key could vouch for no other site.
func (s *Server) ListenTLS(ctx context.Context, addr, certPath string) (baseURL, certFile string, err error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return "", "", fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	// Certificates are checked against the real time by every client,
	// whatever clock the sandbox was given (WithClock).
	cert, certPEM, err := newSandboxCert(time.Now(), addr)
	if err != nil {
		_ = ln.Close()
		return "", "", err
	}
	certFile, removeCert, err := writeCertFile(certPath, certPEM)
	if err != nil {
		_ = ln.Close()
		return "", "", err
	}
	srv := newSandboxHTTPServer(s)
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	serveUntil(ctx, srv, ln, removeCert)
	return "https://" + dialableAddr(ln.Addr(), addr), certFile, nil
}

// newSandboxHTTPServer is an http.Server for the sandbox with the limits Listen
// sets (keep the two alike).
func newSandboxHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(io.Discard, "", 0), // the sandbox never logs, TLS handshake failures included
	}
}

// newSandboxCert makes the certificate of ListenTLS, valid from now (less
// a few minutes, for clocks slightly behind) for certValidity, for the
// loopback names and the host of addr.
func newSandboxCert(now time.Time, addr string) (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("sandbox: make a TLS key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("sandbox: make a certificate serial: %w", err)
	}
	dnsNames := []string{"localhost"}
	ips := []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" {
		switch ip := net.ParseIP(host); {
		case ip == nil && !strings.EqualFold(host, "localhost"):
			dnsNames = append(dnsNames, host)
		case ip != nil && !ip.IsUnspecified() && !ip.IsLoopback():
			ips = append(ips, ip)
		}
	}
	ranges := make([]*net.IPNet, 0, len(ips))
	for _, ip := range ips {
		bits := 8 * len(ip.To16())
		if v4 := ip.To4(); v4 != nil {
			ip, bits = v4, 32
		}
		ranges = append(ranges, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
	}
	tmpl := &x509.Certificate{
		SerialNumber:                serial,
		Subject:                     pkix.Name{CommonName: "mjrecover sandbox", Organization: []string{"mjrecover sandbox (rehearsals only)"}},
		NotBefore:                   now.Add(-5 * time.Minute),
		NotAfter:                    now.Add(certValidity),
		KeyUsage:                    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:                 []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid:       true,
		IsCA:                        true,
		MaxPathLenZero:              true,
		DNSNames:                    dnsNames,
		IPAddresses:                 ips,
		PermittedDNSDomainsCritical: true,
		PermittedDNSDomains:         dnsNames,
		PermittedIPRanges:           ranges,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("sandbox: make the certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key},
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

// writeCertFile writes certPEM to path, or to a new temporary file when
// path is "". The returned func removes the file if it was a temporary
// one. A certificate is public: the file is readable by all (0644).
func writeCertFile(path string, certPEM []byte) (string, func(), error) {
	if path != "" {
		if err := os.WriteFile(path, certPEM, 0o644); err != nil {
			return "", nil, fmt.Errorf("sandbox: write the certificate: %w", err)
		}
		return path, func() {}, nil
	}
	f, err := os.CreateTemp("", "mjrecover-sandbox-*.pem")
	if err != nil {
		return "", nil, fmt.Errorf("sandbox: write the certificate: %w", err)
	}
	name := f.Name()
	_, err = f.Write(certPEM)
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err != nil {
		_ = os.Remove(name)
		return "", nil, fmt.Errorf("sandbox: write the certificate: %w", err)
	}
	return name, func() { _ = os.Remove(name) }, nil
}
