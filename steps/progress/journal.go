package progress

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/mjrecover/mjrecover/steps/rotate"
)

// maxJournalLine bounds one journal line when reading it back.
const maxJournalLine = 64 << 10

// Journal is the rotation journal of one state: an append-only file of
// JSON lines, each synced to disk before Record returns, so an entry
// written before a change survives a crash during it.
type Journal struct {
	mu   sync.Mutex
	path string
}

// Journal returns the rotation journal kept next to the state under key.
func (s Store) Journal(key string) *Journal {
	return &Journal{path: s.path(key) + "l"} // <key>.jsonl
}

// Record appends e. It implements rotate.Journal.
func (j *Journal) Record(e rotate.Entry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("note rotation progress: %w", err)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := os.MkdirAll(dirOf(j.path), 0o700); err != nil {
		return fmt.Errorf("note rotation progress: %w", err)
	}
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("note rotation progress: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("note rotation progress: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("note rotation progress: %w", err)
	}
	return f.Close()
}

// Entries reads the journal back. A last line cut short by a crash is
// skipped; an entry it announced was not acted on (Record returns only
// after the sync).
func (j *Journal) Entries() ([]rotate.Entry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	data, err := os.ReadFile(j.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read rotation progress: %w", err)
	}
	var out []rotate.Entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxJournalLine)
	for sc.Scan() {
		var e rotate.Entry
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.OldKey != "" {
			out = append(out, e)
		}
	}
	return out, nil
}

// Delete removes the journal.
func (j *Journal) Delete() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := os.Remove(j.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("forget rotation progress: %w", err)
	}
	return nil
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if os.IsPathSeparator(path[i]) {
			return path[:i]
		}
	}
	return "."
}
