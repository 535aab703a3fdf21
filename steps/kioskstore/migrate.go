package kioskstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// migrations holds each backend's schema as numbered files
// (migrations/BACKEND/0001_name.sql, 0002_...), run in order, each once.
//
//go:embed migrations
var migrations embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads a backend's migrations, checking that they are
// numbered 1, 2, 3... without a gap.
func loadMigrations(backend string) ([]migration, error) {
	dir := path.Join("migrations", backend)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("read the schema migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("schema migration %s: the name is not NNNN_name.sql", e.Name())
		}
		data, err := fs.ReadFile(migrations, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read the schema migrations: %w", err)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(data)})
	}
	for i, m := range out { // ReadDir sorts by name
		if m.version != i+1 {
			return nil, fmt.Errorf("schema migration %s: expected number %d", m.name, i+1)
		}
	}
	return out, nil
}

// migrate brings the schema up to date in one transaction: a host that
// starts while another migrates waits for it (SQLite's write lock, an
// advisory lock on PostgreSQL), then finds nothing left to do.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations(s.dialect.name)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if s.dialect.migrationLock != "" {
			if _, err := tx.ExecContext(ctx, s.dialect.migrationLock); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
			version    INTEGER PRIMARY KEY,
			applied_ns BIGINT NOT NULL)`); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&have); err != nil {
			return err
		}
		if have > len(ms) {
			return fmt.Errorf("its schema is version %d, newer than this mjrecover knows (%d): use a newer mjrecover", have, len(ms))
		}
		for _, m := range ms[have:] {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied_ns) VALUES ($1, $2)`,
				m.version, nanos(s.now())); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update the schema: %w", err)
	}
	return nil
}

// SchemaVersion is the schema's version in the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read the schema version of %s: %w", s.where, err)
	}
	return v, nil
}
