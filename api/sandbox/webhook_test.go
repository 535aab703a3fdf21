package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

var foreignHook = fmt.Sprint("/v3/REST/eventcallbackurl/", sandbox.DemoWebhookForeignID)

// The unique key is EventType|IsBackup (apidoc
// guides/_filtering-resources.md, "Unique Key Filters"). A second webhook
// with it is refused as Mailjet refused one in Notifuse/notifuse#142:
// 400 `MJ18 A EventCallbackURL resource with value "7|false" for
// EventType|Backup already exists.` (7 is "sent": node Webhook.ts
// EventTypeValue).
func TestADuplicateWebhookIsRefusedAsMailjetDoes(t *testing.T) {
	_, url := serve(t)
	a := call(t, url, http.MethodPost, "/v3/REST/eventcallbackurl", m, ms, `{"Url":"https://x.example/h","EventType":"sent"}`)
	want := `{"ErrorInfo":"","ErrorMessage":"MJ18 A EventCallbackURL resource with value \"7|false\" for EventType|Backup already exists.","StatusCode":400}`
	if a.status != http.StatusBadRequest || a.body != want {
		t.Errorf("duplicate: %d %s, want 400 %s", a.status, a.body, want)
	}
	// The backup of the same event is another key.
	if a := call(t, url, http.MethodPost, "/v3/REST/eventcallbackurl", m, ms, `{"Url":"https://x.example/h","EventType":"sent","IsBackup":true}`); a.status != http.StatusCreated {
		t.Errorf("backup: %d %s", a.status, a.body)
	}
	// Another key may have the same pair.
	if a := call(t, url, http.MethodPost, "/v3/REST/eventcallbackurl", sandbox.DemoShopKey, sandbox.DemoShopSecret, `{"Url":"https://x.example/h","EventType":"sent"}`); a.status != http.StatusCreated {
		t.Errorf("the Shop key's own: %d %s", a.status, a.body)
	}
}

// PUT acts like PATCH and answers 304 when nothing changed ("PUT
// behaves like PATCH": apidoc _api-overview.md; 304 "Content not
// changed": mailjet-gem updates_list_fields.yml and the status-code
// page); the node SDK's PUT body is a partial POST body (Webhook.ts).
func TestPutChangesAWebhookLikePatch(t *testing.T) {
	sb, url := serve(t)
	a := call(t, url, http.MethodPut, foreignHook, m, ms, `{"Status":"dead"}`)
	data, _ := envelopeOf(t, a)
	if a.status != http.StatusOK || len(data) != 1 || data[0]["Status"] != "dead" ||
		data[0]["Url"] != sandbox.DemoWebhookForeignURL || data[0]["EventType"] != "sent" || data[0]["Version"] != 2.0 {
		t.Fatalf("PUT Status: %d %s", a.status, a.body)
	}
	if a := call(t, url, http.MethodPut, foreignHook, m, ms, `{"Status":"dead","Url":"`+sandbox.DemoWebhookForeignURL+`"}`); a.status != http.StatusNotModified || a.body != "" {
		t.Errorf("PUT with nothing new: %d %q, want 304 and no body", a.status, a.body)
	}
	if a := call(t, url, http.MethodPut, foreignHook, m, ms, `{}`); a.status != http.StatusNotModified {
		t.Errorf("PUT {}: %d, want 304", a.status)
	}
	// Onto the customer's bounce webhook's key: refused like a POST.
	a = call(t, url, http.MethodPut, foreignHook, m, ms, `{"EventType":"bounce"}`)
	if a.status != http.StatusBadRequest || !json.Valid([]byte(a.body)) ||
		a.body != `{"ErrorInfo":"","ErrorMessage":"MJ18 A EventCallbackURL resource with value \"2|false\" for EventType|Backup already exists.","StatusCode":400}` {
		t.Errorf("PUT onto another's unique key: %d %s", a.status, a.body)
	}
	for _, body := range []string{`{"Url":"ftp://x"}`, `{"EventType":"nosuch"}`, `{"Status":"zombie"}`, `{"Version":0}`, `{"IsBackup":"yes"}`, `[`} {
		if a := call(t, url, http.MethodPut, foreignHook, m, ms, body); a.status != http.StatusBadRequest {
			t.Errorf("PUT %s: %d, want 400", body, a.status)
		}
	}
	// Another key's webhook is not found.
	if a := call(t, url, http.MethodPut, foreignHook, sandbox.DemoShopKey, sandbox.DemoShopSecret, `{"Status":"dead"}`); a.status != http.StatusNotFound {
		t.Errorf("PUT by the Shop key: %d, want 404", a.status)
	}
	a = call(t, url, http.MethodPut, foreignHook, m, ms, `{"Url":"https://new.example/h","EventType":"open","IsBackup":true,"Version":1,"Status":"alive"}`)
	if data, _ := envelopeOf(t, a); a.status != http.StatusOK || data[0]["Url"] != "https://new.example/h" || data[0]["EventType"] != "open" || data[0]["IsBackup"] != true || data[0]["Version"] != 1.0 {
		t.Errorf("PUT every field: %d %s", a.status, a.body)
	}
	for _, h := range sb.Webhooks() {
		if h.ID == sandbox.DemoWebhookForeignID && (h.URL != "https://new.example/h" || h.EventType != "open") {
			t.Errorf("stored webhook = %+v", h)
		}
	}
}

// {ID} may be the unique key: eventcallbackurl/$EventType|$isBackup
// (apidoc guides/_filtering-resources.md, "Unique Key Filters").
func TestAWebhookIsFoundByItsUniqueKey(t *testing.T) {
	_, url := serve(t)
	for _, ref := range []string{"sent%7Cfalse", "7%7Cfalse", "SENT%7C0"} {
		a := call(t, url, http.MethodGet, "/v3/REST/eventcallbackurl/"+ref, m, ms, "")
		if data, _ := envelopeOf(t, a); a.status != http.StatusOK || len(data) != 1 || data[0]["ID"] != float64(sandbox.DemoWebhookForeignID) {
			t.Errorf("GET %s: %d %s", ref, a.status, a.body)
		}
	}
	for _, ref := range []string{"sent%7Ctrue", "nosuch%7Cfalse", "sent", "sent%7Cmaybe"} {
		if a := call(t, url, http.MethodGet, "/v3/REST/eventcallbackurl/"+ref, m, ms, ""); a.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", ref, a.status)
		}
	}
	if a := call(t, url, http.MethodGet, "/v3/REST/eventcallbackurl/sent%7Cfalse", sandbox.DemoShopKey, sandbox.DemoShopSecret, ""); a.status != http.StatusNotFound {
		t.Errorf("the Shop key reading the master's by key: %d, want 404", a.status)
	}
	if a := call(t, url, http.MethodDelete, "/v3/REST/eventcallbackurl/sent%7Cfalse", m, ms, ""); a.status != http.StatusNoContent {
		t.Errorf("DELETE by unique key: %d", a.status)
	}
}

// The GET filters of the node SDK's Webhook.ts: Backup, EventType (its
// EventTypeValue numbers; mailjet-apiv3-java#80 filters with
// "eventType=blocked"), Status, Version. IsBackup, the field's name, is
// read too.
func TestWebhookFilters(t *testing.T) {
	_, url := serve(t)
	if a := call(t, url, http.MethodPost, "/v3/REST/eventcallbackurl", m, ms, `{"Url":"https://x.example/h","EventType":"open","IsBackup":true,"Status":"dead"}`); a.status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	cases := []struct {
		query string
		want  int
	}{
		{"", 3},
		{"EventType=sent", 1},
		{"eventType=7", 1},
		{"EventType=open", 1},
		{"Backup=true", 1},
		{"IsBackup=false", 2},
		{"backup=0", 2},
		{"Status=alive", 2},
		{"Status=DEAD", 1},
		{"Version=2", 2},
		{"Version=1", 1},
		{"EventType=bounce&Backup=true", 0},
	}
	for _, c := range cases {
		if e := list(t, url, "/v3/REST/eventcallbackurl?"+c.query); e.Count != c.want {
			t.Errorf("%q: %d webhooks, want %d", c.query, e.Count, c.want)
		}
	}
	for _, q := range []string{"EventType=nosuch", "EventType=9", "Backup=perhaps", "Version=x"} {
		if a := call(t, url, http.MethodGet, "/v3/REST/eventcallbackurl?"+q, m, ms, ""); a.status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, a.status)
		}
	}
}
