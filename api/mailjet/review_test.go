package mailjet_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

func TestListEventCallbacksReadsTheDemoWebhooks(t *testing.T) {
	sb, url := startSandbox(t)
	ctx := context.Background()
	hooks, err := fastClient(url, masterCreds, mailjet.WithPageSize(1)).ListEventCallbacks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 2 {
		t.Fatalf("got %d webhooks, want 2: %+v", len(hooks), hooks)
	}
	// Pages of 1: two full pages, then an empty one ends the listing.
	if n := sb.Requests(http.MethodGet, "/v3/REST/eventcallbackurl"); n != 3 {
		t.Errorf("%d pages read, want 3 (page size 1)", n)
	}
	foreign := hooks[1]
	if foreign.ID != sandbox.DemoWebhookForeignID || foreign.URL != sandbox.DemoWebhookForeignURL ||
		foreign.EventType != "sent" || foreign.Status != "alive" || foreign.APIKeyID != sandbox.DemoMasterID {
		t.Errorf("foreign webhook = %+v", foreign)
	}
	// Webhooks belong to a key: the Shop key has none.
	shopHooks, err := fastClient(url, shopCreds).ListEventCallbacks(ctx)
	if err != nil || len(shopHooks) != 0 {
		t.Errorf("Shop key's webhooks = %+v, %v; want none", shopHooks, err)
	}
}

func TestDeleteEventCallback(t *testing.T) {
	sb, url := startSandbox(t)
	ctx := context.Background()
	master := fastClient(url, masterCreds)
	if err := master.DeleteEventCallback(ctx, sandbox.DemoWebhookForeignID); err != nil {
		t.Fatal(err)
	}
	left := sb.Webhooks()
	if len(left) != 1 || left[0].ID != sandbox.DemoWebhookOwnID {
		t.Errorf("webhooks left = %+v, want only the customer's own", left)
	}
	// Deleting it again finds nothing: the webhook is gone, which is what
	// was asked for.
	if err := master.DeleteEventCallback(ctx, sandbox.DemoWebhookForeignID); err != nil {
		t.Errorf("second delete: %v, want nil (already gone)", err)
	}
	if err := master.DeleteEventCallback(ctx, 0); err == nil {
		t.Error("ID 0 accepted")
	}
}

func TestDeleteIsRetriedAndALostAnswerStillSucceeds(t *testing.T) {
	t.Run("503 then success", func(t *testing.T) {
		sb, url := startSandbox(t)
		sb.FailNext(http.MethodDelete, "/v3/REST/parseroute/", http.StatusServiceUnavailable, 1)
		if err := fastClient(url, masterCreds).DeleteParseRoute(context.Background(), sandbox.DemoParseRouteForeignID); err != nil {
			t.Fatal(err)
		}
		if n := sb.Requests(http.MethodDelete, "/v3/REST/parseroute/"); n != 2 {
			t.Errorf("%d DELETEs, want 2", n)
		}
		if len(sb.ParseRoutes()) != 1 {
			t.Errorf("parse routes left = %+v", sb.ParseRoutes())
		}
	})
	t.Run("deleted, but the answer was lost", func(t *testing.T) {
		sb := sandbox.New()
		var deletes atomic.Int32
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodDelete && deletes.Add(1) == 1 {
				sb.ServeHTTP(httptest.NewRecorder(), r) // the delete happens…
				w.WriteHeader(http.StatusBadGateway)    // …but the client sees a 502
				return
			}
			sb.ServeHTTP(w, r)
		}))
		defer ts.Close()
		if err := fastClient(ts.URL, masterCreds).DeleteEventCallback(context.Background(), sandbox.DemoWebhookForeignID); err != nil {
			t.Fatalf("err = %v, want success: the retry's 404 means the first try worked", err)
		}
		if deletes.Load() != 2 || len(sb.Webhooks()) != 1 {
			t.Errorf("%d DELETEs, %d webhooks left; want 2 and 1", deletes.Load(), len(sb.Webhooks()))
		}
	})
	t.Run("400 is an error", func(t *testing.T) {
		sb, url := startSandbox(t)
		sb.FailNext(http.MethodDelete, "/v3/REST/sender/", http.StatusBadRequest, 1)
		err := fastClient(url, masterCreds).DeleteSender(context.Background(), sandbox.DemoSenderUnknownID)
		var apiErr *mailjet.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
			t.Errorf("err = %v, want *Error 400", err)
		}
		if n := sb.Requests(http.MethodDelete, "/v3/REST/sender/"); n != 1 {
			t.Errorf("%d DELETEs, want 1: a 400 is not retried", n)
		}
	})
}

func TestListParseRoutes(t *testing.T) {
	_, url := startSandbox(t)
	routes, err := fastClient(url, masterCreds).ListParseRoutes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(routes) != 2 || routes[1].ID != sandbox.DemoParseRouteForeignID || routes[1].URL != sandbox.DemoParseRouteForeignURL || routes[1].Email == "" {
		t.Errorf("routes = %+v", routes)
	}
}

func TestListAndDeleteSenders(t *testing.T) {
	sb, url := startSandbox(t)
	ctx := context.Background()
	master := fastClient(url, masterCreds)
	senders, err := master.ListSenders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(senders) != 4 {
		t.Fatalf("got %d senders, want 4", len(senders))
	}
	unknown := senders[3]
	if unknown.ID != sandbox.DemoSenderUnknownID || unknown.Email != sandbox.DemoSenderUnknownEmail || unknown.Status != "Active" ||
		time.Since(unknown.CreatedAt) > 7*24*time.Hour || time.Since(unknown.CreatedAt) < 24*time.Hour {
		t.Errorf("unknown sender = %+v, want one added a few days ago", unknown)
	}
	if !senders[0].IsDefaultSender || senders[0].CreatedAt.Year() != 2021 {
		t.Errorf("first sender = %+v", senders[0])
	}
	if err := master.DeleteSender(ctx, unknown.ID); err != nil {
		t.Fatal(err)
	}
	if after, _ := master.ListSenders(ctx); len(after) != 3 {
		t.Errorf("%d senders listed after the delete, want 3", len(after))
	}
	for _, s := range sb.Senders() {
		if s.ID == unknown.ID && s.Status != "Deleted" {
			t.Errorf("deleted sender's status = %q", s.Status)
		}
	}
}

func TestAPIKeyTotalsPerKey(t *testing.T) {
	_, url := startSandbox(t)
	ctx := context.Background()
	master := fastClient(url, masterCreds)
	now := time.Now()

	m, err := master.APIKeyTotals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m.Processed < 70_000 || m.Delivered >= m.Processed || m.LastActivity.IsZero() || now.Sub(m.LastActivity) > 3*24*time.Hour {
		t.Errorf("master totals = %+v, want a busy key active days ago", m)
	}
	news := master.WithCredentials(mailjet.Credentials{APIKey: sandbox.DemoNewsletterKey, Secret: secret.New(sandbox.DemoNewsletterSecret)})
	n, err := news.APIKeyTotals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.Processed == 0 || now.Sub(n.LastActivity) < 365*24*time.Hour {
		t.Errorf("Newsletter totals = %+v, want a key idle for more than a year", n)
	}
	created, err := master.CreateAPIKey(ctx, "brand new")
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := master.WithCredentials(mailjet.Credentials{APIKey: created.APIKey, Secret: created.Secret}).APIKeyTotals(ctx)
	if err != nil || fresh != (mailjet.KeyTotals{}) {
		t.Errorf("new key totals = %+v, %v; want zeros", fresh, err)
	}
}

func TestDailySendingShowsTheSpamRun(t *testing.T) {
	_, url := startSandbox(t)
	// In UTC, as the statistics' days: in a local zone, AddDate keeps the
	// wall clock across a change of summer time, and 60 days back could
	// then start on the UTC day before (62 rows).
	now := time.Now().UTC()
	days, err := fastClient(url, masterCreds).DailySending(context.Background(), now.AddDate(0, 0, -60), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(days) < 60 || len(days) > 61 {
		t.Fatalf("got %d days, want 60 or 61", len(days))
	}
	var spikeDays, quietDays int
	for _, d := range days {
		switch {
		case d.Total >= 18_000:
			spikeDays++
			if d.Blocked+d.HardBounced < d.Total/4 {
				t.Errorf("%s: %+v: a spam run should be largely refused", d.Day.Format(time.DateOnly), d)
			}
		case d.Total > 0 && d.Total < 200:
			quietDays++
		}
		if d.Day.IsZero() {
			t.Errorf("day without a date: %+v", d)
		}
	}
	if spikeDays != 4 || quietDays < 40 {
		t.Errorf("%d spike days and %d ordinary days, want 4 and most of the rest", spikeDays, quietDays)
	}
	if _, err := fastClient(url, masterCreds).DailySending(context.Background(), now, now.AddDate(0, 0, -1)); err == nil {
		t.Error("a backwards period was accepted")
	}
}

func TestStatsToleratesNumbersAsStrings(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"Count":"1","Total":"1","Data":[{"ProcessedCount":"12","DeliveredCount":10.0,"LastActivity":"1700000000","BouncedCount":null}]}`)
	}))
	defer ts.Close()
	got, err := fastClient(ts.URL, masterCreds).APIKeyTotals(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.Processed != 12 || got.Delivered != 10 || got.Bounced != 0 || got.LastActivity.Unix() != 1_700_000_000 {
		t.Errorf("totals = %+v", got)
	}
}

func TestReviewListingsAreSanitized(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"Count":1,"Total":1,"Data":[{"ID":7,"Url":"https://evil.example/\u001b[2Jhook","EventType":"sent\u001b]0;x\u0007","Email":"a\u202eb@x.example"}]}`)
	}))
	defer ts.Close()
	c := fastClient(ts.URL, masterCreds)
	hooks, err := c.ListEventCallbacks(context.Background())
	if err != nil || len(hooks) != 1 {
		t.Fatal(hooks, err)
	}
	if hooks[0].URL != "https://evil.example/hook" || hooks[0].EventType != "sent" {
		t.Errorf("webhook = %+v, want control sequences removed", hooks[0])
	}
	routes, err := c.ListParseRoutes(context.Background())
	if err != nil || len(routes) != 1 || routes[0].Email != "ab@x.example" {
		t.Errorf("routes = %+v, %v", routes, err)
	}
}
