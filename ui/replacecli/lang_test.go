package replacecli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// TestMain runs the tests in English whatever the machine's language; a
// test that wants French sets LANG.
func TestMain(m *testing.M) {
	os.Unsetenv("LC_ALL")
	os.Unsetenv("LC_MESSAGES")
	os.Setenv("LANG", "C.UTF-8")
	// The backups go to the home folder by default: a throwaway one.
	home, err := os.MkdirTemp("", "mjrecover-replace-home-")
	if err != nil {
		panic(err)
	}
	os.Setenv("HOME", home)
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}

// strictFrench fails the test on a message of this command that has no
// French (steps/replace's own messages are its tests' business: logged).
func strictFrench(t *testing.T) *lang.Printer {
	var src strings.Builder
	for _, name := range []string{"replacecli.go", "secretfile.go"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	return lang.New(lang.French).Strict(func(k string) {
		key := strings.TrimPrefix(k, "arguments that do not fit the message: ")
		if strings.Contains(src.String(), strconv.Quote(key)) || strings.Contains(src.String(), "`"+key+"`") {
			t.Errorf("not translated: %q", k)
		} else {
			t.Logf("not translated (steps/replace): %q", k)
		}
	})
}

// runFrench runs the command with a printer that fails the test on any
// word without French.
func runFrench(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runIn(context.Background(), strictFrench(t), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelpAndMistakesInTheCustomersLanguage(t *testing.T) {
	t.Setenv("LANG", "fr_FR.UTF-8")
	code, out, _ := run(t, "--help")
	if code != 0 || !strings.HasPrefix(out, "Utilisation\u00a0: mjrecover replace --old-key CLÉ") ||
		!strings.Contains(out, "  -new-secret-file FICHIER\n        un FICHIER qui contient seulement la nouvelle clé secrète\n") {
		t.Errorf("--help with LANG=fr_FR.UTF-8: exit %d\n%s", code, out)
	}
	code, out, errOut := run(t, "--frobnicate")
	if want := "mjrecover replace\u00a0: option -frobnicate inconnue (voir mjrecover replace --help)\n"; code != 2 || out != "" || errOut != want {
		t.Errorf("a mistake in French: exit %d, stderr %q, want %q", code, errOut, want)
	}
	if _, out, _ := run(t, "--help", "--lang", "en"); !strings.HasPrefix(out, "Usage: mjrecover replace") {
		t.Errorf("--lang en with LANG=fr_FR.UTF-8:\n%s", out)
	}
	t.Setenv("LANG", "")
	if _, out, _ := run(t, "-h"); !strings.HasPrefix(out, "Usage: mjrecover replace") || !strings.Contains(out, "-apply ") {
		t.Errorf("--help in English:\n%s", out)
	}
	if _, _, errOut := run(t, "--lang=fr"); errOut != "mjrecover replace\u00a0: --old-key, --new-key et --new-secret-file sont obligatoires (voir mjrecover replace --help)\n" {
		t.Errorf("--lang=fr: stderr %q", errOut)
	}
}

func TestEveryMessageInFrench(t *testing.T) {
	s := newSite(t)
	bad := s.dir + "/bad.txt"
	os.WriteFile(bad, []byte("not a secret\n"), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "Codes de sortie\u00a0: 0 rien à changer"},
		{nil, "sont obligatoires"},
		{s.args(), "indiquez au moins un dossier ou un fichier"},
		{[]string{"--new-secret", newSecret, s.dir}, "jamais sur la ligne de commande"},
		{append([]string{s.dir}, s.args("--old-key")...), "l'option -old-key demande une valeur"},
		{[]string{"--old-key", "abc", "--new-key", newKey, "--new-secret-file", s.secretFile, s.dir}, "doivent être des clés API Mailjet"},
		{[]string{"--old-key", oldKey, "--new-key", newKey, "--new-secret-file", "/nonexistent/x", s.dir}, "impossible de lire la nouvelle clé secrète dans /nonexistent/x\u00a0: ce fichier n'existe pas"},
		{[]string{"--old-key", oldKey, "--new-key", newKey, "--new-secret-file", s.dir, s.dir}, "ce n'est pas un fichier ordinaire"},
		{append(s.args("--old-secret-file", bad), s.dir), "doit contenir seulement l'ancienne clé secrète"},
		{append(s.args("--old-secret-file", s.secretFile), s.dir), "la nouvelle clé secrète est la même que l'ancienne"},
		{s.args("/nonexistent/site"), "examen impossible\u00a0:"},
	} {
		code, out, errOut := runFrench(t, c.args...)
		if !strings.Contains(out+errOut, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %q", c.args, code, out, errOut, c.want)
		}
	}
	// A dry run, an apply and a run with nothing left, in French.
	os.Chmod(s.secretFile, 0o644)
	code, out, errOut := runFrench(t, s.args(s.dir)...)
	for _, want := range []string{
		"Copies divulguées à supprimer (cette commande ne les supprime pas)\u00a0:\n",
		"Clés lues dans l'environnement\u00a0:\n",
		"1 fichier serait modifié. Relancez avec --apply pour écrire la nouvelle clé.\n",
	} {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("dry run: exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
	if !strings.HasPrefix(errOut, "Attention\u00a0: d'autres utilisateurs peuvent lire "+s.secretFile+"\u00a0; rendez-le privé") {
		t.Errorf("stderr %q", errOut)
	}
	code, out, _ = runFrench(t, append(s.args("--apply"), s.dir)...)
	home, _ := os.UserHomeDir()
	if code != 1 || !strings.Contains(out, s.env+" mis à jour (l'ancienne version est dans "+filepath.Join(home, "mjrecover-backups-")) ||
		!strings.Contains(out, "Revérifié\u00a0: aucune ancienne clé API ou secrète ne reste dans le fichier mis à jour.\n") {
		t.Errorf("apply: exit %d\n%s", code, out)
	}
	if code, out, _ = runFrench(t, append(s.args(), s.dir)...); code != 0 || !strings.Contains(out, "Rien à changer\u00a0: aucun fichier de réglages sous "+s.dir+" ne contient la clé "+oldKey+".") {
		t.Errorf("nothing left: exit %d\n%s", code, out)
	}
}

func TestPluralsInEnglish(t *testing.T) {
	p := lang.New(lang.English)
	for n, want := range map[int]string{
		1: "1 file would change. Run again with --apply to write the new key.",
		3: "3 files would change. Run again with --apply to write the new key.",
	} {
		if got := p.T("%d file would change. Run again with --apply to write the new key.", n); got != want {
			t.Errorf("%d: %q", n, got)
		}
	}
	if got := p.T("Checked again: no old key or secret key remains in the %d updated file.", 2); got != "Checked again: no old key or secret key remains in the 2 updated files." {
		t.Errorf("%q", got)
	}
}
