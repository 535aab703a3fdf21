package twofactor

import (
	"fmt"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/internal/privatefile"
	"github.com/mjrecover/mjrecover/steps/lang"

	"github.com/mjrecover/mjrecover/api/secret"
)

// SaveCodes writes recovery codes to path (created 0600, never
// overwriting), in p's language.
func SaveCodes(p *lang.Printer, path, account string, codes []secret.Secret) error {
	if len(codes) == 0 {
		return fmt.Errorf("save recovery codes to %s: there are no codes to save", path)
	}
	var b strings.Builder
	b.WriteString(p.T("Mailjet recovery codes for %s. Each code works once, to sign in if you lose your phone. Keep this file private.",
		untrusted.Clean(account)) + "\n\n")
	for _, c := range codes {
		b.WriteString(c.Reveal())
		b.WriteByte('\n')
	}
	if err := privatefile.Create(path, []byte(b.String())); err != nil {
		return fmt.Errorf("save recovery codes: %w", err)
	}
	return nil
}
