package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

type answer struct {
	status int
	header http.Header
	body   string
}

// call sends one request with the given Basic pair ("" key: none).
func call(t *testing.T, url, method, path, key, secret, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.SetBasicAuth(key, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(data)}
}

func serve(t *testing.T, opts ...sandbox.Option) (*sandbox.Server, string) {
	t.Helper()
	sb := sandbox.New(opts...)
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	return sb, ts.URL
}

const (
	m  = sandbox.DemoMasterKey
	ms = sandbox.DemoMasterSecret
)

func TestUnauthorizedLooksLikeMailjets(t *testing.T) {
	sb, url := serve(t)
	cases := []struct{ name, path, key, secret string }{
		{"no credentials", "/v3/REST/apikey", "", ""},
		{"wrong secret", "/v3/REST/apikey", m, sandbox.DemoShopSecret},
		{"unknown key", "/v3/REST/user", "ffffffffffffffffffffffffffffffff", ms},
		{"recovery API", "/recovery/v1/status", m, "nope"},
		{"unknown resource", "/v3/REST/nosuchthing", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := call(t, url, http.MethodGet, c.path, c.key, c.secret, "")
			if a.status != 401 || a.body != "" || a.header.Get("Content-Type") != "text/html" ||
				a.header.Get("WWW-Authenticate") != `Basic realm="Provide an apiKey and secretKey"` {
				t.Errorf("got %d %q %v, want Mailjet's empty text/html 401 with a Basic challenge", a.status, a.body, a.header)
			}
		})
	}
	if n := sb.Requests("", "/"); n != len(cases) {
		t.Errorf("Requests = %d, want %d", n, len(cases))
	}
}

func TestErrorShapes(t *testing.T) {
	_, url := serve(t)
	cases := []struct {
		name, method, path, body string
		status                   int
		want                     map[string]any
		allow                    string
	}{
		{"unknown resource", "GET", "/v3/REST/nosuchthing", "", 500,
			map[string]any{"ErrorInfo": "EFPWebError", "ErrorMessage": `Could not determine HTTP module for request "nosuchthing"`, "StatusCode": 500.0}, ""},
		{"unknown key ID", "GET", "/v3/REST/apikey/424242", "", 404,
			map[string]any{"ErrorInfo": "", "ErrorMessage": "Object not found", "StatusCode": 404.0}, ""},
		{"PUT unknown key ID", "PUT", "/v3/REST/apikey/424242", `{"IsActive":false}`, 404,
			map[string]any{"ErrorInfo": "", "ErrorMessage": "Object not found", "StatusCode": 404.0}, ""},
		{"DELETE a key", "DELETE", "/v3/REST/apikey/1002", "", 405,
			map[string]any{"StatusCode": 405.0}, "GET, PUT"},
		{"PUT the list", "PUT", "/v3/REST/apikey", "{}", 405,
			map[string]any{"StatusCode": 405.0}, "GET, POST"},
		{"bad filter", "GET", "/v3/REST/apikey?IsActive=maybe", "", 400,
			map[string]any{"StatusCode": 400.0}, ""},
		{"deactivate the master", "PUT", "/v3/REST/apikey/1001", `{"IsActive":false}`, 400,
			map[string]any{"ErrorMessage": "The master API key cannot be deactivated", "StatusCode": 400.0}, ""},
		{"unknown recovery route", "GET", "/recovery/v1/nope", "", 404,
			map[string]any{"ErrorCode": "not-found", "StatusCode": 404.0}, ""},
		{"GET a recovery POST route", "GET", "/recovery/v1/master-secret", "", 405,
			map[string]any{"ErrorCode": "method-not-allowed", "StatusCode": 405.0}, "POST"},
		{"bad JSON", "POST", "/recovery/v1/password", "{", 400,
			map[string]any{"ErrorCode": "bad-request", "StatusCode": 400.0}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := call(t, url, c.method, c.path, m, ms, c.body)
			if a.status != c.status {
				t.Fatalf("status %d (%s), want %d", a.status, a.body, c.status)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(a.body), &got); err != nil {
				t.Fatalf("body %q is not JSON", a.body)
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v (body %s)", k, got[k], v, a.body)
				}
			}
			if c.allow != "" && a.header.Get("Allow") != c.allow {
				t.Errorf("Allow = %q, want %q", a.header.Get("Allow"), c.allow)
			}
		})
	}
}

func TestListFiltersAndPagination(t *testing.T) {
	_, url := serve(t)
	for i := range 12 {
		if a := call(t, url, "POST", "/v3/REST/apikey", m, ms, `{"Name":"k`+string(rune('a'+i))+`"}`); a.status != 201 {
			t.Fatalf("create: %d %s", a.status, a.body)
		}
	}
	if a := call(t, url, "PUT", "/v3/REST/apikey/1003", m, ms, `{"IsActive":false}`); a.status != 200 {
		t.Fatalf("deactivate: %d %s", a.status, a.body)
	}
	// Total is the page's count, as on Mailjet (see listing_test.go).
	cases := []struct {
		query        string
		count, total int
	}{
		{"", 10, 10}, // default Limit is 10
		{"?Limit=1000", 15, 15},
		{"?Limit=5000", 15, 15}, // capped at 1000
		{"?Limit=4&Offset=12", 3, 3},
		{"?Offset=100", 0, 0},
		{"?IsMaster=true", 1, 1},
		{"?IsActive=false", 1, 1},
		{"?IsActive=true&Limit=1000", 14, 14},
		{"?APIKey=" + sandbox.DemoShopKey, 1, 1},
		{"?Name=Newsletter", 1, 1},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			a := call(t, url, "GET", "/v3/REST/apikey"+c.query, m, ms, "")
			var env struct {
				Count, Total int
				Data         []map[string]any
			}
			if err := json.Unmarshal([]byte(a.body), &env); err != nil || a.status != 200 {
				t.Fatalf("%d %s", a.status, a.body)
			}
			if env.Count != c.count || len(env.Data) != c.count || env.Total != c.total {
				t.Errorf("Count %d, %d items, Total %d; want %d, %d", env.Count, len(env.Data), env.Total, c.count, c.total)
			}
		})
	}
}

func TestPutIsLikePatch(t *testing.T) {
	sb, url := serve(t)
	if a := call(t, url, "PUT", "/v3/REST/apikey/1002", m, ms, `{"Name":"Shop (old)"}`); a.status != 200 {
		t.Fatalf("rename: %d %s", a.status, a.body)
	}
	if a := call(t, url, "PUT", "/v3/REST/apikey/1002", m, ms, `{"Name":"Shop (old)"}`); a.status != 304 {
		t.Errorf("same name again: %d, want 304", a.status)
	}
	k := sb.Keys()[1]
	if k.Name != "Shop (old)" || !k.IsActive {
		t.Errorf("key = %+v: want renamed and still active", k)
	}
	// The public key works as the {ID} too.
	if a := call(t, url, "PUT", "/v3/REST/apikey/"+sandbox.DemoShopKey, m, ms, `{"IsActive":false}`); a.status != 200 {
		t.Errorf("by public key: %d %s", a.status, a.body)
	}
	if sb.Keys()[1].IsActive {
		t.Error("not deactivated")
	}
}

func TestFailNext(t *testing.T) {
	sb, url := serve(t)
	sb.FailNext("GET", "/v3/REST/user", 429, 1)
	sb.FailNext("", "/recovery/", 503, 1)
	sb.FailNext("GET", "/v3/REST/apikey", 401, 1)

	a := call(t, url, "GET", "/v3/REST/user", m, ms, "")
	if a.status != 429 || a.header.Get("Retry-After") != "1" || !strings.Contains(a.body, `"StatusCode":429`) {
		t.Errorf("injected 429 = %d %v %s", a.status, a.header, a.body)
	}
	if a := call(t, url, "GET", "/v3/REST/user", m, ms, ""); a.status != 200 {
		t.Errorf("after the fault: %d", a.status)
	}
	a = call(t, url, "POST", "/recovery/v1/password", m, ms, "")
	if a.status != 503 || !strings.Contains(a.body, `"ErrorCode":"server-error"`) {
		t.Errorf("injected recovery 503 = %d %s", a.status, a.body)
	}
	a = call(t, url, "GET", "/v3/REST/apikey", m, ms, "")
	if a.status != 401 || a.body != "" || a.header.Get("WWW-Authenticate") == "" {
		t.Errorf("injected 401 = %d %q", a.status, a.body)
	}
	if a := call(t, url, "GET", "/v3/REST/apikey", m, ms, ""); a.status != 200 {
		t.Errorf("after the fault: %d", a.status)
	}
}

func TestLatencyRespectsTheClient(t *testing.T) {
	_, url := serve(t, sandbox.WithLatency(time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"/v3/REST/user", nil)
	start := time.Now()
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("no timeout")
	}
	if time.Since(start) > time.Second {
		t.Error("the latency did not give up with the client")
	}
}

func TestListenServesUntilTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	base, err := sandbox.New().Listen(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("base URL %q", base)
	}
	if a := call(t, base, "GET", "/v3/REST/user", m, ms, ""); a.status != 200 || !strings.Contains(a.body, sandbox.DemoEmail) {
		t.Errorf("user: %d %s", a.status, a.body)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(base + "/v3/REST/user")
		if err != nil {
			break
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("still serving after the context ended")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestListenOnAWildcardReturnsALoopbackURL(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0"} {
		ctx, cancel := context.WithCancel(context.Background())
		base, err := sandbox.New().Listen(ctx, addr)
		if err != nil {
			cancel()
			t.Skipf("cannot listen on %s: %v", addr, err)
		}
		if !strings.HasPrefix(base, "http://127.0.0.1:") {
			t.Errorf("Listen(%q) = %q, want a loopback URL", addr, base)
		}
		if a := call(t, base, "GET", "/v3/REST/user", m, ms, ""); a.status != 200 {
			t.Errorf("Listen(%q): user answered %d", addr, a.status)
		}
		cancel()
	}
}

func TestKeysAndReportsAreSnapshots(t *testing.T) {
	sb, url := serve(t)
	keys := sb.Keys()
	keys[0].Name = "changed"
	if sb.Keys()[0].Name != sandbox.DemoMasterName {
		t.Error("Keys shares state with the server")
	}
	if !bytes.Equal(sb.LastReport(), nil) {
		t.Error("a report before any was sent")
	}
	if a := call(t, url, "POST", "/recovery/v1/support", m, ms, `{"a":1}`); a.status != 201 {
		t.Fatalf("report: %d %s", a.status, a.body)
	}
	r := sb.LastReport()
	r[0] = 'X'
	if string(sb.LastReport()) != `{"a":1}` {
		t.Error("LastReport shares state with the server")
	}
}

func TestDemoAccountStartsCompromised(t *testing.T) {
	sb := sandbox.New()
	st := sb.Status()
	if !st.Disabled || st.MasterRotated || st.PasswordChanged || st.TwoFactorEnabled || st.Email != sandbox.DemoEmail {
		t.Errorf("Status = %+v", st)
	}
	keys := sb.Keys()
	if len(keys) != 3 {
		t.Fatalf("%d keys", len(keys))
	}
	for _, k := range keys {
		if !k.IsActive || k.CreatedAt.IsZero() || !k.CreatedAt.Before(time.Now()) {
			t.Errorf("key %+v: want active with a past date", k)
		}
		if strings.Contains(strings.Join([]string{k.Secret.String(), k.Secret.GoString()}, " "), k.Secret.Reveal()) {
			t.Error("the snapshot prints its secret")
		}
	}
}
