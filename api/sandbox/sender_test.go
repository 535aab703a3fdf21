package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

// POST sender: Email is required and {} is a 400
// (mailjet-apiv3-python's test_post_with_no_param); the body is Email,
// EmailType, IsDefaultSender, Name (node SenderAddressAndDomain.ts). A
// new sender is "Inactive" until validated (its SenderStatus), with the
// fields of the 2021 recording (mailjet-gem
// Mailjet_Resource/sender/should_not_be_nil.yml) and, as made by the API
// in mailjet-gem#157, EmailType "unknown" and an empty Name.
func TestCreateASender(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	sb, url := serve(t, sandbox.WithClock(func() time.Time { return now }))
	for _, body := range []string{`{}`, ``, `{"Email":""}`, `{"Email":"  "}`, `{"Name":"No address"}`,
		`{"Email":"not an address"}`, `{"Email":"Jane <jane@x.example>"}`, `{"Email":"a@b.example","EmailType":"spam"}`, `{"Email":7}`} {
		if a := call(t, url, http.MethodPost, "/v3/REST/sender", m, ms, body); a.status != http.StatusBadRequest {
			t.Errorf("POST %q: %d %s, want 400", body, a.status, a.body)
		}
	}
	a := call(t, url, http.MethodPost, "/v3/REST/sender", m, ms, `{"Email":"hello@lafleur-bakery.example"}`)
	if a.status != http.StatusCreated {
		t.Fatalf("POST: %d %s", a.status, a.body)
	}
	var created struct{ Data []map[string]any }
	if err := json.Unmarshal([]byte(a.body), &created); err != nil || len(created.Data) != 1 {
		t.Fatalf("POST answer %s", a.body)
	}
	got := created.Data[0]
	var fields []string
	for k := range got {
		fields = append(fields, k)
	}
	slices.Sort(fields)
	if want := []string{"CreatedAt", "DNSID", "Email", "EmailType", "Filename", "ID", "IsDefaultSender", "Name", "Status"}; !slices.Equal(fields, want) {
		t.Errorf("fields %v, want the recording's %v", fields, want)
	}
	if got["Status"] != "Inactive" || got["EmailType"] != "unknown" || got["Name"] != "" || got["Filename"] != "" ||
		got["IsDefaultSender"] != false || got["CreatedAt"] != "2026-12-01T10:00:00Z" {
		t.Errorf("new sender = %v", got)
	}
	// A domain has one DNS record: the new sender shares the customer's.
	shop := list(t, url, "/v3/REST/sender?Email=shop@lafleur-bakery.example")
	var first struct{ DNSID float64 }
	if len(shop.Data) != 1 || json.Unmarshal(shop.Data[0], &first) != nil || got["DNSID"] != first.DNSID || first.DNSID == 0 {
		t.Errorf("DNSID %v, want %v as the domain's other senders", got["DNSID"], first.DNSID)
	}
	a = call(t, url, http.MethodPost, "/v3/REST/sender", m, ms, `{"Email":"*@new-shop.example","Name":"New shop","EmailType":"bulk","IsDefaultSender":true}`)
	if data, _ := envelopeOf(t, a); a.status != http.StatusCreated || data[0]["Name"] != "New shop" || data[0]["EmailType"] != "bulk" ||
		data[0]["IsDefaultSender"] != true || data[0]["DNSID"] == got["DNSID"] {
		t.Errorf("a domain sender: %d %s", a.status, a.body)
	}
	if n := len(sb.Senders()); n != 6 {
		t.Errorf("%d senders, want 6", n)
	}
}

// An address already known is refused, a deleted sender's too: "a
// deleted user already exists" (mailjet-gem#157). The status is 400 and
// the wording Mailjet's MJ18 one for webhooks (Notifuse/notifuse#142):
// inferred for senders.
func TestADuplicateSenderIsRefused(t *testing.T) {
	_, url := serve(t)
	for _, email := range []string{"shop@lafleur-bakery.example", "SHOP@lafleur-bakery.example"} {
		a := call(t, url, http.MethodPost, "/v3/REST/sender", m, ms, `{"Email":"`+email+`"}`)
		want := `{"ErrorInfo":"","ErrorMessage":"MJ18 A Sender resource with value \"` + email + `\" for Email already exists.","StatusCode":400}`
		if a.status != http.StatusBadRequest || a.body != want {
			t.Errorf("POST %s: %d %s, want %s", email, a.status, a.body, want)
		}
	}
	if a := call(t, url, http.MethodDelete, fmt.Sprint("/v3/REST/sender/", sandbox.DemoSenderUnknownID), m, ms, ""); a.status != http.StatusNoContent {
		t.Fatalf("DELETE: %d", a.status)
	}
	if a := call(t, url, http.MethodPost, "/v3/REST/sender", m, ms, `{"Email":"`+sandbox.DemoSenderUnknownEmail+`"}`); a.status != http.StatusBadRequest {
		t.Errorf("POST a deleted sender's address: %d, want 400", a.status)
	}
}

// PUT: like PATCH, 304 when nothing changed; the node SDK's PUT body has
// no Email (PutSenderBody = Omit<PostSenderBody, 'Email'>), so an Email
// other than the sender's is refused rather than silently ignored.
func TestPutChangesASenderLikePatch(t *testing.T) {
	_, url := serve(t)
	path := "/v3/REST/sender/5002"
	a := call(t, url, http.MethodPut, path, m, ms, `{"Name":"Orders","EmailType":"bulk"}`)
	if data, _ := envelopeOf(t, a); a.status != http.StatusOK || data[0]["Name"] != "Orders" || data[0]["EmailType"] != "bulk" ||
		data[0]["Email"] != "orders@lafleur-bakery.example" || data[0]["Status"] != "Active" {
		t.Fatalf("PUT: %d %s", a.status, a.body)
	}
	for _, body := range []string{`{"Name":"Orders"}`, `{"Email":"orders@lafleur-bakery.example","EmailType":"BULK"}`, `{}`} {
		if a := call(t, url, http.MethodPut, path, m, ms, body); a.status != http.StatusNotModified || a.body != "" {
			t.Errorf("PUT %s: %d %q, want 304", body, a.status, a.body)
		}
	}
	for _, body := range []string{`{"Email":"other@lafleur-bakery.example"}`, `{"EmailType":"spam"}`, `{"IsDefaultSender":"yes"}`} {
		if a := call(t, url, http.MethodPut, path, m, ms, body); a.status != http.StatusBadRequest {
			t.Errorf("PUT %s: %d, want 400", body, a.status)
		}
	}
	if a := call(t, url, http.MethodPut, "/v3/REST/sender/999999", m, ms, `{"Name":"x"}`); a.status != http.StatusNotFound {
		t.Errorf("PUT an unknown sender: %d, want 404", a.status)
	}
	deleted := fmt.Sprint("/v3/REST/sender/", sandbox.DemoSenderUnknownID)
	call(t, url, http.MethodDelete, deleted, m, ms, "")
	if a := call(t, url, http.MethodPut, deleted, m, ms, `{"Name":"x"}`); a.status != http.StatusNotFound {
		t.Errorf("PUT a deleted sender: %d, want 404", a.status)
	}
}

// {ID} may be the address: mailjet-gem#157 reads a sender with
// find(email:) and validates it at sender/name@domain.de/validate.
func TestASenderIsFoundByItsAddress(t *testing.T) {
	_, url := serve(t)
	a := call(t, url, http.MethodGet, "/v3/REST/sender/"+sandbox.DemoSenderUnknownEmail, m, ms, "")
	if data, _ := envelopeOf(t, a); a.status != http.StatusOK || data[0]["ID"] != float64(sandbox.DemoSenderUnknownID) {
		t.Errorf("GET by address: %d %s", a.status, a.body)
	}
	if a := call(t, url, http.MethodPut, "/v3/REST/sender/news@lafleur-bakery.example", m, ms, `{"Name":"News"}`); a.status != http.StatusOK {
		t.Errorf("PUT by address: %d %s", a.status, a.body)
	}
	if a := call(t, url, http.MethodGet, "/v3/REST/sender/nobody@x.example", m, ms, ""); a.status != http.StatusNotFound {
		t.Errorf("GET an unknown address: %d, want 404", a.status)
	}
}

// The GET filters of the node SDK's SenderAddressAndDomain.ts: DnsID,
// Domain, Email, IsDomainSender, LocalPart, ShowDeleted, Status.
func TestSenderFilters(t *testing.T) {
	_, url := serve(t)
	if a := call(t, url, http.MethodPost, "/v3/REST/sender", m, ms, `{"Email":"*@lafleur-bakery.example"}`); a.status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	call(t, url, http.MethodDelete, "/v3/REST/sender/5003", m, ms, "")
	cases := []struct {
		query string
		want  int
	}{
		{"", 4},
		{"ShowDeleted=true", 5},
		{"Domain=lafleur-bakery.example", 3},
		{"Domain=LAFLEUR-PAYMENTS.EXAMPLE", 1},
		{"LocalPart=shop", 1},
		{"IsDomainSender=true", 1},
		{"IsDomainSender=false", 3},
		{"Status=Inactive", 1},
		{"Status=active", 3},
		{"Status=Deleted&ShowDeleted=1", 1},
		{"Email=orders@lafleur-bakery.example", 1},
		{"DnsID=6001", 3},
		{"DnsID=6002", 1},
		{"DnsID=6001&ShowDeleted=true", 4},
	}
	for _, c := range cases {
		if e := list(t, url, "/v3/REST/sender?"+c.query); e.Count != c.want {
			t.Errorf("%q: %d senders, want %d", c.query, e.Count, c.want)
		}
	}
	for _, q := range []string{"ShowDeleted=maybe", "IsDomainSender=2", "DnsID=x"} {
		if a := call(t, url, http.MethodGet, "/v3/REST/sender?"+q, m, ms, ""); a.status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, a.status)
		}
	}
}
