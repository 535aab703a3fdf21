package mailjet_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

var (
	masterCreds = mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)}
	shopCreds   = mailjet.Credentials{APIKey: sandbox.DemoShopKey, Secret: secret.New(sandbox.DemoShopSecret)}
)

// startSandbox serves a fresh sandbox over loopback HTTP.
func startSandbox(t *testing.T, opts ...sandbox.Option) (*sandbox.Server, string) {
	t.Helper()
	sb := sandbox.New(opts...)
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	return sb, ts.URL
}

// fastClient retries with a millisecond base so tests do not wait.
func fastClient(baseURL string, creds mailjet.Credentials, opts ...mailjet.Option) *mailjet.Client {
	return mailjet.New(baseURL, creds, append([]mailjet.Option{mailjet.WithRetry(4, time.Millisecond)}, opts...)...)
}
