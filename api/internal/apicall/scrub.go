package apicall

import (
	"encoding/base64"
	"strings"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
)

// ServerText turns text from a response into something safe for an error
// message: control characters and escape sequences removed, cut to
// untrusted.MaxLen, and the endpoint's own secret masked in case the
// server echoed it back (or echoed the Authorization header).
func (e Endpoint) ServerText(s string) string {
	if !e.Pass.IsZero() {
		s = strings.ReplaceAll(s, e.Pass.Reveal(), secret.Mask)
		token := base64.StdEncoding.EncodeToString([]byte(e.User + ":" + e.Pass.Reveal()))
		s = strings.ReplaceAll(s, token, secret.Mask)
	}
	return untrusted.Text(s, untrusted.MaxLen)
}
