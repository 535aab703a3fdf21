package kioskstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mjrecover/mjrecover/steps/record"
)

// Backends, as Backend names them.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// ErrStale: the recovery changed since the version the caller read
// (another session or host wrote it). Read it again before writing.
var ErrStale = errors.New("the saved state changed since it was read")

// Store is the kiosk's state in one database. It is safe for concurrent
// use; several Stores (hosts) may share one database.
type Store struct {
	db      *sql.DB
	dialect dialect
	locks   locker
	where   string // the URL without a password, for messages
	now     func() time.Time
	rand    io.Reader

	// writeMu makes this process's SQLite transactions take turns here
	// rather than in SQLite's busy handler, which waits by sleeping.
	writeMu sync.Mutex
}

// dialect is what differs between the backends' SQL.
type dialect struct {
	name string
	// forUpdate follows a SELECT whose rows the transaction will change.
	forUpdate string
	// concat appends the blob $1 to the column data.
	concat string
	// serialWrites: transactions of this process take turns (SQLite).
	serialWrites bool
	// migrationLock serializes migrations across hosts, inside their
	// transaction ("" when the transaction itself does: SQLite's
	// BEGIN IMMEDIATE).
	migrationLock string
}

// locker takes the locks of Lock.
type locker interface {
	tryLock(ctx context.Context, name string) (release func(context.Context) error, err error)
	close() error
}

// Option changes how Open sets up a Store.
type Option func(*Store)

// WithClock makes the store read the time from now (tests; time.Now
// otherwise). Expiry, windows and the times stored all come from it.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithRand makes the store draw codes and ids from r (crypto/rand
// otherwise).
func WithRand(r io.Reader) Option { return func(s *Store) { s.rand = r } }

// Open opens the store at rawURL, "sqlite:PATH" or "postgres://...", and
// brings its schema up to date.
func Open(ctx context.Context, rawURL string, opts ...Option) (*Store, error) {
	s := &Store{now: time.Now, rand: rand.Reader}
	for _, o := range opts {
		o(s)
	}
	var err error
	switch {
	case strings.HasPrefix(rawURL, "sqlite:"):
		err = s.openSQLite(ctx, sqlitePath(rawURL))
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		err = s.openPostgres(ctx, rawURL)
	default:
		// The URL is not repeated: it might hold a password.
		return nil, errors.New("open the kiosk store: the store URL must be sqlite:PATH or postgres://...")
	}
	if err != nil {
		return nil, fmt.Errorf("open the kiosk store %s: %w", s.where, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open the kiosk store %s: %w", s.where, err)
	}
	return s, nil
}

// DefaultURL is the store a kiosk uses when told none: a SQLite file in
// the kiosk's state folder, beside the files it replaces.
func DefaultURL() (string, error) {
	dir, err := DefaultDir()
	if err != nil {
		return "", err
	}
	return URLIn(dir), nil
}

// DefaultDir is the kiosk's state folder: kiosk/ in the user's state
// folder (record.DefaultDir). It holds the host key, the default store,
// and the files of kiosks before the store (FilesIn).
func DefaultDir() (string, error) {
	dir, err := record.DefaultDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "kiosk"), nil
}

// URLIn is the default store of a kiosk whose state folder is dir.
func URLIn(dir string) string { return "sqlite:" + filepath.Join(dir, "state.db") }

// sqlitePath is the file of a sqlite: URL ("sqlite:///abs" names /abs,
// as "sqlite:/abs" does).
func sqlitePath(rawURL string) string {
	path := strings.TrimPrefix(rawURL, "sqlite:")
	if strings.HasPrefix(path, "///") {
		path = path[2:]
	}
	return path
}

// redact drops a URL's password (and anything unparsable) for messages.
func redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(a URL that cannot be read)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Backend is SQLite or Postgres.
func (s *Store) Backend() string { return s.dialect.name }

// String names the store for messages: its URL without a password.
func (s *Store) String() string { return s.where }

// Now is the store's clock, for callers that must agree with it (a
// throttle computing how long an address waits).
func (s *Store) Now() time.Time { return s.now() }

// Close releases every lock this store holds and closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.locks != nil {
		errs = append(errs, s.locks.close())
	}
	errs = append(errs, s.db.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close the kiosk store %s: %w", s.where, err)
	}
	return nil
}

// tx runs change in a transaction, committed when it returns nil.
func (s *Store) tx(ctx context.Context, change func(*sql.Tx) error) error {
	if s.dialect.serialWrites {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := change(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// nanos and fromNanos store times as Unix nanoseconds.
func nanos(t time.Time) int64 { return t.UnixNano() }

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

func fromNullNanos(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromNanos(n.Int64)
	return &t
}

func nullNanos(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: nanos(*t), Valid: true}
}
