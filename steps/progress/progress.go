// Package progress keeps a recovery's progress between runs, so that a
// dropped connection or a crash loses nothing: which steps are done, what
// the scan found (redacted), and the journal of the key rotation (a file
// of its own next to the state). It holds no secret: a saved state can be read by anyone who gets the file, so it
// carries only what the support report may carry.
package progress

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/mjrecover/mjrecover/steps/support"
)

// version is the file format; a file of another version is ignored.
const version = 1

// State is one account's progress.
type State struct {
	Version   int                        `json:"version"`
	Account   string                     `json:"account"`
	MasterKey string                     `json:"master_api_key"`
	UpdatedAt time.Time                  `json:"updated_at"`
	Steps     map[int]support.StepResult `json:"steps"` // done steps, by number
	ScanRoot  string                     `json:"scan_root,omitempty"`
	Findings  []support.Finding          `json:"findings,omitempty"` // redacted
	Leaked    []string                   `json:"leaked_keys,omitempty"`
	Actions   []support.Line             `json:"other_actions,omitempty"` // files updated, leaks removed, review
}

// Store saves states in a folder, one file per key, each written
// atomically (a temporary file renamed over the old one) with mode 0600.
type Store struct {
	Dir string
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

// Key names a state without showing what it belongs to: the file name is
// a hash of id (the account's master key, or a kiosk access code).
func Key(id string) string {
	sum := sha256.Sum256([]byte("mjrecover progress\x00" + id))
	return hex.EncodeToString(sum[:12])
}

func (s Store) path(key string) string { return filepath.Join(s.Dir, key+".json") }

// Load reads the state saved under key. A missing state is not an error:
// it returns ok=false.
func (s Store) Load(key string) (st State, ok bool, err error) {
	data, err := os.ReadFile(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, fmt.Errorf("read saved progress: %w", err)
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return State{}, false, fmt.Errorf("read saved progress %s: %w", s.path(key), err)
	}
	if st.Version != version {
		return State{}, false, nil
	}
	return st, true, nil
}

// Save writes st under key.
func (s Store) Save(key string, st State) error {
	st.Version = version
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	tmp, err := os.CreateTemp(s.Dir, ".progress-*")
	if err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("save progress: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("save progress: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save progress: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path(key)); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	return nil
}

// Delete forgets the state under key and its rotation journal, after a
// finished recovery.
func (s Store) Delete(key string) error {
	if err := s.DeleteState(key); err != nil {
		return err
	}
	return s.Journal(key).Delete()
}

// DeleteState forgets the state under key but keeps its rotation journal:
// when a user starts afresh, a half-made key replacement must still be
// finished rather than made twice.
func (s Store) DeleteState(key string) error {
	if err := os.Remove(s.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("forget saved progress: %w", err)
	}
	return nil
}
