package kioskstore

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
)

// ErrLocked: another session, on this host or another, holds the lock.
var ErrLocked = errors.New("it is open in another session right now")

// errClosed: the store was closed.
var errClosed = errors.New("the kiosk store is closed")

// Lock is one live session's hold on a name (a recovery, an access code):
// while it is held, Lock of the same name through any store of the same
// database fails with ErrLocked. It ends with Unlock, with the store's
// Close, or with the host: see the package documentation.
type Lock struct {
	name    string
	release func(context.Context) error
	once    sync.Once
	err     error
}

// Lock takes the lock on name for one session, or returns ErrLocked at
// once when another holds it; it never waits. A name is not secret (it
// may appear in errors): use a record id or a hash, never a code.
func (s *Store) Lock(ctx context.Context, name string) (*Lock, error) {
	if name == "" {
		return nil, errors.New("lock: no name")
	}
	release, err := s.locks.tryLock(ctx, name)
	if errors.Is(err, ErrLocked) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, fmt.Errorf("lock %q in the kiosk store: %w", name, err)
	}
	return &Lock{name: name, release: release}, nil
}

// Name is what the lock holds.
func (l *Lock) Name() string { return l.name }

// Unlock releases the lock (once; later calls return the first answer).
// It is meant for a session that is ending, so it goes on when ctx is
// already cancelled.
func (l *Lock) Unlock(ctx context.Context) error {
	l.once.Do(func() {
		if err := l.release(context.WithoutCancel(ctx)); err != nil {
			l.err = fmt.Errorf("unlock %q in the kiosk store: %w", l.name, err)
		}
	})
	return l.err
}

// lockHash names a lock in the database's terms, whatever its name holds.
func lockHash(name string) [32]byte {
	return sha256.Sum256([]byte("mjrecover kiosk lock\x00" + name))
}

// lockKey is the advisory lock key of name (PostgreSQL's are 64 bits).
func lockKey(name string) int64 {
	h := lockHash(name)
	return int64(binary.BigEndian.Uint64(h[:8]))
}

// lockFile is the lock file of name (SQLite).
func lockFile(name string) string {
	h := lockHash(name)
	return hex.EncodeToString(h[:16]) + ".lock"
}
