package rotate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/internal/privatefile"
)

// SaveSecrets writes the new key pairs to path (created 0600, never
// overwriting an existing file). Slots without a new secret are left out.
// The secrets are in clear: the user asked for this file.
func SaveSecrets(path string, results []Result) error {
	var b strings.Builder
	b.WriteString("New Mailjet API keys made by mjrecover.\n" +
		"Put each new secret in the applications and plugins that use its key, then delete this file:\n" +
		"anyone who reads it can send email from your account.\n")
	n := 0
	for _, res := range results {
		if res.NewSecret.IsZero() {
			continue
		}
		n++
		name := untrusted.Clean(res.Slot.Old.Name)
		if res.Slot.Old.IsMaster {
			name = strings.TrimSpace(name + " (main key)")
		}
		fmt.Fprintf(&b, "\nName:       %s\nAPI key:    %s\nSecret key: %s\n", name, untrusted.Clean(res.NewKey), res.NewSecret.Reveal())
		if res.Slot.Old.IsMaster {
			b.WriteString("Note:       " + SMTPGraceNote + "\n")
		}
	}
	if n == 0 {
		return errors.New("save the new keys: there is no new secret to save")
	}
	if err := privatefile.Create(path, []byte(b.String())); err != nil {
		return fmt.Errorf("save the new keys: %w", err)
	}
	return nil
}
