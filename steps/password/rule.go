package password

import (
	"unicode"

	"github.com/mjrecover/mjrecover/steps/lang"
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

// problem is what pw lacks for the rule, or "", in p's language.
func (r Rule) problem(p *lang.Printer, norm string) string {
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
		need = append(need, p.T("%d number", r.Digits))
	}
	if specials < r.Specials {
		need = append(need, p.T("%d special character (such as ! ? # or %%)", r.Specials))
	}
	if len(need) == 0 {
		return ""
	}
	who := r.Service
	if who == "" {
		who = p.T("The service")
	}
	add := p.T("add one")
	if len(need) > 1 || digits < r.Digits-1 || specials < r.Specials-1 {
		add = p.T("add them")
	}
	return p.T("%[1]s also asks for at least %[2]s; %[3]s.", who, joinAnd(p, need), add)
}

// Advice says the rule up front, in plain English words (the Checker's
// Advice says it in the checker's language).
func (r Rule) Advice() string { return r.advice(nil) }

func (r Rule) advice(p *lang.Printer) string {
	var extra []string
	if r.Digits > 0 {
		extra = append(extra, p.T("%d number", r.Digits))
	}
	if r.Specials > 0 {
		extra = append(extra, p.T("%d special character such as ! ? # or %%", r.Specials))
	}
	who := r.Service
	if who == "" {
		who = p.T("the service")
	}
	switch len(extra) {
	case 0:
		return p.T("Use at least %d characters. A few unrelated words make a strong password that is easy to remember.", r.minLength())
	case 1:
		return p.T("Use at least %[1]d characters, with at least %[2]s (%[3]s asks for it). "+
			"A few unrelated words with a number and a symbol make a strong password that is easy to remember.", r.minLength(), extra[0], who)
	}
	return p.T("Use at least %[1]d characters, with at least %[2]s (%[3]s asks for both). "+
		"A few unrelated words with a number and a symbol make a strong password that is easy to remember.", r.minLength(), joinAnd(p, extra), who)
}
