package record

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/mjrecover/mjrecover/steps/internal/filelock"
	"github.com/mjrecover/mjrecover/steps/internal/privatefile"
	"github.com/mjrecover/mjrecover/steps/lang"
)

// Errors of Open. Their texts are marked messages: lang's Text says them
// in the customer's language.
var (
	ErrBusy       = errors.New(lang.Mark("this recovery is open in another mjrecover right now: close that one first"))
	ErrNewVersion = errors.New(lang.Mark("this recovery was saved by a newer mjrecover: use that one to go on"))
)

// maxFile bounds what is read of a journal: a recovery writes a few
// hundred kilobytes at most (a scan's findings are the longest part).
const maxFile = 64 << 20

// Store keeps journals in a folder, one file per recovery, named by a hash
// of its id (the account's master key, or a kiosk access code's state
// key), each 0600 in a 0700 folder; or, with a Backend, in a database
// that several kiosk hosts share. A Store with neither keeps nothing: its
// journals live in memory.
type Store struct {
	Dir string
	// Backend, when set, keeps the journals instead of Dir.
	Backend Backend
}

// Key names a journal without showing what it belongs to.
func Key(id string) string {
	sum := sha256.Sum256([]byte("mjrecover progress\x00" + id))
	return hex.EncodeToString(sum[:12])
}

// Path is the file the journal of id is kept in ("" for a Store with no
// Dir, or with a Backend).
func (s Store) Path(id string) string {
	if s.Dir == "" || s.Backend != nil {
		return ""
	}
	return filepath.Join(s.Dir, Key(id)+".journal")
}

// Open opens the journal of id, creating it when there is none, and locks
// it for this process (with a Backend: for every host) until Close: two
// wizards must not write one recovery. A journal of version 1 is migrated.
func (s Store) Open(id string) (*Journal, error) {
	if s.Backend != nil {
		return s.openBackend(id)
	}
	if s.Dir == "" {
		return &Journal{}, nil
	}
	return s.openFile(Key(id))
}

// openFile opens the journal file of key in s.Dir, as Open does.
func (s Store) openFile(key string) (*Journal, error) {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("open the saved progress: %w", err)
	}
	path := filepath.Join(s.Dir, key+".journal")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open the saved progress: %w", err)
	}
	if err := filelock.TryLock(f); err != nil {
		f.Close()
		if errors.Is(err, filelock.ErrLocked) {
			return nil, ErrBusy
		}
		return nil, fmt.Errorf("open the saved progress: %w", err)
	}
	j := &Journal{path: path, file: f}
	if err := j.load(); err != nil {
		j.Close()
		return nil, err
	}
	if len(j.events) == 0 {
		privatefile.SyncDir(s.Dir) // the new file's name must survive a power cut too
		if old, ok := migrateV1(s.Dir, key); ok {
			if err := j.Write(old...); err != nil {
				j.Close()
				return nil, err
			}
			removeV1(s.Dir, key)
		}
	}
	return j, nil
}

// Journal is one recovery's events: kept in memory, and appended to its
// file (written and synced) by Write, Keep and Save. It is safe for
// concurrent use: the wizard's loop adds events while commands write them.
type Journal struct {
	mu     sync.Mutex
	path   string   // "" keeps nothing on disk
	file   *os.File // open for appending, locked
	size   int64    // of the file, as far as whole lines were written
	events []Event
	saved  int // events[:saved] are on disk
	rev    int
	cache  *Record
	cached int // the rev cache was folded at

	// In a Backend (path is ""): the journal's key, the version last
	// read or written, and what lets go of its lock (nil once closed).
	backend Backend
	key     string
	version int64
	unlock  func()
}

// OnDisk reports whether the journal is kept: in a file, or in a
// Backend.
func (j *Journal) OnDisk() bool { return j.kept() }

func (j *Journal) kept() bool { return j.path != "" || j.backend != nil }

// Path is the journal's file ("" when it keeps nothing).
func (j *Journal) Path() string { return j.path }

// Add adds events in memory; they reach the disk with the next Save,
// Write or Keep. It does no I/O, so the wizard's loop may call it.
func (j *Journal) Add(es ...Event) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.events = append(j.events, es...)
	j.rev++
}

// Save writes what Add added.
func (j *Journal) Save() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.flush()
}

// Write adds events and writes them (with anything Add left unwritten)
// before it returns. On an error the events are not kept: an intent that
// did not reach the disk must not be acted on.
func (j *Journal) Write(es ...Event) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := len(j.events)
	j.events = append(j.events, es...)
	if err := j.flush(); err != nil {
		j.events = slices.Delete(j.events, n, n+len(es))
		j.saved = min(j.saved, len(j.events))
		return err
	}
	j.rev++
	return nil
}

// Keep adds events and writes them. On an error they stay in memory (to
// be written by a later Save): they happened either way.
func (j *Journal) Keep(es ...Event) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.events = append(j.events, es...)
	j.rev++
	return j.flush()
}

// flush appends events[saved:] to the file in one write and syncs it (or
// to the Backend, in one write). A write cut short is cut off again, so
// the next line starts clean.
func (j *Journal) flush() error {
	if !j.kept() || j.saved == len(j.events) {
		j.saved = len(j.events)
		return nil
	}
	var buf bytes.Buffer
	for _, e := range j.events[j.saved:] {
		line, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("note progress: %w", err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	if j.backend != nil {
		if err := j.flushBackend(buf.Bytes()); err != nil {
			return err
		}
		j.saved = len(j.events)
		return nil
	}
	if _, err := j.file.Write(buf.Bytes()); err != nil {
		_ = j.file.Truncate(j.size)
		return fmt.Errorf("note progress: %w", err)
	}
	if err := j.file.Sync(); err != nil {
		_ = j.file.Truncate(j.size)
		return fmt.Errorf("note progress: %w", err)
	}
	j.size += int64(buf.Len())
	j.saved = len(j.events)
	return nil
}

// Events returns a copy of every event.
func (j *Journal) Events() []Event {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.events)
}

// Record is the journal folded; it is folded again only after a change.
func (j *Journal) Record() Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.cache == nil || j.cached != j.rev {
		r := Fold(j.events)
		j.cache, j.cached = &r, j.rev
	}
	return *j.cache
}

// Unsaved reports whether events wait to be written.
func (j *Journal) Unsaved() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.kept() && j.saved < len(j.events)
}

// Close releases the file (or the Backend's journal) and its lock.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.release()
	if j.file == nil {
		return nil
	}
	err := j.file.Close() // closing releases the flock
	j.file = nil
	return err
}

// Delete forgets the recovery: its file goes, and the journal keeps
// nothing from then on.
func (j *Journal) Delete() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.backend != nil {
		j.events, j.saved = nil, 0
		j.rev++
		return j.deleteBackend()
	}
	if j.file != nil {
		j.file.Close()
		j.file = nil
	}
	path := j.path
	j.path, j.events, j.saved = "", nil, 0
	j.rev++
	if path == "" {
		return nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("forget the saved progress: %w", err)
	}
	return nil
}

// load reads the file and cuts a last line that a crash cut short, so
// the next append starts a line of its own. An intent a cut line announced
// was never acted on: Write returns only after the sync.
func (j *Journal) load() error {
	whole, err := j.readLines()
	if err != nil {
		return err
	}
	if info, err := j.file.Stat(); err == nil && info.Size() > whole {
		if err := j.file.Truncate(whole); err != nil {
			return fmt.Errorf("repair the saved progress: %w", err)
		}
	}
	j.saved, j.size = len(j.events), whole
	return nil
}

// read reads the file without changing it.
func (j *Journal) read() error {
	_, err := j.readLines()
	return err
}

// readLines reads every whole line (a line that cannot be read is
// skipped) and returns the length of the whole lines.
func (j *Journal) readLines() (int64, error) {
	if _, err := j.file.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("read the saved progress: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(j.file, maxFile))
	if err != nil {
		return 0, fmt.Errorf("read the saved progress: %w", err)
	}
	events, whole, err := parseLines(data)
	if err != nil {
		return 0, err
	}
	j.events = events
	return int64(whole), nil
}

// parseLines reads a journal's whole lines (a line that cannot be read is
// skipped) and returns the length of the whole lines.
func parseLines(data []byte) ([]Event, int, error) {
	whole := bytes.LastIndexByte(data, '\n') + 1
	var events []Event
	for _, line := range bytes.Split(data[:whole], []byte("\n")) {
		var e Event
		if len(line) == 0 || json.Unmarshal(line, &e) != nil || e.Type == "" {
			continue
		}
		if len(events) == 0 && e.Type == Opened && e.V > Version {
			return nil, 0, ErrNewVersion
		}
		events = append(events, e)
	}
	return events, whole, nil
}

// Peek reads the journal of id without creating or locking it: after a
// refused sign-in, what an earlier session did tells what to ask. ok is
// false when there is none.
func (s Store) Peek(id string) (rec Record, ok bool, err error) {
	if s.Backend != nil {
		return s.peekBackend(id)
	}
	if s.Dir == "" {
		return Record{}, false, nil
	}
	f, err := os.Open(s.Path(id))
	if errors.Is(err, os.ErrNotExist) {
		return Record{}, false, nil
	}
	if err != nil {
		return Record{}, false, fmt.Errorf("read the saved progress: %w", err)
	}
	defer f.Close()
	j := &Journal{file: f}
	if err := j.read(); err != nil {
		return Record{}, false, err
	}
	return Fold(j.events), len(j.events) > 0, nil
}

// DefaultDir is the user's state folder: $XDG_STATE_HOME/mjrecover, or
// ~/.local/state/mjrecover.
func DefaultDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "mjrecover"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the state folder: %w", err)
	}
	return filepath.Join(home, ".local", "state", "mjrecover"), nil
}
