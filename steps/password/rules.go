package password

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// serviceName may not appear in a password: attackers try it first.
const serviceName = "mailjet"

// minLocalPart is the shortest email local part worth refusing: "jo"
// would forbid too many harmless passwords.
const minLocalPart = 3

// Normalize returns pw in Unicode NFKC form, the form in which lengths
// are counted and the password should be sent to the backend (NIST SP
// 800-63B: normalize before hashing, so "ｐａｓｓ" and "pass" agree).
func Normalize(pw string) string { return norm.NFKC.String(pw) }

// NormalizeSecret is Normalize for a secret.
func NormalizeSecret(pw secret.Secret) secret.Secret { return secret.New(Normalize(pw.Reveal())) }

// localProblem checks the rules that need no I/O, in order: length, the
// service's rule, then words tied to the account. norm must already be
// normalized.
func localProblem(p *lang.Printer, norm, email string, rule Rule) string {
	if n, least := utf8.RuneCountInString(norm), rule.minLength(); n < least {
		return p.T("Use at least %[1]s characters; you have %[2]s.", strconv.Itoa(least), strconv.Itoa(n))
	} else if n > MaxLength {
		return p.T("Use at most %[1]s characters; you have %[2]s.", strconv.Itoa(MaxLength), strconv.Itoa(n))
	}
	if problem := rule.problem(p, norm); problem != "" {
		return problem
	}
	lower := strings.ToLower(norm)
	email, local := accountWords(email)
	switch {
	case email != "" && strings.Contains(lower, email):
		return p.T("It contains your email address; choose words that have nothing to do with your account.")
	case local != "" && strings.Contains(lower, local):
		return p.T("It contains %q from your email address; choose words that have nothing to do with your account.", local)
	case strings.Contains(lower, serviceName):
		return p.T(`It contains the word "mailjet"; attackers try the service's name first.`)
	}
	return ""
}

// accountWords returns the normalized lower-case email ("" when it is not
// an address) and its local part ("" when shorter than minLocalPart).
func accountWords(email string) (full, local string) {
	full = strings.ToLower(strings.TrimSpace(Normalize(email)))
	local, _, isAddress := strings.Cut(full, "@")
	if !isAddress {
		full = ""
	}
	if utf8.RuneCountInString(local) < minLocalPart {
		local = ""
	}
	return full, local
}

// userInputs are the words zxcvbn treats as known to an attacker.
func userInputs(email string) []string {
	full, local := accountWords(email)
	inputs := []string{serviceName}
	if full != "" {
		inputs = append(inputs, full)
	}
	if local != "" {
		inputs = append(inputs, local)
	}
	return inputs
}
