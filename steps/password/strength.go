package password

import (
	"strings"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"
)

// Label names a zxcvbn score for the meter.
func Label(score int) string {
	switch score {
	case 0:
		return "very weak"
	case 1:
		return "weak"
	case 2:
		return "fair"
	case 3:
		return "strong"
	case 4:
		return "very strong"
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

func measure(norm, email string) Strength { return strengthOf(estimate(norm, email)) }

func strengthOf(r zxcvbn.Result) Strength {
	return Strength{Score: r.Score, Label: Label(r.Score)}
}

// weaknessReason explains a low score from the patterns zxcvbn found (the
// Go port has no feedback text of its own).
func weaknessReason(seq []*match.Match) string {
	if len(seq) == 1 && seq[0].Pattern == "dictionary" && seq[0].DictionaryName == "passwords" {
		return "This is a well-known password; attackers try these first."
	}
	parts := patternWords(seq)
	if len(parts) == 0 {
		return "It is too easy to guess; add more unrelated words."
	}
	return "It is built from " + joinAnd(parts) + "; add more unrelated words."
}

// phrase is a guessable piece of a password, in singular and plural.
type phrase struct{ one, many string }

// patternWords describes the guessable pieces in password order, each
// kind once ("two common words"); a repeated group is described by what
// it is made of, then as repeated.
func patternWords(seq []*match.Match) []string {
	var order []phrase
	count := map[phrase]int{}
	var walk func([]*match.Match)
	walk = func(ms []*match.Match) {
		for _, m := range ms {
			if m.Pattern == "repeat" {
				walk(m.BaseMatches)
			}
			p, ok := describe(m)
			if !ok {
				continue
			}
			if count[p] == 0 {
				order = append(order, p)
			}
			count[p]++
		}
	}
	walk(seq)
	words := make([]string, 0, len(order))
	for _, p := range order {
		words = append(words, p.counted(count[p]))
	}
	return words
}

func (p phrase) counted(n int) string {
	switch {
	case n <= 1 || p.many == "":
		return p.one
	case n == 2:
		return "two " + p.many
	case n == 3:
		return "three " + p.many
	}
	return "several " + p.many
}

func describe(m *match.Match) (phrase, bool) {
	switch m.Pattern {
	case "dictionary":
		return describeWord(m), true
	case "spatial":
		return phrase{"a keyboard pattern", "keyboard patterns"}, true
	case "repeat":
		if len([]rune(m.BaseToken)) == 1 {
			return phrase{"the same character over and over", ""}, true
		}
		return phrase{"the same characters typed again", ""}, true
	case "sequence":
		switch m.SequenceName {
		case "digits":
			return phrase{"a number sequence", "number sequences"}, true
		case "lower", "upper":
			return phrase{"a letter sequence", "letter sequences"}, true
		}
		return phrase{"a character sequence", "character sequences"}, true
	case "regex":
		return phrase{"a recent year", "recent years"}, true
	case "date":
		return phrase{"a date", "dates"}, true
	}
	return phrase{}, false // bruteforce: random characters are not a weakness
}

func describeWord(m *match.Match) phrase {
	var p phrase
	switch m.DictionaryName {
	case "passwords":
		p = phrase{"a common password", "common passwords"}
	case "user_inputs":
		p = phrase{"words tied to your account", ""}
	case "female_names", "male_names", "surnames":
		p = phrase{"a common name", "common names"}
	default:
		p = phrase{"a common word", "common words"}
	}
	suffix := ""
	switch {
	case m.Reversed:
		suffix = " spelled backwards"
	case m.L33t:
		suffix = " with look-alike symbols (such as @ for a)"
	}
	p.one += suffix
	if p.many != "" {
		p.many += suffix
	}
	return p
}

// joinAnd joins "a", "b", "c" as "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
