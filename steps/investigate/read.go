package investigate

import (
	"bytes"
	"errors"
	"io"
)

// binarySniffLen is how much of a file is checked for a NUL byte, the
// usual sign of a binary file (as git and grep judge).
const binarySniffLen = 8 << 10

// reasonBinary is the skip reason for binary files.
const reasonBinary = "binary"

// keepBufferCap is the largest read buffer a worker keeps between files;
// a bigger one (for a rare large file) is dropped so the memory returns.
const keepBufferCap = 4 << 20

// read reads a whole text file of dir into the worker's buffer, at most
// maxSize bytes. A file is read whole, not line by line, so a minified line
// of megabytes is no harder than a short one. It returns the content
// (valid until the next read) or a reason to skip the file.
func (w *worker) read(dir folder, name string) ([]byte, string) {
	f, err := dir.openFile(name)
	if err != nil {
		return nil, readFailure(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, readFailure(err)
	}
	if !info.Mode().IsRegular() {
		// Replaced by a pipe or device since the listing.
		return nil, specialFileReason(info.Mode().Type())
	}
	if info.Size() > w.s.maxSize {
		return nil, tooLargeReason(info.Size(), w.s.maxSize)
	}
	content, reason := readText(f, info.Size(), w.s.maxSize, &w.buf)
	if cap(w.buf) > keepBufferCap {
		w.buf = nil // content stays valid: it is the caller's until the next read
	}
	return content, reason
}

// readText reads r (of about size bytes; -1 when unknown) into *buf,
// refusing binary content and anything longer than limit. A text file's
// first 8 KiB are read first, so a large binary costs one small read.
// UTF-16 text is returned decoded to UTF-8 (in a new slice).
func readText(r io.Reader, size, limit int64, buf *[]byte) ([]byte, string) {
	if size < 0 {
		return readUnsized(r, limit, buf)
	}
	want := min(size, limit) + 1 // one byte more notices a file that grew
	if int64(cap(*buf)) < want {
		*buf = make([]byte, want)
	}
	b := (*buf)[:want]
	head := min(int64(binarySniffLen), want)
	n, err := io.ReadFull(r, b[:head])
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, readFailure(err)
	}
	order := notUTF16
	if bytes.IndexByte(b[:n], 0) >= 0 {
		if order = utf16Order(b[:n]); order == notUTF16 {
			return nil, reasonBinary
		}
	}
	if int64(n) == head && head < want {
		m, err := io.ReadFull(r, b[head:])
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, readFailure(err)
		}
		n += m
	}
	if int64(n) == want {
		// Longer than stat said: read on, up to the limit.
		rest, err := io.ReadAll(io.LimitReader(r, limit+1-int64(n)))
		if err != nil {
			return nil, readFailure(err)
		}
		if int64(n+len(rest)) > limit {
			return nil, tooLargeReason(int64(n+len(rest)), limit)
		}
		b = append(b[:n], rest...)
		*buf = b
		n = len(b)
	}
	if order != notUTF16 {
		return decodeUTF16(b[:n], order), ""
	}
	return b[:n], ""
}

// readUnsized reads a stream of unknown length (a gzip member) into *buf,
// growing it as needed up to limit.
func readUnsized(r io.Reader, limit int64, buf *[]byte) ([]byte, string) {
	b := (*buf)[:0]
	if cap(b) == 0 {
		b = make([]byte, 0, 64<<10)
	}
	sniffed, order := false, notUTF16
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if (len(b) >= binarySniffLen || err != nil) && !sniffed {
			sniffed = true
			head := b[:min(len(b), binarySniffLen)]
			if bytes.IndexByte(head, 0) >= 0 {
				if order = utf16Order(head); order == notUTF16 {
					*buf = b
					return nil, reasonBinary
				}
			}
		}
		if int64(len(b)) > limit {
			*buf = b
			return nil, "too large (more than " + formatSize(limit) + ")"
		}
		if errors.Is(err, io.EOF) {
			*buf = b
			if order != notUTF16 {
				return decodeUTF16(b, order), ""
			}
			return b, ""
		}
		if err != nil {
			*buf = b
			return nil, readFailure(err)
		}
	}
}
