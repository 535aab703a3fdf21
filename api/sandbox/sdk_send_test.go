package sandbox_test

import (
	"errors"
	"slices"
	"testing"

	mjsdk "github.com/mailjet/mailjet-apiv3-go/v4"
	"github.com/mailjet/mailjet-apiv3-go/v4/resources"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

// The official Go SDK as a client of the sandbox, over loopback: the key
// calls a rotation makes, then the Send API. Its base URL ends in "/v3"
// (fact sheet: "the Go SDK v4 works with SetBaseURL(base + "/v3")"); it
// joins "REST/…", ".1/send" and "/send/message" to it (mailjet_client.go).
func TestOfficialGoSDKManagesKeysAndSends(t *testing.T) {
	sb, base := sendServer(t)
	sdk := mjsdk.NewMailjetClient(sandbox.DemoMasterKey, sandbox.DemoMasterSecret)
	sdk.SetBaseURL(base + "/v3")

	var keys []resources.Apikey
	if _, _, err := sdk.List("apikey", &keys); err != nil || len(keys) != 3 {
		t.Fatalf("List apikey: %d keys, %v", len(keys), err)
	}
	var created []resources.Apikey
	err := sdk.Post(&mjsdk.FullRequest{
		Info:    &mjsdk.Request{Resource: "apikey"},
		Payload: &resources.Apikey{Name: "Shop, rotated"},
	}, &created)
	if err != nil || len(created) != 1 || created[0].SecretKey == "" {
		t.Fatalf("Post apikey = %+v, %v", created, err)
	}
	newKey := created[0]
	// The SDK sends IsActive:false only when it is named in onlyFields.
	err = sdk.Put(&mjsdk.FullRequest{
		Info:    &mjsdk.Request{Resource: "apikey", ID: sandbox.DemoShopID},
		Payload: resources.Apikey{IsActive: false},
	}, []string{"IsActive"})
	if err != nil {
		t.Fatalf("Put apikey: %v", err)
	}
	if i := slices.IndexFunc(sb.Keys(), func(k sandbox.Key) bool { return k.ID == sandbox.DemoShopID }); sb.Keys()[i].IsActive {
		t.Error("the SDK's PUT did not deactivate the Shop key")
	}

	// The new key sends (gem resource/send_v31.yml shape).
	sender := mjsdk.NewMailjetClient(newKey.APIKey, newKey.SecretKey)
	sender.SetBaseURL(base + "/v3")
	msg := mjsdk.InfoMessagesV31{
		From:     &mjsdk.RecipientV31{Email: "shop@lafleur-bakery.example", Name: "La Fleur"},
		To:       &mjsdk.RecipientsV31{{Email: "passenger@example.com", Name: "test"}},
		Subject:  "Your order",
		TextPart: "Thank you",
		CustomID: "sdk-1",
	}
	res, err := sender.SendMailV31(&mjsdk.MessagesV31{Info: []mjsdk.InfoMessagesV31{msg}})
	if err != nil || len(res.ResultsV31) != 1 || res.ResultsV31[0].Status != "success" || len(res.ResultsV31[0].To) != 1 || res.ResultsV31[0].To[0].MessageID < 1<<60 {
		t.Fatalf("SendMailV31 = %+v, %v", res, err)
	}
	// The SDK spells the root property "SandBoxMode"; Mailjet's JSON is
	// case-insensitive in practice (fact sheet: filter names) and so is the
	// sandbox's.
	res, err = sender.SendMailV31(&mjsdk.MessagesV31{Info: []mjsdk.InfoMessagesV31{msg}, SandBoxMode: true})
	if err != nil || res.ResultsV31[0].To[0].MessageID != 0 {
		t.Fatalf("SendMailV31 in SandBoxMode = %+v, %v", res, err)
	}
	sent := sb.Sent()
	if len(sent) != 2 || sent[0].APIKey != newKey.APIKey || sent[0].SandboxMode || !sent[1].SandboxMode {
		t.Errorf("Sent() = %+v", sent)
	}

	// A sender the account has not validated: the SDK reads the 403 as
	// its APIFeedbackErrorsV31 (mailjet_client.go SendMailV31).
	msg.From.Email = "pilot@example.com"
	_, err = sender.SendMailV31(&mjsdk.MessagesV31{Info: []mjsdk.InfoMessagesV31{msg}})
	var feedback *mjsdk.APIFeedbackErrorsV31
	if !errors.As(err, &feedback) || len(feedback.Messages) != 1 || feedback.Messages[0].Errors[0].ErrorCode != "send-0008" {
		t.Errorf("unauthorized sender: %v", err)
	}

	// The old Shop pair is refused with v3.1's JSON 401 (ErrorInfoV31).
	old := mjsdk.NewMailjetClient(sandbox.DemoShopKey, sandbox.DemoShopSecret)
	old.SetBaseURL(base + "/v3")
	_, err = old.SendMailV31(&mjsdk.MessagesV31{Info: []mjsdk.InfoMessagesV31{msg}})
	var info *mjsdk.ErrorInfoV31
	if !errors.As(err, &info) || info.StatusCode != 401 || info.Identifier == "" {
		t.Errorf("deactivated key: %v", err)
	}

	// The v3 Send API, which the SDK posts to /v3/send/message.
	v3, err := sender.SendMail(&mjsdk.InfoSendMail{
		FromEmail: "orders@lafleur-bakery.example", Subject: "v3", TextPart: "x",
		Recipients: []mjsdk.Recipient{{Email: "passenger@example.com"}},
	})
	if err != nil || len(v3.Sent) != 1 || v3.Sent[0].Email != "passenger@example.com" || v3.Sent[0].MessageID < 1<<60 {
		t.Errorf("SendMail = %+v, %v", v3, err)
	}

	// The new key's totals count what it sent for real (2 messages).
	var totals []resources.Apikeytotals
	if _, _, err := sender.List("apikeytotals", &totals); err != nil || len(totals) != 1 || totals[0].ProcessedCount != 2 || totals[0].LastActivity == 0 {
		t.Errorf("List apikeytotals = %+v, %v", totals, err)
	}
}
