package investigate

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/mjrecover/mjrecover/steps/investigate/archive"
)

// Archive kinds, as the walker sees them.
const notArchive = archive.None

func archiveKindOf(name string) archive.Kind { return archive.KindOf(name) }

// DefaultMaxArchiveSize is the largest archive file opened. Archives are
// streamed, never held whole, so this bounds time, not memory.
const DefaultMaxArchiveSize int64 = 2 << 30

// readArchive looks for credentials in the files inside an archive
// (backup.zip!wp-config.php). Each file inside is read like a file on disk.
func (w *worker) readArchive(ctx context.Context, b *batch, dir folder, name, display string, kind archive.Kind) {
	f, err := dir.openFile(name)
	if err != nil {
		b.skip(display, readFailure(err))
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		b.skip(display, readFailure(err))
		return
	}
	if !info.Mode().IsRegular() {
		b.skip(display, specialFileReason(info.Mode().Type()))
		return
	}
	if info.Size() > DefaultMaxArchiveSize {
		b.skip(display, tooLargeReason(info.Size(), DefaultMaxArchiveSize))
		return
	}
	lim := archive.DefaultLimits
	lim.MaxFileSize = w.s.maxSize
	v := &archiveVisitor{w: w, b: b, display: display}
	b.files++
	b.bytes += info.Size()
	if err := w.archives.Walk(ctx, name, kind, f, info.Size(), lim, v); err != nil && ctx.Err() == nil {
		reason := "archive not read to the end: " + err.Error()
		if !errors.Is(err, archive.ErrLimit) && v.entries == 0 {
			reason = "archive could not be opened: " + err.Error()
		}
		b.skip(display, reason)
	}
}

// archiveVisitor reads each file of an archive for credentials.
type archiveVisitor struct {
	w       *worker
	b       *batch
	display string
	entries int
}

func (v *archiveVisitor) File(name string, size int64, r io.Reader) error {
	v.entries++
	display := v.display + "!" + strings.TrimPrefix(name, "./")
	content, reason := readText(r, size, v.w.s.maxSize, &v.w.buf)
	if reason != "" {
		if reason != reasonBinary {
			v.Skip(name, reason)
		}
		return nil // a limit reached while reading ends the walk by itself
	}
	v.b.findings = append(v.b.findings, credentialFindings(display, content)...)
	if cap(v.w.buf) > keepBufferCap {
		v.w.buf = nil // a large dump's buffer goes back to the heap, as after a large file
	}
	return nil
}

func (v *archiveVisitor) Skip(name, reason string) {
	v.b.skip(v.display+"!"+strings.TrimPrefix(name, "./"), reason)
}
