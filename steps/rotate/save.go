package rotate

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mjrecover/mjrecover/api/secret"
	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/internal/privatefile"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// SaveSecrets writes the new key pairs to path (created 0600, never
// overwriting an existing file), in p's language. Slots without a new
// secret are left out. The secrets are in clear: the user asked for this
// file.
func SaveSecrets(p *lang.Printer, path string, results []Result) error {
	var b strings.Builder
	b.WriteString(p.T("New Mailjet API keys made by mjrecover.\n" +
		"Put each new secret in the applications and plugins that use its key, then delete this file:\n" +
		"anyone who reads it can send email from your account.\n"))
	n := 0
	for _, res := range results {
		if res.NewSecret.IsZero() {
			continue
		}
		n++
		name := untrusted.Clean(res.Slot.Old.Name)
		if res.Slot.Old.IsMaster {
			name = p.T("%s (main key)", name)
		}
		b.WriteString("\n" + p.T("Name:       %s", name) + "\n" + p.T("API key:    %s", untrusted.Clean(res.NewKey)) + "\n" +
			p.T("Secret key: %s", res.NewSecret.Reveal()) + "\n")
		if res.Slot.Old.IsMaster {
			b.WriteString(p.T("Note:       %s", p.Text(SMTPGraceNote)) + "\n")
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

// maxSavedFile bounds what ReadSaved reads: the file holds a few keys.
const maxSavedFile = 64 << 10

// ReadSaved reads back a file SaveSecrets wrote: the secret of each API key
// in it. It reads at most 64 KiB and keeps only well-formed pairs; a file
// that holds none is an error.
func ReadSaved(path string) (map[string]secret.Secret, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read the saved keys: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSavedFile))
	if err != nil {
		return nil, fmt.Errorf("read the saved keys: %w", err)
	}
	// The labels in every language the file may have been saved in.
	keyLabels, secretLabels := map[string]bool{}, map[string]bool{}
	for _, tag := range lang.Supported() {
		p := lang.New(tag)
		keyLabels[p.T("API key")], secretLabels[p.T("Secret key")] = true, true
	}
	out := map[string]secret.Secret{}
	var key string
	for _, line := range strings.Split(string(data), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch name = strings.TrimSpace(name); {
		case keyLabels[name]:
			key = value
		case secretLabels[name]:
			if IsSecretFormat(key) && IsSecretFormat(value) {
				out[key] = secret.New(value)
			}
			key = ""
		}
	}
	if len(out) == 0 {
		return nil, errors.New("read the saved keys: the file holds no key and secret")
	}
	return out, nil
}
