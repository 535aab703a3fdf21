// Package audit keeps the kiosk's audit log: an append-only file of JSON
// lines, one per event (a step's outcome, a session starting or ending, an
// access code issued, accepted or refused, connections refused).
//
// Each line carries its position ("seq", from 1), the SHA-256 of the line
// before it ("prev"; empty on the first line) and, last, the SHA-256 of
// itself without that field ("hash"). So a changed line fails its own
// hash, a removed or inserted one breaks the numbering, and a line
// rewritten with its hash recomputed breaks the link of the next one:
// Verify names the first changed line. The end of the log is anchored in
// a head (line count and last hash, see head.go), kept apart from the log
// and, on request, signed with the kiosk's host key, so a truncation or a
// change of the last line shows too.
//
// The file is opened with O_APPEND and mode 0600, and every append takes
// an exclusive file lock and reads the chain's end back from the file, so
// several processes (the kiosk server, `issue-code`) can write to one log.
// Logs of the first format (no "seq", no "hash") still verify, and new
// lines continue their chain. A log can also live in a database that
// several kiosk hosts share (OpenChain, chain.go): the same lines, one
// order for all of them.
//
// A line holds no secret: callers pass accounts, step names and results;
// Detail is scrubbed of anything that looks like a key or a token, and a
// session is named by a hash of its id.
package audit

import (
	"bufio"
	"bytes"
	"context"
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
	EventRefused      = "refused"       // connections turned away (Count of them, from Client, in a minute)
	// EventAnchorMismatch is written by Append itself when the log's end
	// did not match its head (lines cut from the end, the last line
	// changed, the head removed): the next head would otherwise hide it.
	EventAnchorMismatch = "anchor-mismatch"
)

// Entry is one line of the log.
type Entry struct {
	Seq     int64     `json:"seq,omitempty"` // the line's position, from 1 (set by Append)
	Time    time.Time `json:"time"`
	Event   string    `json:"event"`
	Session string    `json:"session,omitempty"` // SessionHash of the session's id
	Account string    `json:"account,omitempty"`
	Step    string    `json:"step,omitempty"`
	StepNum int       `json:"step_number,omitempty"`
	Result  string    `json:"result,omitempty"`
	Count   int       `json:"count,omitempty"` // how many events one line stands for (EventRefused)
	Detail  string    `json:"detail,omitempty"`
	CodeID  string    `json:"code_id,omitempty"` // an access code's record id, never the code
	Client  string    `json:"client,omitempty"`  // the client's address
	Version string    `json:"version,omitempty"`
	Prev    string    `json:"prev"` // LineHash of the previous line, "" on the first (set by Append)
	// Hash is the SHA-256 of this line without its "hash" field, which
	// comes last (set by Append).
	Hash string `json:"hash,omitempty"`
}

// SessionHash names a session in the log without its id.
func SessionHash(id string) string {
	sum := sha256.Sum256([]byte("mjrecover kiosk session\x00" + id))
	return hex.EncodeToString(sum[:8])
}

// LineHash is the hash the next line carries as "prev", and the head as
// its hash: SHA-256 of the line's bytes, without its newline.
func LineHash(line []byte) string {
	sum := sha256.Sum256(line)
	return hex.EncodeToString(sum[:])
}

// hashField is how a line's own hash ends it: `,"hash":"<64 hex>"}`.
const (
	hashFieldStart = `,"hash":"`
	hashFieldLen   = len(hashFieldStart) + 64 + len(`"}`)
)

// encodeLine is e as a line (without its newline), its own hash last.
func encodeLine(e Entry) ([]byte, error) {
	e.Hash = ""
	body, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	line := append(body[:len(body)-1:len(body)-1], hashFieldStart...)
	line = hex.AppendEncode(line, sum[:])
	return append(line, `"}`...), nil
}

// ownHashHolds reports whether line ends with the hash of the rest of it.
func ownHashHolds(line []byte) bool {
	if len(line) < hashFieldLen+2 {
		return false
	}
	cut := len(line) - hashFieldLen
	if !bytes.Equal(line[cut:cut+len(hashFieldStart)], []byte(hashFieldStart)) {
		return false
	}
	body := append(line[:cut:cut], '}')
	sum := sha256.Sum256(body)
	want := line[cut+len(hashFieldStart) : len(line)-2]
	return hex.EncodeToString(sum[:]) == string(want)
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

// Log appends to one audit file, or to a chain in a database.
type Log struct {
	path  string
	heads HeadStore
	chain ChainStore // when set, the lines go there (path and heads are unused)
	mu    sync.Mutex // one append at a time in this process

	// the asynchronous queue of Post
	qmu     sync.Mutex
	queue   []Entry
	wake    chan struct{}
	done    chan struct{}
	closed  bool
	onError func(error)
}

// Option changes how Open sets up a Log.
type Option func(*Log)

// WithHeads keeps the log's head in hs instead of the file next to the
// log (HeadPath).
func WithHeads(hs HeadStore) Option { return func(l *Log) { l.heads = hs } }

// Open opens (creating with mode 0600) the log at path. onError, when not
// nil, hears about entries Post could not write.
func Open(path string, onError func(error), opts ...Option) (*Log, error) {
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
	l := newLog(onError)
	l.path, l.heads = path, FileHeads{Path: HeadPath(path)}
	for _, o := range opts {
		o(l)
	}
	go l.drain()
	return l, nil
}

func newLog(onError func(error)) *Log {
	return &Log{wake: make(chan struct{}, 1), done: make(chan struct{}), onError: onError}
}

// Path is the log's file ("" for a chain in a database).
func (l *Log) Path() string { return l.path }

// Append writes e now, chained to the file's last line, and moves the head
// to it. Detail is scrubbed; Seq, Prev and Hash are set here.
func (l *Log) Append(ctx context.Context, e Entry) error { return l.write(ctx, []Entry{e}) }

// write appends entries in one write, one sync and one head update.
func (l *Log) write(ctx context.Context, entries []Entry) error {
	if len(entries) == 0 {
		return nil
	}
	for i := range entries {
		e := &entries[i]
		e.Detail = Scrub(e.Detail)
		if e.Time.IsZero() {
			e.Time = time.Now()
		}
		e.Time = e.Time.UTC()
	}
	if l.chain != nil {
		return l.writeChain(ctx, entries)
	}
	first, last := entries[0], entries[len(entries)-1]

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

	head, hasHead, err := l.heads.LoadHead(ctx)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	end, err := readEnd(f, head, hasHead)
	if err != nil {
		return fmt.Errorf("audit log %s: %w", l.path, err)
	}
	var buf bytes.Buffer
	if !end.complete {
		// A line cut short (a crash mid-write) stays, as a broken line
		// Verify reports; the chain goes on from it.
		buf.WriteByte('\n')
	}
	seq, prev := end.lines+1, end.lastHash
	add := func(e Entry) error {
		e.Seq, e.Prev = seq, prev
		line, err := encodeLine(e)
		if err != nil {
			return err
		}
		buf.Write(line)
		buf.WriteByte('\n')
		seq, prev = seq+1, LineHash(line)
		return nil
	}
	if end.mismatch != "" {
		// Say so in the log before the head moves on and hides it.
		if err := add(Entry{Time: first.Time, Event: EventAnchorMismatch, Detail: end.mismatch, Version: first.Version}); err != nil {
			return fmt.Errorf("audit log: %w", err)
		}
	}
	for _, e := range entries {
		if err := add(e); err != nil {
			return fmt.Errorf("audit log: %w", err)
		}
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	next := Head{Lines: seq - 1, Hash: prev, Time: last.Time}
	if hasHead {
		next.Seal = head.Seal // the last signed head stays until the next signing
	}
	if err := l.heads.SaveHead(ctx, next); err != nil {
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
		if err := l.Append(context.Background(), e); err != nil && l.onError != nil {
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
			// Queued entries are written even while the server stops:
			// they are the record of how its sessions ended.
			if err := l.write(context.Background(), batch); err != nil && l.onError != nil {
				l.onError(err)
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
	return l.write(context.Background(), rest)
}

// logEnd is where the next line goes.
type logEnd struct {
	lines    int64  // lines in the file, a cut last line included
	lastHash string // LineHash of the last line ("" for an empty file)
	complete bool   // the file ends with a newline (or is empty)
	mismatch string // why the end does not match the head, when it does not
}

// readEnd finds the log's end: from its last line when that line carries
// its number and the head agrees (every append but the first of an old
// log or after trouble), else by reading the whole file.
func readEnd(f *os.File, head Head, hasHead bool) (logEnd, error) {
	last, complete, err := lastLine(f)
	if err != nil {
		return logEnd{}, err
	}
	if last == nil {
		end := logEnd{complete: true}
		if hasHead && head.Lines > 0 {
			end.mismatch = fmt.Sprintf("the log was empty, but its head said %d line%s: they were removed", head.Lines, plural(head.Lines))
		}
		return end, nil
	}
	var e Entry
	if complete && json.Unmarshal(last, &e) == nil && e.Seq > 0 && hasHead {
		lastHash := LineHash(last)
		switch {
		case head.Lines == e.Seq && head.Hash == lastHash:
			return logEnd{lines: e.Seq, lastHash: lastHash, complete: true}, nil
		case head.Lines == e.Seq-1 && head.Hash == e.Prev:
			// The head missed one line: a crash between writing a line
			// and its head.
			return logEnd{lines: e.Seq, lastHash: lastHash, complete: true}, nil
		}
	}
	return scanEnd(f, last, complete, e.Seq > 0, head, hasHead)
}

// scanEnd counts the file's lines and checks the head against the line it
// names.
func scanEnd(f *os.File, last []byte, complete, lastIsNew bool, head Head, hasHead bool) (logEnd, error) {
	end := logEnd{lastHash: LineHash(last), complete: complete}
	var atHead string
	br := bufio.NewReaderSize(io.NewSectionReader(f, 0, 1<<62), 64<<10)
	for {
		raw, err := br.ReadBytes('\n')
		if len(raw) > 0 {
			end.lines++
			if hasHead && end.lines == head.Lines {
				atHead = LineHash(bytes.TrimSuffix(raw, []byte("\n")))
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return logEnd{}, err
		}
	}
	switch {
	case !hasHead && lastIsNew:
		end.mismatch = fmt.Sprintf("the log had %d line%s but no head: the head was removed", end.lines, plural(end.lines))
	case !hasHead:
		// An old log, before heads: its chain goes on from here.
	case head.Lines > end.lines:
		end.mismatch = fmt.Sprintf("the log had %d line%s, but its head said %d: lines were removed from its end",
			end.lines, plural(end.lines), head.Lines)
	case head.Lines > 0 && atHead != head.Hash:
		end.mismatch = fmt.Sprintf("line %d did not match the head: it was changed", head.Lines)
	}
	return end, nil
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

// plural is "s" for n other than 1 (these texts are for support staff, in
// English).
func plural[N int | int64](n N) string {
	if n == 1 {
		return ""
	}
	return "s"
}
