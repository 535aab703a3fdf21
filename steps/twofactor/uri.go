package twofactor

import (
	"net/url"
	"strings"

	"github.com/mjrecover/mjrecover/api/secret"
)

// KeyURI builds the otpauth URI by hand rather than with otp.Key.URL():
// that one encodes spaces as "+" (shown literally by some apps) and adds
// the default algorithm, digits and period, which only make the QR code
// bigger.
//
//	otpauth://totp/Mailjet:jane%2Bshop@example.com?secret=…&issuer=Mailjet
func KeyURI(issuer, account string, seed secret.Secret) string {
	return "otpauth://totp/" + labelEscape(issuer) + ":" + labelEscape(account) +
		"?secret=" + url.QueryEscape(seed.Reveal()) +
		"&issuer=" + queryEscape(issuer)
}

// labelEscape escapes a label part. url.PathEscape leaves "+" (which some
// apps decode as a space) and ":" (the issuer separator) alone.
func labelEscape(s string) string {
	return strings.NewReplacer("+", "%2B", ":", "%3A").Replace(url.PathEscape(s))
}

// queryEscape is url.QueryEscape with spaces as %20: after QueryEscape a
// remaining "+" can only be an encoded space (a literal plus is %2B).
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
