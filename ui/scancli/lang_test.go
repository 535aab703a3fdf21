package scancli

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// TestMain runs the tests in English whatever the machine's language; a
// test that wants French sets LANG (see speak).
func TestMain(m *testing.M) {
	os.Unsetenv("LC_ALL")
	os.Unsetenv("LC_MESSAGES")
	os.Setenv("LANG", "C.UTF-8")
	os.Exit(m.Run())
}

func speak(t *testing.T, locale string) { t.Setenv("LANG", locale) }

func strictFrench(t *testing.T) *lang.Printer {
	return lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })
}

func TestHelpAndMistakesInTheCustomersLanguage(t *testing.T) {
	speak(t, "fr_FR.UTF-8")
	code, out, errOut := run(t, "--help")
	if code != ExitClean || errOut != "" || !strings.HasPrefix(out, "Utilisation\u00a0: mjrecover scan [options] CHEMIN|URL...\n") ||
		!strings.Contains(out, "  -format format\n        format du résultat\u00a0: text, json ou sarif (par défaut\u00a0: \"text\")\n") ||
		!strings.Contains(out, "(par défaut\u00a0: 10M)") {
		t.Errorf("--help with LANG=fr_FR.UTF-8: exit %d, stderr %q:\n%s", code, errOut, out)
	}
	code, out, errOut = run(t, "--format", "xml", negatives)
	if want := "mjrecover scan\u00a0: --format \"xml\" inconnu\u00a0: utilisez text, json ou sarif (voir mjrecover scan --help)\n"; code != ExitError || out != "" || errOut != want {
		t.Errorf("a mistake in French: exit %d, stderr %q, want %q", code, errOut, want)
	}
	// --lang wins over LANG, wherever it is.
	if _, out, _ := run(t, negatives, "--lang", "en", "--help"); !strings.HasPrefix(out, "Usage: mjrecover scan") {
		t.Errorf("--lang en with LANG=fr_FR.UTF-8:\n%s", out)
	}
	speak(t, "C.UTF-8")
	if _, out, _ := run(t, "--help"); !strings.HasPrefix(out, "Usage: mjrecover scan") || !strings.Contains(out, `(default "text")`) {
		t.Errorf("--help in English:\n%s", out)
	}
	if _, _, errOut := run(t, "--lang=fr", "--workers", "-1", negatives); errOut != "mjrecover scan\u00a0: --workers doit valoir 0 (un par processeur) ou plus (voir mjrecover scan --help)\n" {
		t.Errorf("--lang=fr: stderr %q", errOut)
	}
	if code, _, errOut := run(t, "--lang", "français", negatives); code != ExitError || !strings.Contains(errOut, `--lang "français" is not a language`) {
		t.Errorf("a --lang that is no language: exit %d, stderr %q", code, errOut)
	}
}

// Every word of the help and of the mistakes has its French.
func TestEveryMistakeInFrench(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {}, {"--format", "xml", negatives}, {"--workers", "-1", negatives},
		{"--api-url", "http://127.0.0.1:1", negatives}, {"--max-file-size", "lots", negatives},
		{"--colour", negatives}, {"--output"},
	} {
		var out, errOut strings.Builder
		code := runIn(context.Background(), strictFrench(t), args, &out, &errOut)
		if len(args) > 0 && args[0] == "--help" {
			if code != ExitClean || strings.Contains(out.String(), "(default") || strings.Count(out.String(), "\n") > 50 {
				t.Errorf("--help: exit %d (%d lines):\n%s", code, strings.Count(out.String(), "\n"), out.String())
			}
			continue
		}
		if code != ExitError || out.Len() != 0 || strings.Count(errOut.String(), "\n") != 1 || !strings.Contains(errOut.String(), "(voir mjrecover scan --help)") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and one French line", args, code, out.String(), errOut.String())
		}
	}
}
