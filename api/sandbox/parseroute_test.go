package sandbox_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

var foreignRoute = fmt.Sprint("/v3/REST/parseroute/", sandbox.DemoParseRouteForeignID)

// PUT on parseroute is allowed and its body is a partial POST body
// (node Parse.ts, PutParseRouteBody); like PATCH, 304 when nothing
// changed (mailjet-gem updates_list_fields.yml; the status-code page).
func TestPutChangesAParseRouteLikePatch(t *testing.T) {
	sb, url := serve(t)
	a := call(t, url, http.MethodPut, foreignRoute, m, ms, `{"Url":"https://inbox-relay.example.net/mj/v2"}`)
	data, _ := envelopeOf(t, a)
	if a.status != http.StatusOK || len(data) != 1 || data[0]["Url"] != "https://inbox-relay.example.net/mj/v2" ||
		!strings.HasSuffix(data[0]["Email"].(string), "@parse-in1.mailjet.com") {
		t.Fatalf("PUT Url: %d %s", a.status, a.body)
	}
	if a := call(t, url, http.MethodPut, foreignRoute, m, ms, `{"Url":"https://inbox-relay.example.net/mj/v2"}`); a.status != http.StatusNotModified || a.body != "" {
		t.Errorf("PUT with nothing new: %d %q, want 304 and no body", a.status, a.body)
	}
	if a := call(t, url, http.MethodPut, foreignRoute, m, ms, `{"Email":"replies@inbox-relay.example.net"}`); a.status != http.StatusOK {
		t.Errorf("PUT Email: %d %s", a.status, a.body)
	}
	for _, r := range sb.ParseRoutes() {
		if r.ID == sandbox.DemoParseRouteForeignID && (r.Email != "replies@inbox-relay.example.net" || r.URL != "https://inbox-relay.example.net/mj/v2") {
			t.Errorf("stored route = %+v", r)
		}
	}
	for _, body := range []string{`{"Url":"ftp://x.example/in"}`, `{"Url":""}`, `{"Email":"not an address"}`, `{"Email":""}`} {
		if a := call(t, url, http.MethodPut, foreignRoute, m, ms, body); a.status != http.StatusBadRequest {
			t.Errorf("PUT %s: %d, want 400", body, a.status)
		}
	}
	if a := call(t, url, http.MethodPut, foreignRoute, sandbox.DemoShopKey, sandbox.DemoShopSecret, `{"Url":"https://x.example/in"}`); a.status != http.StatusNotFound {
		t.Errorf("PUT by the Shop key: %d, want 404", a.status)
	}
}

// "URLs provided cannot be the root" (apidoc _parse-api.md).
func TestAParseRouteCannotPointAtTheRoot(t *testing.T) {
	_, url := serve(t)
	for _, u := range []string{"https://shop.example", "https://shop.example/"} {
		body := `{"Url":"` + u + `","Email":"in@shop.example"}`
		if a := call(t, url, http.MethodPost, "/v3/REST/parseroute", m, ms, body); a.status != http.StatusBadRequest {
			t.Errorf("POST %s: %d, want 400", body, a.status)
		}
		if a := call(t, url, http.MethodPut, foreignRoute, m, ms, `{"Url":"`+u+`"}`); a.status != http.StatusBadRequest {
			t.Errorf("PUT Url %s: %d, want 400", u, a.status)
		}
	}
}

// "Mailjet provides only one Email address (on the subdomain
// @parse-in1.mailjet.com) per API key" (apidoc _parse-api.md): the
// master key has it (the attacker's route), so a second is refused (no
// source for the status: 400); its own addresses are fine.
func TestOneParseAddressPerKey(t *testing.T) {
	_, url := serve(t)
	if a := call(t, url, http.MethodPost, "/v3/REST/parseroute", m, ms, `{"Url":"https://x.example/in"}`); a.status != http.StatusBadRequest {
		t.Errorf("a second Mailjet address: %d %s, want 400", a.status, a.body)
	}
	if a := call(t, url, http.MethodPost, "/v3/REST/parseroute", m, ms, `{"Url":"https://x.example/in","Email":"in@orders.lafleur-bakery.example"}`); a.status != http.StatusCreated {
		t.Errorf("an address of one's own: %d %s", a.status, a.body)
	}
	own := fmt.Sprint("/v3/REST/parseroute/", sandbox.DemoParseRouteOwnID)
	if a := call(t, url, http.MethodPut, own, m, ms, `{"Email":"x@parse-in1.mailjet.com"}`); a.status != http.StatusBadRequest {
		t.Errorf("PUT onto a second Mailjet address: %d, want 400", a.status)
	}
	// Once the attacker's route is gone, the key may have one again.
	if a := call(t, url, http.MethodDelete, foreignRoute, m, ms, ""); a.status != http.StatusNoContent {
		t.Fatalf("DELETE: %d", a.status)
	}
	a := call(t, url, http.MethodPost, "/v3/REST/parseroute", m, ms, `{"Url":"https://x.example/in"}`)
	if data, _ := envelopeOf(t, a); a.status != http.StatusCreated || !strings.HasSuffix(data[0]["Email"].(string), "@parse-in1.mailjet.com") {
		t.Errorf("the key's one Mailjet address: %d %s", a.status, a.body)
	}
}
