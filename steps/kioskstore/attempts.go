package kioskstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mjrecover/mjrecover/steps/access"
)

// Attempts are counted per address and scope (ScopeCode: wrong access
// codes), shared by every host: an address that tried too many codes
// through one host waits on all of them. The store keeps the times; the
// caller (access.Throttle, whose Attempts a Store is) decides what a
// number of them means.

// ScopeCode counts wrong access codes (access.Throttle's scope).
const ScopeCode = access.ScopeCode

// AddAttempt counts an attempt by address in scope now (the store's
// clock), and returns the attempts within window (this one included),
// oldest first. Attempts of the scope older than window are dropped: one
// scope has one window.
func (s *Store) AddAttempt(ctx context.Context, scope, address string, window time.Duration) ([]time.Time, error) {
	if window <= 0 {
		return nil, errors.New("count an attempt: the window must be positive")
	}
	now := s.now().UTC()
	var out []time.Time
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM attempts WHERE scope = $1 AND at_ns <= $2`,
			scope, nanos(now.Add(-window))); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO attempts (scope, address, at_ns) VALUES ($1, $2, $3)`,
			scope, address, nanos(now)); err != nil {
			return err
		}
		var err error
		out, err = attemptsSince(ctx, tx, scope, address, now.Add(-window))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("count an attempt in %s: %w", s.where, err)
	}
	return out, nil
}

// Attempts are the attempts by address in scope within window of now,
// oldest first.
func (s *Store) Attempts(ctx context.Context, scope, address string, window time.Duration) ([]time.Time, error) {
	out, err := attemptsSince(ctx, s.db, scope, address, s.now().Add(-window))
	if err != nil {
		return nil, fmt.Errorf("read the attempts in %s: %w", s.where, err)
	}
	return out, nil
}

// querier is what a *sql.DB and a *sql.Tx share.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func attemptsSince(ctx context.Context, q querier, scope, address string, since time.Time) ([]time.Time, error) {
	rows, err := q.QueryContext(ctx, `SELECT at_ns FROM attempts WHERE scope = $1 AND address = $2 AND at_ns > $3 ORDER BY at_ns`,
		scope, address, nanos(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out = append(out, fromNanos(at))
	}
	return out, rows.Err()
}
