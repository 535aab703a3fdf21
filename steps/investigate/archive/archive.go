// Package archive reads the files inside zip, tar, tar.gz/tgz and gzip
// backups, within limits: the size of each file, the number of entries,
// the total bytes unpacked, the compression ratio (a zip bomb stops early)
// and the nesting depth. It never writes anything to disk.
package archive

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Kind is an archive format, judged from the file name.
type Kind int

const (
	None Kind = iota
	Zip
	Tar
	TarGz
	Gzip // one compressed file (dump.sql.gz); a tar inside is recognised
)

// KindOf judges a file name.
func KindOf(name string) Kind {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".zip"):
		return Zip
	case strings.HasSuffix(n, ".tar"):
		return Tar
	case strings.HasSuffix(n, ".tar.gz"), strings.HasSuffix(n, ".tgz"):
		return TarGz
	case strings.HasSuffix(n, ".gz"):
		return Gzip
	}
	return None
}

// Limits bound the work one archive can cause.
type Limits struct {
	MaxFileSize int64 // a file inside larger than this is skipped
	MaxEntries  int   // entries read, all levels together
	MaxTotal    int64 // bytes unpacked, all levels together
	MaxRatio    int64 // unpacked bytes per packed byte before stopping
	MaxDepth    int   // 1: files of the archive; 2: also of an archive inside it
}

// DefaultLimits suit website backups.
var DefaultLimits = Limits{
	MaxFileSize: 10 << 20,
	MaxEntries:  20_000,
	MaxTotal:    1 << 30,
	MaxRatio:    200,
	MaxDepth:    2,
}

// Visitor receives what an archive holds. Names are paths inside the
// archive; a file in a nested archive is named outer!inner.
type Visitor interface {
	// File is called for each regular file; r is valid during the call
	// only. size is -1 when unknown (a gzip stream).
	File(name string, size int64, r io.Reader) error
	// Skip is called for a file or archive part that was not read.
	Skip(name, reason string)
}

// ErrLimit is wrapped by errors that stopped reading at a limit.
var ErrLimit = errors.New("archive limit reached")

// Walk reads the archive in r (size bytes; r may also be an io.ReaderAt,
// which a zip needs; otherwise a zip up to MaxFileSize is read into
// memory). An error means the rest of the archive was not read; what was
// read before was already visited.
func Walk(ctx context.Context, name string, kind Kind, r io.Reader, size int64, lim Limits, v Visitor) error {
	return new(Reader).Walk(ctx, name, kind, r, size, lim, v)
}

// Reader walks archives one after another, keeping its gzip state and
// read buffer between them: a tree of thousands of small .gz files costs
// no allocation per file. It is not safe for concurrent use (one per
// worker); the zero value is ready.
type Reader struct {
	gz  *gzip.Reader  // the outermost gzip stream's, reset for each archive
	buf *bufio.Reader // buffers the archive file for gzip and tar
}

// Walk is the package's Walk, reusing r's state.
func (r *Reader) Walk(ctx context.Context, name string, kind Kind, src io.Reader, size int64, lim Limits, v Visitor) error {
	w := &walker{ctx: ctx, lim: lim, v: v, reuse: r}
	if kind != Zip {
		// gzip asks for a ByteReader and would wrap src in a new
		// bufio.Reader; tar reads small headers.
		if r.buf == nil {
			r.buf = bufio.NewReaderSize(src, 32<<10)
		} else {
			r.buf.Reset(src)
		}
		defer r.buf.Reset(nil) // the file is closed after the walk: drop it
		src = r.buf
	}
	err := w.archive(name, "", kind, src, size, 1)
	if w.stop != nil {
		return w.stop
	}
	return err
}

type walker struct {
	ctx     context.Context
	lim     Limits
	v       Visitor
	reuse   *Reader // state for the outermost archive
	entries int
	total   int64
	stop    error // a limit reached while a file was being read
}

// archive reads one archive; prefix names it inside its parents.
func (w *walker) archive(name, prefix string, kind Kind, r io.Reader, size int64, depth int) error {
	switch kind {
	case Zip:
		ra, ok := r.(io.ReaderAt)
		if !ok {
			if size > w.lim.MaxFileSize {
				return fmt.Errorf("zip too large to open inside another archive: %w", ErrLimit)
			}
			b, err := io.ReadAll(io.LimitReader(r, w.lim.MaxFileSize+1))
			if err != nil {
				return err
			}
			ra, size = bytes.NewReader(b), int64(len(b))
		}
		return w.zip(prefix, ra, size, depth)
	case Tar:
		return w.tar(prefix, r, depth)
	case TarGz, Gzip:
		return w.gzip(name, prefix, kind, r, size, depth)
	}
	return fmt.Errorf("not an archive")
}

func (w *walker) zip(prefix string, ra io.ReaderAt, size int64, depth int) error {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return fmt.Errorf("not a readable zip: %w", err)
	}
	for _, f := range zr.File {
		if err := w.next(); err != nil {
			return err
		}
		if f.FileInfo().IsDir() || f.Mode().Type() != 0 {
			continue
		}
		name := prefix + f.Name
		if int64(f.UncompressedSize64) > w.lim.MaxFileSize && KindOf(f.Name) == None {
			w.v.Skip(name, fmt.Sprintf("too large (%d bytes unpacked)", f.UncompressedSize64))
			continue
		}
		rc, err := f.Open()
		if err != nil {
			w.v.Skip(name, "could not be unpacked: "+err.Error())
			continue
		}
		// The zip's header may lie about sizes: count what really comes out
		// against what goes in.
		in := int64(f.CompressedSize64)
		err = w.entry(f.Name, prefix, &ratioReader{r: rc, in: func() int64 { return in }, max: w.lim.MaxRatio, stop: &w.stop}, int64(f.UncompressedSize64), depth)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *walker) tar(prefix string, r io.Reader, depth int) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("not a readable tar: %w", err)
		}
		if err := w.next(); err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA {
			continue // folders, links, devices: nothing to read
		}
		if h.Size > w.lim.MaxFileSize && KindOf(h.Name) == None {
			w.v.Skip(prefix+h.Name, fmt.Sprintf("too large (%d bytes)", h.Size))
			continue
		}
		if err := w.entry(h.Name, prefix, tr, h.Size, depth); err != nil {
			return err
		}
	}
}

// gzip unpacks one stream; a tar inside (tar.gz, or a .gz that is one)
// is read as a tar.
func (w *walker) gzip(name, prefix string, kind Kind, r io.Reader, size int64, depth int) error {
	in := newCountReader(r)
	zr, err := w.gzipReader(in, depth)
	if err != nil {
		return fmt.Errorf("not a readable gzip: %w", err)
	}
	zr.Multistream(false)
	out := &ratioReader{r: zr, in: func() int64 { return in.n }, max: w.lim.MaxRatio, stop: &w.stop}
	br := newPeekReader(out, 512)
	if kind == TarGz || isTar(br.peek()) {
		return w.tar(prefix, br, depth)
	}
	inner := strings.TrimSuffix(path.Base(name), path.Ext(name))
	if err := w.next(); err != nil {
		return err
	}
	return w.entry(inner, prefix, br, -1, depth)
}

// gzipReader starts a gzip stream: the outermost one with the Reader's
// reused state, a nested one (site.tgz inside backup.zip) with its own.
// gzip.Reader's Close only reports an earlier error, so none is closed.
func (w *walker) gzipReader(in *countReader, depth int) (*gzip.Reader, error) {
	if depth > 1 {
		return gzip.NewReader(in)
	}
	if w.reuse.gz == nil {
		zr, err := gzip.NewReader(in)
		if err == nil {
			w.reuse.gz = zr
		}
		return zr, err
	}
	return w.reuse.gz, w.reuse.gz.Reset(in)
}

// entry visits one file, or descends into it when it is an archive and
// the depth allows.
func (w *walker) entry(name, prefix string, r io.Reader, size int64, depth int) error {
	full := prefix + name
	counted := &limitCounter{r: r, w: w}
	if kind := KindOf(name); kind != None {
		if depth >= w.lim.MaxDepth {
			w.v.Skip(full, "archive nested too deep, not opened")
			return nil
		}
		err := w.archive(name, full+"!", kind, counted, size, depth+1)
		if w.stop != nil {
			return w.stop
		}
		if err != nil && !errors.Is(err, ErrLimit) && w.ctx.Err() == nil {
			w.v.Skip(full, err.Error())
			return nil
		}
		return err
	}
	if err := w.v.File(full, size, counted); err != nil {
		return err
	}
	if w.stop != nil {
		return w.stop
	}
	return w.ctx.Err()
}

// next counts an entry and checks the entry limit and the context.
func (w *walker) next() error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	w.entries++
	if w.entries > w.lim.MaxEntries {
		return fmt.Errorf("more than %d files: %w", w.lim.MaxEntries, ErrLimit)
	}
	return nil
}

// isTar recognises a POSIX or GNU tar header ("ustar" at offset 257).
func isTar(head []byte) bool {
	return len(head) >= 262 && string(head[257:262]) == "ustar"
}
