package replacecli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/mjrecover/mjrecover/api/untrusted"
)

// maxSecretFile bounds a secret file: a secret is a line.
const maxSecretFile = 4 << 10

// readSmallFile reads a short regular file.
func readSmallFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, pe.Err
		}
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a plain file")
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxSecretFile {
		return nil, errors.New("too large for a secret")
	}
	return b, nil
}

// secretFileWarnings says which secret files other users can read.
func secretFileWarnings(paths ...string) []string {
	var out []string
	for _, p := range paths {
		if p == "" {
			continue
		}
		if info, err := os.Stat(p); err == nil && info.Mode().Perm()&0o077 != 0 {
			out = append(out, fmt.Sprintf("other users can read %s; make it private (chmod 600) or delete it when done.", untrusted.Clean(p)))
		}
	}
	return out
}
