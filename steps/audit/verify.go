package audit

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/mjrecover/mjrecover/steps/internal/filelock"
)

// BrokenError says where the chain breaks.
type BrokenError struct {
	Line   int64 // 1-based: the first line changed, removed, inserted or cut
	Reason string
	// Sure: the lines before Line are proven as they were written. False
	// when lines before Line may have been rewritten along with it, their
	// hashes recomputed (only a signed head rules that out).
	Sure bool
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
}

// Report is what Verify found in a log that holds.
type Report struct {
	Lines    int64  // lines in the log
	Legacy   int64  // of them, lines of the first format (no number or hash of their own)
	LastHash string // LineHash of the last line ("" for an empty log)

	Anchored bool  // a head was given and the log matches it
	After    int64 // lines after the head (written after it: the head does not vouch for them)

	// Sealed is how many lines, from the first, a signed head covers (0:
	// none), signed by SealKey at SealTime. Verify checks the signature;
	// whether SealKey is the kiosk's host key is for the caller to check.
	Sealed   int64
	SealKey  gossh.PublicKey
	SealTime time.Time
}

// maxLine bounds a line when verifying.
const maxLine = 1 << 20

// verifier walks the lines of a log.
type verifier struct {
	head           *Head
	n              int64
	prev, prev2    string // hashes of lines n-1 and n-2
	sawNew         bool
	atHead, atSeal string // hashes of the lines the head and its seal name
	rep            Report
}

// Verify reads a log and checks every line against the head when one is
// given (nil: none, as for an old log): valid JSON, its own hash, its
// number, its link to the line before; then the end against the head and
// the head's seal. It returns a *BrokenError for the first changed line,
// ErrForgedSeal for a seal whose signature fails, or a read error.
func Verify(r io.Reader, head *Head) (Report, error) {
	v := &verifier{head: head}
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		raw, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line longer than the buffer: read the rest of it.
			long := append([]byte(nil), raw...)
			for errors.Is(err, bufio.ErrBufferFull) && len(long) <= maxLine {
				raw, err = br.ReadSlice('\n')
				long = append(long, raw...)
			}
			raw = long
			if len(raw) > maxLine {
				return v.rep, &BrokenError{v.n + 1, "longer than 1 MiB", true}
			}
		}
		if len(raw) == 0 && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return v.rep, fmt.Errorf("read the audit log: %w", err)
		}
		if berr := v.line(raw); berr != nil {
			return v.rep, berr
		}
	}
	return v.rep, v.end()
}

// line checks one line (with its newline, when it has one).
func (v *verifier) line(raw []byte) *BrokenError {
	v.n++
	n := v.n
	if raw[len(raw)-1] != '\n' {
		return &BrokenError{n, "cut short (no newline at the end)", true}
	}
	line := raw[:len(raw)-1]
	var e Entry
	if err := json.Unmarshal(line, &e); err != nil {
		return &BrokenError{n, "not a JSON entry", true}
	}
	hash := LineHash(line)
	if e.Seq != 0 || e.Hash != "" {
		if err := v.newFormat(line, e, hash); err != nil {
			return err
		}
	} else if err := v.oldFormat(e); err != nil {
		return err
	}
	switch {
	case e.Event == "" || e.Time.IsZero():
		return &BrokenError{n, "an entry without a time or an event", true}
	case e.Event == EventAnchorMismatch:
		return &BrokenError{n, "when the kiosk wrote this line, the log before it did not match its head, so lines before it " +
			"were changed or removed: " + e.Detail, false}
	}
	if v.head != nil {
		if n == v.head.Lines {
			v.atHead = hash
		}
		if v.head.Seal != nil && n == v.head.Seal.Lines {
			v.atSeal = hash
		}
	}
	v.prev2, v.prev = v.prev, hash
	v.rep.Lines, v.rep.LastHash = n, hash
	return nil
}

// newFormat checks a line that carries its number and its own hash.
func (v *verifier) newFormat(line []byte, e Entry, hash string) *BrokenError {
	n := v.n
	v.sawNew = true
	switch {
	case !ownHashHolds(line):
		return &BrokenError{n, "changed: it does not match its own hash", true}
	case e.Seq > n:
		missing := e.Seq - n
		return &BrokenError{n, fmt.Sprintf("missing: the line here is entry %d, so %d line%s before it %s removed",
			e.Seq, missing, plural(missing), wasWere(missing)), true}
	case e.Seq < n && hash == v.prev:
		return &BrokenError{n, fmt.Sprintf("inserted: it repeats line %d", n-1), true}
	case e.Seq < n && n >= 2 && e.Prev == v.prev2:
		return &BrokenError{n - 1, fmt.Sprintf("inserted: line %d follows line %d", n, n-2), true}
	case e.Seq < n:
		return &BrokenError{n, fmt.Sprintf("inserted or moved: the line here is entry %d", e.Seq), true}
	case e.Prev != v.prev && n == 1:
		return &BrokenError{1, "the first line points to a line before it (the start of the log is missing)", true}
	case e.Prev != v.prev:
		return &BrokenError{n - 1, fmt.Sprintf("changed: line %d was written after a different line %d "+
			"(its own hash was recomputed; if lines before it were rewritten too, the change may start earlier)", n, n-1), false}
	}
	return nil
}

// oldFormat checks a line of the first format: only its link.
func (v *verifier) oldFormat(e Entry) *BrokenError {
	n := v.n
	v.rep.Legacy++
	switch {
	case v.sawNew:
		return &BrokenError{n, "a line without a number or hash of its own after lines that have them", true}
	case e.Prev != v.prev && n == 1:
		return &BrokenError{1, "the first line points to a line before it (the start of the log is missing)", true}
	case e.Prev != v.prev:
		return &BrokenError{n - 1, fmt.Sprintf("changed, or lines after it were removed or inserted: line %d does not follow it "+
			"(lines of the first format carry no hash of their own, so the chain cannot tell which)", n), false}
	}
	return nil
}

// end checks the log's end against the head and its seal.
func (v *verifier) end() error {
	if v.head == nil {
		return nil
	}
	h, n := v.head, v.n
	switch {
	case h.Lines > n:
		cut := h.Lines - n
		return &BrokenError{n + 1, fmt.Sprintf("missing: the log ends after line %d, but its head says %d lines: the last %d %s removed",
			n, h.Lines, cut, wasWere(cut)), true}
	case h.Lines > 0 && v.atHead != h.Hash:
		return &BrokenError{h.Lines, "changed: it does not match the head (its own hash was recomputed; if lines before it " +
			"were rewritten too, the change may start earlier)", false}
	}
	v.rep.Anchored, v.rep.After = true, n-h.Lines
	if h.Seal == nil {
		return nil
	}
	s := h.Seal
	key, err := s.check()
	if err != nil {
		return err
	}
	switch {
	case s.Lines > n:
		return &BrokenError{n + 1, fmt.Sprintf("missing: the log ends after line %d, but its signed head says %d lines", n, s.Lines), true}
	case s.Lines > 0 && v.atSeal != s.Hash:
		return &BrokenError{s.Lines, "changed: it does not match the signed head (lines before it may have been rewritten too)", false}
	}
	v.rep.Sealed, v.rep.SealKey, v.rep.SealTime = s.Lines, key, s.Time
	return nil
}

func wasWere(n int64) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

// VerifyFile verifies the log at path against its head in heads (nil:
// the file next to the log). It reads the head and the log's length under
// the log's lock, so a line being written meanwhile is not taken for a
// line added behind the head's back; what is appended after that is left
// for the next check.
func VerifyFile(ctx context.Context, path string, heads HeadStore) (Report, error) {
	if heads == nil {
		heads = FileHeads{Path: HeadPath(path)}
	}
	f, err := os.Open(path)
	if err != nil {
		return Report{}, fmt.Errorf("audit log: %w", err)
	}
	defer f.Close()
	head, size, err := snapshot(ctx, f, heads)
	if err != nil {
		return Report{}, err
	}
	return Verify(io.NewSectionReader(f, 0, size), head)
}

// snapshot reads the head and the log's size under the log's lock.
func snapshot(ctx context.Context, f *os.File, heads HeadStore) (*Head, int64, error) {
	if err := filelock.Lock(f); err != nil {
		return nil, 0, fmt.Errorf("audit log: lock %s: %w", f.Name(), err)
	}
	defer filelock.Unlock(f)
	h, ok, err := heads.LoadHead(ctx)
	if err != nil {
		return nil, 0, err
	}
	info, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("audit log: %w", err)
	}
	if !ok {
		return nil, info.Size(), nil
	}
	return &h, info.Size(), nil
}

// Sign verifies the log at path and signs its end with signer (the
// kiosk's host key), as the seal of its head in heads (nil: the file next
// to the log). A log that does not verify is not signed: a signature
// would vouch for the change. It returns the report of the log as signed.
func Sign(ctx context.Context, path string, heads HeadStore, signer gossh.Signer, now time.Time) (Report, error) {
	if heads == nil {
		heads = FileHeads{Path: HeadPath(path)}
	}
	f, err := os.Open(path)
	if err != nil {
		return Report{}, fmt.Errorf("audit log: %w", err)
	}
	defer f.Close()
	// The whole check and the signing under the lock: nothing is appended
	// between what was checked and what is signed.
	if err := filelock.Lock(f); err != nil {
		return Report{}, fmt.Errorf("audit log: lock %s: %w", path, err)
	}
	defer filelock.Unlock(f)
	h, ok, err := heads.LoadHead(ctx)
	if err != nil {
		return Report{}, err
	}
	var head *Head
	if ok {
		head = &h
	}
	rep, err := Verify(f, head)
	if err != nil {
		return rep, err
	}
	seal, err := newSeal(signer, rep.Lines, rep.LastHash, now)
	if err != nil {
		return rep, err
	}
	next := Head{Lines: rep.Lines, Hash: rep.LastHash, Time: h.Time, Seal: seal}
	if !ok || rep.After > 0 {
		next.Time = now.UTC()
	}
	if err := heads.SaveHead(ctx, next); err != nil {
		return rep, err
	}
	rep.Anchored, rep.After = true, 0
	rep.Sealed, rep.SealKey, rep.SealTime = seal.Lines, signer.PublicKey(), seal.Time
	return rep, nil
}
