package investigate

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
)

// binarySniffLen is how much of a file is checked for a NUL byte, the
// usual sign of a binary file (as git and grep judge).
const binarySniffLen = 8 << 10

// reasonBinary is the skip reason for binary files.
const reasonBinary = "binary"

// readText reads a whole text file, at most limit bytes. A file is read
// whole, not line by line, so a minified line of megabytes is no harder
// than a short one. It returns the content, or a reason to skip the file.
func readText(fsys fs.FS, rel string, limit int64) ([]byte, string) {
	f, err := fsys.Open(rel)
	if err != nil {
		return nil, readFailure(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, readFailure(err)
	}
	if !info.Mode().IsRegular() {
		// Replaced by a pipe or device since the walk listed it.
		return nil, specialFileReason(info.Mode().Type())
	}
	if info.Size() > limit {
		return nil, tooLargeReason(info.Size(), limit)
	}
	head := make([]byte, binarySniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, readFailure(err)
	}
	head = head[:n]
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, reasonBinary
	}
	var buf bytes.Buffer
	buf.Grow(int(min(info.Size(), limit)) + 1)
	buf.Write(head)
	// Read one byte past the limit to notice a file that grew meanwhile.
	if _, err := buf.ReadFrom(io.LimitReader(f, limit-int64(n)+1)); err != nil {
		return nil, readFailure(err)
	}
	if int64(buf.Len()) > limit {
		return nil, tooLargeReason(int64(buf.Len()), limit)
	}
	return buf.Bytes(), ""
}
