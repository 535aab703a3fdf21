// Package audit keeps the kiosk's audit log: an append-only file of JSON
// lines, one per event (a step's outcome, a session starting or ending, an
// access code issued, accepted or refused). Each line carries the SHA-256
// of the line before it ("prev"; empty on the first line), so changing,
// removing or inserting a line breaks the chain from there on; Verify
// finds the first broken line.
//
// The file is opened with O_APPEND and mode 0600, and every append takes
// an exclusive file lock and reads the chain head back from the file, so
// several processes (the kiosk server, `issue-code`) can write to one log.
//
// A line holds no secret: callers pass accounts, step names and results;
// Detail is scrubbed of anything that looks like a key or a token, and a
// session is named by a hash of its id.
package audit

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/mjrecover/mjrecover/steps/internal/filelock"
)

// Event kinds.
const (
	EventStep         = "step"          // a wizard step's outcome
	EventSessionStart = "session-start" // an SSH session began
	EventSessionEnd   = "session-end"   // it ended (Result says how)
	EventCodeIssued   = "code-issued"   // support issued an access code
	EventCodeAccepted = "code-accepted" // a session opened with a code
	EventCodeRefused  = "code-refused"  // a wrong, used or expired code
)

// Entry is one line of the log.
type Entry struct {
	Time    time.Time `json:"time"`
	Event   string    `json:"event"`
	Session string    `json:"session,omitempty"` // SessionHash of the session's id
	Account string    `json:"account,omitempty"`
	Step    string    `json:"step,omitempty"`
	StepNum int       `json:"step_number,omitempty"`
	Result  string    `json:"result,omitempty"`
	Detail  string    `json:"detail,omitempty"`
	CodeID  string    `json:"code_id,omitempty"` // an access code's record id, never the code
	Client  string    `json:"client,omitempty"`  // the client's address
	Version string    `json:"version,omitempty"`
	Prev    string    `json:"prev"` // SHA-256 (hex) of the previous line, "" on the first
}

// SessionHash names a session in the log without its id.
func SessionHash(id string) string {
	sum := sha256.Sum256([]byte("mjrecover kiosk session\x00" + id))
	return hex.EncodeToString(sum[:8])
}

// LineHash is the hash the next line carries as "prev": SHA-256 of the
// line's bytes, without its newline.
func LineHash(line []byte) string {
	sum := sha256.Sum256(line)
	return hex.EncodeToString(sum[:])
}

// maxDetail bounds a line's free text.
const maxDetail = 400

// tokenish finds runs that could be a key, secret or code: 16 or more
// characters of letters, digits and the symbols of base 64, with at least
// one digit and one letter (checked in Scrub).
var tokenish = regexp.MustCompile(`[A-Za-z0-9+/=_-]{16,}`)

// Scrub makes free text safe for the log: control characters go, anything
// that looks like a key or token keeps its last four characters only, and
// it is cut to a few hundred characters.
func Scrub(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	s = tokenish.ReplaceAllStringFunc(s, func(tok string) string {
		if !strings.ContainsAny(tok, "0123456789") || strings.IndexFunc(tok, isLetter) < 0 {
			return tok
		}
		return "[redacted …" + tok[len(tok)-4:] + "]"
	})
	if r := []rune(s); len(r) > maxDetail {
		s = string(r[:maxDetail]) + "…"
	}
	return s
}

func isLetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }

// Log appends to one audit file.
type Log struct {
	path string
	mu   sync.Mutex // one append at a time in this process

	// the asynchronous queue of Post
	qmu     sync.Mutex
	queue   []Entry
	wake    chan struct{}
	done    chan struct{}
	closed  bool
	onError func(error)
}

// Open opens (creating with mode 0600) the log at path. onError, when not
// nil, hears about entries Post could not write.
func Open(path string, onError func(error)) (*Log, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	info, err := f.Stat()
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("audit log: %s is not a regular file", path)
	}
	l := &Log{path: path, wake: make(chan struct{}, 1), done: make(chan struct{}), onError: onError}
	go l.drain()
	return l, nil
}

// Path is the log's file.
func (l *Log) Path() string { return l.path }

// Append writes e now, chained to the file's last line. Detail is
// scrubbed; Prev is set here.
func (l *Log) Append(e Entry) error {
	e.Detail = Scrub(e.Detail)
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC()

	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := os.OpenFile(l.path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	defer f.Close()
	if err := filelock.Lock(f); err != nil {
		return fmt.Errorf("audit log: lock %s: %w", l.path, err)
	}
	defer filelock.Unlock(f)

	last, complete, err := lastLine(f)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	var buf bytes.Buffer
	if !complete {
		// A line cut short (a crash mid-write) stays, as a broken line
		// Verify reports; the chain goes on from it.
		buf.WriteByte('\n')
	}
	if last != nil {
		e.Prev = LineHash(last)
	} else {
		e.Prev = ""
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	buf.Write(line)
	buf.WriteByte('\n')
	if _, err := f.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return nil
}

// Post queues e for writing and returns at once (it never blocks on the
// disk): for callers inside a UI loop. Close writes what is queued.
func (l *Log) Post(e Entry) {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	l.qmu.Lock()
	if l.closed {
		l.qmu.Unlock()
		if err := l.Append(e); err != nil && l.onError != nil {
			l.onError(err)
		}
		return
	}
	l.queue = append(l.queue, e)
	l.qmu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

func (l *Log) drain() {
	defer close(l.done)
	for range l.wake {
		for {
			l.qmu.Lock()
			batch := l.queue
			l.queue = nil
			l.qmu.Unlock()
			if len(batch) == 0 {
				break
			}
			for _, e := range batch {
				if err := l.Append(e); err != nil && l.onError != nil {
					l.onError(err)
				}
			}
		}
	}
}

// Close writes the queued entries and stops the queue. Later Posts write
// at once.
func (l *Log) Close() error {
	l.qmu.Lock()
	if l.closed {
		l.qmu.Unlock()
		return nil
	}
	l.closed = true
	l.qmu.Unlock()
	close(l.wake)
	<-l.done
	// Anything posted between the last drain and closed=true.
	l.qmu.Lock()
	rest := l.queue
	l.queue = nil
	l.qmu.Unlock()
	var errs []error
	for _, e := range rest {
		errs = append(errs, l.Append(e))
	}
	return errors.Join(errs...)
}

// lastLine reads the file's last line (without its newline) backwards
// from the end; complete is false when the file does not end with a
// newline. An empty file gives a nil line.
func lastLine(f *os.File) (line []byte, complete bool, err error) {
	info, err := f.Stat()
	if err != nil {
		return nil, false, err
	}
	size := info.Size()
	if size == 0 {
		return nil, true, nil
	}
	const block = 4096
	var tail []byte
	end := size
	for end > 0 {
		start := max(0, end-block)
		chunk := make([]byte, end-start)
		if _, err := f.ReadAt(chunk, start); err != nil && err != io.EOF {
			return nil, false, err
		}
		tail = append(chunk, tail...)
		body := bytes.TrimSuffix(tail, []byte("\n")) // tail always runs to the end of the file
		if i := bytes.LastIndexByte(body, '\n'); i >= 0 {
			tail = tail[i+1:]
			break
		}
		end = start
		if len(tail) > 16<<20 {
			return nil, false, errors.New("the last line is longer than 16 MiB")
		}
	}
	complete = tail[len(tail)-1] == '\n'
	return bytes.TrimSuffix(tail, []byte("\n")), complete, nil
}

// BrokenError says where the chain breaks.
type BrokenError struct {
	Line   int // 1-based
	Reason string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
}

// maxLine bounds a line when verifying.
const maxLine = 1 << 20

// Verify reads a log and checks every line: valid JSON, and "prev" the
// hash of the line before ("" for the first). It returns the number of
// lines read, and a *BrokenError for the first broken line.
func Verify(r io.Reader) (lines int, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	prev := ""
	for {
		raw, err := br.ReadBytes('\n')
		if len(raw) == 0 && err == io.EOF {
			return lines, nil
		}
		if err != nil && err != io.EOF {
			return lines, fmt.Errorf("read the audit log: %w", err)
		}
		lines++
		if len(raw) > maxLine {
			return lines, &BrokenError{lines, "longer than 1 MiB"}
		}
		if raw[len(raw)-1] != '\n' {
			return lines, &BrokenError{lines, "cut short (no newline at the end)"}
		}
		line := raw[:len(raw)-1]
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			return lines, &BrokenError{lines, "not a JSON entry"}
		}
		if e.Prev != prev {
			if lines == 1 {
				return lines, &BrokenError{lines, "the first line points to a line before it (the start of the log is missing)"}
			}
			return lines, &BrokenError{lines, fmt.Sprintf("does not follow line %d (it was changed, removed or inserted)", lines-1)}
		}
		if e.Event == "" || e.Time.IsZero() {
			return lines, &BrokenError{lines, "an entry without a time or an event"}
		}
		prev = LineHash(line)
	}
}

// VerifyFile verifies the log at path.
func VerifyFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("audit log: %w", err)
	}
	defer f.Close()
	return Verify(f)
}
