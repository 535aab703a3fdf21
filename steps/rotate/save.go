package rotate

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"
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
		name := oneLine(res.Slot.Old.Name)
		if res.Slot.Old.IsMaster {
			name = strings.TrimSpace(name + " (main key)")
		}
		fmt.Fprintf(&b, "\nName:       %s\nAPI key:    %s\nSecret key: %s\n", name, oneLine(res.NewKey), res.NewSecret.Reveal())
		if res.Slot.Old.IsMaster {
			b.WriteString("Note:       " + SMTPGraceNote + "\n")
		}
	}
	if n == 0 {
		return errors.New("save the new keys: there is no new secret to save")
	}
	if err := writeNew(path, []byte(b.String())); err != nil {
		return fmt.Errorf("save the new keys: %w", err)
	}
	return nil
}

// oneLine drops control characters from names Mailjet sent.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// writeNew creates path with mode 0600 and writes data; it never
// replaces an existing file (O_EXCL) and removes what it created when the
// write fails.
func writeNew(path string, data []byte) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err // *PathError names the file
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(path)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}
