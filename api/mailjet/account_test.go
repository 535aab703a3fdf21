package mailjet_test

import (
	"context"
	"testing"

	"github.com/mjrecover/mjrecover/api/mailjet"
	"github.com/mjrecover/mjrecover/api/sandbox"
)

func TestAccount(t *testing.T) {
	_, url := startSandbox(t)
	for name, creds := range map[string]mailjet.Credentials{"master pair": masterCreds, "sub-account pair": shopCreds} {
		t.Run(name, func(t *testing.T) {
			acct, err := fastClient(url, creds).Account(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if acct.Email != sandbox.DemoEmail || acct.ID != sandbox.DemoUserID || acct.Username == "" {
				t.Errorf("Account = %+v, want the demo user", acct)
			}
		})
	}
}
