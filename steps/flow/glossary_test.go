package flow

import (
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
)

func words(terms []Term) []string {
	var out []string
	for _, t := range terms {
		out = append(out, t.Word)
	}
	return out
}

// The glossary lists the words the screen uses, in its own order, and
// only whole words.
func TestGlossaryPicksTheScreensWords(t *testing.T) {
	sc := Screen{
		Name: "Review the account",
		Why:  "An attacker may have left webhooks or parse routes behind.",
		Blocks: []Block{
			{Kind: TextBlock, Text: "Your SMTP settings use the API key."},
			{Kind: ListBlock, List: &List{Items: []Item{{Cols: []string{"sub-account", "Shop"}}}}},
			{Kind: PairsBlock, Pairs: []Pair{{Label: "Secret key", Secret: secret.New("0123456789abcdef")}}},
		},
		Actions: []Action{{ID: Continue, Label: "turn on two-factor"}},
	}
	got := strings.Join(words(Glossary(sc, nil)), ", ")
	want := "API key, secret key, main account / sub-account, webhook, parse route, two-factor authentication, SMTP"
	if got != want {
		t.Errorf("glossary of the screen: %s\nwant %s", got, want)
	}
	for _, term := range Glossary(sc, nil) {
		if term.Meaning == "" {
			t.Errorf("%s has no meaning", term.Word)
		}
	}

	// Inside another word is no word: "senders" is, "sendership" and
	// "secretly" are not.
	sc = Screen{Blocks: []Block{{Kind: TextBlock, Text: "Kept secretly by the sendership. Recovery codes: 10."}}}
	if got := words(Glossary(sc, nil)); strings.Join(got, ",") != "recovery code" {
		t.Errorf("glossary of %q: %q", sc.Blocks[0].Text, got)
	}
	if got := Glossary(Screen{Name: "Welcome"}, nil); len(got) != 0 {
		t.Errorf("a screen without the words has a glossary: %v", got)
	}
}

// In French the words are found in their French forms (plurals too), and
// in English where a screen keeps them; the terms are explained in French.
func TestGlossaryInFrench(t *testing.T) {
	p := lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })
	sc := Screen{Blocks: []Block{
		{Kind: TextBlock, Text: "Notez vos codes de récupération et changez les clés API des sous-comptes."},
		{Kind: TextBlock, Text: "Le webhook envoie à https://collect.example/hook."},
	}}
	terms := Glossary(sc, p)
	got := strings.Join(words(terms), ", ")
	want := "clé API, compte principal / sous-compte, webhook, code de récupération"
	if got != want {
		t.Fatalf("French glossary: %s\nwant %s", got, want)
	}
	if !strings.Contains(terms[0].Meaning, "clé secrète") {
		t.Errorf("the API key is not explained in French: %q", terms[0].Meaning)
	}
	// An English word left on a French screen is still explained, in French.
	terms = Glossary(Screen{Why: "Check the SMTP settings."}, p)
	if len(terms) != 1 || terms[0].Word != "SMTP" || !strings.Contains(terms[0].Meaning, "mot de passe") {
		t.Errorf("SMTP on a French screen: %+v", terms)
	}
}
