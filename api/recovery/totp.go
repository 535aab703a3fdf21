package recovery

import (
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
)

// The TOTP parameters the recovery API uses: the defaults every
// authenticator app supports (RFC 6238 with SHA-1, 6 digits, 30 s).
const (
	TOTPDigits  = 6
	TOTPPeriod  = 30 * time.Second
	TOTPSkew    = 1   // time steps accepted either side of the current one
	MinSeedBits = 128 // RFC 4226 §4: a shared secret of at least 128 bits
)

var seedEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// TOTPStep is the RFC 6238 time step (counter) of t.
func TOTPStep(t time.Time) int64 {
	secs := t.Unix()
	period := int64(TOTPPeriod / time.Second)
	if secs < 0 {
		return (secs - period + 1) / period // floor for times before 1970
	}
	return secs / period
}

// NormalizeSeed accepts a seed as people copy it (any case, grouped with
// spaces or dashes, with or without "=" padding) and returns the form the
// API stores: upper-case base32 without padding or separators.
func NormalizeSeed(seed string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '=', '\t':
			return -1
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, seed)
}

// ValidateSeed checks that seedBase32 is base32 of at least MinSeedBits.
// The error never quotes the seed.
func ValidateSeed(seedBase32 string) error {
	raw, err := seedEncoding.DecodeString(NormalizeSeed(seedBase32))
	if err != nil || len(raw)*8 < MinSeedBits {
		return ErrBadSeed
	}
	return nil
}

// GenerateTOTP returns the code for seedBase32 at time t.
func GenerateTOTP(seedBase32 string, t time.Time) (string, error) {
	return codeAt(NormalizeSeed(seedBase32), TOTPStep(t))
}

func codeAt(seed string, step int64) (string, error) {
	if step < 0 {
		return "", fmt.Errorf("TOTP time step %d is before 1970", step)
	}
	code, err := hotp.GenerateCodeCustom(seed, uint64(step), hotp.ValidateOpts{
		Digits:    otp.DigitsSix, // pquerna needs it explicit when validating
		Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", ErrBadSeed // pquerna's error says the same, without the seed
	}
	return code, nil
}

// MatchTOTP checks code against seedBase32 at now, accepting the current
// time step and TOTPSkew steps either side (RFC 6238 §5.2). lastStep is
// the step of the last accepted code for this seed (0 if none): a code of
// that step or an earlier one is a replay and gets ErrCodeUsed, because a
// verifier must not accept an OTP twice. It returns the matched step, to
// be stored as the new lastStep; ErrWrongCode when nothing matches;
// ErrMalformedCode when code is not 6 digits (spaces are ignored);
// ErrBadSeed when the seed is not base32.
func MatchTOTP(seedBase32, code string, now time.Time, lastStep int64) (step int64, err error) {
	code = strings.Join(strings.Fields(code), "")
	if !isDigits(code, TOTPDigits) {
		return 0, ErrMalformedCode
	}
	seed := NormalizeSeed(seedBase32)
	if _, err := seedEncoding.DecodeString(seed); err != nil {
		return 0, ErrBadSeed
	}
	current := TOTPStep(now)
	accepted, replayed := int64(-1), false
	// Every candidate step is computed and compared, in constant time, so
	// timing says nothing about which step matched.
	for s := current - TOTPSkew; s <= current+TOTPSkew; s++ {
		want, err := codeAt(seed, s)
		if err != nil {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) != 1 {
			continue
		}
		if s <= lastStep {
			replayed = true
		} else {
			accepted = max(accepted, s)
		}
	}
	switch {
	case accepted >= 0:
		return accepted, nil
	case replayed:
		return 0, ErrCodeUsed
	default:
		return 0, ErrWrongCode
	}
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
