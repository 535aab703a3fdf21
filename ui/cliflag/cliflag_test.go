package cliflag

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/mjrecover/mjrecover/steps/lang"
)

func newSet() *flag.FlagSet {
	fs := flag.NewFlagSet("mjrecover thing", flag.ContinueOnError)
	fs.String("name", "", "a `name`")
	fs.Usage = func() { fs.Output().Write([]byte("Usage: mjrecover thing [--name N]\n")) }
	return fs
}

func TestHelpGoesToStandardOutput(t *testing.T) {
	var out, errOut bytes.Buffer
	err := Parse(newSet(), []string{"--help"}, &out, &errOut)
	if !errors.Is(err, flag.ErrHelp) || out.String() != "Usage: mjrecover thing [--name N]\n" || errOut.Len() != 0 {
		t.Fatalf("err %v, stdout %q, stderr %q", err, out.String(), errOut.String())
	}
}

func TestAMistakeIsOneCleanLine(t *testing.T) {
	var out, errOut bytes.Buffer
	err := Parse(newSet(), []string{"--na\x1b[2Jme"}, &out, &errOut)
	want := "mjrecover thing: unknown flag -na" // the escape is dropped
	if err == nil || out.Len() != 0 || !strings.HasPrefix(errOut.String(), want) ||
		!strings.HasSuffix(errOut.String(), "(see mjrecover thing --help)\n") || strings.Count(errOut.String(), "\n") != 1 ||
		strings.Contains(errOut.String(), "\x1b") {
		t.Fatalf("err %v, stdout %q, stderr %q", err, out.String(), errOut.String())
	}
}

func TestFlagsAreSet(t *testing.T) {
	fs := newSet()
	if err := Parse(fs, []string{"--name", "x", "rest"}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil || fs.Lookup("name").Value.String() != "x" || fs.Arg(0) != "rest" {
		t.Fatalf("err %v, name %q, args %q", err, fs.Lookup("name").Value, fs.Args())
	}
}

// strictFrench fails the test on any message French does not translate.
func strictFrench(t *testing.T) *lang.Printer {
	return lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })
}

// env is an environment of variables for Language.
func env(vars ...string) func(string) string {
	return func(name string) string {
		for i := 0; i+1 < len(vars); i += 2 {
			if vars[i] == name {
				return vars[i+1]
			}
		}
		return ""
	}
}

func TestLanguage(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  func(string) string
		want string
	}{
		{nil, env(), "en"},
		{nil, env("LANG", "fr_FR.UTF-8"), "fr"},
		{[]string{"x", "--lang", "en"}, env("LANG", "fr_FR.UTF-8"), "en"},
		{[]string{"-lang=fr"}, env("LC_ALL", "C", "LANG", "fr_FR.UTF-8"), "fr"},
		{[]string{"--", "--lang", "fr"}, env(), "en"}, // after "--", a path
	} {
		var errOut bytes.Buffer
		p, err := Language("mjrecover thing", c.args, c.env, &errOut)
		if err != nil || p.Tag().String() != c.want || errOut.Len() != 0 {
			t.Errorf("Language(%q): %v, %v, stderr %q; want %s", c.args, p.Tag(), err, errOut.String(), c.want)
		}
	}
	// A --lang that is no language is said in the environment's language.
	var errOut bytes.Buffer
	if _, err := Language("mjrecover thing", []string{"--lang", "12"}, env("LANG", "fr_FR.UTF-8"), &errOut); err == nil ||
		errOut.String() != "mjrecover thing\u00a0: --lang \"12\" n'est pas une langue\u00a0: utilisez en (anglais) ou fr (français) (voir mjrecover thing --help)\n" {
		t.Errorf("err %v, stderr %q", err, errOut.String())
	}
}

// kinds is a flag set with a flag of each kind the commands use.
func kinds(p *lang.Printer) *flag.FlagSet {
	fs := flag.NewFlagSet("mjrecover thing", flag.ContinueOnError)
	LangFlag(fs, p)
	fs.String("name", "bob", "a `name`")
	fs.Int("n", 0, "a number")
	fs.Int("workers", 4, "how many")
	fs.Bool("yes", false, "say yes")
	fs.Duration("wait", time.Second, "how `long`")
	fs.Usage = func() { PrintDefaults(p, fs) }
	return fs
}

func TestMistakesInFrench(t *testing.T) {
	for args, want := range map[string]string{
		"--colour":                       "option -colour inconnue",
		"--name":                         "l'option -name demande une valeur",
		"---name":                        "---name n'est pas une option",
		"--workers x":                    "valeur \"x\" non valable pour -workers\u00a0: ce n'est pas un nombre",
		"--workers 99999999999999999999": "valeur \"99999999999999999999\" non valable pour -workers\u00a0: hors limites",
		"--yes=maybe":                    "valeur \"maybe\" non valable pour -yes\u00a0: utilisez true ou false",
	} {
		p := strictFrench(t)
		var out, errOut bytes.Buffer
		err := ParseIn(p, kinds(p), strings.Fields(args), &out, &errOut)
		if line := "mjrecover thing\u00a0: " + want + " (voir mjrecover thing --help)\n"; err == nil || out.Len() != 0 || errOut.String() != line {
			t.Errorf("%s: err %v, stderr %q, want %q", args, err, errOut.String(), line)
		}
	}
	// And in English.
	var errOut bytes.Buffer
	ParseIn(nil, kinds(nil), []string{"--workers", "x"}, &bytes.Buffer{}, &errOut)
	if want := "mjrecover thing: invalid value \"x\" for -workers: not a number (see mjrecover thing --help)\n"; errOut.String() != want {
		t.Errorf("stderr %q, want %q", errOut.String(), want)
	}
}

// PrintDefaults says each flag with its words beside it when they fit in
// 80 columns (in a column), else below it as flag.PrintDefaults does, its
// defaults in the printer's language.
func TestPrintDefaults(t *testing.T) {
	var ours bytes.Buffer
	fs := kinds(nil)
	fs.SetOutput(&ours)
	PrintDefaults(nil, fs)
	want := "  -lang language\n        language: en (English) or fr (French); by default the system's (LANG)\n" +
		"  -n int          a number\n" +
		"  -name name      a name (default \"bob\")\n" +
		"  -wait long      how long (default 1s)\n" +
		"  -workers int    how many (default 4)\n" +
		"  -yes            say yes\n"
	if ours.String() != want {
		t.Errorf("PrintDefaults:\n%s\nwant:\n%s", ours.String(), want)
	}
	var out bytes.Buffer
	if err := ParseIn(strictFrench(t), kinds(strictFrench(t)), []string{"-h"}, &out, &bytes.Buffer{}); !errors.Is(err, flag.ErrHelp) {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  -lang langue\n        langue\u00a0: en (anglais) ou fr (français)\u00a0; sinon celle du système (LANG)\n",
		"  -name name    a name (par défaut\u00a0: \"bob\")\n",
		"(par défaut\u00a0: 4)", "(par défaut\u00a0: 1s)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("French help lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "a number (") || strings.Contains(out.String(), "say yes (") {
		t.Errorf("a zero default is said:\n%s", out.String())
	}
}
