package password

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/mjrecover/mjrecover/steps/password/internal/zxcvbn/match"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
)

func strictFrench(t *testing.T) *lang.Printer {
	t.Helper()
	return lang.New(lang.French).Strict(func(k string) { t.Errorf("not translated: %q", k) })
}

// Every reason a password is refused, the notes, the meter and the rule,
// in French.
func TestCheckerInFrench(t *testing.T) {
	fr := strictFrench(t)
	const nb = "\u00a0"
	breaches := &fakeBreaches{counts: map[string]int{"Summer-Gardens-Forever-2019!": 1234, "single leak passphrase here 7!": 1}}
	c := NewChecker(breaches, []string{"password12345678!"}).WithRule(MailjetRule()).WithLang(fr)
	const email = "jane.doe@lafleur-bakery.example"
	for pw, want := range map[string]string{
		"short":                                "Utilisez au moins 15 caractères" + nb + "; vous en avez 5.",
		strings.Repeat("a1!", 50):              "Utilisez au plus 128 caractères" + nb + "; vous en avez 150.",
		"tulip orbit saddle quiver lantern":    "Mailjet demande aussi au moins 1 chiffre et 1 caractère spécial (comme" + nb + "!" + nb + "? # ou %)" + nb + "; ajoutez-les.",
		"tulip orbit saddle quiver lantern 42": "Mailjet demande aussi au moins 1 caractère spécial (comme" + nb + "!" + nb + "? # ou %)" + nb + "; ajoutez-en un.",
		"tulip orbit saddle quiver lantern!":   "Mailjet demande aussi au moins 1 chiffre" + nb + "; ajoutez-en un.",
		"x jane.doe@lafleur-bakery.example 1!": "Il contient votre adresse e-mail" + nb + "; choisissez des mots sans rapport avec votre compte.",
		"velvet jane.doe tractor harbour 1!":   `Il contient "jane.doe", tiré de votre adresse e-mail` + nb + "; choisissez des mots sans rapport avec votre compte.",
		"velvet mailjet tractor harbour 1!":    "Il contient le mot «" + nb + "mailjet" + nb + "»" + nb + "; les attaquants essaient d'abord le nom du service.",
		"tulip orbit saddle quiver lantern 4!": "",
	} {
		if got := c.Problem(pw, email); got != want {
			t.Errorf("Problem(%q) = %q, want %q", pw, got, want)
		}
	}
	ctx := context.Background()
	v := c.Check(ctx, secret.New("Summer-Gardens-Forever-2019!"), email)
	if v.OK || !regexp.MustCompile(`^Ce mot de passe apparaît dans 1\D234 fuites de données connues`+nb+`; `).MatchString(v.Reason) {
		t.Errorf("breached = %+v", v)
	}
	if v := c.Check(ctx, secret.New("single leak passphrase here 7!"), email); v.Reason != "Ce mot de passe apparaît dans 1 fuite de données connue"+nb+"; les attaquants essaient ceux-là en premier." {
		t.Errorf("breached once = %q", v.Reason)
	}
	if v := c.Check(ctx, secret.New("password12345678!"), email); !strings.HasPrefix(v.Reason, "Ce mot de passe figure sur une liste") {
		t.Errorf("common = %q", v.Reason)
	}
	if v := c.Check(ctx, secret.New("aaaaaaaaaaaaaaa1!"), email); !strings.HasPrefix(v.Reason, "Il contient ") || !strings.HasSuffix(v.Reason, "ajoutez d'autres mots sans rapport entre eux.") {
		t.Errorf("weak = %q", v.Reason)
	}

	// Offline and unreachable: the note in French, Unchecked the English code.
	off := NewChecker(nil, nil).WithRule(MailjetRule()).WithLang(fr)
	v = off.Check(ctx, secret.New("tulip orbit saddle quiver lantern 4!"), email)
	if !v.OK || v.Unchecked != UncheckedOffline || !strings.HasPrefix(v.Note, "Mode hors ligne"+nb+": ") || fr.Text(v.Unchecked) != "la base des fuites de données n'a pas été consultée (mode hors ligne)" {
		t.Errorf("offline = %+v", v)
	}
	down := NewChecker(&fakeBreaches{err: errors.New("down")}, nil).WithLang(fr)
	v = down.Check(ctx, secret.New("tulip orbit saddle quiver lantern 4!"), email)
	if !v.OK || v.Unchecked != UncheckedUnreachable || !strings.HasPrefix(v.Note, "La base des fuites de données n'a pas pu être jointe") || fr.Text(v.Unchecked) == v.Unchecked {
		t.Errorf("unreachable = %+v", v)
	}

	for score, want := range []string{"très faible", "faible", "moyen", "solide", "très solide"} {
		if got := label(fr, score); got != want {
			t.Errorf("label(%d) = %q", score, got)
		}
	}
	if s := c.Strength("tulip orbit saddle quiver lantern 4!", email); s.Label != "solide" && s.Label != "très solide" {
		t.Errorf("strength = %+v", s)
	}
	if got := c.Advice(); got != "Utilisez au moins 15 caractères, dont au moins 1 chiffre et 1 caractère spécial comme"+nb+"!"+nb+"? # ou % (Mailjet exige les deux). "+
		"Quelques mots sans rapport entre eux, avec un chiffre et un symbole, font un mot de passe solide et facile à retenir." {
		t.Errorf("advice = %q", got)
	}
	if got := NewChecker(nil, nil).WithRule(Rule{Digits: 2}).WithLang(fr).Advice(); !strings.Contains(got, "dont au moins 2 chiffres (le service l'exige)") {
		t.Errorf("advice with one rule = %q", got)
	}
	if got := NewChecker(nil, nil).WithLang(fr).Advice(); !strings.HasPrefix(got, "Utilisez au moins 15 caractères. Quelques mots") {
		t.Errorf("advice without a rule = %q", got)
	}
	// The checker's language does not change the English one.
	if got := NewChecker(nil, nil).WithRule(MailjetRule()).Problem("short", ""); got != "Use at least 15 characters; you have 5." {
		t.Errorf("English = %q", got)
	}
}

// Every guessable piece, counted as zxcvbn may count it, in French.
func TestWeaknessWordsInFrench(t *testing.T) {
	fr := strictFrench(t)
	var pieces []piece
	for _, kind := range []string{"password", "name", "word", "account"} {
		for _, suffix := range []string{"", "backwards", "look-alike"} {
			pieces = append(pieces, piece{kind, suffix})
		}
	}
	for _, kind := range []string{"keyboard", "same-char", "again", "digits", "letters", "chars", "year", "date"} {
		pieces = append(pieces, piece{kind: kind})
	}
	for _, pc := range pieces {
		for _, n := range []int{1, 2, 3, 5} {
			if got := pc.words(fr, n); got == "" || got == pc.words(nil, n) {
				t.Errorf("%+v × %d = %q", pc, n, got)
			}
		}
	}
	if got := (piece{"word", ""}).words(fr, 2); got != "deux mots courants" {
		t.Errorf("two words = %q", got)
	}
	if got := (piece{"word", "backwards"}).words(nil, 3); got != "three common words spelled backwards" {
		t.Errorf("English = %q", got)
	}
	seq := []*match.Match{{Pattern: "dictionary", DictionaryName: "passwords", Token: "password"}, {Pattern: "date"}}
	if got := weaknessReason(fr, seq); got != "Il contient un mot de passe courant et une date\u00a0; ajoutez d'autres mots sans rapport entre eux." {
		t.Errorf("reason = %q", got)
	}
	if got := weaknessReason(fr, []*match.Match{{Pattern: "dictionary", DictionaryName: "passwords"}}); !strings.HasPrefix(got, "C'est un mot de passe très connu") {
		t.Errorf("well-known = %q", got)
	}
	if got := weaknessReason(fr, nil); !strings.HasPrefix(got, "Il est trop facile à deviner") {
		t.Errorf("too easy = %q", got)
	}
}
