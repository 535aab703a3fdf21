package flow

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// Step 1 reads the demo site's access logs and the account's statistics,
// and tells the story in order: the .env.bak downloaded by a script two
// days before the spam run.
func TestStepOneTellsWhoTookTheKeysAndWhen(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.at(Connect, "Press Enter to start.")
	d.do(Continue)
	d.at(Investigate, "Folder to check")
	d.do(Continue)
	got := d.at(Investigate, "What happened, in order")
	for _, want := range []string{
		"public_html/.env.bak last changed on",
		"2 addresses searched the site for secret files",
		"public_html/.env.bak was downloaded 3 times, first on",
		"by 203.0.113.7 (python-requests), 2 days before the sending spike.",
		"Your account began sending far more email than usual on",
		"Exposed file downloaded: 203.0.113.7",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Step 1 lacks %q:\n%s", want, got)
		}
	}
	// The journal keeps the story for a resumed recovery's report.
	sc := d.f.Record().Scan
	if sc != nil {
		t.Fatalf("journaled before the customer moved on: %+v", sc)
	}
	d.do(Continue)
	sc = d.f.Record().Scan
	if sc == nil || len(sc.Timeline) < 4 {
		t.Fatalf("journaled timeline: %+v", sc)
	}
}

// The report names the download in its likely cause and lists the whole
// story: the scan's, the review's new sender, and the keys replaced.
func TestReportTellsTheTimeline(t *testing.T) {
	w := newWorld(t)
	d := drive(t, w.config(&demoCreds))
	d.toFiles()
	d.throughFiles()
	d.toReport(w)
	d.do(Continue)
	// The logs said who took the files: the last hint asks for older ones.
	d.at(Report, "Report saved", "ask your hosting provider for older access logs")
	md, err := os.ReadFile(d.f.Outcome().ReportMarkdown)
	if err != nil {
		t.Fatal(err)
	}
	story, _, _ := strings.Cut(string(md)[strings.Index(string(md), "## What happened, in order (UTC)"):], "## Advice")
	for _, want := range []string{
		"- public_html/.env.bak was downloaded 3 times, first on",
		"UTC by 203.0.113.7 (python-requests), 2 days before the sending spike.",
		"- Your account began sending far more email than usual on",
		"- Added to the account on",
		"Sender billing@lafleur-payments.example",
		"- The old secret keys stopped working on",
		"## Likely root cause",
	} {
		if !strings.Contains(story, want) {
			t.Errorf("report lacks %q:\n%s", want, story)
		}
	}
	cause := story[strings.Index(story, "## Likely root cause"):]
	if !strings.Contains(cause, "public_html/.env.bak was downloaded 3 times") {
		t.Errorf("likely cause without the download:\n%s", cause)
	}
	data, err := os.ReadFile(strings.TrimSuffix(d.f.Outcome().ReportMarkdown, ".md") + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Timeline []struct {
			Kind   string `json:"kind"`
			Client string `json:"client_ip"`
		} `json:"timeline"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, e := range rep.Timeline {
		kinds[e.Kind] = true
	}
	for _, k := range []string{"published", "probed", "downloaded", "sending-spike", "added", "keys-replaced"} {
		if !kinds[k] {
			t.Errorf("JSON timeline lacks %q: %+v", k, rep.Timeline)
		}
	}
}
