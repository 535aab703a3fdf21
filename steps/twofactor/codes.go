package twofactor

import (
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/mjrecover/mjrecover/api/secret"
)

// SaveCodes writes recovery codes to path (created 0600, never overwriting).
func SaveCodes(path, account string, codes []secret.Secret) error {
	if len(codes) == 0 {
		return fmt.Errorf("save recovery codes to %s: there are no codes to save", path)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Mailjet recovery codes for %s. Each code works once, to sign in if you lose your phone. Keep this file private.\n\n",
		printable(account))
	for _, c := range codes {
		b.WriteString(c.Reveal())
		b.WriteByte('\n')
	}
	if err := writeNew(path, []byte(b.String())); err != nil {
		return fmt.Errorf("save recovery codes: %w", err)
	}
	return nil
}

// printable drops control characters, so an odd account name cannot
// break the header line.
func printable(s string) string {
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
