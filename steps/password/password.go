// Package password decides whether a new password is acceptable, after
// NIST SP 800-63B rev 4: at least 15 characters, at least 64 allowed, no
// composition rules, refused when it appears in breach data, contains the
// account's email, its local part or "mailjet", or is easy to guess
// (zxcvbn score below 3). Every refusal carries a reason in plain words.
//
// CONTRACT STUB: signatures are fixed; bodies are being implemented.
package password

import (
	"context"

	"github.com/mjrecover/mjrecover/api/secret"
)

// Length limits, in characters (Unicode code points after NFKC).
const (
	MinLength = 15
	MaxLength = 128
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
	OK       bool
	Reason   string // why it is refused, in plain words; "" when OK
	Note     string // e.g. the breach service was unreachable and the bundled list was used
	Strength Strength
}

// Checker applies the rules.
type Checker struct{}

// NewChecker returns a checker that asks breaches (nil: offline only) and
// falls back to the bundled common list (lower-case entries) when the
// service cannot be reached.
func NewChecker(breaches Breaches, common []string) *Checker { return &Checker{} }

// Strength is the live meter for what is typed so far (no I/O).
func (c *Checker) Strength(pw, email string) Strength { return Strength{} }

// Problem returns the first local rule pw breaks (length, email,
// "mailjet"), or "" (no I/O; for live feedback while typing).
func (c *Checker) Problem(pw, email string) string { return "" }

// Check applies every rule, the breach lookup included.
func (c *Checker) Check(ctx context.Context, pw secret.Secret, email string) Verdict {
	return Verdict{}
}
