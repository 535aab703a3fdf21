package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/api/sandbox"
)

// TestOfficialNodeSDK runs testdata/nodesdk/index.js, the official
// node-mailjet 6 client, against the sandbox over HTTPS (node-mailjet
// speaks nothing else: fact sheet, note on official SDKs). It needs node,
// npm and the npm registry, so it runs only when asked:
//
//	MJRECOVER_NODE_SDK=1 go test -run NodeSDK ./api/sandbox/
//
// It copies the script to a temporary folder, installs the pinned
// package-lock.json there (npm ci --ignore-scripts: no package runs code
// at install), and checks the sandbox's state against what the script
// says it did.
func TestOfficialNodeSDK(t *testing.T) {
	if os.Getenv("MJRECOVER_NODE_SDK") != "1" {
		t.Skip("set MJRECOVER_NODE_SDK=1 to run node-mailjet against the sandbox (needs node, npm and the npm registry)")
	}
	node, errNode := exec.LookPath("node")
	npm, errNpm := exec.LookPath("npm")
	if errNode != nil || errNpm != nil {
		t.Skip("MJRECOVER_NODE_SDK=1, but node or npm is not on PATH")
	}
	// The bound only turns a hung npm into a failure.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	dir := t.TempDir()
	for _, name := range []string{"package.json", "package-lock.json", "index.js"} {
		data, err := os.ReadFile(filepath.Join("testdata", "nodesdk", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	install := exec.CommandContext(ctx, npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund")
	install.Dir = dir
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("npm ci: %v\n%s", err, out)
	}

	sb := sandbox.New()
	base, certFile, err := sb.ListenTLS(ctx, "127.0.0.1:0", filepath.Join(dir, "sandbox.pem"))
	if err != nil {
		t.Fatal(err)
	}
	script := func(extraEnv ...string) (stdout, stderr bytes.Buffer, err error) {
		run := exec.CommandContext(ctx, node, "index.js")
		run.Dir = dir
		run.Env = append(append(nodeEnv(),
			"MJ_SANDBOX_HOST="+strings.TrimPrefix(base, "https://"),
			"MJ_APIKEY_PUBLIC="+sandbox.DemoMasterKey,
			"MJ_APIKEY_PRIVATE="+sandbox.DemoMasterSecret,
		), extraEnv...)
		run.Stdout, run.Stderr = &stdout, &stderr
		return stdout, stderr, run.Run()
	}

	// Without the certificate, node refuses the sandbox before any call.
	if _, stderr, err := script(); err == nil || !strings.Contains(stderr.String(), "certificate") {
		t.Errorf("node without NODE_EXTRA_CA_CERTS: %v, %q; want a certificate error", err, stderr.String())
	}
	if n := sb.Requests("", "/"); n != 0 {
		t.Fatalf("an untrusting node reached the sandbox (%d requests)", n)
	}

	stdout, stderr, err := script("NODE_EXTRA_CA_CERTS=" + certFile)
	if err != nil {
		t.Fatalf("node index.js: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	var got struct {
		Listed           int
		CreatedID        int64
		CreatedKey       string
		Deactivated      bool
		SendStatus       string
		SandboxMessageID int64
		WrongPairStatus  int
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("the script's output is not its JSON summary: %v\n%s", err, stdout.String())
	}
	t.Logf("node-mailjet: %s", strings.TrimSpace(stdout.String()))
	if got.Listed != 3 || !got.Deactivated || got.SendStatus != "success" || got.SandboxMessageID != 0 || got.WrongPairStatus != 401 {
		t.Errorf("summary = %+v", got)
	}
	found := false
	for _, k := range sb.Keys() {
		if k.ID == got.CreatedID {
			found = true
			if k.APIKey != got.CreatedKey || k.IsActive || k.Name != "made by node-mailjet" {
				t.Errorf("the key node-mailjet made is %+v", k)
			}
		}
	}
	if !found {
		t.Errorf("no key %d in the sandbox", got.CreatedID)
	}
	sent := sb.Sent()
	if len(sent) != 1 || !sent[0].SandboxMode || sent[0].APIKey != sandbox.DemoMasterKey || sent[0].CustomID != "node-sdk-check" {
		t.Errorf("Sent() = %+v", sent)
	}
}

// nodeEnv is this process's environment without what would change how
// node reaches the sandbox: a proxy (axios honours HTTPS_PROXY), another
// CA file, or certificate checks switched off.
func nodeEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(name) {
		case "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "NODE_EXTRA_CA_CERTS", "NODE_TLS_REJECT_UNAUTHORIZED", "NODE_OPTIONS":
			continue
		}
		out = append(out, kv)
	}
	return out
}
