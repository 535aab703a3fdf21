package investigate

import (
	"errors"
	"os"
)

// ErrNotRegular is OpenRegular's refusal of what is not a plain file.
var ErrNotRegular = errors.New("not a regular file")

// OpenRegular opens a file a user named (a feed, a secret file) for
// reading, without blocking: a named pipe would wait for a writer
// forever, so it, a device or a folder is refused with ErrNotRegular.
func OpenRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|openNonBlocking, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, ErrNotRegular
	}
	return f, nil
}
