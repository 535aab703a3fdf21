package lang

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"
)

// A Message kept in a journal comes back able to be said in any language,
// plural forms and nested messages included.
func TestMessageRoundTrip(t *testing.T) {
	c := compile(map[language.Tag]Catalog{
		English: {"%d file changed in %s": {Forms: map[string]string{"one": "%d file changed in %s", "other": "%d files changed in %s"}, Arg: 1}},
		French: {
			"%d file changed in %s": {Forms: map[string]string{"one": "%d fichier modifié dans %s", "other": "%d fichiers modifiés dans %s"}, Arg: 1},
			"the site %s":           {Text: "le site %s"},
		},
	})
	m := Msg("%d file changed in %s", 3, Msg("the site %s", "shop.example"))
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back Message
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if got, want := c.printer(French).Say(back), "3 fichiers modifiés dans le site shop.example"; got != want {
		t.Errorf("French: %q, want %q (kept as %s)", got, want, b)
	}
	if got, want := c.printer(English).Say(back), "3 files changed in the site shop.example"; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
	if err := json.Unmarshal([]byte(`{"key":"%d x","args":[1.5]}`), &back); err == nil {
		t.Error("a fraction was taken as an argument")
	}
}

// A date kept as a message says its month and the French "1er" after a
// round trip; a kept text is translated only when it is a message, never
// formatted; MapText reaches every text argument.
func TestMessageDatesKeptTextsAndMapText(t *testing.T) {
	fr := New(French)
	var back Message
	day := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	b, _ := json.Marshal(Msg("%[1]s at %[2]s", DateMsg(day), "10:00 UTC"))
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if got, want := fr.Say(back), "1er novembre 2026 à 10:00 UTC"; got != want {
		t.Errorf("French date: %q, want %q (kept as %s)", got, want, b)
	}
	if got, want := back.String(), "1 November 2026 at 10:00 UTC"; got != want {
		t.Errorf("English date: %q, want %q", got, want)
	}
	if got := fr.Date(day); got != "1er novembre 2026" {
		t.Errorf("Date: %q", got)
	}

	b, _ = json.Marshal(Msg("%[1]s at %[2]s", Kept("May"), Kept("100% of %d")))
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if got, want := fr.Say(back), "mai à 100% of %d"; got != want {
		t.Errorf("kept texts: %q, want %q", got, want)
	}

	hidden := Msg("%[1]s at %[2]s", "s3cr3t here", Msg("%[1]s at %[2]s", Kept("s3cr3t"), "x")).MapText(func(s string) string {
		return strings.ReplaceAll(s, "s3cr3t", "****")
	})
	if got, want := hidden.String(), "**** here at **** at x"; got != want {
		t.Errorf("MapText: %q, want %q", got, want)
	}
}
