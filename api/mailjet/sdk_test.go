package mailjet_test

import (
	"errors"
	"testing"

	mjsdk "github.com/mailjet/mailjet-apiv3-go/v4"
	"github.com/mailjet/mailjet-apiv3-go/v4/resources"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

// The official SDK, used as a client, proves the sandbox speaks Mailjet's
// wire format. Its base URL includes the "/v3" that it joins "REST/…" to
// (core.go buildURL).
func TestOfficialSDKAgainstTheSandbox(t *testing.T) {
	sb, url := startSandbox(t)
	sdk := mjsdk.NewMailjetClient(sandbox.DemoMasterKey, sandbox.DemoMasterSecret, url+"/v3")

	var keys []resources.Apikey
	count, total, err := sdk.List("apikey", &keys)
	if err != nil {
		t.Fatalf("List apikey: %v", err)
	}
	if count != 3 || total != 3 || len(keys) != 3 {
		t.Fatalf("List apikey: count %d, total %d, %d keys; want 3", count, total, len(keys))
	}
	if keys[0].APIKey != sandbox.DemoMasterKey || !keys[0].IsMaster || keys[0].SecretKey != sandbox.DemoMasterSecret || keys[0].CreatedAt == nil {
		t.Errorf("first key = %+v, want the master key with its date", keys[0])
	}

	var created []resources.Apikey
	err = sdk.Post(&mjsdk.FullRequest{
		Info:    &mjsdk.Request{Resource: "apikey"},
		Payload: &resources.Apikey{Name: "made by the SDK"},
	}, &created)
	if err != nil {
		t.Fatalf("Post apikey: %v", err)
	}
	if len(created) != 1 || !hex32.MatchString(created[0].APIKey) || !hex32.MatchString(created[0].SecretKey) || created[0].Name != "made by the SDK" {
		t.Fatalf("created = %+v", created)
	}

	// The SDK sends IsActive:false only when it is named in onlyFields.
	err = sdk.Put(&mjsdk.FullRequest{
		Info:    &mjsdk.Request{Resource: "apikey", ID: created[0].ID},
		Payload: resources.Apikey{IsActive: false},
	}, []string{"IsActive"})
	if err != nil {
		t.Fatalf("Put apikey: %v", err)
	}
	for _, k := range sb.Keys() {
		if k.ID == created[0].ID && k.IsActive {
			t.Error("the SDK's PUT did not deactivate the key")
		}
	}

	var users []resources.User
	if err := sdk.Get(&mjsdk.Request{Resource: "user"}, &users); err != nil || len(users) != 1 || users[0].Email != sandbox.DemoEmail {
		t.Errorf("Get user = %+v, %v", users, err)
	}
}

func TestOfficialSDKGets401ForAWrongPair(t *testing.T) {
	_, url := startSandbox(t)
	sdk := mjsdk.NewMailjetClient(sandbox.DemoMasterKey, sandbox.DemoShopSecret, url+"/v3")
	var keys []resources.Apikey
	_, _, err := sdk.List("apikey", &keys)
	var reqErr mjsdk.RequestError
	if !errors.As(err, &reqErr) || reqErr.StatusCode != 401 {
		t.Fatalf("err = %#v, want a RequestError with StatusCode 401", err)
	}
	if len(keys) != 0 {
		t.Errorf("got %d keys with a wrong pair", len(keys))
	}
}

// The SDK reads the account review's resources from the sandbox too.
func TestOfficialSDKReadsTheReviewResources(t *testing.T) {
	_, url := startSandbox(t)
	sdk := mjsdk.NewMailjetClient(sandbox.DemoMasterKey, sandbox.DemoMasterSecret, url+"/v3")

	var hooks []resources.Eventcallbackurl
	if _, _, err := sdk.List("eventcallbackurl", &hooks); err != nil || len(hooks) != 2 || hooks[1].URL != sandbox.DemoWebhookForeignURL {
		t.Errorf("List eventcallbackurl = %+v, %v", hooks, err)
	}
	var routes []resources.Parseroute
	if _, _, err := sdk.List("parseroute", &routes); err != nil || len(routes) != 2 || routes[1].URL != sandbox.DemoParseRouteForeignURL {
		t.Errorf("List parseroute = %+v, %v", routes, err)
	}
	var senders []resources.Sender
	if _, _, err := sdk.List("sender", &senders); err != nil || len(senders) != 4 || senders[3].Email != sandbox.DemoSenderUnknownEmail || senders[3].CreatedAt == nil {
		t.Errorf("List sender = %+v, %v", senders, err)
	}
	var totals []resources.Apikeytotals
	if _, _, err := sdk.List("apikeytotals", &totals); err != nil || len(totals) != 1 || totals[0].ProcessedCount == 0 || totals[0].LastActivity == 0 {
		t.Errorf("List apikeytotals = %+v, %v", totals, err)
	}
	if err := sdk.Delete(&mjsdk.Request{Resource: "eventcallbackurl", ID: sandbox.DemoWebhookForeignID}); err != nil {
		t.Errorf("Delete eventcallbackurl: %v", err)
	}
}
