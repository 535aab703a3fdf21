package kioskstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Each recovery's durable state is its journal's bytes (steps/record's
// JSON lines), by key (record.Key of its id: the name of its file until
// now). Its version is how many times it was written: every write names
// the version it read and fails with ErrStale when another wrote since,
// so two hosts never write over each other. Deleting keeps the version
// (a row with no data), so a version never comes back.

// Recovery is one recovery's state.
type Recovery struct {
	Key     string
	Version int64 // 0: never written
	Exists  bool  // false: never written, or deleted
	Data    []byte
	Updated time.Time
}

// Recovery reads the state of key (Exists false when there is none).
func (s *Store) Recovery(ctx context.Context, key string) (Recovery, error) {
	r, err := readRecovery(ctx, s.db, key, "")
	if err != nil {
		return Recovery{}, fmt.Errorf("read the saved progress in %s: %w", s.where, err)
	}
	return r, nil
}

// rowQuerier is what a *sql.DB and a *sql.Tx share.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readRecovery(ctx context.Context, q rowQuerier, key, forUpdate string) (Recovery, error) {
	r := Recovery{Key: key}
	var updated int64
	err := q.QueryRowContext(ctx, `SELECT version, live, data, updated_ns FROM recoveries WHERE key = $1`+forUpdate, key).
		Scan(&r.Version, &r.Exists, &r.Data, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Recovery{Key: key}, nil
	}
	if err != nil {
		return Recovery{}, err
	}
	r.Updated = fromNanos(updated)
	return r, nil
}

// AppendRecovery adds data at the end of key's state, if its version is
// still version (0 for a recovery never written), creating it when it
// does not exist. It returns the new version, or ErrStale.
func (s *Store) AppendRecovery(ctx context.Context, key string, version int64, data []byte) (int64, error) {
	return s.writeRecovery(ctx, "note progress", key, version, data, true)
}

// PutRecovery replaces key's state with data, if its version is still
// version. It returns the new version, or ErrStale.
func (s *Store) PutRecovery(ctx context.Context, key string, version int64, data []byte) (int64, error) {
	return s.writeRecovery(ctx, "save progress", key, version, data, false)
}

// DeleteRecovery forgets key's state, if its version is still version.
// It returns the new version (a deleted recovery's), or ErrStale.
func (s *Store) DeleteRecovery(ctx context.Context, key string, version int64) (int64, error) {
	var next int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		cur, err := readRecovery(ctx, tx, key, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return ErrStale
		}
		if !cur.Exists {
			next = cur.Version
			return nil // nothing to forget
		}
		next = version + 1
		_, err = tx.ExecContext(ctx, `UPDATE recoveries SET version = $1, live = $2, data = $3, updated_ns = $4 WHERE key = $5`,
			next, false, []byte{}, nanos(s.now()), key)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("forget the saved progress in %s: %w", s.where, err)
	}
	return next, nil
}

func (s *Store) writeRecovery(ctx context.Context, what, key string, version int64, data []byte, appending bool) (int64, error) {
	if key == "" {
		return 0, fmt.Errorf("%s: no key", what)
	}
	if data == nil {
		data = []byte{}
	}
	next := version + 1
	err := s.tx(ctx, func(tx *sql.Tx) error {
		cur, err := readRecovery(ctx, tx, key, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return ErrStale
		}
		now := nanos(s.now())
		switch {
		case cur.Version == 0:
			// Two hosts creating it at once: the second inserts nothing.
			res, err := tx.ExecContext(ctx, `INSERT INTO recoveries (key, version, live, data, updated_ns)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, key, next, true, data, now)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err == nil && n == 0 {
				err = ErrStale
			}
			return err
		case appending && cur.Exists:
			_, err = tx.ExecContext(ctx, `UPDATE recoveries SET data = `+s.dialect.concat+`, version = $2, updated_ns = $3 WHERE key = $4`,
				data, next, now, key)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE recoveries SET data = $1, version = $2, live = $3, updated_ns = $4 WHERE key = $5`,
				data, next, true, now, key)
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("%s in %s: %w", what, s.where, err)
	}
	return next, nil
}
