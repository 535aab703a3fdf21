package mailjet_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestListAPIKeysReadsTheDemoAccount(t *testing.T) {
	_, url := startSandbox(t)
	keys, err := fastClient(url, masterCreds).ListAPIKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		key, secret, name string
		master            bool
	}{
		{sandbox.DemoMasterKey, sandbox.DemoMasterSecret, sandbox.DemoMasterName, true},
		{sandbox.DemoShopKey, sandbox.DemoShopSecret, sandbox.DemoShopName, false},
		{sandbox.DemoNewsletterKey, sandbox.DemoNewsletterSecret, sandbox.DemoNewsletterName, false},
	}
	if len(keys) != len(want) {
		t.Fatalf("got %d keys, want %d", len(keys), len(want))
	}
	for i, w := range want {
		k := keys[i]
		if k.APIKey != w.key || k.Secret.Reveal() != w.secret || k.Name != w.name || k.IsMaster != w.master || !k.IsActive {
			t.Errorf("key %d = %+v (secret hint %s), want %+v", i, k, k.Secret.Hint(), w)
		}
		if k.ID == 0 || k.CreatedAt.IsZero() || !k.CreatedAt.Before(time.Now()) {
			t.Errorf("key %d: ID %d, CreatedAt %v: want an ID and a past date", i, k.ID, k.CreatedAt)
		}
	}
}

func TestListAPIKeysReadsEveryPage(t *testing.T) {
	sb, url := startSandbox(t)
	ctx := context.Background()
	master := fastClient(url, masterCreds)
	for i := range 12 {
		if _, err := master.CreateAPIKey(ctx, fmt.Sprintf("extra %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	// A page shorter than the Limit is the last: Total cannot tell, as on
	// Mailjet it is the page's own count. An exact multiple therefore ends
	// on an empty page.
	cases := []struct {
		name      string
		pageSize  int
		wantPages int
	}{
		{"default Limit=1000", 0, 1},
		{"pages of 4", 4, 4}, // 15 keys: 4+4+4+3
		{"pages of 5", 5, 4}, // 15 keys: 5+5+5+0
		{"pages of 1", 1, 16},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := sb.Requests(http.MethodGet, "/v3/REST/apikey")
			var opts []mailjet.Option
			if c.pageSize > 0 {
				opts = append(opts, mailjet.WithPageSize(c.pageSize))
			}
			keys, err := fastClient(url, masterCreds, opts...).ListAPIKeys(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(keys) != 15 {
				t.Fatalf("got %d keys, want 15", len(keys))
			}
			seen := map[int64]bool{}
			for _, k := range keys {
				if seen[k.ID] {
					t.Fatalf("key %d listed twice", k.ID)
				}
				seen[k.ID] = true
			}
			if pages := sb.Requests(http.MethodGet, "/v3/REST/apikey") - before; pages != c.wantPages {
				t.Errorf("read %d pages, want %d", pages, c.wantPages)
			}
		})
	}
}

// Total does not steer the listing: a short page ends it even if Total
// promises more (a server counting the global number, as the sandbox once
// did), and a full page goes on even if Total says that was all (Mailjet:
// Total is the page's count).
func TestListAPIKeysIgnoresTotal(t *testing.T) {
	for _, c := range []struct {
		name      string
		firstPage string // the answer without Offset; later pages are empty
		wantKeys  int
		wantCalls int32
	}{
		{"Total promises more", `{"Count":1,"Data":[{"ID":1,"APIKey":"a"}],"Total":999999}`, 1, 1},
		{"Total is the page's count", `{"Count":2,"Data":[{"ID":1,"APIKey":"a"},{"ID":2,"APIKey":"b"}],"Total":2}`, 2, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			var calls atomic.Int32
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.Header().Set("Content-Type", "application/json")
				if r.URL.Query().Get("Offset") == "" {
					fmt.Fprint(w, c.firstPage)
					return
				}
				fmt.Fprint(w, `{"Count":0,"Data":[],"Total":0}`)
			}))
			defer ts.Close()
			keys, err := fastClient(ts.URL, masterCreds, mailjet.WithPageSize(2)).ListAPIKeys(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(keys) != c.wantKeys || calls.Load() != c.wantCalls {
				t.Errorf("got %d keys in %d calls, want %d in %d", len(keys), calls.Load(), c.wantKeys, c.wantCalls)
			}
		})
	}
}

// A server that ignores Offset sends the same full page forever: the
// bound on the listing ends it with an error.
func TestListingsStopAtTheirBound(t *testing.T) {
	full := `{"Count":1000,"Data":[` + strings.Repeat(`{"ID":7,"Url":"https://x.example/h"},`, 999) +
		`{"ID":7,"Url":"https://x.example/h"}],"Total":1000}`
	var calls atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, full)
	}))
	defer ts.Close()
	_, err := fastClient(ts.URL, masterCreds).ListEventCallbacks(context.Background())
	if err == nil || !strings.Contains(err.Error(), "giving up") {
		t.Fatalf("err = %v, want the listing given up", err)
	}
	if n := calls.Load(); n != 10 {
		t.Errorf("%d calls, want 10 (10000 records in pages of 1000)", n)
	}
}

func TestListAPIKeysToleratesOddDates(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"Count":4,"Total":4,"Data":[
			{"ID":1,"APIKey":"a","CreatedAt":"2020-09-16T10:33:54Z"},
			{"ID":2,"APIKey":"b","CreatedAt":""},
			{"ID":3,"APIKey":"c","CreatedAt":null},
			{"ID":4,"APIKey":"d"}]}`)
	}))
	defer ts.Close()
	keys, err := fastClient(ts.URL, masterCreds).ListAPIKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 4 {
		t.Fatalf("got %d keys", len(keys))
	}
	if want := time.Date(2020, 9, 16, 10, 33, 54, 0, time.UTC); !keys[0].CreatedAt.Equal(want) {
		t.Errorf("CreatedAt = %v, want %v", keys[0].CreatedAt, want)
	}
	for _, k := range keys[1:] {
		if !k.CreatedAt.IsZero() {
			t.Errorf("key %d: CreatedAt = %v, want zero", k.ID, k.CreatedAt)
		}
	}
}

func TestSubAccountKeySeesOnlyItselfAndCannotManage(t *testing.T) {
	sb, url := startSandbox(t)
	ctx := context.Background()
	shop := fastClient(url, shopCreds)
	keys, err := shop.ListAPIKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0].APIKey != sandbox.DemoShopKey {
		t.Fatalf("sub-account listing = %+v, want only its own key", keys)
	}
	_, err = shop.CreateAPIKey(ctx, "sneaky")
	var apiErr *mailjet.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden {
		t.Errorf("create with a sub-account key: err = %v, want *Error 403", err)
	}
	err = shop.SetAPIKeyActive(ctx, sandbox.DemoNewsletterID, false)
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden {
		t.Errorf("deactivate with a sub-account key: err = %v, want *Error 403", err)
	}
	if n := len(sb.Keys()); n != 3 {
		t.Errorf("sandbox has %d keys, want 3", n)
	}
}

func TestCreateAPIKeyReturnsAWorkingPair(t *testing.T) {
	sb, url := startSandbox(t)
	ctx := context.Background()
	master := fastClient(url, masterCreds)
	key, err := master.CreateAPIKey(ctx, "Shop (WooCommerce) 2025")
	if err != nil {
		t.Fatal(err)
	}
	if !hex32.MatchString(key.APIKey) || !hex32.MatchString(key.Secret.Reveal()) {
		t.Errorf("new pair %q / %s is not 32 lowercase hex each", key.APIKey, key.Secret.Hint())
	}
	if key.Name != "Shop (WooCommerce) 2025" || !key.IsActive || key.IsMaster || key.ID == 0 {
		t.Errorf("new key = %+v", key)
	}
	if err := master.WithCredentials(mailjet.Credentials{APIKey: key.APIKey, Secret: key.Secret}).CheckAuth(ctx); err != nil {
		t.Errorf("the new pair does not authenticate: %v", err)
	}
	if n := len(sb.Keys()); n != 4 {
		t.Errorf("sandbox has %d keys, want 4", n)
	}
}

func TestCreateAPIKeyRefusesAnEmptyName(t *testing.T) {
	sb, url := startSandbox(t)
	if _, err := fastClient(url, masterCreds).CreateAPIKey(context.Background(), "  "); err == nil {
		t.Fatal("empty name accepted")
	}
	if n := sb.Requests(http.MethodPost, "/"); n != 0 {
		t.Errorf("%d requests sent for an empty name, want none", n)
	}
}

func TestSandboxAnswersAMissingNameWithMailjetsV3Error(t *testing.T) {
	_, url := startSandbox(t)
	req, _ := http.NewRequest(http.MethodPost, url+"/v3/REST/apikey", bytes.NewBufferString(`{}`))
	req.SetBasicAuth(sandbox.DemoMasterKey, sandbox.DemoMasterSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !bytes.Contains(body, []byte(`"StatusCode":400`)) || !bytes.Contains(body, []byte(`"ErrorMessage"`)) {
		t.Errorf("got %d %s, want 400 in Mailjet's v3 error shape", resp.StatusCode, body)
	}
}

// recordPUTs forwards to the sandbox and keeps the body of every PUT.
type recordPUTs struct {
	next   http.Handler
	mu     sync.Mutex
	bodies []string
}

func (h *recordPUTs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPut {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, string(body))
		h.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	h.next.ServeHTTP(w, r)
}

func (h *recordPUTs) Bodies() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.bodies...)
}

func TestDeactivateSendsExplicitFalseAndLocksTheOldPairOut(t *testing.T) {
	sb := sandbox.New()
	rec := &recordPUTs{next: sb}
	ts := httptest.NewServer(rec)
	defer ts.Close()
	ctx := context.Background()
	master := fastClient(ts.URL, masterCreds)
	shop := master.WithCredentials(shopCreds)

	if err := shop.CheckAuth(ctx); err != nil {
		t.Fatalf("shop pair before deactivation: %v", err)
	}
	if err := master.SetAPIKeyActive(ctx, sandbox.DemoShopID, false); err != nil {
		t.Fatal(err)
	}
	if bodies := rec.Bodies(); len(bodies) != 1 || bodies[0] != `{"IsActive":false}` {
		t.Errorf("PUT bodies = %q, want exactly {\"IsActive\":false}", bodies)
	}
	if err := shop.CheckAuth(ctx); !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("shop pair after deactivation: err = %v, want ErrUnauthorized", err)
	}
	// Already inactive: the sandbox answers 304, which is success.
	if err := master.SetAPIKeyActive(ctx, sandbox.DemoShopID, false); err != nil {
		t.Errorf("second deactivation (304): %v", err)
	}
	if err := master.SetAPIKeyActive(ctx, sandbox.DemoShopID, true); err != nil {
		t.Fatal(err)
	}
	if err := shop.CheckAuth(ctx); err != nil {
		t.Errorf("shop pair after reactivation: %v", err)
	}
}

func TestSetAPIKeyActiveErrors(t *testing.T) {
	_, url := startSandbox(t)
	master := fastClient(url, masterCreds)
	cases := []struct {
		name    string
		id      int64
		active  bool
		status  int // 0: refused before any request
		message string
	}{
		{"unknown ID", 999999, false, http.StatusNotFound, "Object not found"},
		{"master key", sandbox.DemoMasterID, false, http.StatusBadRequest, "The master API key cannot be deactivated"},
		{"invalid ID", 0, false, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := master.SetAPIKeyActive(context.Background(), c.id, c.active)
			if err == nil {
				t.Fatal("no error")
			}
			var apiErr *mailjet.Error
			if c.status == 0 {
				if errors.As(err, &apiErr) {
					t.Errorf("err = %v, want a local refusal", err)
				}
				return
			}
			if !errors.As(err, &apiErr) || apiErr.StatusCode != c.status || apiErr.Message != c.message {
				t.Errorf("err = %#v, want *Error %d %q", err, c.status, c.message)
			}
		})
	}
}

func TestCheckAuth(t *testing.T) {
	sb, url := startSandbox(t)
	ctx := context.Background()
	master := fastClient(url, masterCreds)
	if err := master.SetAPIKeyActive(ctx, sandbox.DemoNewsletterID, false); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		creds   mailjet.Credentials
		wantErr error
	}{
		{"master pair", masterCreds, nil},
		{"sub-account pair", shopCreds, nil},
		{"wrong secret", mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoShopSecret)}, mailjet.ErrUnauthorized},
		{"unknown key", mailjet.Credentials{APIKey: "00000000000000000000000000000000", Secret: secret.New(sandbox.DemoMasterSecret)}, mailjet.ErrUnauthorized},
		{"empty secret", mailjet.Credentials{APIKey: sandbox.DemoMasterKey}, mailjet.ErrUnauthorized},
		{"inactive key", mailjet.Credentials{APIKey: sandbox.DemoNewsletterKey, Secret: secret.New(sandbox.DemoNewsletterSecret)}, mailjet.ErrUnauthorized},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := sb.Requests(http.MethodGet, "/v3/REST/apikey")
			err := master.WithCredentials(c.creds).CheckAuth(ctx)
			if !errors.Is(err, c.wantErr) || (c.wantErr == nil) != (err == nil) {
				t.Fatalf("CheckAuth = %v, want %v", err, c.wantErr)
			}
			if n := sb.Requests(http.MethodGet, "/v3/REST/apikey") - before; n != 1 {
				t.Errorf("%d requests, want 1 (a 401 is not retried)", n)
			}
			if err != nil && c.creds.Secret.Len() > 0 && bytes.Contains([]byte(err.Error()), []byte(c.creds.Secret.Reveal())) {
				t.Errorf("error %q holds the secret", err)
			}
		})
	}
}

func TestWithCredentialsKeepsHostAndLeavesTheOriginal(t *testing.T) {
	master := mailjet.New("https://api.example.test", masterCreds)
	shop := master.WithCredentials(shopCreds)
	if shop.BaseURL() != master.BaseURL() {
		t.Errorf("BaseURL %q, want %q", shop.BaseURL(), master.BaseURL())
	}
	if shop.Credentials().APIKey != sandbox.DemoShopKey || master.Credentials().APIKey != sandbox.DemoMasterKey {
		t.Error("WithCredentials changed the wrong client")
	}
}
