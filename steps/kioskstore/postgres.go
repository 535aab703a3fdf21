package kioskstore

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Connections of one host's pool: enough for its sessions' short
// transactions, few enough that several hosts fit PostgreSQL's default
// max_connections (100).
const (
	pgMaxConns  = 12
	pgIdleConns = 4
)

// pgMigrationLock is the advisory lock key (in the transaction) that
// makes hosts starting at once migrate one after the other.
const pgMigrationLock = "SELECT pg_advisory_xact_lock(7235310795020817664)"

// pgUnlockWait bounds how long releasing a lock may take.
const pgUnlockWait = 10 * time.Second

func (s *Store) openPostgres(ctx context.Context, rawURL string) error {
	s.dialect = dialect{name: Postgres, forUpdate: " FOR UPDATE", concat: "data || $1", migrationLock: pgMigrationLock}
	s.where = redact(rawURL)
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		// pgx's message repeats the URL, password masked at best effort.
		return errors.New("the PostgreSQL URL cannot be read")
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(pgMaxConns)
	db.SetMaxIdleConns(pgIdleConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return err
	}
	s.db = db
	s.locks = &pgLocker{cfg: lockConnConfig(cfg), held: map[string]*pgHeld{}}
	return nil
}

// lockConnConfig is the configuration of the locks' own connection: the
// server probes it with TCP keepalives, so that the locks of a host that
// vanished without closing it are freed within about 25 seconds rather
// than the system's two hours.
func lockConnConfig(cfg *pgx.ConnConfig) *pgx.ConnConfig {
	c := cfg.Copy()
	if c.RuntimeParams == nil {
		c.RuntimeParams = map[string]string{}
	}
	c.RuntimeParams["application_name"] = "mjrecover kiosk locks"
	c.RuntimeParams["tcp_keepalives_idle"] = "10"
	c.RuntimeParams["tcp_keepalives_interval"] = "5"
	c.RuntimeParams["tcp_keepalives_count"] = "3"
	return c
}

// pgLocker holds a host's locks as session advisory locks on one
// connection of its own.
type pgLocker struct {
	cfg    *pgx.ConnConfig
	mu     sync.Mutex // the connection serves one query at a time
	conn   *pgx.Conn
	held   map[string]*pgHeld
	closed bool
}

// pgHeld is one lock taken; Unlock checks it is still this one (a lock
// lost with a connection may have been taken again since).
type pgHeld struct{ key int64 }

func (l *pgLocker) tryLock(ctx context.Context, name string) (func(context.Context) error, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.closed:
		return nil, errClosed
	case l.held[name] != nil:
		// The server would grant it again: advisory locks are reentrant
		// within their session.
		return nil, ErrLocked
	}
	key := lockKey(name)
	// A query cancelled midway ends its connection, and with it every
	// lock of this host: the caller's end (a session that drops while it
	// claims) must not cancel it. A server that does not answer at all
	// ends it after pgUnlockWait.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), pgUnlockWait)
	defer cancel()
	fresh := l.conn == nil || l.conn.IsClosed()
	got, err := l.try(ctx, key)
	if err != nil && !fresh && ctx.Err() == nil {
		got, err = l.try(ctx, key) // the connection had died unnoticed: once more on a new one
	}
	if err != nil {
		return nil, err
	}
	if !got {
		return nil, ErrLocked
	}
	h := &pgHeld{key: key}
	l.held[name] = h
	return func(ctx context.Context) error { return l.unlock(ctx, name, h) }, nil
}

// try asks the server for key on the locks' connection (made when there
// is none); l.mu is held. A failed query drops the connection.
func (l *pgLocker) try(ctx context.Context, key int64) (bool, error) {
	if err := l.connect(ctx); err != nil {
		return false, err
	}
	var got bool
	if err := l.conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
		l.drop()
		return false, err
	}
	return got, nil
}

// connect makes the locks' connection when there is none and takes back
// the locks this host held on the one that died; those another host took
// meanwhile are lost (their sessions' writes then fail with ErrStale).
func (l *pgLocker) connect(ctx context.Context) error {
	if l.conn != nil && !l.conn.IsClosed() {
		return nil
	}
	l.drop()
	conn, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return err
	}
	// A server that ends idle sessions would end this one and its locks.
	_, _ = conn.Exec(ctx, "SET idle_session_timeout = 0") // unknown before PostgreSQL 14: nothing to undo
	for name, h := range l.held {
		var got bool
		if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", h.key).Scan(&got); err != nil {
			conn.Close(ctx)
			return err
		}
		if !got {
			delete(l.held, name)
		}
	}
	l.conn = conn
	return nil
}

// drop closes the locks' connection (its locks go with it); l.mu is held.
func (l *pgLocker) drop() {
	if l.conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), pgUnlockWait)
	defer cancel()
	_ = l.conn.Close(ctx)
	l.conn = nil
}

func (l *pgLocker) unlock(ctx context.Context, name string, h *pgHeld) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held[name] != h {
		return nil // lost with a connection, or released by close
	}
	delete(l.held, name)
	if l.conn == nil {
		return nil // its connection is gone, and the lock with it
	}
	ctx, cancel := context.WithTimeout(ctx, pgUnlockWait)
	defer cancel()
	var released bool
	if err := l.conn.QueryRow(ctx, "SELECT pg_advisory_unlock($1)", h.key).Scan(&released); err != nil {
		// The lock must not outlive its session: ending the connection
		// ends it (and this host's other locks, taken back on the next
		// Lock).
		l.drop()
		return err
	}
	return nil
}

// close releases every lock now (ending the connection would too, but
// the server notices a little later) and ends the connection.
func (l *pgLocker) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	clear(l.held)
	if l.conn == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), pgUnlockWait)
	defer cancel()
	// If this fails, the connection is gone or going: its end frees them.
	_, _ = l.conn.Exec(ctx, "SELECT pg_advisory_unlock_all()")
	l.drop()
	return nil
}
