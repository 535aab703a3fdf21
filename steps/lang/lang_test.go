package lang

import (
	"testing"
	"time"

	"golang.org/x/text/language"
)

func testPrinters(t *testing.T) (en, fr *Printer) {
	t.Helper()
	c := compile(map[language.Tag]Catalog{
		English: {"%d file changed": {Forms: map[string]string{"one": "%d file changed", "other": "%d files changed"}, Arg: 1}},
		French: {
			"%d file changed": {Forms: map[string]string{"one": "%d fichier modifié", "other": "%d fichiers modifiés"}, Arg: 1},
			"Hello %s":        {Text: "Bonjour %s"},
		},
	})
	return c.printer(English), c.printer(French)
}

func TestPluralsFollowEachLanguage(t *testing.T) {
	en, fr := testPrinters(t)
	for _, c := range []struct {
		p    *Printer
		n    int
		want string
	}{
		{en, 0, "0 files changed"}, {en, 1, "1 file changed"}, {en, 2, "2 files changed"},
		// French says "0 fichier", singular: CLDR's "one" is 0 and 1.
		{fr, 0, "0 fichier modifié"}, {fr, 1, "1 fichier modifié"}, {fr, 2, "2 fichiers modifiés"},
	} {
		if got := c.p.T("%d file changed", c.n); got != c.want {
			t.Errorf("%s, %d: %q, want %q", c.p.Tag(), c.n, got, c.want)
		}
	}
}

func TestFallbacksAndMisses(t *testing.T) {
	en, fr := testPrinters(t)
	if got := fr.T("Hello %s", "Ana"); got != "Bonjour Ana" {
		t.Errorf("French: %q", got)
	}
	var missed []string
	strict := fr.Strict(func(k string) { missed = append(missed, k) })
	if got := strict.T("Goodbye %s", "Ana"); got != "Goodbye Ana" {
		t.Errorf("no translation: %q, want the English", got)
	}
	if len(missed) != 1 || missed[0] != "Goodbye %s" {
		t.Errorf("missed = %q", missed)
	}
	en.Strict(func(k string) { t.Errorf("English missed %q", k) }).T("Goodbye %s", "Ana")
	var bad []string
	en.Strict(func(k string) { bad = append(bad, k) }).T("Goodbye", "Ana")
	if len(bad) != 1 {
		t.Errorf("an argument the message has no verb for went unnoticed: %q", bad)
	}
	var nilPrinter *Printer
	if got := nilPrinter.T("%d file changed", 3); got == "" || nilPrinter.Tag() != English {
		t.Errorf("nil printer: %q in %s", got, nilPrinter.Tag())
	}
	// Text never formats what it has no entry for: it may be a file's text.
	if got := fr.Text("100% of /tmp/%s"); got != "100% of /tmp/%s" {
		t.Errorf("Text formatted untranslated text: %q", got)
	}
}

func TestPick(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	for _, c := range []struct {
		name string
		flag string
		env  func(string) string
		want language.Tag
	}{
		{"nothing set", "", env(), English},
		{"LANG", "", env("LANG", "fr_FR.UTF-8"), French},
		{"LANG Belgian French", "", env("LANG", "fr_BE@euro"), French},
		{"LC_MESSAGES over LANG", "", env("LC_MESSAGES", "en_GB.UTF-8", "LANG", "fr_FR.UTF-8"), English},
		{"LC_ALL over all", "", env("LC_ALL", "fr_CA.UTF-8", "LC_MESSAGES", "en_US", "LANG", "en_US"), French},
		{"C decides", "", env("LC_ALL", "C", "LANG", "fr_FR.UTF-8"), English},
		{"no catalog", "", env("LANG", "de_DE.UTF-8"), English},
		{"flag over env", "fr", env("LANG", "en_US.UTF-8"), French},
		{"flag English", "en", env("LANG", "fr_FR.UTF-8"), English},
	} {
		got, err := Pick(c.flag, c.env)
		if err != nil || got != c.want {
			t.Errorf("%s: %s, %v; want %s", c.name, got, err, c.want)
		}
	}
	if _, err := Pick("klingon!", env()); err == nil {
		t.Error("--lang klingon!: no error")
	}
}

func TestMoments(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	at := time.Date(2026, time.November, 20, 3, 14, 0, 0, time.UTC).In(paris)
	if got, want := New(English).Moment(at), "20 November 2026 at 04:14 CET"; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
	if got, want := New(French).Moment(at), "20 novembre 2026 à 04:14 CET"; got != want {
		t.Errorf("French: %q, want %q", got, want)
	}
}

func TestFrenchFirstOfTheMonth(t *testing.T) {
	at := time.Date(2026, time.December, 1, 9, 5, 0, 0, time.UTC)
	if got, want := New(French).Date(at), "1er décembre 2026"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got, want := New(English).Date(at), "1 December 2026"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
