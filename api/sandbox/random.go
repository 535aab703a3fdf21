package sandbox

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// randomHex returns n random bytes as lowercase hex (Mailjet's key and
// secret shape for n = 16). crypto/rand.Read never fails on supported
// platforms (it aborts the program instead).
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// recoveryCodeEncoding is lowercase base32 without padding.
var recoveryCodeEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// randomRecoveryCode returns 80 random bits as "xxxx-xxxx-xxxx-xxxx"
// (16 base32 characters in groups of 4).
func randomRecoveryCode() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	s := recoveryCodeEncoding.EncodeToString(b)
	return strings.Join([]string{s[0:4], s[4:8], s[8:12], s[12:16]}, "-")
}

// randomTicket returns a support reference "MJR-123456".
func randomTicket() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("MJR-%06d", binary.BigEndian.Uint32(b)%1_000_000)
}
