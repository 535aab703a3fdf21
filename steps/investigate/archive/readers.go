package archive

import (
	"fmt"
	"io"
)

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
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

func newPeekReader(r io.Reader, n int) *peekReader {
	head := make([]byte, n)
	m, err := io.ReadFull(r, head)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
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
