package recovery_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/mjrecover/mjrecover/api/recovery"
)

const testSeed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" // 160 bits

// referenceCode computes a code with pquerna's TOTP directly, as an
// authenticator app would.
func referenceCode(t *testing.T, seed string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(seed, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestMatchTOTP(t *testing.T) {
	now := time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)
	current := recovery.TOTPStep(now)
	code := func(offset time.Duration) string { return referenceCode(t, testSeed, now.Add(offset)) }
	// A wrong code: six digits that no accepted step produces.
	wrong := "000000"
	for _, c := range []string{code(-30 * time.Second), code(0), code(30 * time.Second)} {
		if c == wrong {
			wrong = "999999"
		}
	}

	cases := []struct {
		name     string
		seed     string
		code     string
		lastStep int64
		wantStep int64
		wantErr  error
	}{
		{"current step", testSeed, code(0), 0, current, nil},
		{"one step back", testSeed, code(-30 * time.Second), 0, current - 1, nil},
		{"one step ahead", testSeed, code(30 * time.Second), 0, current + 1, nil},
		{"two steps back", testSeed, code(-60 * time.Second), 0, 0, recovery.ErrWrongCode},
		{"two steps ahead", testSeed, code(60 * time.Second), 0, 0, recovery.ErrWrongCode},
		{"replay of the accepted step", testSeed, code(0), current, 0, recovery.ErrCodeUsed},
		{"older than the accepted step", testSeed, code(-30 * time.Second), current, 0, recovery.ErrCodeUsed},
		{"newer than the accepted step", testSeed, code(30 * time.Second), current, current + 1, nil},
		{"wrong code", testSeed, wrong, 0, 0, recovery.ErrWrongCode},
		{"spaces inside", testSeed, code(0)[:3] + " " + code(0)[3:], 0, current, nil},
		{"seed in lower case, grouped", "jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp", code(0), 0, current, nil},
		{"five digits", testSeed, "12345", 0, 0, recovery.ErrMalformedCode},
		{"seven digits", testSeed, "1234567", 0, 0, recovery.ErrMalformedCode},
		{"letters", testSeed, "12a456", 0, 0, recovery.ErrMalformedCode},
		{"empty", testSeed, "", 0, 0, recovery.ErrMalformedCode},
		{"full-width digits", testSeed, "１２３４５６", 0, 0, recovery.ErrMalformedCode},
		{"seed not base32", "not base32!", code(0), 0, 0, recovery.ErrBadSeed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			step, err := recovery.MatchTOTP(c.seed, c.code, now, c.lastStep)
			if !errors.Is(err, c.wantErr) || (c.wantErr == nil) != (err == nil) {
				t.Fatalf("MatchTOTP err = %v, want %v", err, c.wantErr)
			}
			if step != c.wantStep {
				t.Errorf("step = %d, want %d", step, c.wantStep)
			}
		})
	}
}

func TestGenerateTOTPMatchesAnAuthenticator(t *testing.T) {
	at := time.Unix(1_700_000_000, 0)
	got, err := recovery.GenerateTOTP(testSeed, at)
	if err != nil {
		t.Fatal(err)
	}
	if want := referenceCode(t, testSeed, at); got != want {
		t.Errorf("GenerateTOTP = %s, want %s", got, want)
	}
}

// RFC 6238 appendix B, SHA-1 test vectors (8 digits there; the last 6
// are what a 6-digit verifier computes).
func TestGenerateTOTPRFCVectors(t *testing.T) {
	seed := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // base32 of "12345678901234567890"
	for unix, want8 := range map[int64]string{59: "94287082", 1111111109: "07081804", 1234567890: "89005924", 2000000000: "69279037"} {
		got, err := recovery.GenerateTOTP(seed, time.Unix(unix, 0))
		if err != nil {
			t.Fatal(err)
		}
		if got != want8[2:] {
			t.Errorf("t=%d: code %s, want %s", unix, got, want8[2:])
		}
	}
}

func TestValidateSeed(t *testing.T) {
	cases := map[string]bool{
		testSeed:                                  true,
		"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ":        true,
		"jbsw-y3dp-ehpk-3pxp-jbsw-y3dp-ehpk-3pxp": true,
		"JBSWY3DPEHPK3PXP":                        false, // 80 bits: below the 128-bit minimum
		"":                                        false,
		"JBSWY3DPEHPK3PX1JBSWY3DPEHPK3PXP":        false, // '1' is not base32
	}
	for seed, ok := range cases {
		if err := recovery.ValidateSeed(seed); (err == nil) != ok {
			t.Errorf("ValidateSeed(%q) = %v, want ok=%v", seed, err, ok)
		}
	}
}
