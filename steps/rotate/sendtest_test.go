package rotate

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/api/secret"
)

func TestSendTestAgainstSandbox(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, true)
	shop := e.slot(t, sandbox.DemoShopKey)
	pair := Result{Slot: shop, NewKey: sandbox.DemoShopKey, NewSecret: secret.New(sandbox.DemoShopSecret)}

	got := SendTest(ctx, e.rot.API, pair, sandbox.DemoEmail, at)
	// The account's address is not a sender in the demo: the default
	// sender is used.
	if !got.OK || got.From != "shop@lafleur-bakery.example" || got.APIKey != sandbox.DemoShopKey || !got.At.Equal(at) {
		t.Fatalf("test send with a working pair = %+v", got)
	}
	sent := e.sb.Sent()
	if len(sent) != 1 || !sent[0].SandboxMode || sent[0].APIKey != sandbox.DemoShopKey ||
		len(sent[0].To) != 1 || sent[0].To[0] != sandbox.DemoEmail || sent[0].MessageIDs[0] != 0 {
		t.Fatalf("the sandbox saw %+v, want one message in sandbox mode from the shop key", sent)
	}
	if !strings.Contains(got.Words(nil), "accepted") || !strings.Contains(got.Words(nil), "not delivered") {
		t.Errorf("Words() = %q", got.Words(nil))
	}

	wrong := pair
	wrong.NewSecret = secret.New(strings.Repeat("0", 32))
	got = SendTest(ctx, e.rot.API, wrong, sandbox.DemoEmail, at)
	if got.OK || !strings.Contains(got.Problem, "refused") {
		t.Fatalf("test send with a wrong secret = %+v, want refused", got)
	}
	if strings.Contains(got.Problem, wrong.NewSecret.Reveal()) || strings.Contains(got.Words(nil), sandbox.DemoShopSecret) {
		t.Fatalf("the outcome holds a secret: %+v", got)
	}

	none := pair
	none.NewSecret = secret.Secret{}
	if got = SendTest(ctx, e.rot.API, none, sandbox.DemoEmail, at); got.OK || got.Problem == "" {
		t.Fatalf("test send without the secret = %+v", got)
	}
	if len(e.sb.Sent()) != 1 {
		t.Fatalf("refused sends reached the Send API log: %+v", e.sb.Sent())
	}
}

func TestSendTestWithoutSender(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	master := e.mailjetClient(masterCreds)
	senders, err := master.ListSenders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range senders {
		if err := master.DeleteSender(ctx, s.ID); err != nil {
			t.Fatalf("delete sender %d: %v", s.ID, err)
		}
	}
	pair := Result{Slot: e.slot(t, sandbox.DemoShopKey), NewKey: sandbox.DemoShopKey, NewSecret: secret.New(sandbox.DemoShopSecret)}
	got := SendTest(ctx, e.rot.API, pair, sandbox.DemoEmail, time.Now())
	if got.OK || !strings.Contains(got.Problem, "no validated sender") {
		t.Fatalf("test send with no sender = %+v", got)
	}
}

func TestSendTestRefusedMessage(t *testing.T) {
	// A recipient Mailjet cannot take: the Send API answers 400 with
	// the message's errors, which the outcome passes on in plain words.
	e := newEnv(t, true)
	pair := Result{Slot: e.slot(t, sandbox.DemoShopKey), NewKey: sandbox.DemoShopKey, NewSecret: secret.New(sandbox.DemoShopSecret)}
	got := SendTest(context.Background(), e.rot.API, pair, "not an address", time.Now())
	if got.OK || !strings.HasPrefix(got.Problem, "Mailjet refused the message: ") || len(got.Problem) < len("Mailjet refused the message: x") {
		t.Fatalf("test send to a bad address = %+v", got)
	}
}

func TestPickSender(t *testing.T) {
	active := func(email string, def bool) mailjet.Sender {
		return mailjet.Sender{Email: email, Status: "Active", IsDefaultSender: def}
	}
	for _, tc := range []struct {
		name    string
		senders []mailjet.Sender
		want    string
	}{
		{"the account's own address first", []mailjet.Sender{active("a@x.example", true), active("Me@X.example", false)}, "Me@X.example"},
		{"then the default", []mailjet.Sender{active("a@x.example", false), active("b@x.example", true)}, "b@x.example"},
		{"then the first active", []mailjet.Sender{{Email: "old@x.example", Status: "Inactive"}, active("c@x.example", false)}, "c@x.example"},
		{"a domain of the account's address", []mailjet.Sender{active("c@y.example", false), active("*@x.example", false)}, "me@x.example"},
		{"another domain, as a last resort", []mailjet.Sender{active("*@y.example", false)}, "mjrecover-test@y.example"},
		{"none active", []mailjet.Sender{{Email: "d@x.example", Status: "Deleted"}}, ""},
	} {
		if got := pickSender(tc.senders, "me@x.example"); got != tc.want {
			t.Errorf("%s: pickSender = %q, want %q", tc.name, got, tc.want)
		}
	}
}
