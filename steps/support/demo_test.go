package support

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/assets"
	"github.com/mjrecover/mjrecover/steps/investigate"
)

// End to end with the real scanner on the demo web root, whose
// public_html/.env.bak leaks the master pair.
func TestReportFromDemoScan(t *testing.T) {
	root, err := assets.ExtractDemo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	res, err := investigate.Scan(context.Background(), investigate.Options{Roots: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	investigate.MarkOwned(res.Findings, []string{sandbox.DemoMasterKey, sandbox.DemoShopKey, sandbox.DemoNewsletterKey})
	r := Build(Input{Version: "test", Now: time.Now(), Account: sandbox.DemoEmail, MasterKey: sandbox.DemoMasterKey, Findings: res.Findings})

	if !strings.Contains(r.RootCause, "your web server hands to anyone: ") || !strings.Contains(r.RootCause, "public_html/.env.bak") {
		t.Errorf("root cause misses the exposed .env.bak:\n%s", r.RootCause)
	}
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	md := r.Markdown()
	for _, s := range []string{sandbox.DemoMasterSecret, sandbox.DemoShopSecret, sandbox.DemoNewsletterSecret} {
		if strings.Contains(md, s) || strings.Contains(string(js), s) {
			t.Errorf("the report holds the secret ending %s", s[28:])
		}
	}
	if !strings.Contains(md, "`****"+sandbox.DemoMasterSecret[28:]+"`") {
		t.Error("the master secret's hint is missing")
	}
}
