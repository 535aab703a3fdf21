package kioskstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // the "sqlite" driver, pure Go

	"github.com/mjrecover/mjrecover/steps/internal/filelock"
)

// sqliteBusyMillis is how long a transaction waits for another process's
// (issue-code's, a second kiosk's on this machine) to finish.
const sqliteBusyMillis = 10000

func (s *Store) openSQLite(ctx context.Context, path string) error {
	s.dialect = dialect{name: SQLite, concat: "CAST(data || $1 AS BLOB)", serialWrites: true}
	s.where = "sqlite:" + path
	if path == "" {
		return errors.New("no file after sqlite:")
	}
	// The driver reads what follows ? as its options.
	if strings.ContainsAny(path, "?#") {
		return errors.New("the file's name must not hold ? or #")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	s.where = "sqlite:" + abs
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return err
	}
	if err := createPrivate(abs); err != nil {
		return err
	}
	// Every transaction takes the write lock when it begins (immediate):
	// one that reads and then writes could otherwise meet another's write
	// and fail at once, busy timeout or not.
	dsn := fmt.Sprintf("%s?_txlock=immediate&_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)",
		abs, sqliteBusyMillis)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return err
	}
	s.db = db
	s.locks = &fileLocker{dir: abs + ".locks", held: map[string]*os.File{}}
	return nil
}

// createPrivate makes the database file with mode 0600 before SQLite
// opens it, so that it never gets the umask's mode; SQLite gives its -wal
// and -shm files the database's mode. An existing file must be a regular
// file (not a link).
func createPrivate(path string) error {
	if info, err := os.Lstat(path); err == nil && !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Chmod(0o600)
}

// fileLocker locks names with flock on files in dir, one per name (kept
// after unlocking: removing a lock file races with its next opener).
type fileLocker struct {
	dir    string
	mu     sync.Mutex
	held   map[string]*os.File
	closed bool
}

func (l *fileLocker) tryLock(_ context.Context, name string) (func(context.Context) error, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.closed:
		return nil, errClosed
	case l.held[name] != nil:
		// flock would refuse it too, but not where flock is missing.
		return nil, ErrLocked
	}
	if err := os.MkdirAll(l.dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(l.dir, lockFile(name)), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := filelock.TryLock(f); err != nil {
		f.Close()
		if errors.Is(err, filelock.ErrLocked) {
			return nil, ErrLocked
		}
		return nil, err
	}
	l.held[name] = f
	return func(context.Context) error { return l.unlock(name, f) }, nil
}

func (l *fileLocker) unlock(name string, f *os.File) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held[name] != f {
		return nil // released by close
	}
	delete(l.held, name)
	return f.Close() // closing releases the flock
}

func (l *fileLocker) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	var errs []error
	for name, f := range l.held {
		errs = append(errs, f.Close())
		delete(l.held, name)
	}
	return errors.Join(errs...)
}
