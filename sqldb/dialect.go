package sqldb

import (
	"context"
	"database/sql"
)

// errClass is a kind of engine error the stores treat specially.
type errClass int

const (
	errOther errClass = iota
	errUnique
	errForeignKey
	errUnavailable
)

// engine is the seam between SQLite and PostgreSQL. It gains a method only when a real query or
// error forces it; everything else is plain SQL that both accept.
type engine interface {
	name() string
	// classify sorts an engine error by its code, never by its message text.
	classify(err error) errClass
	// snapshotIsolation is the isolation level at which one read transaction sees one snapshot.
	snapshotIsolation() sql.IsolationLevel
	// bytewise returns col compared byte by byte, as prefix ranges over ASCII keys need whatever
	// the database's collation.
	bytewise(col string) string
	// lockMigrations serialises migrations between processes sharing one database; it returns the unlock.
	lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error)
}
