package replacecli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	oldKey    = "5d926341e58aad799937006832cd4828"
	oldSecret = "3d1f3f7eb1d6072386087b3c255bd656"
	newKey    = "55fb560f982f6aaf1092b4cc7282f9d5"
	newSecret = "fb05e40321c8c308d9aa3e1cd7e61823"
)

// site is a folder with a Laravel-style .env, a web-served backup of it,
// a script reading the key from the environment, and the new secret's file.
type site struct {
	dir, env, bak, secretFile string
}

func newSite(t *testing.T) site {
	t.Helper()
	dir := t.TempDir()
	s := site{dir: dir, env: filepath.Join(dir, "app", ".env"), bak: filepath.Join(dir, "app", "public", ".env.bak"),
		secretFile: filepath.Join(t.TempDir(), "new-secret.txt")}
	write := func(path, content string, mode os.FileMode) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(s.env, "APP_ENV=production\r\nMAILJET_APIKEY="+oldKey+"\r\nMAILJET_APISECRET=\""+oldSecret+"\"\r\n", 0o640)
	write(s.bak, "MJ_APIKEY_PUBLIC="+oldKey+"\nMJ_APIKEY_PRIVATE="+oldSecret+"\n", 0o644)
	write(filepath.Join(dir, "app", "mailer.js"), "// mailjet\nconst user = process.env.MJ_APIKEY_PUBLIC;\n", 0o644)
	write(s.secretFile, newSecret+"\n", 0o600)
	return s
}

func (s site) args(extra ...string) []string {
	return append([]string{"--old-key", oldKey, "--new-key", newKey, "--new-secret-file", s.secretFile}, extra...)
}

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, &out, &errOut)
	for _, s := range []string{oldSecret, newSecret} {
		if strings.Contains(out.String()+errOut.String(), s) {
			t.Errorf("a clear secret was printed:\n%s\n%s", out.String(), errOut.String())
		}
	}
	return code, out.String(), errOut.String()
}

func TestDryRunShowsTheRedactedDiffAndChangesNothing(t *testing.T) {
	s := newSite(t)
	before, _ := os.ReadFile(s.env)
	code, out, errOut := run(t, s.args(s.dir)...)
	if code != 1 || errOut != "" {
		t.Fatalf("exit %d, stderr %q; want 1 and nothing", code, errOut)
	}
	for _, want := range []string{
		"--- " + s.env,
		"@@ line 2 @@\n-MAILJET_APIKEY=" + oldKey + "\n+MAILJET_APIKEY=" + newKey + "\n",
		"@@ line 3 @@\n-MAILJET_APISECRET=\"****d656\"\n+MAILJET_APISECRET=\"****1823\"\n",
		"Leaked copies to delete (this command does not delete them):\n  " + s.bak,
		"Read from the environment:\n  " + filepath.Join(s.dir, "app", "mailer.js") + ":2",
		"1 file would change. Run again with --apply to write the new key.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if after, _ := os.ReadFile(s.env); !bytes.Equal(after, before) {
		t.Error("a dry run changed the file")
	}
}

func TestApplyWritesChecksAndThenHasNothingLeft(t *testing.T) {
	s := newSite(t)
	code, out, errOut := run(t, append(s.args("--apply"), s.dir)...)
	if code != 1 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	got, _ := os.ReadFile(s.env)
	if want := "APP_ENV=production\r\nMAILJET_APIKEY=" + newKey + "\r\nMAILJET_APISECRET=\"" + newSecret + "\"\r\n"; string(got) != want {
		t.Errorf("file = %q, want %q", got, want)
	}
	home, _ := os.UserHomeDir()
	if !strings.Contains(out, "Updated "+s.env+" (the old version is in "+filepath.Join(home, "mjrecover-backups-")) ||
		!strings.Contains(out, "Checked again: no old key or secret key remains in the updated file.") {
		t.Errorf("output:\n%s", out)
	}
	// The backup (old secret included) is not beside the file, where the
	// web server would serve it, but in a private folder outside the site.
	if beside, _ := filepath.Glob(s.env + ".mjrecover-*"); len(beside) != 0 {
		t.Errorf("a backup beside the file: %v", beside)
	}
	backups, _ := filepath.Glob(filepath.Join(home, "mjrecover-backups-*", ".env.mjrecover-*"))
	if len(backups) == 0 {
		t.Fatal("no backup in the home folder")
	}
	if dir, err := os.Stat(filepath.Dir(backups[len(backups)-1])); err != nil || dir.Mode().Perm() != 0o700 {
		t.Errorf("the backup folder is not private: %v", err)
	}
	if info, _ := os.Stat(s.env); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", info.Mode().Perm())
	}
	// The leaked copy is listed, never touched.
	if _, err := os.Stat(s.bak); err != nil {
		t.Error("the command deleted a file")
	}
	// Flags after the path work too; the env file no longer holds the old key.
	code, out, _ = run(t, append([]string{s.dir}, s.args()...)...)
	if code != 0 || !strings.Contains(out, "Nothing to change") || strings.Contains(out, "To do by hand") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
}

// A backup folder inside the folders being updated (a website, maybe)
// is refused before anything changes.
func TestBackupsNeverGoInsideTheSite(t *testing.T) {
	s := newSite(t)
	before, _ := os.ReadFile(s.env)
	code, _, errOut := run(t, append(s.args("--apply", "--backup-dir", filepath.Join(s.dir, "app", "public", "old")), s.dir)...)
	if code != 2 || !strings.Contains(errOut, "is being updated (and may be a website)") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if after, _ := os.ReadFile(s.env); !bytes.Equal(after, before) {
		t.Error("the file changed although the backups had nowhere to go")
	}
	elsewhere := filepath.Join(t.TempDir(), "backups")
	if code, out, _ := run(t, append(s.args("--apply", "--backup-dir", elsewhere), s.dir)...); code != 1 || !strings.Contains(out, elsewhere) {
		t.Errorf("--backup-dir outside the site: exit %d\n%s", code, out)
	}
}

func TestApplyReportsAFileItCannotChange(t *testing.T) {
	s := newSite(t)
	if err := os.Chmod(s.env, 0o444); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, append(s.args("--apply"), s.dir)...)
	if code != 2 || !strings.Contains(errOut, "Not changed: "+s.env+": It is read-only") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestCommandLineMistakes(t *testing.T) {
	s := newSite(t)
	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("not a secret\n"), 0o600)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"nothing", nil, "are required"},
		{"no path", s.args(), "name at least one folder"},
		{"secret as a flag", []string{"--new-secret", newSecret, s.dir}, "never from the command line"},
		{"unknown flag", append(s.args("--frobnicate"), s.dir), "unknown flag -frobnicate (see mjrecover replace --help)"},
		{"bad key", []string{"--old-key", "abc", "--new-key", newKey, "--new-secret-file", s.secretFile, s.dir}, "must be Mailjet API keys"},
		{"missing secret file", []string{"--old-key", oldKey, "--new-key", newKey, "--new-secret-file", "/nonexistent/x", s.dir}, "could not read the new secret"},
		{"not a secret", []string{"--old-key", oldKey, "--new-key", newKey, "--new-secret-file", bad, s.dir}, "should hold the new secret key alone"},
		{"same secret", append(s.args("--old-secret-file", s.secretFile), s.dir), "same as the old one"},
		{"missing path", s.args("/nonexistent/site"), "could not scan"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(t, c.args...)
			if code != 2 || out != "" || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, out, errOut, c.want)
			}
		})
	}
}

func TestHelpAndLooseSecretFiles(t *testing.T) {
	code, out, _ := run(t, "--help")
	if code != 0 || !strings.HasPrefix(out, "Usage: mjrecover replace") {
		t.Errorf("help: exit %d\n%s", code, out)
	}
	s := newSite(t)
	os.Chmod(s.secretFile, 0o644)
	_, _, errOut := run(t, s.args(s.dir)...)
	if !strings.Contains(errOut, "other users can read") {
		t.Errorf("stderr %q, want a warning about the readable secret file", errOut)
	}
}
