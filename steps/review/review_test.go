package review_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/recovery"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
	"github.com/mjrecover/mjrecover/steps/review"
	"github.com/mjrecover/mjrecover/steps/rotate"
)

var masterCreds = mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New(sandbox.DemoMasterSecret)}

// demo serves a fresh demo sandbox over loopback and returns a master client.
func demo(t *testing.T) (*sandbox.Server, string, *mailjet.Client) {
	t.Helper()
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return sb, srv.URL, mailjet.New(srv.URL, masterCreds, mailjet.WithRetry(2, time.Millisecond))
}

// find returns the item whose title, in English or in French, contains
// words.
func find(t *testing.T, r review.Review, words string) review.Item {
	t.Helper()
	fr := lang.New(lang.French)
	for _, it := range r.Items {
		if strings.Contains(it.Title.String(), words) || strings.Contains(fr.Say(it.Title), words) {
			return it
		}
	}
	var titles []string
	for _, it := range r.Items {
		titles = append(titles, fmt.Sprintf("%s [%s]", it.Title, it.Verdict))
	}
	t.Fatalf("no item about %q among:\n%s", words, strings.Join(titles, "\n"))
	return review.Item{}
}

// noSecrets fails when text holds one of the demo account's secrets.
func noSecrets(t *testing.T, what, text string, more ...string) {
	t.Helper()
	for _, s := range append(more, sandbox.DemoMasterSecret, sandbox.DemoShopSecret, sandbox.DemoNewsletterSecret) {
		if strings.Contains(text, s) {
			t.Errorf("%s holds a secret (****%s)", what, s[len(s)-4:])
		}
	}
}

// The wizard's order: usage read before the rotation, the review after it.
func TestReviewOfTheDemoAfterTheRotation(t *testing.T) {
	ctx := context.Background()
	sb, url, api := demo(t)
	usage, err := review.ReadKeyUsage(ctx, api)
	if err != nil {
		t.Fatal(err)
	}
	if len(usage) != 2 || !usage[1].Known || time.Since(usage[1].LastActivity) < 365*24*time.Hour {
		t.Fatalf("usage = %+v, want both sub-account keys, the Newsletter idle for a year", usage)
	}
	results := rotateAll(t, url)
	var newSecrets []string
	for _, r := range results {
		newSecrets = append(newSecrets, r.NewSecret.Reveal())
	}
	// After the master reset, the review uses the new master pair.
	api = api.WithCredentials(mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: results[len(results)-1].NewSecret})

	r, err := review.Run(ctx, api, review.Input{Usage: usage, Replacements: review.ReplacementsFrom(results)})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != 0 {
		t.Errorf("problems: %+v", r.Problems)
	}
	if !slices.Equal(r.OwnDomains, []string{"lafleur-bakery.example"}) {
		t.Errorf("own domains = %v", r.OwnDomains)
	}
	check := func(it review.Item, v review.Verdict, a review.Action) {
		t.Helper()
		if it.Verdict != v || it.Action != a || it.Explain.IsZero() || it.Recommend.IsZero() {
			t.Errorf("%q: %v / %v, want %v / %v (%s)", it.Title, it.Verdict, it.Action, v, a, it.Explain)
		}
	}
	hook := find(t, r, "Webhook to collect.mailstat-cdn.example")
	check(hook, review.Suspicious, review.DeleteWebhook)
	if !strings.Contains(hook.Explain.String(), "recipient's address") {
		t.Errorf("explanation %q does not say what a 'sent' webhook hands over", hook.Explain)
	}
	check(find(t, r, "Webhook to your site lafleur-bakery.example"), review.OK, review.NoAction)
	check(find(t, r, "Parse route to inbox-relay.example.net"), review.Suspicious, review.DeleteParseRoute)
	check(find(t, r, "Parse route to your site orders.lafleur-bakery.example"), review.OK, review.NoAction)
	check(find(t, r, "Sender "+sandbox.DemoSenderUnknownEmail), review.Suspicious, review.DeleteSender)
	check(find(t, r, "3 sender addresses on your domains"), review.OK, review.NoAction)
	spike := find(t, r, "A spike in sending")
	check(spike, review.Suspicious, review.NoAction)
	if !strings.Contains(spike.Explain.String(), "usually sends about") || !strings.Contains(spike.Explain.String(), "refused or bounced") {
		t.Errorf("spike explanation = %q", spike.Explain)
	}
	unused := find(t, r, `"Newsletter (created`)
	check(unused, review.Check, review.DeactivateKey)
	if !strings.Contains(unused.Explain.String(), `replaced the key "Newsletter"`) || !strings.Contains(unused.Explain.String(), "has sent nothing since") {
		t.Errorf("unused key explanation = %q", unused.Explain)
	}
	check(find(t, r, "1 sub-account key in use"), review.OK, review.NoAction)
	if r.Count(review.Suspicious) != 4 || r.Items[0].Verdict != review.Suspicious || r.Items[len(r.Items)-1].Verdict != review.OK {
		t.Errorf("%d suspicious items, order %v…%v", r.Count(review.Suspicious), r.Items[0].Verdict, r.Items[len(r.Items)-1].Verdict)
	}

	// Acting on everything that can be acted on.
	for i, it := range r.Items {
		if !it.CanAct() {
			continue
		}
		done, err := review.Act(ctx, api, it)
		if err != nil {
			t.Fatalf("act on %q: %v", it.Title, err)
		}
		if !done.Done || done.Result.IsZero() || done.CanAct() {
			t.Errorf("after Act: %+v", done)
		}
		r.Items[i] = done
	}
	if hooks := sb.Webhooks(); len(hooks) != 1 || hooks[0].URL != sandbox.DemoWebhookOwnURL {
		t.Errorf("webhooks left: %+v", hooks)
	}
	if routes := sb.ParseRoutes(); len(routes) != 1 || routes[0].URL != sandbox.DemoParseRouteOwnURL {
		t.Errorf("routes left: %+v", routes)
	}
	for _, s := range sb.Senders() {
		if (s.ID == sandbox.DemoSenderUnknownID) != (s.Status == "Deleted") {
			t.Errorf("sender %s is %s", s.Email, s.Status)
		}
	}
	for _, k := range sb.Keys() {
		if k.ID == unused.TargetID && k.IsActive {
			t.Error("the unused key is still on")
		}
	}

	lines := r.Lines()
	text, _ := json.Marshal(lines)
	noSecrets(t, "the report lines", string(text), newSecrets...)
	for _, want := range []string{`"action":"Deleted."`, `"action":"Turned off."`, `"action":"Reviewed: nothing to do"`, "collect.mailstat-cdn.example"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("report lines lack %s:\n%s", want, text)
		}
	}
	noSecrets(t, "the review printed", fmt.Sprintf("%+v %#v", r, r), newSecrets...)
}

// rotateAll rotates every key of the demo account, as step 2 does.
func rotateAll(t *testing.T, url string) []rotate.Result {
	t.Helper()
	ctx := context.Background()
	api := mailjet.New(url, masterCreds, mailjet.WithRetry(2, time.Millisecond))
	r := &rotate.Rotator{API: api, Recovery: recovery.New(url, masterCreds), ReadyTries: 3, ReadyWait: 10 * time.Millisecond}
	keys, err := api.ListAPIKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.RotateAll(ctx, rotate.NewPlan(keys, nil, true, nil))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Run before the rotation reads the sub-account keys' usage and
// webhooks with their own pairs.
func TestReviewBeforeTheRotation(t *testing.T) {
	ctx := context.Background()
	sb, _, api := demo(t)
	shop := api.WithCredentials(mailjet.Credentials{APIKey: sandbox.DemoShopKey, Secret: secret.New(sandbox.DemoShopSecret)})
	// A webhook the attacker added on the leaked Shop key.
	addWebhook(t, api, sandbox.DemoShopKey, sandbox.DemoShopSecret, "https://evil.example.org/shop", "open")

	r, err := review.Run(ctx, api, review.Input{})
	if err != nil {
		t.Fatal(err)
	}
	news := find(t, r, `"Newsletter"`)
	if news.Verdict != review.Check || news.Action != review.DeactivateKey || news.TargetID != sandbox.DemoNewsletterID {
		t.Errorf("Newsletter item = %+v", news)
	}
	shopHook := find(t, r, "Webhook to evil.example.org (key Shop (WooCommerce))")
	if shopHook.Verdict != review.Suspicious {
		t.Errorf("Shop webhook item = %+v", shopHook)
	}
	if _, err := review.Act(ctx, api, shopHook); err != nil {
		t.Fatalf("delete the Shop key's webhook: %v", err)
	}
	if hooks, _ := shop.ListEventCallbacks(ctx); len(hooks) != 0 {
		t.Errorf("Shop webhooks left: %+v", hooks)
	}
	if len(sb.Webhooks()) != 2 {
		t.Error("the master's webhooks were touched")
	}
}

func addWebhook(t *testing.T, api *mailjet.Client, key, sec, url, event string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, api.BaseURL()+"/v3/REST/eventcallbackurl",
		strings.NewReader(fmt.Sprintf(`{"Url":%q,"EventType":%q}`, url, event)))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(key, sec)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create webhook: %d", resp.StatusCode)
	}
}

func TestAKeyMadeSinceTheLeakIsSuspicious(t *testing.T) {
	ctx := context.Background()
	_, _, api := demo(t)
	made, err := api.CreateAPIKey(ctx, "backup")
	if err != nil {
		t.Fatal(err)
	}
	replacement, err := api.CreateAPIKey(ctx, "Shop (WooCommerce) (created 2026-11-25)")
	if err != nil {
		t.Fatal(err)
	}
	r, err := review.Run(ctx, api, review.Input{})
	if err != nil {
		t.Fatal(err)
	}
	it := find(t, r, `"backup"`)
	if it.Verdict != review.Suspicious || it.Action != review.DeactivateKey || it.TargetID != made.ID || !strings.Contains(it.Explain.String(), "after the leak started") {
		t.Errorf("item = %+v", it)
	}
	for _, it := range r.Items {
		if it.TargetID == replacement.ID {
			t.Errorf("a replacement made by the rotation is flagged: %+v", it)
		}
	}
}

func TestProblemsDoNotStopTheReview(t *testing.T) {
	ctx := context.Background()
	sb, _, api := demo(t)
	sb.FailNext(http.MethodGet, "/v3/REST/parseroute", http.StatusForbidden, 1)
	r, err := review.Run(ctx, api, review.Input{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != 1 || r.Problems[0].Area != review.AreaParseRoute || !strings.Contains(r.Problems[0].Text.String(), "403") {
		t.Errorf("problems = %+v", r.Problems)
	}
	find(t, r, "Webhook to collect.mailstat-cdn.example")
	if lines := r.Lines(); lines[len(lines)-1].Action != "Not reviewed" {
		t.Errorf("last line = %+v", lines[len(lines)-1])
	}

	sb.FailNext(http.MethodGet, "/v3/REST/apikey", http.StatusUnauthorized, 1)
	if _, err := review.Run(ctx, api, review.Input{}); !errors.Is(err, mailjet.ErrUnauthorized) {
		t.Errorf("err = %v, want ErrUnauthorized", err)
	}
}

func TestActReportsFailuresAndLeavesTheItem(t *testing.T) {
	ctx := context.Background()
	sb, _, api := demo(t)
	r, err := review.Run(ctx, api, review.Input{})
	if err != nil {
		t.Fatal(err)
	}
	hook := find(t, r, "Webhook to collect.mailstat-cdn.example")
	sb.FailNext(http.MethodDelete, "/v3/REST/eventcallbackurl/", http.StatusBadRequest, 1)
	got, err := review.Act(ctx, api, hook)
	if err == nil || got.Done || !strings.Contains(err.Error(), "Delete the webhook did not work") {
		t.Errorf("Act = %+v, %v", got, err)
	}
	ok := find(t, r, "Webhook to your site")
	if got, err := review.Act(ctx, api, ok); err != nil || got.Done {
		t.Errorf("acting on a fine item: %+v, %v", got, err)
	}
	if len(sb.Webhooks()) != 2 {
		t.Error("a webhook was deleted")
	}
}
