package sqldb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

// migrationNames lists an engine's migration files in order.
func migrationNames(engineName string) ([]string, error) {
	names, err := fs.Glob(migrationFS, "migrations/"+engineName+"/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

// migrate applies, in name order, each embedded migration not yet recorded, each in its own
// transaction together with the row that records it. Migrations are fix-forward: none is ever undone.
func (db *DB) migrate(ctx context.Context) error {
	conn, err := db.wdb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("cannot connect to the database to migrate it: %v", err)
	}
	defer conn.Close()
	unlock, err := db.engine.lockMigrations(ctx, conn)
	if err != nil {
		return fmt.Errorf("cannot lock the database to migrate it: %v", err)
	}
	defer unlock()

	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY,
		applied_at TIMESTAMP NOT NULL
	)`); err != nil {
		return fmt.Errorf("cannot create the migrations table: %v", err)
	}
	names, err := migrationNames(db.engine.name())
	if err != nil {
		return err
	}
	for _, path := range names {
		name := path[strings.LastIndex(path, "/")+1:]
		body, err := migrationFS.ReadFile(path)
		if err != nil {
			return err
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migration %s: %v", name, err)
		}
		// Check inside the transaction: on SQLite it holds the write lock from BEGIN (immediate), so
		// another process opening the same new database at the same moment waits here and then
		// finds the migration applied, instead of running it a second time.
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil {
			tx.Rollback()
			return fmt.Errorf("cannot read the migrations table: %v", err)
		}
		if n > 0 {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s failed: %v", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`, name, db.now().UTC()); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %v", name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %v", name, err)
		}
		db.log.Info("applied migration", "name", name)
	}
	return nil
}

// Migrations returns the names of the applied migrations, for `waymark migrate`.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, db.mapError(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
