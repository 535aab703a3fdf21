// Package password decides whether a new password is acceptable: the union
// of NIST SP 800-63B rev 4 (at least 15 characters, at least 64 allowed,
// refused when it appears in breach data, contains the account's email,
// its local part or "mailjet", or is easy to guess: zxcvbn score below 3)
// and the rule of the service it is for (Mailjet's: at least 1 number and
// 1 special character), since the password always ends up there. Every
// refusal carries a reason in plain words.
//
// The rules run in a fixed order (length, the service's rule, account
// words, breach data, strength) so the user always sees the most basic
// problem first.
package password

import (
	"context"
	"strings"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Length limits, in characters (Unicode code points after NFKC).
const (
	MinLength = 15
	MaxLength = 128
)

// MinScore is the lowest zxcvbn score accepted.
const MinScore = 3

// Notes shown under the verdict when the breach database was not used, in
// English; Verdict.Note says them in the checker's language.
var (
	NoteUnreachable = lang.Mark("Could not reach the breach database, so the password was checked against the bundled list of common passwords.")
	NoteOffline     = lang.Mark("Offline mode: the password was checked against the bundled list of common passwords, not the breach database.")
)

// What could not be checked (Verdict.Unchecked), for the screen and the
// report: never said to have passed. Verdict.Unchecked is one of these,
// in English whatever the language (a screen says it with lang's Text).
var (
	UncheckedUnreachable = lang.Mark("the breach database could not be reached")
	UncheckedOffline     = lang.Mark("the breach database was not asked (offline mode)")
)

// Breaches counts a password's appearances in breach data (api/pwned).
type Breaches interface {
	Count(ctx context.Context, password secret.Secret) (int, error)
}

// Strength is the live meter's reading.
type Strength struct {
	Score int    // zxcvbn 0..4
	Label string // "very weak", "weak", "fair", "strong", "very strong"
}

// Verdict is the result of a full check.
type Verdict struct {
	OK     bool
	Reason string // why it is refused, in plain words (the checker's language); "" when OK
	Note   string // e.g. the breach service was unreachable and the bundled list was used (the checker's language)
	// Unchecked says what could not be checked (UncheckedUnreachable or
	// UncheckedOffline, in English); "" when every check was made.
	Unchecked string
	Strength  Strength
}

// Checker applies the rules. It holds no mutable state and is safe for
// concurrent use.
type Checker struct {
	breaches Breaches
	common   map[string]struct{}
	rule     Rule
	lang     *lang.Printer // the customer's language (nil: English)
}

// NewChecker returns a checker that asks breaches (nil: offline only) and
// falls back to the bundled common list (lower-case entries) when the
// service cannot be reached.
func NewChecker(breaches Breaches, common []string) *Checker {
	set := make(map[string]struct{}, len(common))
	for _, w := range common {
		w = strings.ToLower(strings.TrimSpace(Normalize(w)))
		if w != "" {
			set[w] = struct{}{}
		}
	}
	return &Checker{breaches: breaches, common: set}
}

// WithBreaches is the checker asking b (nil: offline only); its common
// list stays shared.
func (c *Checker) WithBreaches(b Breaches) *Checker {
	cp := *c
	cp.breaches = b
	return &cp
}

// WithRule is the checker with a service's own rule on top of NIST's.
func (c *Checker) WithRule(r Rule) *Checker {
	cp := *c
	cp.rule = r
	return &cp
}

// WithLang is the checker speaking p's language (nil: English): reasons,
// notes, strength labels and advice.
func (c *Checker) WithLang(p *lang.Printer) *Checker {
	cp := *c
	cp.lang = p
	return &cp
}

// Rule is the service's rule the checker applies.
func (c *Checker) Rule() Rule { return c.rule }

// Advice says the rules up front, in plain words.
func (c *Checker) Advice() string { return c.rule.advice(c.lang) }

// Strength is the live meter for what is typed so far (no I/O).
func (c *Checker) Strength(pw, email string) Strength {
	return measure(c.lang, Normalize(pw), email)
}

// Problem returns the first local rule pw breaks (length, email,
// "mailjet"), or "" (no I/O; for live feedback while typing).
func (c *Checker) Problem(pw, email string) string {
	return localProblem(c.lang, Normalize(pw), email, c.rule)
}

// Check applies every rule, the breach lookup included.
func (c *Checker) Check(ctx context.Context, pw secret.Secret, email string) Verdict {
	norm := Normalize(pw.Reveal())
	est := estimate(norm, email)
	v := Verdict{Strength: strengthOf(c.lang, est)}
	if reason := localProblem(c.lang, norm, email, c.rule); reason != "" {
		v.Reason = reason
		return v
	}
	reason, note := c.breachProblem(ctx, norm)
	switch note {
	case NoteUnreachable:
		v.Unchecked = UncheckedUnreachable
	case NoteOffline:
		v.Unchecked = UncheckedOffline
	}
	if note != "" {
		v.Note = c.lang.Text(note)
	}
	if reason != "" {
		v.Reason = reason
		return v
	}
	if v.Strength.Score < MinScore {
		v.Reason = weaknessReason(c.lang, est.Sequence)
		return v
	}
	v.OK = true
	return v
}

// breachProblem asks the breach database; when it cannot be asked, the
// bundled common list stands in for it and the note says so.
func (c *Checker) breachProblem(ctx context.Context, norm string) (reason, note string) {
	if c.breaches == nil {
		note = NoteOffline
	} else {
		n, err := c.breaches.Count(ctx, secret.New(norm))
		switch {
		case err != nil:
			note = NoteUnreachable
		case n > 0:
			// The count is said the language's way: 1,234 or 1 234.
			return c.lang.T("This password appears in %d known data breach; attackers try these first.", n), ""
		}
	}
	// The bundled list is checked even when the service answered: it is
	// local and cheap, and catches what a partial breach corpus misses.
	if _, ok := c.common[strings.ToLower(norm)]; ok {
		return c.lang.T("This password is on a list of common passwords; attackers try these first."), note
	}
	return "", note
}
