package replacecli

import (
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/mjrecover/mjrecover/api/untrusted"
	"github.com/mjrecover/mjrecover/steps/investigate"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// maxSecretFile bounds a secret file: a secret is a line.
const maxSecretFile = 4 << 10

// readSmallFile reads a short regular file; p says why it cannot.
func readSmallFile(p *lang.Printer, path string) ([]byte, error) {
	f, err := investigate.OpenRegular(path)
	switch {
	case errors.Is(err, investigate.ErrNotRegular):
		return nil, errors.New(p.T("it is not a plain file"))
	case errors.Is(err, fs.ErrNotExist):
		return nil, errors.New(p.T("there is no such file"))
	case errors.Is(err, fs.ErrPermission):
		return nil, errors.New(p.T("you are not allowed to read it"))
	case err != nil:
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, pe.Err
		}
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxSecretFile {
		return nil, errors.New(p.T("it is too large for a secret key"))
	}
	return b, nil
}

// secretFileWarnings says which secret files other users can read.
func secretFileWarnings(p *lang.Printer, paths ...string) []string {
	var out []string
	for _, path := range paths {
		if path == "" {
			continue
		}
		if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
			out = append(out, p.T("Warning: other users can read %s; make it private (chmod 600) or delete it when done.", untrusted.Clean(path)))
		}
	}
	return out
}
