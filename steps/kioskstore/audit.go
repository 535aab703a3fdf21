package kioskstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"

	"github.com/mjrecover/mjrecover/steps/audit"
)

// The audit chain: lines appended by every host in one order. Each line
// gets the next sequence number and the hash of the line before it inside
// the transaction that stores it; the head (the last line's hash and the
// number of lines) is anchored in the same transaction. What a line says
// is steps/audit's business (AuditChain is its audit.ChainStore): the
// store keeps its bytes, and hashes them as audit.LineHash does.

// AuditHead is the chain's end: how many lines it has and the last one's
// hash ("" when it has none).
type AuditHead struct {
	Count int64
	Hash  string
}

// AuditBreak says where the stored chain stops holding together.
type AuditBreak struct {
	Seq    int64 // the first line that does not hold (Count+1 for the head)
	Reason string
}

func (e *AuditBreak) Error() string { return fmt.Sprintf("audit line %d: %s", e.Seq, e.Reason) }

// AppendAudit adds a line at the end of the chain. line is called inside
// the transaction with the hash of the line before ("" for the first)
// and the new line's number, and returns the bytes to store (one line,
// without a newline): it must not call the store. It returns the new
// head.
func (s *Store) AppendAudit(ctx context.Context, line func(prev string, seq int64) ([]byte, error)) (AuditHead, error) {
	return s.AppendAuditLines(ctx, 1, func(_ int, prev string, seq int64) ([]byte, error) { return line(prev, seq) })
}

// AppendAuditLines adds n lines at the end of the chain in one
// transaction, as AppendAudit adds one: line(i, prev, seq) makes the i-th.
func (s *Store) AppendAuditLines(ctx context.Context, n int, line func(i int, prev string, seq int64) ([]byte, error)) (AuditHead, error) {
	var head AuditHead
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if head, err = s.lockAuditHead(ctx, tx); err != nil {
			return err
		}
		for i := range n {
			b, err := line(i, head.Hash, head.Count+1)
			if err != nil {
				return err
			}
			if head, err = appendAuditLine(ctx, tx, head, b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return AuditHead{}, fmt.Errorf("append to the audit chain in %s: %w", s.where, err)
	}
	return head, nil
}

// lockAuditHead reads the head for a transaction that appends: on
// PostgreSQL the row lock makes hosts append one at a time.
func (s *Store) lockAuditHead(ctx context.Context, tx *sql.Tx) (AuditHead, error) {
	var h AuditHead
	err := tx.QueryRowContext(ctx, `SELECT count, hash FROM audit_head WHERE id = 1`+s.dialect.forUpdate).Scan(&h.Count, &h.Hash)
	return h, err
}

// appendAuditLine stores b after prev and moves the head.
func appendAuditLine(ctx context.Context, tx *sql.Tx, prev AuditHead, b []byte) (AuditHead, error) {
	if len(b) == 0 || bytes.IndexByte(b, '\n') >= 0 {
		return AuditHead{}, errors.New("an audit line must be one line, not empty")
	}
	next := AuditHead{Count: prev.Count + 1, Hash: audit.LineHash(b)}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_lines (seq, line, hash, prev) VALUES ($1, $2, $3, $4)`,
		next.Count, b, next.Hash, prev.Hash); err != nil {
		return AuditHead{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET count = $1, hash = $2 WHERE id = 1`, next.Count, next.Hash); err != nil {
		return AuditHead{}, err
	}
	return next, nil
}

// AuditHead is the anchored head.
func (s *Store) AuditHead(ctx context.Context) (AuditHead, error) {
	var h AuditHead
	if err := s.db.QueryRowContext(ctx, `SELECT count, hash FROM audit_head WHERE id = 1`).Scan(&h.Count, &h.Hash); err != nil {
		return AuditHead{}, fmt.Errorf("read the audit head in %s: %w", s.where, err)
	}
	return h, nil
}

// AuditLines calls fn with each line after line number after, in order
// (after 0: from the first), until fn returns an error, which it returns.
// fn must not call the store.
func (s *Store) AuditLines(ctx context.Context, after int64, fn func(seq int64, line []byte) error) error {
	return s.auditLines(ctx, after, math.MaxInt64, fn)
}

// auditLines is AuditLines up to line number upTo.
func (s *Store) auditLines(ctx context.Context, after, upTo int64, fn func(seq int64, line []byte) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, line FROM audit_lines WHERE seq > $1 AND seq <= $2 ORDER BY seq`, after, upTo)
	if err != nil {
		return fmt.Errorf("read the audit chain in %s: %w", s.where, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			seq  int64
			line []byte
		)
		if err := rows.Scan(&seq, &line); err != nil {
			return fmt.Errorf("read the audit chain in %s: %w", s.where, err)
		}
		if err := fn(seq, line); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the audit chain in %s: %w", s.where, err)
	}
	return nil
}

// CheckAudit checks the stored chain: lines numbered 1, 2, 3... without
// a gap, each line's hash its bytes', each pointing to the one before,
// and the head anchoring the last. It returns the head, and an
// *AuditBreak for the first line that does not hold. It cannot tell a
// change made to a line, its hash and the head together: that is what
// signing the head is for.
func (s *Store) CheckAudit(ctx context.Context) (AuditHead, error) {
	head, err := s.AuditHead(ctx)
	if err != nil {
		return AuditHead{}, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, line, hash, prev FROM audit_lines ORDER BY seq`)
	if err != nil {
		return head, fmt.Errorf("read the audit chain in %s: %w", s.where, err)
	}
	defer rows.Close()
	var got AuditHead
	for rows.Next() {
		var (
			seq        int64
			line       []byte
			hash, prev string
		)
		if err := rows.Scan(&seq, &line, &hash, &prev); err != nil {
			return head, fmt.Errorf("read the audit chain in %s: %w", s.where, err)
		}
		switch {
		case seq != got.Count+1:
			return head, &AuditBreak{got.Count + 1, fmt.Sprintf("missing (the next stored line is %d)", seq)}
		case hash != audit.LineHash(line):
			return head, &AuditBreak{seq, "changed (its hash does not match its text)"}
		case prev != got.Hash:
			return head, &AuditBreak{seq, fmt.Sprintf("does not follow line %d", got.Count)}
		}
		got = AuditHead{Count: seq, Hash: hash}
	}
	if err := rows.Err(); err != nil {
		return head, fmt.Errorf("read the audit chain in %s: %w", s.where, err)
	}
	switch {
	case got.Count < head.Count:
		return head, &AuditBreak{got.Count + 1, fmt.Sprintf("missing: the head anchors %d lines, %d are stored", head.Count, got.Count)}
	case got != head:
		return head, &AuditBreak{got.Count + 1, "the anchored head does not match the last line"}
	}
	return head, nil
}
