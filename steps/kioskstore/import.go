package kioskstore

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/mjrecover/mjrecover/steps/record"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/mjrecover/mjrecover/steps/access"
	"github.com/mjrecover/mjrecover/steps/audit"
	"github.com/mjrecover/mjrecover/steps/internal/filelock"
)

// The one-time move from the files a kiosk kept before the store. Each
// file (the codes, the audit log, the recoveries' folder) is imported in
// one transaction that also notes it as imported, so an import cut short
// leaves nothing half done, and a second import of the same file brings
// nothing: not even what the store has dropped since (a spent code, a
// finished recovery).

// Files are a kiosk's state files.
type Files struct {
	Codes    string // the access codes (codes.json: hashes only)
	Audit    string // the audit log (audit.jsonl)
	Progress string // the recoveries' journals (progress/KEY.journal)
}

// FilesIn are the files a kiosk kept in dir (its state folder's kiosk/).
func FilesIn(dir string) Files {
	return Files{
		Codes:    filepath.Join(dir, "codes.json"),
		Audit:    filepath.Join(dir, "audit.jsonl"),
		Progress: filepath.Join(dir, "progress"),
	}
}

// Imported says what an import brought in.
type Imported struct {
	Codes      int
	AuditLines int
	Recoveries int
	// Notes say what was left out and why (file names and counts, no
	// secret), in English for the operator.
	Notes []string
}

// maxJournal bounds a journal read (steps/record reads as much).
const maxJournal = 64 << 20

// maxAuditLine bounds an audit line read.
const maxAuditLine = 16 << 20

// journalName is a journal's file name: record.Key's 24 hex digits.
var journalName = regexp.MustCompile(`^[0-9a-f]{24}\.journal$`)

// Import brings the files in, each once; missing files ("" or absent)
// are skipped. A journal open in a running mjrecover stops the import:
// stop the kiosk that uses the files first.
func (s *Store) Import(ctx context.Context, f Files) (Imported, error) {
	var out Imported
	var err error
	if f.Codes != "" {
		out.Codes, err = s.importOnce(ctx, "codes", f.Codes, s.importCodes, &out)
		if err != nil {
			return out, err
		}
	}
	if f.Progress != "" {
		out.Recoveries, err = s.importOnce(ctx, "progress", f.Progress, s.importProgress, &out)
		if err != nil {
			return out, err
		}
	}
	if f.Audit != "" {
		out.AuditLines, err = s.importOnce(ctx, "audit", f.Audit, s.importAudit, &out)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// importOnce runs one file's import in a transaction that notes it, unless
// it was imported before.
func (s *Store) importOnce(ctx context.Context, kind, path string, load func(context.Context, *sql.Tx, string, *Imported) (int, error), out *Imported) (int, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0, fmt.Errorf("import %s: %w", path, err)
	}
	if _, err := os.Lstat(abs); errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	source := kind + ":" + abs
	var n int
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO imports (source, items, done_ns) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`,
			source, nanos(s.now()))
		if err != nil {
			return err
		}
		if done, err := res.RowsAffected(); err != nil || done == 0 {
			n = 0
			return err // imported before: nothing to do
		}
		if n, err = load(ctx, tx, abs, out); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE imports SET items = $1 WHERE source = $2`, n, source)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("import %s into %s: %w", abs, s.where, err)
	}
	return n, nil
}

// importCodes copies the codes file's records (hashes, times, use and
// finish), read under the file's lock as issue-code writes it.
func (s *Store) importCodes(ctx context.Context, tx *sql.Tx, path string, _ *Imported) (int, error) {
	recs, err := (&access.Store{Path: path}).Records()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range recs {
		res, err := tx.ExecContext(ctx, `INSERT INTO codes (id, hash, account, issued_ns, expires_ns, used_ns, finished_ns)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
			r.ID, r.Hash, r.Account, nanos(r.Issued), nanos(r.Expires), nullNanos(r.Used), nullNanos(r.Finished))
		if err != nil {
			return 0, err
		}
		if k, err := res.RowsAffected(); err == nil {
			n += int(k)
		}
	}
	return n, nil
}

// importProgress copies each journal's whole lines (a line a crash cut
// short was never acted on) as a recovery of version 1. A recovery the
// store already has is kept as the store has it.
func (s *Store) importProgress(ctx context.Context, tx *sql.Tx, dir string, out *Imported) (int, error) {
	// The first progress format becomes journals first, as a kiosk
	// opening each recovery would make it.
	if _, err := record.UpgradeV1(dir); err != nil {
		return 0, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n, older := 0, 0
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".jsonl"):
			older++
			continue
		case !journalName.MatchString(name) || !e.Type().IsRegular():
			continue
		}
		data, err := readJournal(filepath.Join(dir, name))
		if err != nil {
			return 0, err
		}
		if len(data) == 0 {
			continue
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO recoveries (key, version, live, data, updated_ns)
			VALUES ($1, 1, $2, $3, $4) ON CONFLICT DO NOTHING`, strings.TrimSuffix(name, ".journal"), true, data, nanos(s.now()))
		if err != nil {
			return 0, err
		}
		if k, err := res.RowsAffected(); err == nil && k == 0 {
			out.Notes = append(out.Notes, fmt.Sprintf("%s: the store already has this recovery; kept the store's", name))
		}
		n++
	}
	if older > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("%s: left %d file(s) of mjrecover's first progress format in place (not imported)", dir, older))
	}
	return n, nil
}

// readJournal reads a journal's whole lines under its lock.
func readJournal(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := filelock.TryLock(f); err != nil {
		if errors.Is(err, filelock.ErrLocked) {
			return nil, fmt.Errorf("%s is open in a running mjrecover: stop it before the import", path)
		}
		return nil, err
	}
	defer filelock.Unlock(f)
	data, err := io.ReadAll(io.LimitReader(f, maxJournal))
	if err != nil {
		return nil, err
	}
	return data[:bytes.LastIndexByte(data, '\n')+1], nil
}

// importAudit appends the log's lines, byte for byte, to the store's
// chain, so the chain the file had goes on in the store. A store whose
// chain already has lines must have the file's first lines (an import
// interrupted elsewhere); any other chain refuses the file.
func (s *Store) importAudit(ctx context.Context, tx *sql.Tx, path string, _ *Imported) (int, error) {
	head, err := s.lockAuditHead(ctx, tx)
	if err != nil {
		return 0, err
	}
	var have []string // the store's lines' hashes, when it has any
	if head.Count > 0 {
		if have, err = auditHashes(ctx, tx); err != nil {
			return 0, err
		}
		if int64(len(have)) != head.Count {
			return 0, fmt.Errorf("the store's audit chain is broken (%d lines stored, its head says %d)", len(have), head.Count)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if err := filelock.Lock(f); err != nil { // as steps/audit appends
		return 0, err
	}
	defer filelock.Unlock(f)
	insert, err := tx.PrepareContext(ctx, `INSERT INTO audit_lines (seq, line, hash, prev) VALUES ($1, $2, $3, $4)`)
	if err != nil {
		return 0, err
	}
	defer insert.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), maxAuditLine)
	sc.Split(splitLines)
	var seq int64
	n := 0
	for sc.Scan() {
		line := sc.Bytes()
		seq++
		hash := audit.LineHash(line)
		if seq <= head.Count {
			if have[seq-1] != hash {
				return 0, fmt.Errorf("the store's audit chain differs from the file at line %d: import the file into a new store", seq)
			}
			continue
		}
		if _, err := insert.ExecContext(ctx, seq, line, hash, head.Hash); err != nil {
			return 0, err
		}
		head = AuditHead{Count: seq, Hash: hash}
		n++
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	if seq < head.Count {
		return 0, fmt.Errorf("the store's audit chain has %d lines the file does not: import the file into a new store", head.Count-seq)
	}
	_, err = tx.ExecContext(ctx, `UPDATE audit_head SET count = $1, hash = $2 WHERE id = 1`, head.Count, head.Hash)
	return n, err
}

// auditHashes are the stored lines' hashes, in order.
func auditHashes(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT hash FROM audit_lines ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// splitLines splits at "\n" only (a "\r" is part of the line: the line's
// hash covers it), keeping a last line without a newline.
func splitLines(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}
