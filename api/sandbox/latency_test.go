package sandbox_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

// waitFor polls cond until it holds. The deadline only turns a hang into
// a failure; no result depends on how long anything took.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestWriteLatencyLeavesReadsAlone(t *testing.T) {
	// With an hour's delay on changes, these answer only if reads are
	// not delayed.
	_, url := serve(t, sandbox.WithWriteLatency(time.Hour))
	for _, path := range []string{"/v3/REST/user", "/v3/REST/apikey", "/recovery/v1/status"} {
		if a := call(t, url, "GET", path, m, ms, ""); a.status != 200 {
			t.Errorf("GET %s: %d", path, a.status)
		}
	}
}

func TestWriteLatencyStillApplies(t *testing.T) {
	sb, url := serve(t, sandbox.WithWriteLatency(time.Millisecond))
	if a := call(t, url, "POST", "/v3/REST/apikey", m, ms, `{"Name":"late"}`); a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	if keys := sb.Keys(); len(keys) != 4 || keys[3].Name != "late" {
		t.Errorf("keys %+v: want the new key", keys)
	}
}

// A change whose client goes away during the delay is not applied.
func TestWriteLatencyDropsAnAbandonedChange(t *testing.T) {
	cases := []struct {
		name, method, path, body string
		unchanged                func(*sandbox.Server) bool
	}{
		{"create a key", "POST", "/v3/REST/apikey", `{"Name":"late"}`,
			func(sb *sandbox.Server) bool { return len(sb.Keys()) == 3 }},
		{"deactivate a key", "PUT", "/v3/REST/apikey/1002", `{"IsActive":false}`,
			func(sb *sandbox.Server) bool { return sb.Keys()[1].IsActive }},
		{"delete a webhook", "DELETE", "", "",
			func(sb *sandbox.Server) bool { return len(sb.Webhooks()) == len(sandbox.New().Webhooks()) }},
		{"reset the master secret", "POST", "/recovery/v1/master-secret", "",
			func(sb *sandbox.Server) bool { return !sb.Status().MasterRotated }},
		{"prepare a master secret", "POST", "/recovery/v1/master-secret/pending", "",
			func(sb *sandbox.Server) bool { return !sb.Status().MasterPending }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sb := sandbox.New(sandbox.WithWriteLatency(time.Hour))
			ts := httptest.NewServer(sb)
			defer func() { go ts.Close() }() // never blocks a failing test; the main path closes and waits
			path := c.path
			if path == "" {
				path = "/v3/REST/eventcallbackurl/" + strconv.FormatInt(sb.Webhooks()[0].ID, 10)
			}

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, c.method, ts.URL+path, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			req.SetBasicAuth(m, ms)
			done := make(chan error, 1)
			go func() {
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					resp.Body.Close()
				}
				done <- err
			}()
			// The sandbox has the request (it counts it before the delay);
			// the client gives up.
			waitFor(t, "the request to arrive", func() bool { return sb.Requests(c.method, path) == 1 })
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatalf("client err = %v, want context.Canceled", err)
			}
			// Close waits for the handler to return: with an hour's delay,
			// only a wait that saw the client go away lets it return.
			closed := make(chan struct{})
			go func() { ts.Close(); close(closed) }()
			select {
			case <-closed:
			case <-time.After(10 * time.Second): // a hang, not a measurement
				t.Fatal("the handler still waits after its client went away")
			}
			if !c.unchanged(sb) {
				t.Error("the abandoned change was applied")
			}
		})
	}
}
