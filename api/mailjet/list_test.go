package mailjet_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
)

// post sends one POST with the master pair and wants a 201.
func post(t *testing.T, base, path, body string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(sandbox.DemoMasterKey, sandbox.DemoMasterSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		data, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST %s %s: %d %s", path, body, resp.StatusCode, data)
	}
}

// The sandbox answers as Mailjet does, Total being the page's count
// (apidoc filtering guide: "Count and Total will only show you the number
// of elements extracted and not the global number"), so a listing that
// stopped once it had Total records would end after its first page.
// Every listing reads past it, with records added through the API.
func TestListingsReadPastTheFirstPage(t *testing.T) {
	sb, base := startSandbox(t)
	ctx := context.Background()
	master := fastClient(base, masterCreds)
	for i := range 12 { // 15 keys
		if _, err := master.CreateAPIKey(ctx, fmt.Sprintf("extra %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 21 { // 25 senders
		post(t, base, "/v3/REST/sender", fmt.Sprintf(`{"Email":"team%d@lafleur-bakery.example"}`, i))
	}
	// 14 webhooks: one per event type and backup flag, the most a key has.
	for _, event := range []string{"open", "click", "spam", "blocked", "unsub", "bounce", "sent"} {
		for _, backup := range []bool{false, true} {
			if (event == "bounce" || event == "sent") && !backup {
				continue // the demo has these
			}
			post(t, base, "/v3/REST/eventcallbackurl",
				fmt.Sprintf(`{"Url":"https://lafleur-bakery.example/mj/%s","EventType":%q,"IsBackup":%t}`, event, event, backup))
		}
	}
	for i := range 18 { // 20 parse routes, on the customer's own addresses
		post(t, base, "/v3/REST/parseroute",
			fmt.Sprintf(`{"Url":"https://orders.lafleur-bakery.example/in/%d","Email":"in%d@orders.lafleur-bakery.example"}`, i, i))
	}

	// The first page alone claims to be everything.
	req, _ := http.NewRequest(http.MethodGet, base+"/v3/REST/sender?Limit=10", nil)
	req.SetBasicAuth(sandbox.DemoMasterKey, sandbox.DemoMasterSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var first struct{ Count, Total int }
	err = json.NewDecoder(resp.Body).Decode(&first)
	resp.Body.Close()
	if err != nil || first.Count != 10 || first.Total != 10 {
		t.Fatalf("first page: %+v, %v; want Count 10, Total 10", first, err)
	}

	c := fastClient(base, masterCreds, mailjet.WithPageSize(10))
	ids := func(n int, id func(int) int64) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = id(i)
		}
		return out
	}
	now := time.Now().UTC()
	cases := []struct {
		name, path string
		list       func() ([]int64, error)
		want       int
		pages      int
	}{
		{"API keys", "/v3/REST/apikey", func() ([]int64, error) {
			keys, err := c.ListAPIKeys(ctx)
			return ids(len(keys), func(i int) int64 { return keys[i].ID }), err
		}, 15, 2},
		{"senders", "/v3/REST/sender", func() ([]int64, error) {
			s, err := c.ListSenders(ctx)
			return ids(len(s), func(i int) int64 { return s[i].ID }), err
		}, 25, 3},
		{"webhooks", "/v3/REST/eventcallbackurl", func() ([]int64, error) {
			h, err := c.ListEventCallbacks(ctx)
			return ids(len(h), func(i int) int64 { return h[i].ID }), err
		}, 14, 2},
		{"parse routes", "/v3/REST/parseroute", func() ([]int64, error) {
			r, err := c.ListParseRoutes(ctx)
			return ids(len(r), func(i int) int64 { return r[i].ID }), err
		}, 20, 3}, // 10, 10, then an empty page
		{"daily sending", "/v3/REST/statcounters", func() ([]int64, error) {
			d, err := c.DailySending(ctx, now.Add(-24*24*time.Hour), now) // 25 days
			return ids(len(d), func(i int) int64 { return d[i].Day.Unix() }), err
		}, 25, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := sb.Requests(http.MethodGet, tc.path)
			got, err := tc.list()
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.want {
				t.Fatalf("listed %d, want %d", len(got), tc.want)
			}
			for i := 1; i < len(got); i++ {
				if got[i] <= got[i-1] {
					t.Fatalf("record %d (%d) after %d: repeated or out of order", i, got[i], got[i-1])
				}
			}
			if n := sb.Requests(http.MethodGet, tc.path) - before; n != tc.pages {
				t.Errorf("%d pages read, want %d", n, tc.pages)
			}
		})
	}
}
