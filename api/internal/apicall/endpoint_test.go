package apicall

import (
	"context"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/secret"
)

func TestURLRefusesToLeakCredentials(t *testing.T) {
	cases := []struct {
		base    string
		user    string
		wantErr string
	}{
		{"https://api.mailjet.com", "k", ""},
		{"https://api.mailjet.com/", "k", ""},
		{"http://127.0.0.1:8080", "k", ""},
		{"http://[::1]:8080", "k", ""},
		{"http://localhost:8080", "k", ""},
		{"http://api.mailjet.com", "k", "plain http"},
		{"http://192.168.1.10:8080", "k", "plain http"},
		{"http://api.pwnedpasswords.com", "", ""}, // no credentials to leak
		{"https://user:pass@api.mailjet.com", "k", "must not hold credentials"},
		{"ftp://api.mailjet.com", "k", "invalid API base URL"},
		{"api.mailjet.com", "k", "invalid API base URL"},
		{"", "k", "invalid API base URL"},
	}
	for _, c := range cases {
		e := Endpoint{BaseURL: c.base, User: c.user, Pass: secret.New("s3cr3t-s3cr3t")}
		got, err := e.url(Call{Path: "/v3/REST/apikey"})
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%q: %v", c.base, err)
		case c.wantErr == "" && !strings.HasSuffix(got, "/v3/REST/apikey") || strings.Contains(got, "//v3"):
			t.Errorf("%q: URL %q", c.base, got)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%q: err = %v, want %q", c.base, err, c.wantErr)
		}
		if err != nil && strings.Contains(err.Error(), "pass") {
			t.Errorf("%q: the error %q quotes the URL's credentials", c.base, err)
		}
	}
}

func TestServerTextMasksTheSecret(t *testing.T) {
	e := Endpoint{User: "key", Pass: secret.New("s3cr3t-s3cr3t")}
	got := e.ServerText("got s3cr3t-s3cr3t and Basic a2V5OnMzY3IzdC1zM2NyM3Q=\x1b[0m")
	if want := "got ******** and Basic ********"; got != want {
		t.Errorf("ServerText = %q, want %q", got, want)
	}
}

func TestDoDoesNotSendWhenTheURLIsRefused(t *testing.T) {
	e := Endpoint{BaseURL: "http://example.com", User: "k", Pass: secret.New("s")}
	if _, err := e.Do(context.Background(), Call{Method: "GET", Path: "/x"}); err == nil || !strings.HasPrefix(err.Error(), "GET /x: ") {
		t.Errorf("err = %v, want a refusal naming the call", err)
	}
}
