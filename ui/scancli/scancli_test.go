package scancli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mjrecover/mjrecover/api/sandbox"
	"github.com/mjrecover/mjrecover/assets"
)

const (
	negatives   = "../../steps/investigate/testdata/negatives"
	credentials = "../../steps/investigate/testdata/credentials"
	wordpress   = "../../steps/investigate/testdata/wordpress"
	feed        = "../../steps/investigate/testdata/wordfence-feed.json"
)

// run runs the command; unless the test names logs, it reads none, so
// the machine's own /var/log never changes a result.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	if !slices.Contains(args, "--logs") {
		args = append(args, "--no-logs")
	}
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

type jsonReport struct {
	Version  int `json:"version"`
	Findings []struct {
		Rule           string  `json:"rule"`
		Path           string  `json:"path"`
		Line           int     `json:"line"`
		APIKey         *string `json:"api_key"`
		Secret         *string `json:"secret"`
		Verified       *bool   `json:"verified"`
		VerifiedReason string  `json:"verified_reason"`
	} `json:"findings"`
	Stats struct {
		Files int `json:"files"`
	} `json:"stats"`
}

func decode(t *testing.T, s string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return r
}

func TestExitCodes(t *testing.T) {
	if code, out, _ := run(t, negatives); code != ExitClean || !strings.HasPrefix(out, "No leaked") {
		t.Errorf("nothing found: exit %d, output %q", code, out)
	}
	if code, out, _ := run(t, credentials); code != ExitFindings || !strings.HasPrefix(out, "Found ") {
		t.Errorf("findings: exit %d, output %q", code, out)
	}
	for name, args := range map[string][]string{
		"no target":      {},
		"missing folder": {filepath.Join(t.TempDir(), "nope")},
		"bad format":     {"--format", "xml", negatives},
		"unknown flag":   {"--colour", negatives},
		"bad size":       {"--max-file-size", "lots", negatives},
		"api-url alone":  {"--api-url", "http://127.0.0.1:1", negatives},
		"bad address":    {"ftp://example.test/"},
		"missing feed":   {"--wordfence-feed", "/no/such/feed.json", negatives},
	} {
		code, out, errOut := run(t, args...)
		if code != ExitError || out != "" || errOut == "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2, nothing, a message", name, code, out, errOut)
		}
	}
	if code, out, errOut := run(t, "--help"); code != ExitClean || !strings.Contains(out, "Usage: mjrecover scan") || errOut != "" {
		t.Errorf("--help: exit %d", code)
	}
}

func TestJSONAndFlagsAfterTargets(t *testing.T) {
	code, out, _ := run(t, credentials, "--format", "json", "--workers", "1")
	r := decode(t, out)
	if code != ExitFindings || r.Version != 1 || len(r.Findings) == 0 || r.Stats.Files != 15 {
		t.Fatalf("exit %d, version %d, %d findings, %d files", code, r.Version, len(r.Findings), r.Stats.Files)
	}
	for _, f := range r.Findings {
		if f.Secret != nil && len(*f.Secret) != 4 {
			t.Errorf("%s: secret %q is more than its last four characters", f.Path, *f.Secret)
		}
		if f.Verified != nil || f.VerifiedReason == "" {
			t.Errorf("%s: verified %v reason %q without --verify", f.Path, f.Verified, f.VerifiedReason)
		}
	}
}

func TestOutputFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "report.sarif")
	code, out, _ := run(t, "--format", "sarif", "--output", p, negatives)
	if code != ExitClean || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	b, _ := os.ReadFile(p)
	if !bytes.Contains(b, []byte(`"version": "2.1.0"`)) || !bytes.Contains(b, []byte(`"results": []`)) {
		t.Errorf("not an empty SARIF log: %s", b)
	}
	if code, _, errOut := run(t, "--output", filepath.Join(t.TempDir(), "no", "dir", "r.txt"), negatives); code != ExitError || errOut == "" {
		t.Errorf("unwritable output: exit %d", code)
	}
}

func TestVerifyAgainstTheSandbox(t *testing.T) {
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	defer srv.Close()
	root, err := assets.ExtractDemo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "--verify", "--api-url", srv.URL, "--format", "json", root)
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	live := 0
	for _, f := range decode(t, out).Findings {
		if f.APIKey == nil || f.Secret == nil {
			continue
		}
		if f.Verified == nil || !*f.Verified {
			t.Errorf("%s: verified %v (%s), want true: the sandbox knows the demo pairs", f.Path, f.Verified, f.VerifiedReason)
		}
		live++
	}
	if live != 4 {
		t.Errorf("%d verified pairs, want the demo's 4", live)
	}
	// Two distinct pairs: one request each, however many files hold them.
	if n := sb.Requests(http.MethodGet, "/v3/REST/apikey"); n != 2 {
		t.Errorf("%d apikey requests, want 2", n)
	}
}

func TestScanURLAndFeed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/info.php" {
			w.Write([]byte("<html><body><h1>PHP Version 8.3.0</h1><h2>PHP Extension</h2></body></html>"))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	code, out, _ := run(t, "--format", "json", "--wordfence-feed", feed, srv.URL, wordpress)
	rules := map[string]bool{}
	for _, f := range decode(t, out).Findings {
		rules[f.Rule+" "+filepath.Base(f.Path)] = true
	}
	for _, want := range []string{"exposed-phpinfo info.php", "vulnerable-wordpress-plugin readme.txt", "vulnerable-wordpress version.php"} {
		if !rules[want] {
			t.Errorf("missing %q in %v", want, rules)
		}
	}
	if code != ExitFindings {
		t.Errorf("exit %d", code)
	}
}

func TestTextHasNoControlCharacters(t *testing.T) {
	dir := t.TempDir()
	name := "evil\x1b]0;pwned\x07\x1b[2J\xff.env"
	content := "MJ_APIKEY_PUBLIC=9d5ed678fe57bcca610140957afab571\nMJ_APIKEY_PRIVATE=0cc175b9c0f1b6a831c399e269772661\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Skipf("file system refuses the name: %v", err)
	}
	for _, format := range []string{"text", "json", "sarif"} {
		_, out, _ := run(t, "--format", format, dir)
		if strings.ContainsAny(out, "\x1b\x07") || !utf8.ValidString(out) || strings.Contains(out, "0cc175b9c0f1b6a831c399e2697") {
			t.Errorf("%s output carries control characters or the secret:\n%q", format, out)
		}
		if !strings.Contains(out, "evil") {
			t.Errorf("%s output lacks the (cleaned) file name", format)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1048576": 1 << 20, "512K": 512 << 10, "10M": 10 << 20, "10MB": 10 << 20, "10MiB": 10 << 20, "1g": 1 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "M", "ten", "99999999999G"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q): want an error", in)
		}
	}
}
