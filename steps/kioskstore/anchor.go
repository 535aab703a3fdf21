package kioskstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Anchors are small values kept whole by name, replaced all or nothing:
// what steps/audit's HeadStore keeps (the head of a log, its signed
// seal), encoded by it.

// SaveAnchor replaces the value of name.
func (s *Store) SaveAnchor(ctx context.Context, name string, data []byte) error {
	if data == nil {
		data = []byte{}
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO anchors (name, data, updated_ns) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET data = excluded.data, updated_ns = excluded.updated_ns`,
			name, data, nanos(s.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("save %s in %s: %w", name, s.where, err)
	}
	return nil
}

// Anchor is the value of name; ok is false when there is none.
func (s *Store) Anchor(ctx context.Context, name string) (data []byte, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT data FROM anchors WHERE name = $1`, name).Scan(&data)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("read %s in %s: %w", name, s.where, err)
	}
	return data, true, nil
}
