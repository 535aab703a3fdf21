package password

import (
	"strings"

	"github.com/mjrecover/mjrecover/steps/password/internal/zxcvbn"
	"github.com/mjrecover/mjrecover/steps/password/internal/zxcvbn/match"

	"github.com/mjrecover/mjrecover/steps/lang"
)

// Label names a zxcvbn score for the meter, in English.
func Label(score int) string { return label(nil, score) }

func label(p *lang.Printer, score int) string {
	switch score {
	case 0:
		return p.T("very weak")
	case 1:
		return p.T("weak")
	case 2:
		return p.T("fair")
	case 3:
		return p.T("strong")
	case 4:
		return p.T("very strong")
	}
	return ""
}

// estimate runs zxcvbn on at most MaxLength runes: its matching is
// quadratic, and longer passwords are refused anyway.
func estimate(norm, email string) zxcvbn.Result {
	if r := []rune(norm); len(r) > MaxLength {
		norm = string(r[:MaxLength])
	}
	return zxcvbn.PasswordStrength(norm, userInputs(email))
}

func measure(p *lang.Printer, norm, email string) Strength {
	return strengthOf(p, estimate(norm, email))
}

func strengthOf(p *lang.Printer, r zxcvbn.Result) Strength {
	return Strength{Score: r.Score, Label: label(p, r.Score)}
}

// weaknessReason explains a low score from the patterns zxcvbn found (the
// Go port has no feedback text of its own), in p's language.
func weaknessReason(p *lang.Printer, seq []*match.Match) string {
	if len(seq) == 1 && seq[0].Pattern == "dictionary" && seq[0].DictionaryName == "passwords" {
		return p.T("This is a well-known password; attackers try these first.")
	}
	parts := patternWords(p, seq)
	if len(parts) == 0 {
		return p.T("It is too easy to guess; add more unrelated words.")
	}
	return p.T("It is built from %s; add more unrelated words.", joinAnd(p, parts))
}

// piece is a kind of guessable part of a password.
type piece struct {
	kind   string // "password", "name", "word", "account", "keyboard", "same-char", "again", "digits", "letters", "chars", "year", "date"
	suffix string // "", "backwards", "look-alike"
}

// patternWords describes the guessable pieces in password order, each
// kind once ("two common words"); a repeated group is described by what
// it is made of, then as repeated.
func patternWords(p *lang.Printer, seq []*match.Match) []string {
	var order []piece
	count := map[piece]int{}
	var walk func([]*match.Match)
	walk = func(ms []*match.Match) {
		for _, m := range ms {
			if m.Pattern == "repeat" {
				walk(m.BaseMatches)
			}
			pc, ok := describe(m)
			if !ok {
				continue
			}
			if count[pc] == 0 {
				order = append(order, pc)
			}
			count[pc]++
		}
	}
	walk(seq)
	words := make([]string, 0, len(order))
	for _, pc := range order {
		words = append(words, pc.words(p, count[pc]))
	}
	return words
}

// words says n pieces of one kind: "a common word", "two common words",
// "several common words" (the catalogs' plural forms).
func (pc piece) words(p *lang.Printer, n int) string {
	switch pc {
	case piece{"password", ""}:
		return p.T("%d common password", n)
	case piece{"password", "backwards"}:
		return p.T("%d common password spelled backwards", n)
	case piece{"password", "look-alike"}:
		return p.T("%d common password with look-alike symbols (such as @ for a)", n)
	case piece{"name", ""}:
		return p.T("%d common name", n)
	case piece{"name", "backwards"}:
		return p.T("%d common name spelled backwards", n)
	case piece{"name", "look-alike"}:
		return p.T("%d common name with look-alike symbols (such as @ for a)", n)
	case piece{"word", ""}:
		return p.T("%d common word", n)
	case piece{"word", "backwards"}:
		return p.T("%d common word spelled backwards", n)
	case piece{"word", "look-alike"}:
		return p.T("%d common word with look-alike symbols (such as @ for a)", n)
	case piece{"account", ""}:
		return p.T("words tied to your account")
	case piece{"account", "backwards"}:
		return p.T("words tied to your account spelled backwards")
	case piece{"account", "look-alike"}:
		return p.T("words tied to your account with look-alike symbols (such as @ for a)")
	case piece{"keyboard", ""}:
		return p.T("%d keyboard pattern", n)
	case piece{"same-char", ""}:
		return p.T("the same character over and over")
	case piece{"again", ""}:
		return p.T("the same characters typed again")
	case piece{"digits", ""}:
		return p.T("%d number sequence", n)
	case piece{"letters", ""}:
		return p.T("%d letter sequence", n)
	case piece{"chars", ""}:
		return p.T("%d character sequence", n)
	case piece{"year", ""}:
		return p.T("%d recent year", n)
	case piece{"date", ""}:
		return p.T("%d date", n)
	}
	return ""
}

func describe(m *match.Match) (piece, bool) {
	switch m.Pattern {
	case "dictionary":
		return describeWord(m), true
	case "spatial":
		return piece{kind: "keyboard"}, true
	case "repeat":
		if len([]rune(m.BaseToken)) == 1 {
			return piece{kind: "same-char"}, true
		}
		return piece{kind: "again"}, true
	case "sequence":
		switch m.SequenceName {
		case "digits":
			return piece{kind: "digits"}, true
		case "lower", "upper":
			return piece{kind: "letters"}, true
		}
		return piece{kind: "chars"}, true
	case "regex":
		return piece{kind: "year"}, true
	case "date":
		return piece{kind: "date"}, true
	}
	return piece{}, false // bruteforce: random characters are not a weakness
}

func describeWord(m *match.Match) piece {
	var pc piece
	switch m.DictionaryName {
	case "passwords":
		pc.kind = "password"
	case "user_inputs":
		pc.kind = "account"
	case "female_names", "male_names", "surnames":
		pc.kind = "name"
	default:
		pc.kind = "word"
	}
	switch {
	case m.Reversed:
		pc.suffix = "backwards"
	case m.L33t:
		pc.suffix = "look-alike"
	}
	return pc
}

// joinAnd joins "a", "b", "c" as "a, b and c".
func joinAnd(p *lang.Printer, parts []string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	return p.T("%[1]s and %[2]s", strings.Join(parts[:len(parts)-1], ", "), parts[len(parts)-1])
}
