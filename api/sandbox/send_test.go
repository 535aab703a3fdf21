package sandbox_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

// The sources cited below are the ones in the fact sheet
// (shared/notes/mailjet-api.md): mailjet/api-documentation
// guides/_send-api.md and guides/_send-api-V3.md, the mailjet-gem
// cassettes under spec/cassettes/, and the Go SDK's mailjet_client_test.go.

var uuidShape = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

type sendReply struct {
	status int
	header http.Header
	body   string
}

// sendServer serves a fresh sandbox over loopback HTTP.
func sendServer(t *testing.T, opts ...sandbox.Option) (*sandbox.Server, string) {
	t.Helper()
	sb := sandbox.New(opts...)
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	return sb, ts.URL
}

// sendRequest sends one request with a Basic pair ("" key: none).
func sendRequest(t *testing.T, base, method, path, key, secret, body string) sendReply {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.SetBasicAuth(key, secret)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return sendReply{resp.StatusCode, resp.Header, string(data)}
}

// v31 is a Send v3.1 answer, every shape in one.
type v31 struct {
	Messages []struct {
		Status      string
		CustomID    string
		To, Cc, Bcc []struct {
			Email       string
			MessageUUID string
			MessageID   int64
			MessageHref string
		}
		Errors []v31Err
	}
	Errors []v31Err // about Messages itself
	v31Err          // about the whole call
}

type v31Err struct {
	ErrorIdentifier string
	ErrorCode       string
	StatusCode      int
	ErrorMessage    string
	ErrorRelatedTo  []string
}

func decodeV31(t *testing.T, a sendReply) v31 {
	t.Helper()
	var out v31
	if err := json.Unmarshal([]byte(a.body), &out); err != nil {
		t.Fatalf("answer %d is not JSON: %v\n%s", a.status, err, a.body)
	}
	return out
}

// message is one v3.1 message from a validated sender of the demo account.
func message(to, extra string) string {
	return `{"From":{"Email":"shop@lafleur-bakery.example","Name":"La Fleur"},"To":[{"Email":"` + to +
		`","Name":"test"}],"Subject":"Your order","TextPart":"Thank you"` + extra + `}`
}

func TestSendV31Success(t *testing.T) {
	// The answer's shape and headers follow the gem's
	// resource/send_v31.yml cassette.
	sb, base := sendServer(t)
	a := sendRequest(t, base, "POST", "/v3.1/send", sandbox.DemoShopKey, sandbox.DemoShopSecret,
		`{"Messages":[`+message("passenger@example.com", `,"CustomID":"order-17","Cc":[{"Email":"copy@example.com"}]`)+`]}`)
	if a.status != 200 || a.header.Get("Content-Type") != "application/json; charset=UTF-8" || !uuidShape.MatchString(a.header.Get("X-Mj-Request-Guid")) {
		t.Fatalf("got %d %v\n%s", a.status, a.header, a.body)
	}
	if !strings.Contains(a.body, `"Bcc":[]`) {
		t.Errorf("an empty Bcc is not answered as []: %s", a.body)
	}
	got := decodeV31(t, a)
	if len(got.Messages) != 1 || got.Messages[0].Status != "success" || got.Messages[0].CustomID != "order-17" ||
		len(got.Messages[0].To) != 1 || len(got.Messages[0].Cc) != 1 {
		t.Fatalf("answer = %s", a.body)
	}
	to, cc := got.Messages[0].To[0], got.Messages[0].Cc[0]
	if to.Email != "passenger@example.com" || !uuidShape.MatchString(to.MessageUUID) || to.MessageID < 1<<60 ||
		to.MessageHref != fmt.Sprintf("%s/v3/REST/message/%d", base, to.MessageID) {
		t.Errorf("To[0] = %+v", to)
	}
	if cc.MessageID == to.MessageID || cc.MessageUUID == to.MessageUUID {
		t.Errorf("the Cc recipient shares the To recipient's message: %+v %+v", to, cc)
	}
	sent := sb.Sent()
	if len(sent) != 1 {
		t.Fatalf("Sent() = %+v", sent)
	}
	m := sent[0]
	if m.API != "v3.1" || m.KeyID != sandbox.DemoShopID || m.APIKey != sandbox.DemoShopKey || m.From != "shop@lafleur-bakery.example" ||
		!slices.Equal(m.To, []string{"passenger@example.com"}) || !slices.Equal(m.Cc, []string{"copy@example.com"}) ||
		m.Subject != "Your order" || m.CustomID != "order-17" || m.SandboxMode || m.Held ||
		!slices.Equal(m.MessageIDs, []int64{to.MessageID, cc.MessageID}) {
		t.Errorf("Sent()[0] = %+v", m)
	}
	if strings.Contains(fmt.Sprintf("%+v", sent), sandbox.DemoShopSecret) {
		t.Error("Sent() shows the key's secret")
	}
}

func TestSendV31SandboxModeSendsNothing(t *testing.T) {
	// _send-api.md, "Sandbox Mode": "omitting only the MessageID and
	// MessageUUID"; its example answers "", 0 and .../v3/message/0.
	sb, base := sendServer(t)
	before := keyTotals(t, base, sandbox.DemoShopKey, sandbox.DemoShopSecret)
	a := sendRequest(t, base, "POST", "/v3.1/send", sandbox.DemoShopKey, sandbox.DemoShopSecret,
		`{"SandboxMode":true,"Messages":[`+message("passenger@example.com", "")+`]}`)
	got := decodeV31(t, a)
	if a.status != 200 || len(got.Messages) != 1 || got.Messages[0].Status != "success" || len(got.Messages[0].To) != 1 {
		t.Fatalf("got %d %s", a.status, a.body)
	}
	if to := got.Messages[0].To[0]; to.Email != "passenger@example.com" || to.MessageUUID != "" || to.MessageID != 0 || to.MessageHref != base+"/v3/message/0" {
		t.Errorf("To[0] = %+v, want the documented SandboxMode answer", to)
	}
	if sent := sb.Sent(); len(sent) != 1 || !sent[0].SandboxMode || !slices.Equal(sent[0].MessageIDs, []int64{0}) {
		t.Errorf("Sent() = %+v", sent)
	}
	if after := keyTotals(t, base, sandbox.DemoShopKey, sandbox.DemoShopSecret); after != before {
		t.Errorf("apikeytotals moved for a SandboxMode send: %+v → %+v", before, after)
	}
}

func TestSendV31Refusals(t *testing.T) {
	from := `"From":{"Email":"shop@lafleur-bakery.example"}`
	to := `"To":[{"Email":"passenger@example.com"}]`
	many := strings.TrimSuffix(strings.Repeat(message("passenger@example.com", "")+",", 51), ",")
	cases := []struct {
		name, source, body string
		status             int
		// per message
		codes   []string
		related [][]string
		message string
		// about Messages, or the whole call
		rootCode, globalCode string
	}{
		{name: "no content", source: "_send-api.md send-0003 example", status: 400,
			body:  `{"Messages":[{` + from + `,` + to + `,"Subject":"x"}]}`,
			codes: []string{"send-0003"}, related: [][]string{{"TextPart", "HTMLPart", "TemplateID"}},
			message: `At least "HTMLPart", "TextPart" or "TemplateID" must be provided.`},
		{name: "missing From", source: "_send-api.md mj-0003; text from mailjet-apiv3-java#103", status: 400,
			body:  `{"Messages":[{` + to + `,"TextPart":"x"}]}`,
			codes: []string{"mj-0003"}, related: [][]string{{"From"}}, message: "Missing mandatory property."},
		{name: "missing To", source: "_send-api.md mj-0003", status: 400,
			body:  `{"Messages":[{` + from + `,"TextPart":"x"}]}`,
			codes: []string{"mj-0003"}, related: [][]string{{"To"}}},
		{name: "empty To", source: "_send-api.md mj-0007 (To)", status: 400,
			body:  `{"Messages":[{` + from + `,"To":[],"TextPart":"x"}]}`,
			codes: []string{"mj-0007"}, related: [][]string{{"To"}}},
		{name: "bad email", source: "gem resource/send_v31_incorrect_email.yml", status: 400,
			body:  `{"Messages":[` + message("passenger@example..com", "") + `]}`,
			codes: []string{"mj-0013"}, related: [][]string{{"To[0].Email"}},
			message: `"passenger@example..com" is an invalid email address.`},
		{name: "sender not authorized", source: "Go SDK mailjet_client_test.go TestSendMailV31", status: 403,
			body:  `{"Messages":[{"From":{"Email":"pilot@example.com"},` + to + `,"TextPart":"x"}]}`,
			codes: []string{"send-0008"}, related: [][]string{{"From"}},
			message: `"pilot@example.com" is not an authorized sender email address for your account.`},
		{name: "every error of a message", source: "_send-api.md: a message can have several errors", status: 400,
			body:  `{"Messages":[{"From":{"Email":"pilot@example.com"},"To":[{"Email":"a@b"}]}]}`,
			codes: []string{"send-0008", "mj-0013", "send-0003"}},
		{name: "too many recipients", source: "_send-api.md send-0015", status: 400,
			body: `{"Messages":[{` + from + `,"To":[` + strings.TrimSuffix(strings.Repeat(`{"Email":"x@example.com"},`, 3), ",") +
				`],"Bcc":[` + recipients(50) + `],"TextPart":"x"}]}`,
			codes: []string{"send-0015"}, related: [][]string{{"To", "Cc", "Bcc"}}},
		{name: "malformed JSON", source: "_send-api.md Global Error mj-0002", status: 400,
			body: `{"Messages":[`, globalCode: "mj-0002"},
		{name: "not an object", source: "_send-api.md mj-0002 (properties types)", status: 400,
			body: `[1,2]`, globalCode: "mj-0002"},
		{name: "empty body", source: "_send-api.md mj-0002", status: 400, body: ``, globalCode: "mj-0002"},
		{name: "From of the wrong type", source: "mailjet-apiv3-php#237", status: 400,
			body: `{"Messages":[{"From":[{"Email":"shop@lafleur-bakery.example"}],` + to + `,"TextPart":"x"}]}`, globalCode: "mj-0004"},
		{name: "SandboxMode as a string", source: "_send-api.md mj-0004 (inferred: strict)", status: 400,
			body: `{"SandboxMode":"true","Messages":[` + message("passenger@example.com", "") + `]}`, globalCode: "mj-0004"},
		{name: "Messages missing", source: "mailjet-apiv3-java#103", status: 400, body: `{}`, rootCode: "mj-0003"},
		{name: "Messages not an array", source: "mailjet-apiv3-java#103", status: 400, body: `{"Messages":{}}`, rootCode: "mj-0004"},
		{name: "Messages empty", source: "_send-api.md mj-0007 (Messages)", status: 400, body: `{"Messages":[]}`, rootCode: "mj-0007"},
		{name: "51 messages", source: "fact sheet: at most 50; _send-api.md mj-0008", status: 400,
			body: `{"Messages":[` + many + `]}`, rootCode: "mj-0008"},
		{name: "thousands of bad addresses", source: "hostile body (a bounded answer)", status: 400,
			body:  `{"Messages":[{` + from + `,"To":[` + strings.TrimSuffix(strings.Repeat(`{"Email":"x"},`, 5000), ",") + `],"TextPart":"x"}]}`,
			codes: slices.Repeat([]string{"mj-0013"}, 20)},
		{name: "deeply nested", source: "hostile body (no crash)", status: 400,
			body: strings.Repeat(`{"Messages":`, 20000), globalCode: "mj-0002"},
		{name: "too large", source: "_send-api.md mj-0011", status: 400,
			body: `{"Messages":[` + message("passenger@example.com", `,"HTMLPart":"`+strings.Repeat("x", 1<<20)+`"`) + `]}`, globalCode: "mj-0011"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sb, base := sendServer(t)
			a := sendRequest(t, base, "POST", "/v3.1/send", sandbox.DemoMasterKey, sandbox.DemoMasterSecret, c.body)
			if a.status != c.status || !uuidShape.MatchString(a.header.Get("X-Mj-Request-Guid")) {
				t.Fatalf("%s: got %d (guid %q), want %d\n%.600s", c.source, a.status, a.header.Get("X-Mj-Request-Guid"), c.status, a.body)
			}
			got := decodeV31(t, a)
			switch {
			case c.globalCode != "":
				if got.ErrorCode != c.globalCode || got.StatusCode != c.status || !uuidShape.MatchString(got.ErrorIdentifier) || got.ErrorMessage == "" {
					t.Errorf("%s: global error = %+v, want %s", c.source, got.v31Err, c.globalCode)
				}
			case c.rootCode != "":
				if len(got.Errors) != 1 || got.Errors[0].ErrorCode != c.rootCode || !slices.Equal(got.Errors[0].ErrorRelatedTo, []string{"Messages"}) ||
					got.Messages == nil || len(got.Messages) != 0 {
					t.Errorf("%s: %s", c.source, a.body)
				}
			default:
				if len(got.Messages) != 1 || got.Messages[0].Status != "error" {
					t.Fatalf("%s: %s", c.source, a.body)
				}
				errs := got.Messages[0].Errors
				var codes []string
				for i, e := range errs {
					codes = append(codes, e.ErrorCode)
					if !uuidShape.MatchString(e.ErrorIdentifier) || e.StatusCode == 0 || e.ErrorMessage == "" {
						t.Errorf("%s: error %d = %+v", c.source, i, e)
					}
					if i < len(c.related) && !slices.Equal(e.ErrorRelatedTo, c.related[i]) {
						t.Errorf("%s: ErrorRelatedTo = %q, want %q", c.source, e.ErrorRelatedTo, c.related[i])
					}
				}
				if !slices.Equal(codes, c.codes) {
					t.Errorf("%s: codes %q, want %q", c.source, codes, c.codes)
				}
				if c.message != "" && errs[0].ErrorMessage != c.message {
					t.Errorf("%s: ErrorMessage %q, want %q", c.source, errs[0].ErrorMessage, c.message)
				}
			}
			if sent := sb.Sent(); len(sent) != 0 {
				t.Errorf("a refused call sent %+v", sent)
			}
		})
	}
}

func recipients(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"Email":"r%d@example.com"}`, i)
	}
	return b.String()
}

func TestSendV31SendsTheGoodMessagesOfAMixedCall(t *testing.T) {
	// _send-api.md: "we will process each message separately … the
	// response can contain both success and error notifications".
	sb, base := sendServer(t)
	a := sendRequest(t, base, "POST", "/v3.1/send", sandbox.DemoMasterKey, sandbox.DemoMasterSecret,
		`{"Messages":[`+message("one@example.com", "")+`,`+message("two@@example.com", "")+`]}`)
	got := decodeV31(t, a)
	if a.status != 400 || len(got.Messages) != 2 || got.Messages[0].Status != "success" || got.Messages[1].Status != "error" ||
		got.Messages[1].Errors[0].ErrorCode != "mj-0013" {
		t.Fatalf("got %d %s", a.status, a.body)
	}
	if sent := sb.Sent(); len(sent) != 1 || sent[0].To[0] != "one@example.com" || sent[0].MessageIDs[0] != got.Messages[0].To[0].MessageID {
		t.Errorf("Sent() = %+v", sent)
	}
}

func TestSendV31DeduplicatesRecipients(t *testing.T) {
	// _send-api.md: a recipient "specified twice (in the to, cc, or bcc)
	// … is counted only once".
	sb, base := sendServer(t)
	a := sendRequest(t, base, "POST", "/v3.1/send", sandbox.DemoMasterKey, sandbox.DemoMasterSecret,
		`{"Messages":[`+message("a@example.com", `,"Cc":[{"Email":"A@example.com"},{"Email":"b@example.com"}]`)+`]}`)
	got := decodeV31(t, a)
	if a.status != 200 || len(got.Messages[0].To) != 1 || len(got.Messages[0].Cc) != 1 || got.Messages[0].Cc[0].Email != "b@example.com" {
		t.Fatalf("got %d %s", a.status, a.body)
	}
	if sent := sb.Sent(); len(sent[0].MessageIDs) != 2 {
		t.Errorf("Sent() = %+v", sent)
	}
}

func TestSendV31UnauthorizedIsJSON(t *testing.T) {
	// gem resource/send_v31_invalid_credentials.yml: v3.1's 401 is JSON,
	// unlike REST v3's empty one.
	sb, base := sendServer(t)
	if a := sendRequest(t, base, "PUT", fmt.Sprintf("/v3/REST/apikey/%d", sandbox.DemoShopID), sandbox.DemoMasterKey, sandbox.DemoMasterSecret, `{"IsActive":false}`); a.status != 200 {
		t.Fatalf("deactivate the Shop key: %d %s", a.status, a.body)
	}
	body := `{"Messages":[` + message("passenger@example.com", "") + `]}`
	for _, c := range []struct{ name, key, secret string }{
		{"wrong secret", sandbox.DemoMasterKey, sandbox.DemoShopSecret},
		{"inactive key", sandbox.DemoShopKey, sandbox.DemoShopSecret},
		{"no credentials", "", ""},
	} {
		a := sendRequest(t, base, "POST", "/v3.1/send", c.key, c.secret, body)
		got := decodeV31(t, a)
		want := "API key authentication/authorization failure. You may be unauthorized to access the API or your API key may be expired. Visit API keys management section to check your keys."
		if a.status != 401 || got.StatusCode != 401 || got.ErrorMessage != want || !uuidShape.MatchString(got.ErrorIdentifier) ||
			got.ErrorCode != "" || !uuidShape.MatchString(a.header.Get("X-Mj-Request-Guid")) ||
			a.header.Get("Content-Type") != "application/json; charset=UTF-8" || a.header.Get("WWW-Authenticate") != "" {
			t.Errorf("%s: got %d %v %s", c.name, a.status, a.header, a.body)
		}
	}
	if len(sb.Sent()) != 0 {
		t.Error("a refused pair sent something")
	}
	if a := sendRequest(t, base, "GET", "/v3.1/send", sandbox.DemoMasterKey, sandbox.DemoMasterSecret, ""); a.status != 405 || a.header.Get("Allow") != "POST" {
		t.Errorf("GET /v3.1/send: %d %v", a.status, a.header)
	}
}

func TestSendV3(t *testing.T) {
	// The request and answer of the gem's resource/send.yml cassette, the
	// To/Cc forms of _send-api-V3.md.
	sb, base := sendServer(t)
	a := sendRequest(t, base, "POST", "/v3/send", sandbox.DemoMasterKey, sandbox.DemoMasterSecret,
		`{"FromEmail":"news@lafleur-bakery.example","FromName":"CI","Subject":"v3","Text-part":"c","Html-part":"<p>c</p>","Recipients":[{"Email":"passenger@example.com"}]}`)
	var got struct {
		Sent []struct {
			Email       string
			MessageID   int64
			MessageUUID string
		}
	}
	if a.status != 200 || a.header.Get("Content-Type") != "application/json" || json.Unmarshal([]byte(a.body), &got) != nil ||
		len(got.Sent) != 1 || got.Sent[0].Email != "passenger@example.com" || got.Sent[0].MessageID < 1<<60 || !uuidShape.MatchString(got.Sent[0].MessageUUID) {
		t.Fatalf("got %d %v %s", a.status, a.header, a.body)
	}

	a = sendRequest(t, base, "POST", "/v3/send", sandbox.DemoMasterKey, sandbox.DemoMasterSecret,
		`{"Messages":[{"FromEmail":"shop@lafleur-bakery.example","Subject":"a","Text-part":"x","To":"Name <p1@example.com>, \"Doe, J\" <p2@example.com>","CC":"<p3@example.com>"},`+
			`{"FromEmail":"pilot@example.com","Text-part":"y","To":"p4@example.com"}]}`)
	if a.status != 200 || json.Unmarshal([]byte(a.body), &got) != nil || len(got.Sent) != 4 {
		t.Fatalf("bulk: got %d %s", a.status, a.body)
	}
	sent := sb.Sent()
	if len(sent) != 3 || sent[0].API != "v3" || !slices.Equal(sent[1].To, []string{"p1@example.com", "p2@example.com"}) ||
		!slices.Equal(sent[1].Cc, []string{"p3@example.com"}) || sent[1].Held || !sent[2].Held {
		t.Errorf("Sent() = %+v", sent)
	}

	refusals := []struct{ name, body, want string }{
		{"no sender (mailjet-apiv3-php#246)", `{"Text-part":"x","Recipients":[{"Email":"a@example.com"}]}`, "At least FromEmail or Sender must be provided"},
		{"Recipients with To (_send-api-V3.md)", `{"FromEmail":"shop@lafleur-bakery.example","Text-part":"x","Recipients":[{"Email":"a@example.com"}],"To":"b@example.com"}`, "in conjunction"},
		{"no recipient", `{"FromEmail":"shop@lafleur-bakery.example","Text-part":"x"}`, "recipient"},
		{"no content", `{"FromEmail":"shop@lafleur-bakery.example","To":"a@example.com"}`, "Text-part"},
		{"bad address", `{"FromEmail":"shop@lafleur-bakery.example","Text-part":"x","To":"a@localhost"}`, "invalid email"},
		{"bad list", `{"FromEmail":"shop@lafleur-bakery.example","Text-part":"x","To":"<<<"}`, "list"},
		{"one bad message refuses the call", `{"Messages":[{"FromEmail":"shop@lafleur-bakery.example","Text-part":"x","To":"a@example.com"},{"Text-part":"x"}]}`, "Messages[1]: "},
		{"101 messages (fact sheet: v3 allows 100)", `{"Messages":[` + strings.TrimSuffix(strings.Repeat(`{"FromEmail":"shop@lafleur-bakery.example","Text-part":"x","To":"a@example.com"},`, 101), ",") + `]}`, "at most 100"},
		{"malformed", `{"FromEmail":`, "Malformed JSON"},
		{"51 recipients (inferred: v3.1's limit)", `{"FromEmail":"shop@lafleur-bakery.example","Text-part":"x","Recipients":[` + recipients(51) + `]}`, "at most 50"},
	}
	for _, c := range refusals {
		a := sendRequest(t, base, "POST", "/v3/send", sandbox.DemoMasterKey, sandbox.DemoMasterSecret, c.body)
		var e struct {
			ErrorInfo    string
			ErrorMessage string
			StatusCode   int
		}
		if a.status != 400 || json.Unmarshal([]byte(a.body), &e) != nil || e.StatusCode != 400 || !strings.Contains(e.ErrorMessage, c.want) {
			t.Errorf("%s: got %d %s, want a REST v3 400 saying %q", c.name, a.status, a.body, c.want)
		}
	}
	if n := len(sb.Sent()); n != 3 {
		t.Errorf("the refused calls sent %d messages", n-3)
	}

	// REST v3's 401 (gem invalid_credentials cassette), not v3.1's.
	a = sendRequest(t, base, "POST", "/v3/send", sandbox.DemoMasterKey, "wrong", `{}`)
	if a.status != 401 || a.body != "" || a.header.Get("WWW-Authenticate") != `Basic realm="Provide an apiKey and secretKey"` {
		t.Errorf("401: %d %v %q", a.status, a.header, a.body)
	}
}

// totals is what apikeytotals says about a key's sending.
type totals struct{ ProcessedCount, LastActivity int64 }

func keyTotals(t *testing.T, base, key, secret string) totals {
	t.Helper()
	a := sendRequest(t, base, "GET", "/v3/REST/apikeytotals", key, secret, "")
	var env struct{ Data []totals }
	if a.status != 200 || json.Unmarshal([]byte(a.body), &env) != nil || len(env.Data) != 1 {
		t.Fatalf("apikeytotals: %d %s", a.status, a.body)
	}
	return env.Data[0]
}

func TestSendsCountInTheSendingKeysTotals(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)
	sb, base := sendServer(t, sandbox.WithClock(func() time.Time { return now }))
	shop0 := keyTotals(t, base, sandbox.DemoShopKey, sandbox.DemoShopSecret)
	master0 := keyTotals(t, base, sandbox.DemoMasterKey, sandbox.DemoMasterSecret)
	if shop0.LastActivity >= now.Unix() {
		t.Fatalf("the demo's Shop key was active at %d, not before the clock (%d)", shop0.LastActivity, now.Unix())
	}

	sends := []struct{ path, body string }{
		{"/v3.1/send", `{"Messages":[` + message("a@example.com", `,"Bcc":[{"Email":"b@example.com"}]`) + `]}`}, // 2 messages
		{"/v3.1/send", `{"SandboxMode":true,"Messages":[` + message("c@example.com", "") + `]}`},                // none
		{"/v3/send", `{"FromEmail":"orders@lafleur-bakery.example","Text-part":"x","To":"d@example.com"}`},      // 1
		{"/v3/send", `{"FromEmail":"pilot@example.com","Text-part":"x","To":"e@example.com"}`},                  // held: none
	}
	for _, s := range sends {
		if a := sendRequest(t, base, "POST", s.path, sandbox.DemoShopKey, sandbox.DemoShopSecret, s.body); a.status != 200 {
			t.Fatalf("%s: %d %s", s.path, a.status, a.body)
		}
	}
	if got, want := keyTotals(t, base, sandbox.DemoShopKey, sandbox.DemoShopSecret), (totals{shop0.ProcessedCount + 3, now.Unix()}); got != want {
		t.Errorf("Shop totals = %+v, want %+v", got, want)
	}
	if got := keyTotals(t, base, sandbox.DemoMasterKey, sandbox.DemoMasterSecret); got != master0 {
		t.Errorf("the master key's totals moved: %+v → %+v", master0, got)
	}
	if n := len(sb.Sent()); n != 4 {
		t.Errorf("Sent() holds %d messages, want 4", n)
	}
}

func TestSentIsASnapshot(t *testing.T) {
	sb, base := sendServer(t)
	sendRequest(t, base, "POST", "/v3.1/send", sandbox.DemoMasterKey, sandbox.DemoMasterSecret, `{"Messages":[`+message("a@example.com", "")+`]}`)
	first := sb.Sent()
	first[0].To[0] = "changed"
	first[0].MessageIDs[0] = 1
	if again := sb.Sent(); again[0].To[0] != "a@example.com" || again[0].MessageIDs[0] == 1 {
		t.Error("Sent shares state with the server")
	}

	long := strings.Repeat("é", 1500) // 3000 bytes
	a := sendRequest(t, base, "POST", "/v3.1/send", sandbox.DemoMasterKey, sandbox.DemoMasterSecret,
		`{"Messages":[`+message("a@example.com", `,"CustomID":"`+long+`"`)+`]}`)
	if got := decodeV31(t, a); a.status != 200 || got.Messages[0].CustomID != long {
		t.Fatalf("the answer does not echo the whole CustomID: %d", a.status)
	}
	if kept := sb.Sent()[1].CustomID; len(kept) != 1000 || !utf8.ValidString(kept) {
		t.Errorf("Sent() keeps %d bytes of a 3000-byte CustomID (valid UTF-8: %v), want 1000", len(kept), utf8.ValidString(kept))
	}
}

func TestSentKeepsTheLatestThousandMessages(t *testing.T) {
	sb, base := sendServer(t)
	for call := range 21 { // 1050 messages
		var msgs []string
		for i := range 50 {
			msgs = append(msgs, message("a@example.com", fmt.Sprintf(`,"CustomID":"m-%d"`, call*50+i)))
		}
		body := `{"SandboxMode":true,"Messages":[` + strings.Join(msgs, ",") + `]}`
		if a := sendRequest(t, base, "POST", "/v3.1/send", sandbox.DemoMasterKey, sandbox.DemoMasterSecret, body); a.status != 200 {
			t.Fatalf("call %d: %d %.300s", call, a.status, a.body)
		}
	}
	sent := sb.Sent()
	if len(sent) != 1000 || sent[0].CustomID != "m-50" || sent[999].CustomID != "m-1049" {
		t.Errorf("Sent() holds %d messages, from %q to %q; want the last 1000", len(sent), sent[0].CustomID, sent[len(sent)-1].CustomID)
	}
}
