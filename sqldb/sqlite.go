package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLiteFile is the database's file name inside the data directory.
const SQLiteFile = "waymark.db"

type sqliteEngine struct{}

func (sqliteEngine) name() string { return "sqlite" }

func (sqliteEngine) classify(err error) errClass {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return errOther
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return errUnique
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return errForeignKey
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY:
		return errUnavailable
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY:
		return errUnavailable
	}
	return errOther
}

// SQLite's default collation, BINARY, already compares bytes.
func (sqliteEngine) bytewise(col string) string { return col }

// A SQLite read transaction in WAL mode already sees one snapshot.
func (sqliteEngine) snapshotIsolation() sql.IsolationLevel { return sql.LevelDefault }

// SQLite transactions in the writer already exclude each other (BEGIN IMMEDIATE).
func (sqliteEngine) lockMigrations(context.Context, *sql.Conn) (func(), error) { return func() {}, nil }

// sqliteDSN sets every per-connection setting in the DSN, so that each new connection gets them:
// foreign keys, a busy timeout, WAL, full fsync on commit, and the time format the stores parse.
func sqliteDSN(path string, write bool) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_time_format", "sqlite")
	if !write {
		// Readers keep up to 64 MiB of pages each (SQLite's default is 2 MiB), and read the first
		// GiB of the file through a memory map: whole-region reads such as the regional statistics
		// otherwise copy every page in again after each write, which empties a reader's cache. The
		// cost: a disk failing under a read stops the process rather than failing the request.
		q.Add("_pragma", "cache_size(-65536)")
		q.Add("_pragma", "mmap_size(1073741824)")
	}
	if write {
		// Writers take the lock at BEGIN, so a transaction never fails half way on upgrading a read lock.
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

func (db *DB) openSQLite(ctx context.Context, dir string) error {
	if dir == "" {
		return errors.New("no database given: pass --data-dir DIR for SQLite or --database-url postgres://... for PostgreSQL")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create the data directory %s: %v; choose a directory you can write to with --data-dir", dir, unwrapPathError(err))
	}
	// Check the directory is writable before SQLite reports it in its own terms.
	probe, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("cannot write in the data directory %s: %v; choose a directory you can write to with --data-dir", dir, unwrapPathError(err))
	}
	probe.Close()
	os.Remove(probe.Name())

	path := filepath.Join(dir, SQLiteFile)
	db.engine = sqliteEngine{}
	db.wdb, err = sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		return fmt.Errorf("cannot open %s: %v", path, err)
	}
	db.wdb.SetMaxOpenConns(1)
	db.wdb.SetConnMaxIdleTime(0)
	// Turning on WAL in a new file needs a lock that SQLite does not wait for: when several
	// processes start on a new database together, the losers retry briefly.
	for try := 0; ; try++ {
		err = db.wdb.PingContext(ctx)
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || try == 50 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		db.wdb.Close()
		return fmt.Errorf("cannot open the database %s: %v; check the file is a Waymark database and you can write to it", path, err)
	}
	db.rdb, err = sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		db.wdb.Close()
		return fmt.Errorf("cannot open %s: %v", path, err)
	}
	db.rdb.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)*2))
	db.rdb.SetMaxIdleConns(max(4, runtime.GOMAXPROCS(0)*2))
	return nil
}

// unwrapPathError drops the path from an *os.PathError, which the caller's message already names.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
