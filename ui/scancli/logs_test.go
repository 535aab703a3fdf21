package scancli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const storyLogs = "../../steps/investigate/accesslog/testdata/story/logs"

// site is a web root with a served .env.bak, the file of the story logs.
func site(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "public_html"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"index.php": "<?php echo 1;\n", ".env.bak": "APP_KEY=base64:x\n"} {
		if err := os.WriteFile(filepath.Join(dir, "public_html", name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLogsNameTheDownloadInJSON(t *testing.T) {
	code, out, errOut := run(t, "--format", "json", "--logs", storyLogs, site(t))
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Findings []struct {
			Rule      string `json:"rule"`
			Category  string `json:"category"`
			URLPath   string `json:"url_path"`
			ClientIP  string `json:"client_ip"`
			UserAgent string `json:"user_agent"`
			FirstSeen string `json:"first_seen"`
			Count     int    `json:"count"`
			Log       string `json:"log"`
			LogLine   int    `json:"log_line"`
		} `json:"findings"`
		Stats struct {
			Logs []struct {
				Path       string `json:"path"`
				Unreadable int    `json:"unreadable"`
			} `json:"logs"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	var downloads, probes int
	for _, f := range r.Findings {
		switch f.Category {
		case "download":
			downloads++
			if f.URLPath != "/.env.bak" || f.ClientIP != "203.0.113.7" || f.FirstSeen != "2026-11-20T04:14:07Z" ||
				f.Count != 3 || filepath.Base(f.Log) != "access.log.2.gz" || f.LogLine != 5 || f.UserAgent != "python-requests/2.31.0" {
				t.Errorf("download %+v", f)
			}
		case "probe":
			probes++
		}
	}
	if downloads != 1 || probes != 4 {
		t.Errorf("%d downloads, %d probes:\n%s", downloads, probes, out)
	}
	if len(r.Stats.Logs) != 3 || r.Stats.Logs[1].Unreadable != 1 {
		t.Errorf("logs %+v", r.Stats.Logs)
	}
}

func TestLogsInTextAndSARIF(t *testing.T) {
	dir := site(t)
	_, text, _ := run(t, "--logs", storyLogs, dir)
	for _, want := range []string{"Exposed file downloaded [exposed-file-downloaded]", "by 203.0.113.7 (python-requests)",
		"access.log.2.gz, line 5", "Read 3 access logs", "access.log.1: 1 line in an unknown format (4)",
		"3 requests for secret files (/.env, /.env.bak, /.git/config) by 192.0.2.66 (zgrab)"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	_, sarif, _ := run(t, "--format", "sarif", "--logs", storyLogs, dir)
	if !strings.Contains(sarif, `"ruleId": "exposed-file-downloaded"`) || !strings.Contains(sarif, `"client_ip": "203.0.113.7"`) ||
		!strings.Contains(sarif, `"startLine": 5`) {
		t.Errorf("SARIF lacks the download:\n%s", sarif)
	}
}

func TestLogsAndNoLogsRefused(t *testing.T) {
	var out, errOut strings.Builder
	code := Run(t.Context(), []string{"--logs", storyLogs, "--no-logs", site(t)}, &out, &errOut)
	if code != ExitError || !strings.Contains(errOut.String(), "--logs and --no-logs cannot go together") {
		t.Errorf("exit %d: %s", code, errOut.String())
	}
}
