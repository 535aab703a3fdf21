package twofactor

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"
)

// totpCode is an independent RFC 6238 implementation (HMAC-SHA1, 30 s
// steps, dynamic truncation of RFC 4226 §5.3), so the tests do not check
// pquerna/otp against itself.
func totpCode(t *testing.T, seed string, at time.Time, digits int) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(seed))
	if err != nil {
		t.Fatalf("decode seed: %v", err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(at.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// The RFC 6238 appendix B vectors (SHA-1) validate the helper itself.
func TestTOTPHelperMatchesRFC6238(t *testing.T) {
	seed := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	vectors := map[int64]string{
		59:          "94287082",
		1111111109:  "07081804",
		1111111111:  "14050471",
		1234567890:  "89005924",
		2000000000:  "69279037",
		20000000000: "65353130",
	}
	for unix, want := range vectors {
		if got := totpCode(t, seed, time.Unix(unix, 0), 8); got != want {
			t.Errorf("T=%d: got %s, want %s", unix, got, want)
		}
	}
}

// wrongCode returns a 6-digit code that matches no step within ±2 of at,
// whatever skew the verifier allows.
func wrongCode(t *testing.T, seed string, at time.Time, n int) string {
	t.Helper()
	valid := map[string]bool{}
	for d := -2; d <= 2; d++ {
		valid[totpCode(t, seed, at.Add(time.Duration(d)*30*time.Second), 6)] = true
	}
	for i := n; ; i++ {
		c := fmt.Sprintf("%06d", (i*7919+13)%1_000_000)
		if !valid[c] {
			return c
		}
	}
}
