package archive

import (
	"bufio"
	"fmt"
	"io"
)

// countReader counts the bytes read through it. It reads bytes one at a
// time too (flate.Reader), so gzip decompresses from it directly instead
// of buffering it once more.
type countReader struct {
	r byteReader
	n int64
}

type byteReader interface {
	io.Reader
	io.ByteReader
}

func newCountReader(r io.Reader) *countReader {
	br, ok := r.(byteReader)
	if !ok {
		br = bufio.NewReader(r)
	}
	return &countReader{r: br}
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

// ratioSlack lets small inputs unpack freely: a 1 KiB file of spaces is
// no bomb.
const ratioSlack = 1 << 20

// ratioReader stops when more than max bytes come out per byte that went
// in (in reports the packed bytes consumed so far).
// The first error is also kept in *stop, so the walk ends even when the
// reader of the file swallowed it.
type ratioReader struct {
	r    io.Reader
	in   func() int64
	max  int64
	out  int64
	stop *error
}

func (z *ratioReader) Read(p []byte) (int, error) {
	n, err := z.r.Read(p)
	z.out += int64(n)
	if z.out > ratioSlack && z.out > z.max*max(1, z.in()) {
		err = fmt.Errorf("unpacks to over %d times its size (a zip bomb?): %w", z.max, ErrLimit)
		if *z.stop == nil {
			*z.stop = err
		}
	}
	return n, err
}

// limitCounter adds what is read to the walk's total and stops at its cap.
type limitCounter struct {
	r io.Reader
	w *walker
}

func (l *limitCounter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.w.total += int64(n)
	if l.w.total > l.w.lim.MaxTotal {
		err = fmt.Errorf("unpacks to more than %d bytes: %w", l.w.lim.MaxTotal, ErrLimit)
		if l.w.stop == nil {
			l.w.stop = err
		}
	}
	return n, err
}

// peekReader lets the first bytes be looked at before reading them.
type peekReader struct {
	r    io.Reader
	head []byte
	err  error
}

// newPeekReader reads the first n bytes of r. Its error is r's own: a
// stream shorter than n ends with io.EOF, a truncated one keeps the
// io.ErrUnexpectedEOF that gzip gives (io.ReadFull would turn a clean end
// before n bytes into that same error, so a cut archive would read as whole).
func newPeekReader(r io.Reader, n int) *peekReader {
	head := make([]byte, n)
	m := 0
	var err error
	for m < n && err == nil {
		var k int
		k, err = r.Read(head[m:])
		m += k
	}
	return &peekReader{r: r, head: head[:m], err: err}
}

func (p *peekReader) peek() []byte { return p.head }

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.head) > 0 {
		n := copy(b, p.head)
		p.head = p.head[n:]
		return n, nil
	}
	if p.err != nil {
		return 0, p.err
	}
	return p.r.Read(b)
}
