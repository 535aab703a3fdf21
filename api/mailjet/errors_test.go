package mailjet_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mjrecover/mjrecover/api/internal/inmemory"
	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

func TestErrorText(t *testing.T) {
	cases := []struct {
		err  mailjet.Error
		want string
	}{
		{mailjet.Error{Method: "GET", Path: "/v3/REST/apikey", StatusCode: 429},
			"GET /v3/REST/apikey: Mailjet answered 429 (too many requests)"},
		{mailjet.Error{Method: "GET", Path: "/v3/REST/apikey", StatusCode: 503, Message: "Service unavailable"},
			"GET /v3/REST/apikey: Mailjet answered 503 (server error): Service unavailable"},
		{mailjet.Error{Method: "PUT", Path: "/v3/REST/apikey/7", StatusCode: 404, Message: "Object not found"},
			"PUT /v3/REST/apikey/7: Mailjet answered 404 (not found): Object not found"},
		{mailjet.Error{Method: "GET", Path: "/v3/REST/user", StatusCode: 500, Message: "boom", Identifier: "df3d4f76"},
			"GET /v3/REST/user: Mailjet answered 500 (server error): boom [error id df3d4f76]"},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
	}
}

func TestUnauthorizedIsRecognisedAndNamesTheCall(t *testing.T) {
	_, url := startSandbox(t)
	wrong := mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New("0123456789abcdef0123456789abcdef")}
	_, err := fastClient(url, wrong).ListAPIKeys(context.Background())
	if !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if !strings.HasPrefix(err.Error(), "list API keys: GET /v3/REST/apikey: ") {
		t.Errorf("err = %q, want it to say what it did and name the method and path", err)
	}
	if strings.Contains(err.Error(), "0123456789abcdef") {
		t.Errorf("err = %q holds the secret", err)
	}
}

func TestGetIsRetriedAfter429And5xx(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusServiceUnavailable} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			sb, url := startSandbox(t)
			sb.FailNext(http.MethodGet, "/v3/REST/apikey", status, 2)
			keys, err := fastClient(url, masterCreds).ListAPIKeys(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(keys) != 3 {
				t.Errorf("got %d keys, want 3", len(keys))
			}
			if n := sb.Requests(http.MethodGet, "/v3/REST/apikey"); n != 3 {
				t.Errorf("%d requests, want 3 (two failures, one success)", n)
			}
		})
	}
}

func TestPutIsRetriedAfter503(t *testing.T) {
	sb, url := startSandbox(t)
	sb.FailNext(http.MethodPut, "/v3/REST/apikey/", http.StatusServiceUnavailable, 1)
	if err := fastClient(url, masterCreds).SetAPIKeyActive(context.Background(), sandbox.DemoShopID, false); err != nil {
		t.Fatal(err)
	}
	if n := sb.Requests(http.MethodPut, "/v3/REST/apikey/"); n != 2 {
		t.Errorf("%d PUTs, want 2", n)
	}
	for _, k := range sb.Keys() {
		if k.ID == sandbox.DemoShopID && k.IsActive {
			t.Error("the shop key is still active")
		}
	}
}

func TestPostIsNeverRetried(t *testing.T) {
	for _, status := range []int{http.StatusInternalServerError, http.StatusTooManyRequests, http.StatusBadGateway} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			sb, url := startSandbox(t)
			sb.FailNext(http.MethodPost, "/v3/REST/apikey", status, 1)
			_, err := fastClient(url, masterCreds).CreateAPIKey(context.Background(), "replacement")
			var apiErr *mailjet.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
				t.Fatalf("err = %v, want *Error %d", err, status)
			}
			if n := sb.Requests(http.MethodPost, "/v3/REST/apikey"); n != 1 {
				t.Errorf("%d POSTs sent, want exactly 1", n)
			}
			if n := len(sb.Keys()); n != 3 {
				t.Errorf("sandbox has %d keys, want 3 (none created)", n)
			}
		})
	}
}

// A POST that dies on the network is not repeated either: the key may
// have been created.
func TestPostIsNotRetriedAfterANetworkError(t *testing.T) {
	var hits atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer ts.Close()
	_, err := fastClient(ts.URL, masterCreds).CreateAPIKey(context.Background(), "replacement")
	if err == nil {
		t.Fatal("no error")
	}
	if hits.Load() != 1 {
		t.Errorf("%d POSTs reached the server, want 1", hits.Load())
	}
	if !strings.Contains(err.Error(), "POST /v3/REST/apikey") || strings.Contains(err.Error(), ts.URL) {
		t.Errorf("err = %q, want method and path, not the URL", err)
	}
}

func TestGetIsRetriedAfterANetworkError(t *testing.T) {
	var hits atomic.Int32
	sb := sandbox.New()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		sb.ServeHTTP(w, r)
	}))
	defer ts.Close()
	if err := fastClient(ts.URL, masterCreds).CheckAuth(context.Background()); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 {
		t.Errorf("%d requests, want 2", hits.Load())
	}
}

func TestRetriesGiveUpWithTheLastError(t *testing.T) {
	sb, url := startSandbox(t)
	sb.FailNext(http.MethodGet, "/v3/REST/apikey", http.StatusServiceUnavailable, 100)
	_, err := fastClient(url, masterCreds, mailjet.WithRetry(3, time.Millisecond)).ListAPIKeys(context.Background())
	var apiErr *mailjet.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("err = %v, want *Error 503", err)
	}
	if apiErr.Identifier == "" || !strings.Contains(err.Error(), "Mailjet answered 503 (server error)") {
		t.Errorf("err = %q, want the plain-words status and the error id", err)
	}
	if n := sb.Requests(http.MethodGet, "/v3/REST/apikey"); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	// A synctest bubble's fake clock makes the wait exact (see below).
	synctest.Test(t, func(t *testing.T) {
		sb := sandbox.New()
		sb.FailNext(http.MethodGet, "/v3/REST/apikey", http.StatusTooManyRequests, 1) // Retry-After: 1
		start := time.Now()
		// Base 100ms: the 1 s Retry-After is capped at 1.6 s, so it is waited in full.
		if err := fastClient("http://127.0.0.1", masterCreds, mailjet.WithRetry(2, 100*time.Millisecond),
			mailjet.WithHTTPClient(&http.Client{Transport: inmemory.Transport{Handler: sb}})).CheckAuth(context.Background()); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited != time.Second {
			t.Errorf("retried after %v, want the 1 s Retry-After", waited)
		}
		if n := sb.Requests(http.MethodGet, "/v3/REST/apikey"); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
	})
}

func TestCancellingStopsRetriesPromptly(t *testing.T) {
	// In a synctest bubble the clock is fake: it moves only when every
	// goroutine waits, so the time below is exact, not measured. The
	// sandbox is served in memory, since a goroutine waiting on the
	// network would keep the clock still.
	synctest.Test(t, func(t *testing.T) {
		sb := sandbox.New()
		sb.FailNext(http.MethodGet, "/v3/REST/apikey", http.StatusServiceUnavailable, 1000)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := fastClient("http://127.0.0.1", masterCreds, mailjet.WithRetry(50, 2*time.Second),
			mailjet.WithHTTPClient(&http.Client{Transport: inmemory.Transport{Handler: sb}})).ListAPIKeys(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
		if elapsed := time.Since(start); elapsed != 100*time.Millisecond {
			t.Errorf("returned after %v, want right at the 100 ms deadline", elapsed)
		}
		if n := sb.Requests(http.MethodGet, "/v3/REST/apikey"); n < 1 {
			t.Errorf("%d requests, want the deadline to stop the retries, not the first try", n)
		}
	})
}

func TestServerTextIsSanitized(t *testing.T) {
	hostile := "bad \x1b[31mred\x1b[0m\a thing\u009b2J\x1b]0;title\x07" + strings.Repeat("x", 500)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		msg, _ := json.Marshal(hostile)
		fmt.Fprintf(w, `{"ErrorInfo":"","ErrorMessage":%s,"StatusCode":400}`, msg)
	}))
	defer ts.Close()
	err := fastClient(ts.URL, masterCreds).CheckAuth(context.Background())
	var apiErr *mailjet.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want *Error", err)
	}
	for _, r := range err.Error() {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f {
			t.Fatalf("control character %U in %q", r, err)
		}
	}
	if !strings.HasPrefix(apiErr.Message, "bad red thing") {
		t.Errorf("Message = %q, want the text without escapes", apiErr.Message)
	}
	if n := len([]rune(apiErr.Message)); n > 201 {
		t.Errorf("Message has %d runes, want it cut to about 200", n)
	}
}

// A server that echoes the credentials back must not get them into an
// error message.
func TestErrorsNeverHoldTheSecret(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pass, _ := r.BasicAuth()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `{"ErrorInfo":%q,"ErrorMessage":"secret was %s","ErrorIdentifier":"id"}`, r.Header.Get("Authorization"), pass)
	}))
	defer ts.Close()
	_, sbURL := startSandbox(t)

	var errs []error
	_, err := fastClient(ts.URL, masterCreds).ListAPIKeys(context.Background())
	errs = append(errs, err)
	_, err = fastClient(sbURL, shopCreds).CreateAPIKey(context.Background(), "x")
	errs = append(errs, err)
	errs = append(errs, fastClient(sbURL, masterCreds).SetAPIKeyActive(context.Background(), sandbox.DemoMasterID, false))
	errs = append(errs, fastClient(sbURL, mailjet.Credentials{APIKey: sandbox.DemoShopKey, Secret: secret.New(sandbox.DemoMasterSecret)}).CheckAuth(context.Background()))
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	errs = append(errs, fastClient(closed.URL, masterCreds, mailjet.WithRetry(1, 0)).CheckAuth(context.Background()))

	token := base64.StdEncoding.EncodeToString([]byte(sandbox.DemoMasterKey + ":" + sandbox.DemoMasterSecret))
	for i, err := range errs {
		if err == nil {
			t.Fatalf("case %d: no error", i)
		}
		for _, s := range []string{sandbox.DemoMasterSecret, sandbox.DemoShopSecret, token} {
			if strings.Contains(err.Error(), s) || strings.Contains(fmt.Sprintf("%+v %#v", err, err), s) {
				t.Errorf("case %d: error %q holds %q", i, err, s)
			}
		}
	}
	if !strings.Contains(errs[0].Error(), "secret was "+secret.Mask) {
		t.Errorf("echoed secret not masked: %q", errs[0])
	}
}

func TestNonJSONErrorBodies(t *testing.T) {
	cases := []struct {
		name        string
		contentType string
		body        string
		wantMessage string
	}{
		{"HTML page", "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", ""},
		{"plain text", "text/plain; charset=utf-8", "upstream\nconnect error", "upstream connect error"},
		{"empty", "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if c.contentType != "" {
					w.Header().Set("Content-Type", c.contentType)
				}
				w.WriteHeader(http.StatusBadGateway)
				fmt.Fprint(w, c.body)
			}))
			defer ts.Close()
			_, err := fastClient(ts.URL, masterCreds, mailjet.WithRetry(1, 0)).Account(context.Background())
			var apiErr *mailjet.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadGateway || apiErr.Message != c.wantMessage {
				t.Errorf("err = %#v, want *Error 502 with message %q", err, c.wantMessage)
			}
		})
	}
}

func TestPlainHTTPToARemoteHostIsRefused(t *testing.T) {
	var dialled atomic.Bool
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialled.Store(true)
		return nil, errors.New("no network in tests")
	}}}
	err := mailjet.New("http://api.mailjet.com", masterCreds, mailjet.WithHTTPClient(hc)).CheckAuth(context.Background())
	if err == nil || !strings.Contains(err.Error(), "plain http") {
		t.Errorf("err = %v, want a refusal to send the key over plain http", err)
	}
	if dialled.Load() {
		t.Error("the client dialled out")
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer target.Close()
	ts := httptest.NewServer(http.RedirectHandler(target.URL+"/steal", http.StatusTemporaryRedirect))
	defer ts.Close()
	err := fastClient(ts.URL, masterCreds).CheckAuth(context.Background())
	var apiErr *mailjet.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTemporaryRedirect {
		t.Errorf("err = %v, want *Error 307", err)
	}
	if elsewhere.Load() != 0 {
		t.Error("the redirect was followed")
	}
}
