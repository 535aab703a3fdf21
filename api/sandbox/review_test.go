package sandbox_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

// envelopeOf decodes a REST v3 answer.
func envelopeOf(t *testing.T, a answer) (data []map[string]any, total int) {
	t.Helper()
	var env struct {
		Count, Total int
		Data         []map[string]any
	}
	if err := json.Unmarshal([]byte(a.body), &env); err != nil {
		t.Fatalf("%d %q is not an envelope", a.status, a.body)
	}
	countOnly := len(env.Data) == 0 && env.Count == env.Total
	if env.Count != len(env.Data) && !countOnly {
		t.Errorf("Count %d for %d items", env.Count, len(env.Data))
	}
	return env.Data, env.Total
}

func TestReviewResourcesErrorShapes(t *testing.T) {
	_, url := serve(t)
	cases := []struct {
		method, path, body string
		status             int
		allow              string
	}{
		{"PUT", "/v3/REST/eventcallbackurl", "{}", 405, "GET, POST"},
		{"PATCH", "/v3/REST/eventcallbackurl/3002", "{}", 405, "GET, PUT, DELETE"},
		{"PUT", "/v3/REST/eventcallbackurl/3002", `{"Version":3}`, 400, ""},
		{"PUT", "/v3/REST/eventcallbackurl/999999", `{"Status":"dead"}`, 404, ""},
		{"GET", "/v3/REST/eventcallbackurl/nope", "", 404, ""},
		{"GET", "/v3/REST/eventcallbackurl/3002/x", "", 404, ""},
		{"DELETE", "/v3/REST/eventcallbackurl/999999", "", 404, ""},
		{"POST", "/v3/REST/eventcallbackurl", `{"Url":"ftp://x"}`, 400, ""},
		{"POST", "/v3/REST/eventcallbackurl", `{"Url":"https://x.example/","EventType":"bounce"}`, 400, ""}, // one per event type
		{"POST", "/v3/REST/eventcallbackurl", `{"Url":"https://x.example/","EventType":"nosuch"}`, 400, ""},
		{"POST", "/v3/REST/parseroute", `{"Url":""}`, 400, ""},
		{"POST", "/v3/REST/parseroute", `{"Url":"https://x.example/in","Email":"not an address"}`, 400, ""},
		{"PUT", "/v3/REST/parseroute", "{}", 405, "GET, POST"},
		{"POST", "/v3/REST/sender", `{}`, 400, ""},
		{"PATCH", "/v3/REST/sender/5001", `{}`, 405, "GET, PUT, DELETE"},
		{"POST", "/v3/REST/apikeytotals", "{}", 405, "GET"},
		{"GET", "/v3/REST/statcounters", "", 400, ""},
		{"GET", "/v3/REST/statcounters?CounterSource=APIKey&CounterTiming=Message&CounterResolution=Day", "", 400, ""},
		{"GET", "/v3/REST/statcounters?CounterSource=APIKey&CounterTiming=Message&CounterResolution=Day&FromTS=100&ToTS=99999999", "", 400, ""},
		{"GET", "/v3/REST/statcounters?CounterSource=APIKey&CounterTiming=Message&CounterResolution=Minute", "", 400, ""},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			a := call(t, url, c.method, c.path, m, ms, c.body)
			if a.status != c.status {
				t.Fatalf("status %d (%s), want %d", a.status, a.body, c.status)
			}
			var body map[string]any
			if err := json.Unmarshal([]byte(a.body), &body); err != nil || body["StatusCode"] != float64(c.status) {
				t.Errorf("body %q is not Mailjet's error shape", a.body)
			}
			if c.allow != "" && a.header.Get("Allow") != c.allow {
				t.Errorf("Allow = %q, want %q", a.header.Get("Allow"), c.allow)
			}
		})
	}
}

func TestWebhooksAndParseRoutesBelongToAKey(t *testing.T) {
	sb, url := serve(t)
	shop, shopSecret := sandbox.DemoShopKey, sandbox.DemoShopSecret
	for _, path := range []string{"/v3/REST/eventcallbackurl", "/v3/REST/parseroute"} {
		data, total := envelopeOf(t, call(t, url, "GET", path, shop, shopSecret, ""))
		if len(data) != 0 || total != 0 {
			t.Errorf("%s as the Shop key: %d entries, want none", path, len(data))
		}
		data, total = envelopeOf(t, call(t, url, "GET", path+"?Limit=1&Offset=1", m, ms, ""))
		if len(data) != 1 || total != 1 {
			t.Errorf("%s page 2: %d entries, Total %d; want 1 and 1 (the page's count)", path, len(data), total)
		}
		if _, total := envelopeOf(t, call(t, url, "GET", path+"?countOnly=1", m, ms, "")); total != 2 {
			t.Errorf("%s countOnly: Total %d, want 2", path, total)
		}
	}
	// The Shop key can neither see nor delete the master's webhook.
	if a := call(t, url, "DELETE", fmt.Sprint("/v3/REST/eventcallbackurl/", sandbox.DemoWebhookForeignID), shop, shopSecret, ""); a.status != 404 {
		t.Errorf("Shop deleting the master's webhook: %d", a.status)
	}
	if len(sb.Webhooks()) != 2 {
		t.Error("a webhook was deleted by another key")
	}
	// Creating one for the Shop key.
	a := call(t, url, "POST", "/v3/REST/eventcallbackurl", shop, shopSecret, `{"Url":"https://shop.example/mj","EventType":"open"}`)
	if a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	data, _ := envelopeOf(t, a)
	if data[0]["Url"] != "https://shop.example/mj" || data[0]["APIKeyID"] != float64(sandbox.DemoShopID) || data[0]["Status"] != "alive" {
		t.Errorf("created = %v", data[0])
	}
	a = call(t, url, "POST", "/v3/REST/parseroute", shop, shopSecret, `{"Url":"https://shop.example/in"}`)
	if a.status != 201 {
		t.Fatalf("create route: %d %s", a.status, a.body)
	}
	if data, _ := envelopeOf(t, a); !strings.HasSuffix(data[0]["Email"].(string), "@parse-in1.mailjet.com") {
		t.Errorf("route = %v, want an address on Mailjet's parse domain", data[0])
	}
	// DELETE answers 204 with no body, then 404.
	path := fmt.Sprint("/v3/REST/parseroute/", sandbox.DemoParseRouteForeignID)
	if a := call(t, url, "DELETE", path, m, ms, ""); a.status != 204 || a.body != "" {
		t.Errorf("DELETE: %d %q, want 204 and no body", a.status, a.body)
	}
	if a := call(t, url, "DELETE", path, m, ms, ""); a.status != 404 {
		t.Errorf("DELETE again: %d, want 404", a.status)
	}
}

func TestDeletedSendersStayListedOnRequest(t *testing.T) {
	_, url := serve(t)
	path := fmt.Sprint("/v3/REST/sender/", sandbox.DemoSenderUnknownID)
	if a := call(t, url, "DELETE", path, m, ms, ""); a.status != 204 {
		t.Fatalf("DELETE: %d %s", a.status, a.body)
	}
	if a := call(t, url, "DELETE", path, m, ms, ""); a.status != 404 {
		t.Errorf("DELETE again: %d, want 404", a.status)
	}
	if data, _ := envelopeOf(t, call(t, url, "GET", "/v3/REST/sender", m, ms, "")); len(data) != 3 {
		t.Errorf("%d senders listed, want 3", len(data))
	}
	data, _ := envelopeOf(t, call(t, url, "GET", "/v3/REST/sender?ShowDeleted=true&Status=Deleted", m, ms, ""))
	if len(data) != 1 || data[0]["Email"] != sandbox.DemoSenderUnknownEmail {
		t.Errorf("deleted senders = %v", data)
	}
	// Senders are the account's: a sub-account key sees them too.
	if data, _ := envelopeOf(t, call(t, url, "GET", "/v3/REST/sender", sandbox.DemoShopKey, sandbox.DemoShopSecret, "")); len(data) != 3 {
		t.Errorf("Shop key sees %d senders, want 3", len(data))
	}
}

func TestTheDemoTimelineFollowsTheClock(t *testing.T) {
	now := time.Date(2026, 11, 25, 19, 45, 0, 0, time.UTC)
	sb, url := serve(t, sandbox.WithClock(func() time.Time { return now }))

	for _, s := range sb.Senders() {
		if s.ID == sandbox.DemoSenderUnknownID && !s.CreatedAt.Equal(now.Add(-5*24*time.Hour)) {
			t.Errorf("unknown sender added %v, want 5 days before the clock", s.CreatedAt)
		}
	}
	q := fmt.Sprintf("?CounterSource=APIKey&CounterTiming=Message&CounterResolution=Day&FromTS=%d&ToTS=%s",
		now.AddDate(0, 0, -10).Unix(), now.Format(time.RFC3339))
	data, _ := envelopeOf(t, call(t, url, "GET", "/v3/REST/statcounters"+q, m, ms, ""))
	if _, total := envelopeOf(t, call(t, url, "GET", "/v3/REST/statcounters"+q+"&countOnly=1", m, ms, "")); total != 11 || len(data) != 10 {
		t.Fatalf("%d rows of %d, want 10 of 11", len(data), total) // default Limit 10
	}
	want := map[string]string{ // day → how much was sent
		"2026-11-15": "usual", "2026-11-18": "usual", "2026-11-19": "spike", "2026-11-22": "spike", "2026-11-23": "usual",
	}
	for _, row := range data {
		day := strings.TrimSuffix(row["Timeslice"].(string), "T00:00:00Z")
		total := row["Total"].(float64)
		switch want[day] {
		case "usual":
			if total < 100 || total > 140 {
				t.Errorf("%s: %v emails, want about 120", day, total)
			}
		case "spike":
			if total < 18_000 {
				t.Errorf("%s: %v emails, want a spam run", day, total)
			}
		case "none":
			if total != 0 {
				t.Errorf("%s: %v emails after the account was switched off", day, total)
			}
		}
		if row["APIKeyID"] != float64(sandbox.DemoMasterID) {
			t.Errorf("row for key %v", row["APIKeyID"])
		}
	}
	// The account was switched off 36 hours ago: nothing sent today.
	if last, _ := envelopeOf(t, call(t, url, "GET", "/v3/REST/statcounters"+q+"&Offset=10", m, ms, "")); len(last) != 1 || last[0]["Total"] != 0.0 {
		t.Errorf("today = %v, want nothing sent", last)
	}
	// Statistics are the authenticated key's only.
	if data, _ := envelopeOf(t, call(t, url, "GET", "/v3/REST/statcounters"+q+"&SourceID=1002", m, ms, "")); len(data) != 0 {
		t.Errorf("another key's statistics: %v", data)
	}
	life, _ := envelopeOf(t, call(t, url, "GET", "/v3/REST/statcounters?CounterSource=APIKey&CounterTiming=Message&CounterResolution=Lifetime",
		sandbox.DemoNewsletterKey, sandbox.DemoNewsletterSecret, ""))
	if len(life) != 1 || life[0]["Total"].(float64) == 0 {
		t.Errorf("Newsletter lifetime = %v", life)
	}
	totals, _ := envelopeOf(t, call(t, url, "GET", "/v3/REST/apikeytotals", sandbox.DemoNewsletterKey, sandbox.DemoNewsletterSecret, ""))
	if last := int64(totals[0]["LastActivity"].(float64)); last != now.Add(-420*24*time.Hour).Unix() {
		t.Errorf("Newsletter LastActivity = %d, want 420 days before the clock", last)
	}
}
