package kioskstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mjrecover/mjrecover/steps/access"
)

// Access codes, with the semantics of steps/access.Store (its errors,
// records, grants and limits), shared by every host: a code issued
// through one opens on any.

// IssueCode makes a code for account, valid for valid (access.DefaultValid
// when 0), and stores its hash. The returned Issued holds the only copy of
// the code.
func (s *Store) IssueCode(ctx context.Context, account string, valid time.Duration) (access.Issued, error) {
	now := s.now().UTC()
	rec, issued, err := access.NewRecord(account, valid, now, s.rand)
	if err != nil {
		return access.Issued{}, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		// Codes spent long ago go as new ones come.
		if _, err := tx.ExecContext(ctx, `DELETE FROM codes WHERE COALESCE(finished_ns, expires_ns) <= $1`,
			nanos(now.Add(-access.KeepSpent))); err != nil {
			return err
		}
		return insertCode(ctx, tx, rec)
	})
	if err != nil {
		return access.Issued{}, fmt.Errorf("issue an access code in %s: %w", s.where, err)
	}
	return issued, nil
}

func insertCode(ctx context.Context, tx *sql.Tx, r access.Record) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO codes (id, hash, account, issued_ns, expires_ns, used_ns, finished_ns)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
		r.ID, r.Hash, r.Account, nanos(r.Issued), nanos(r.Expires), nullNanos(r.Used), nullNanos(r.Finished))
	return err
}

// RedeemCode checks a typed code, as access.Store.Redeem does: a right
// code gives its grant (Resumed when it had opened a session before) and
// is marked used; otherwise the error is access.ErrWrongCode, ErrExpired
// or ErrUsed, or a database error that names neither the code nor its
// hash. Keeping one live session per code is Lock's business.
//
// The code is found by its hash through the database's index: how long
// that takes can tell nothing about a code, only about a SHA-256 of it.
func (s *Store) RedeemCode(ctx context.Context, typed string) (access.Grant, error) {
	code, ok := access.Normalize(typed)
	if !ok {
		return access.Grant{}, access.ErrWrongCode
	}
	var g access.Grant
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var (
			rec            access.Record
			expires        int64
			used, finished sql.NullInt64
		)
		err := tx.QueryRowContext(ctx, `SELECT id, account, expires_ns, used_ns, finished_ns FROM codes WHERE hash = $1`+s.dialect.forUpdate,
			access.Hash(code)).Scan(&rec.ID, &rec.Account, &expires, &used, &finished)
		if errors.Is(err, sql.ErrNoRows) {
			return access.ErrWrongCode
		}
		if err != nil {
			return err
		}
		now := s.now().UTC()
		rec.Expires, rec.Used, rec.Finished = fromNanos(expires), fromNullNanos(used), fromNullNanos(finished)
		if g, err = rec.Grant(code, now); err != nil {
			return err
		}
		if used.Valid {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE codes SET used_ns = $1 WHERE id = $2`, nanos(now), rec.ID)
		return err
	})
	switch {
	case errors.Is(err, access.ErrWrongCode), errors.Is(err, access.ErrExpired), errors.Is(err, access.ErrUsed):
		return access.Grant{}, err
	case err != nil:
		return access.Grant{}, fmt.Errorf("check an access code in %s: %w", s.where, err)
	}
	return g, nil
}

// FinishCode marks the recovery opened by the code with record id done:
// the code opens nothing any more.
func (s *Store) FinishCode(ctx context.Context, id string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE codes SET finished_ns = $1 WHERE id = $2`, nanos(s.now().UTC()), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err == nil && n == 0 {
			err = fmt.Errorf("no code with id %s", id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("finish an access code in %s: %w", s.where, err)
	}
	return nil
}

// Codes lists the codes (hashes only), oldest first, for tools and tests.
func (s *Store) Codes(ctx context.Context) ([]access.Record, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, hash, account, issued_ns, expires_ns, used_ns, finished_ns
		FROM codes ORDER BY issued_ns, id`)
	if err != nil {
		return nil, fmt.Errorf("list the access codes in %s: %w", s.where, err)
	}
	defer rows.Close()
	var out []access.Record
	for rows.Next() {
		var (
			r               access.Record
			issued, expires int64
			used, finished  sql.NullInt64
		)
		if err := rows.Scan(&r.ID, &r.Hash, &r.Account, &issued, &expires, &used, &finished); err != nil {
			return nil, fmt.Errorf("list the access codes in %s: %w", s.where, err)
		}
		r.Issued, r.Expires, r.Used, r.Finished = fromNanos(issued), fromNanos(expires), fromNullNanos(used), fromNullNanos(finished)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list the access codes in %s: %w", s.where, err)
	}
	return out, nil
}
