package replace

import (
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// maxFileSize is the largest file mjrecover rewrites, as the scanner's
// default limit: config files are small.
const maxFileSize = 10 << 20

// stamp identifies a file's content at plan time: size, modification
// time and SHA-256. The hash catches an edit that kept size and time.
type stamp struct {
	size  int64
	mtime time.Time
	sum   [sha256.Size]byte
}

func (s stamp) sameAs(o stamp) bool {
	return s.size == o.size && s.mtime.Equal(o.mtime) && s.sum == o.sum
}

// sameMeta compares size and time only: the cheap check made again just
// before the rename.
func (s stamp) sameMeta(info fs.FileInfo) bool {
	return s.size == info.Size() && s.mtime.Equal(info.ModTime())
}

// readStamped reads a regular file (not through a link) and stamps it.
func readStamped(path string) ([]byte, fs.FileInfo, stamp, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, nil, stamp{}, err
	}
	if !info.Mode().IsRegular() {
		return nil, info, stamp{}, ErrNotPlainFile
	}
	if info.Size() > maxFileSize {
		return nil, info, stamp{}, fmt.Errorf("%w (%d bytes; the limit is %d)", ErrTooLarge, info.Size(), maxFileSize)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openNoFollow, 0)
	if err != nil {
		return nil, info, stamp{}, err
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, info, stamp{}, err
	}
	if len(content) > maxFileSize {
		return nil, info, stamp{}, ErrTooLarge
	}
	st := stamp{size: info.Size(), mtime: info.ModTime(), sum: sha256.Sum256(content)}
	if int64(len(content)) != info.Size() {
		st.size = -1 // changing while read: never matches
	}
	return content, info, st, nil
}
