package password

import (
	"fmt"
	"strings"
	"unicode"
)

// Rule is a service's own password rule, on top of NIST's: the password
// always ends up at that service, which refuses what breaks its rule.
type Rule struct {
	Service   string // who asks for it: "Mailjet"
	MinLength int    // at least this many characters (NIST's 15 is kept when this is lower)
	Digits    int    // at least this many numbers
	Specials  int    // at least this many special characters (not a letter, digit or space)
}

// MailjetRule is Mailjet's rule. Source: Mailjet's help centre, "Securing
// your Mailjet account" (article 17997435937563): "a minimum of 8
// characters, 1 number, and 1 special character".
func MailjetRule() Rule { return Rule{Service: "Mailjet", MinLength: 8, Digits: 1, Specials: 1} }

// minLength is the length the union of NIST and the rule asks for.
func (r Rule) minLength() int { return max(MinLength, r.MinLength) }

// problem is what pw lacks for the rule, or "".
func (r Rule) problem(norm string) string {
	var digits, specials int
	for _, c := range norm {
		switch {
		case unicode.IsDigit(c):
			digits++
		case unicode.IsPunct(c) || unicode.IsSymbol(c):
			specials++
		}
	}
	var need []string
	if digits < r.Digits {
		need = append(need, countWords(r.Digits, "number", "numbers"))
	}
	if specials < r.Specials {
		need = append(need, countWords(r.Specials, "special character (such as ! ? # or %)", "special characters (such as ! ? # or %)"))
	}
	if len(need) == 0 {
		return ""
	}
	who := r.Service
	if who == "" {
		who = "The service"
	}
	add := "add one"
	if len(need) > 1 || digits < r.Digits-1 || specials < r.Specials-1 {
		add = "add them"
	}
	return fmt.Sprintf("%s also asks for at least %s; %s.", who, strings.Join(need, " and "), add)
}

// Advice says the rule up front, in plain words.
func (r Rule) Advice() string {
	var extra []string
	if r.Digits > 0 {
		extra = append(extra, countWords(r.Digits, "number", "numbers"))
	}
	if r.Specials > 0 {
		extra = append(extra, countWords(r.Specials, "special character such as ! ? # or %", "special characters such as ! ? # or %"))
	}
	text := fmt.Sprintf("Use at least %d characters", r.minLength())
	if len(extra) > 0 {
		who := r.Service
		if who == "" {
			who = "the service"
		}
		text += fmt.Sprintf(", with at least %s (%s asks for %s)", strings.Join(extra, " and "), who,
			map[bool]string{true: "it", false: "both"}[len(extra) == 1])
	}
	text += ". A few unrelated words"
	if len(extra) > 0 {
		text += " with a number and a symbol"
	}
	return text + " make a strong password that is easy to remember."
}

func countWords(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
