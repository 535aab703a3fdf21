package sandbox_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

// listenTLS serves a fresh sandbox over HTTPS until the test ends.
func listenTLS(t *testing.T, addr, certPath string) (sb *sandbox.Server, base, certFile string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	sb = sandbox.New()
	base, certFile, err := sb.ListenTLS(ctx, addr, certPath)
	if err != nil {
		t.Fatal(err)
	}
	return sb, base, certFile
}

// trustingClient trusts only the certificate in certFile.
func trustingClient(t *testing.T, certFile string) *http.Client {
	t.Helper()
	data, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		t.Fatalf("%s holds no PEM certificate", certFile)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func getUser(c *http.Client, url string) (int, string, error) {
	req, err := http.NewRequest(http.MethodGet, url+"/v3/REST/user", nil)
	if err != nil {
		return 0, "", err
	}
	req.SetBasicAuth(sandbox.DemoMasterKey, sandbox.DemoMasterSecret)
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

func TestListenTLSServesAClientThatTrustsItsCertificate(t *testing.T) {
	certPath := filepath.Join(t.TempDir(), "sandbox.pem")
	_, base, certFile := listenTLS(t, "127.0.0.1:0", certPath)
	if certFile != certPath || !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Fatalf("ListenTLS = %q, %q", base, certFile)
	}
	client := trustingClient(t, certFile)
	port := base[strings.LastIndexByte(base, ':'):]
	for _, url := range []string{base, "https://localhost" + port} {
		status, body, err := getUser(client, url)
		if err != nil || status != 200 || !strings.Contains(body, sandbox.DemoEmail) {
			t.Errorf("%s: %d %q %v", url, status, body, err)
		}
	}

	// The system's trust store (or none) does not know the certificate.
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	_, _, err := getUser(&http.Client{Transport: tr}, base)
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("a client that does not trust the certificate got %v, want an unknown authority", err)
	}

	data, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "PRIVATE KEY") {
		t.Error("the certificate file holds the private key")
	}
	block, _ := pem.Decode(data)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	key, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P256() {
		t.Errorf("key %T, want ECDSA P-256", cert.PublicKey)
	}
	if life := cert.NotAfter.Sub(cert.NotBefore); life < 24*time.Hour || life > 25*time.Hour {
		t.Errorf("valid for %v, want about a day", life)
	}
	if !slices.Contains(cert.DNSNames, "localhost") || len(cert.IPAddresses) < 2 {
		t.Errorf("names %q %v", cert.DNSNames, cert.IPAddresses)
	}
}

func TestListenTLSOnIPv6Loopback(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, certFile, err := sandbox.New().ListenTLS(ctx, "[::1]:0", filepath.Join(t.TempDir(), "c.pem"))
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	if status, _, err := getUser(trustingClient(t, certFile), base); err != nil || status != 200 {
		t.Errorf("%s: %d %v", base, status, err)
	}
}

func TestListenTLSRemovesItsTemporaryCertificate(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	base, certFile, err := sandbox.New().ListenTLS(ctx, "127.0.0.1:0", "")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if status, _, err := getUser(trustingClient(t, certFile), base); err != nil || status != 200 {
		t.Errorf("%d %v", status, err)
	}
	cancel()
	// Wait for the state, not for a time: the deadline only ends a hang.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(certFile); errors.Is(err, os.ErrNotExist) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still exists after the server stopped", certFile)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestSendOverTLSLinksToHTTPS(t *testing.T) {
	_, base, certFile := listenTLS(t, "127.0.0.1:0", filepath.Join(t.TempDir(), "c.pem"))
	req, _ := http.NewRequest(http.MethodPost, base+"/v3.1/send", strings.NewReader(`{"Messages":[`+message("a@example.com", "")+`]}`))
	req.SetBasicAuth(sandbox.DemoMasterKey, sandbox.DemoMasterSecret)
	resp, err := trustingClient(t, certFile).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	got := decodeV31(t, sendReply{resp.StatusCode, resp.Header, string(body)})
	if resp.StatusCode != 200 || !strings.HasPrefix(got.Messages[0].To[0].MessageHref, base+"/v3/REST/message/") {
		t.Errorf("got %d %s", resp.StatusCode, body)
	}
}
