package mailjet_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

// Send is tested against the sandbox over loopback HTTP; the answers it
// reads are Mailjet's as the fact sheet records them (api-documentation
// guides/_send-api.md, the gem's send_v31*.yml cassettes).

func order(to string) mailjet.Message {
	return mailjet.Message{
		From:     mailjet.Address{Email: "shop@lafleur-bakery.example", Name: "La Fleur"},
		To:       []mailjet.Address{{Email: to, Name: "Customer"}},
		Subject:  "Your order",
		TextPart: "Thank you",
		CustomID: "order-" + to,
	}
}

func TestSendDelivers(t *testing.T) {
	sb, url := startSandbox(t)
	results, err := fastClient(url, shopCreds).Send(context.Background(), []mailjet.Message{order("a@example.com"), order("b@example.com")}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 {
		t.Fatalf("results = %+v", results)
	}
	for i, r := range results {
		to := r.To
		if !r.OK() || r.CustomID != fmt.Sprintf("order-%c@example.com", 'a'+i) || len(to) != 1 || to[0].MessageID < 1<<60 ||
			to[0].MessageUUID == "" || to[0].MessageHref != fmt.Sprintf("%s/v3/REST/message/%d", url, to[0].MessageID) {
			t.Errorf("results[%d] = %+v", i, r)
		}
	}
	sent := sb.Sent()
	if len(sent) != 2 || sent[0].KeyID != sandbox.DemoShopID || sent[0].SandboxMode || sent[1].MessageIDs[0] != results[1].To[0].MessageID {
		t.Errorf("Sent() = %+v", sent)
	}
	if n := sb.Requests(http.MethodPost, "/v3.1/send"); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}
}

func TestSendInSandboxModeDeliversNothing(t *testing.T) {
	// _send-api.md "Sandbox Mode": no MessageID, no MessageUUID.
	sb, url := startSandbox(t)
	results, err := fastClient(url, masterCreds).Send(context.Background(), []mailjet.Message{order("a@example.com")}, true)
	if err != nil || len(results) != 1 || !results[0].OK() || results[0].To[0].MessageID != 0 || results[0].To[0].MessageUUID != "" {
		t.Fatalf("results = %+v, err = %v", results, err)
	}
	if sent := sb.Sent(); len(sent) != 1 || !sent[0].SandboxMode {
		t.Errorf("Sent() = %+v", sent)
	}
}

func TestSendReportsRefusedMessagesWithTheOthersResults(t *testing.T) {
	// send-0008 and its 403: the Go SDK's TestSendMailV31.
	sb, url := startSandbox(t)
	stranger := order("b@example.com")
	stranger.From.Email = "billing@not-ours.example"
	results, err := fastClient(url, masterCreds).Send(context.Background(), []mailjet.Message{order("a@example.com"), stranger}, false)
	var sendErr *mailjet.SendError
	if !errors.As(err, &sendErr) || sendErr.StatusCode != 403 || sendErr.Refused != 1 || sendErr.Messages != 2 {
		t.Fatalf("err = %#v", err)
	}
	if len(results) != 2 || !results[0].OK() || results[1].OK() || len(results[1].Errors) != 1 {
		t.Fatalf("results = %+v", results)
	}
	e := results[1].Errors[0]
	if e.ErrorCode != "send-0008" || e.StatusCode != 403 || e.ErrorRelatedTo[0] != "From" || !strings.Contains(e.ErrorMessage, "billing@not-ours.example") {
		t.Errorf("error = %+v", e)
	}
	if !strings.Contains(err.Error(), "1 of 2 messages refused; send-0008") {
		t.Errorf("err = %q", err)
	}
	if len(sb.Sent()) != 1 {
		t.Errorf("Sent() = %+v, want the accepted message only", sb.Sent())
	}
}

func TestSendReportsEveryErrorOfAMessage(t *testing.T) {
	_, url := startSandbox(t)
	bad := mailjet.Message{From: mailjet.Address{Email: "shop@lafleur-bakery.example"}, To: []mailjet.Address{{Email: "passenger@example..com"}}}
	results, err := fastClient(url, masterCreds).Send(context.Background(), []mailjet.Message{bad}, true)
	var sendErr *mailjet.SendError
	if !errors.As(err, &sendErr) || sendErr.StatusCode != 400 || len(results) != 1 {
		t.Fatalf("results %+v, err %v", results, err)
	}
	var codes []string
	for _, e := range results[0].Errors {
		codes = append(codes, e.ErrorCode)
	}
	if strings.Join(codes, " ") != "mj-0013 send-0003" {
		t.Errorf("codes %q, want mj-0013 (send_v31_incorrect_email.yml) and send-0003 (_send-api.md)", codes)
	}
}

func TestSendUnauthorizedWrapsErrUnauthorized(t *testing.T) {
	// v3.1's 401 is JSON (gem send_v31_invalid_credentials.yml); it maps
	// like REST's empty one.
	sb, url := startSandbox(t)
	wrong := mailjet.Credentials{APIKey: sandbox.DemoMasterKey, Secret: secret.New("0123456789abcdef0123456789abcdef")}
	results, err := fastClient(url, wrong).Send(context.Background(), []mailjet.Message{order("a@example.com")}, false)
	if !errors.Is(err, mailjet.ErrUnauthorized) || results != nil {
		t.Fatalf("results %+v, err = %v, want ErrUnauthorized", results, err)
	}
	if !strings.HasPrefix(err.Error(), "send: POST /v3.1/send: ") || strings.Contains(err.Error(), "0123456789abcdef") {
		t.Errorf("err = %q", err)
	}
	if len(sb.Sent()) != 0 {
		t.Error("a wrong pair sent something")
	}
}

func TestSendIsNeverRetried(t *testing.T) {
	for _, status := range []int{500, 503, 429} {
		sb, url := startSandbox(t)
		sb.FailNext(http.MethodPost, "/v3.1/send", status, 5)
		_, err := fastClient(url, masterCreds).Send(context.Background(), []mailjet.Message{order("a@example.com")}, false)
		var apiErr *mailjet.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
			t.Errorf("%d: err = %v", status, err)
		}
		if n := sb.Requests(http.MethodPost, "/v3.1/send"); n != 1 {
			t.Errorf("%d: sent %d times, want once", status, n)
		}
	}
}

func TestSendChecksBeforeSending(t *testing.T) {
	sb, url := startSandbox(t)
	c := fastClient(url, masterCreds)
	if _, err := c.Send(context.Background(), nil, false); err == nil {
		t.Error("no message: no error")
	}
	many := make([]mailjet.Message, mailjet.MaxMessagesPerSend+1)
	for i := range many {
		many[i] = order("a@example.com")
	}
	if _, err := c.Send(context.Background(), many, false); err == nil || !strings.Contains(err.Error(), "at most 50") {
		t.Errorf("51 messages: err = %v", err)
	}
	if n := sb.Requests("", "/v3.1/send"); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestSendReadsAWholeCallRefusalAndDistrustsItsText(t *testing.T) {
	// The "Global Error" of _send-api.md, with hostile text in it.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		fmt.Fprintf(w, `{"ErrorIdentifier":"06df1144-c6f3-4ca7-8885-7ec5d4344113","ErrorCode":"mj-0002","ErrorMessage":"Malformed \u001b[31mJSON %s","StatusCode":400}`,
			sandbox.DemoMasterSecret)
	}))
	defer ts.Close()
	results, err := fastClient(ts.URL, masterCreds).Send(context.Background(), []mailjet.Message{order("a@example.com")}, false)
	var sendErr *mailjet.SendError
	if !errors.As(err, &sendErr) || results != nil || sendErr.Refused != 0 || len(sendErr.Errors) != 1 || sendErr.Errors[0].ErrorCode != "mj-0002" {
		t.Fatalf("results %+v, err %#v", results, err)
	}
	msg := sendErr.Errors[0].ErrorMessage
	if strings.ContainsRune(msg, 0x1b) || strings.Contains(msg, sandbox.DemoMasterSecret) || !strings.HasPrefix(msg, "Malformed JSON") {
		t.Errorf("ErrorMessage = %q, want it cleaned and the secret masked", msg)
	}
	if !strings.Contains(err.Error(), "the call was refused; mj-0002 Malformed JSON") {
		t.Errorf("err = %q", err)
	}
}
