package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

type postgresEngine struct{}

func (postgresEngine) name() string { return "postgres" }

func (postgresEngine) classify(err error) errClass {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return errUnique
		case "23503":
			return errForeignKey
		case "53100", "53200", "57P01", "57P02", "57P03":
			return errUnavailable
		}
		return errOther
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	if errors.As(err, &ne) || errors.As(err, &ce) || errors.Is(err, sql.ErrConnDone) {
		return errUnavailable
	}
	return errOther
}

// A database may use a language collation, which orders punctuation loosely; the key index is
// built on the "C" collation to match (migration 0007).
func (postgresEngine) bytewise(col string) string { return col + ` COLLATE "C"` }

// PostgreSQL's default, READ COMMITTED, takes a new snapshot for each statement.
func (postgresEngine) snapshotIsolation() sql.IsolationLevel { return sql.LevelRepeatableRead }

// migrationLockID is an arbitrary constant naming Waymark's advisory lock.
const migrationLockID = 7216_2026

func (postgresEngine) lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error) {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLockID); err != nil {
		return nil, err
	}
	return func() {
		conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLockID)
	}, nil
}

func (db *DB) openPostgres(ctx context.Context, url string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("the database URL is not valid (%v); use the form postgres://USER@HOST:5432/DBNAME", pgErrText(err))
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	db.engine = postgresEngine{}
	db.wdb = stdlib.OpenDB(*cfg)
	db.wdb.SetMaxOpenConns(20)
	db.wdb.SetMaxIdleConns(20)
	db.wdb.SetConnMaxIdleTime(5 * time.Minute)
	db.rdb = db.wdb
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.wdb.PingContext(pctx); err != nil {
		db.wdb.Close()
		return fmt.Errorf("cannot reach the database at %s:%d (%v); check that PostgreSQL is running and the URL is right", cfg.Host, cfg.Port, pgErrText(err))
	}
	return nil
}

// pgErrText shortens pgx's errors to their last cause, which is the part a person can act on.
func pgErrText(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Message
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return oe.Err.Error()
	}
	for {
		u := errors.Unwrap(err)
		if u == nil {
			// pgx joins the errors of each address it tried, a line each; the first says enough.
			first, _, _ := strings.Cut(err.Error(), "\n")
			return first
		}
		err = u
	}
}
