// Package sqldb stores Waymark's records in SQLite or PostgreSQL. It is the only package that speaks
// SQL; one set of stores serves both engines, with the few differences kept in dialect.go.
package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"waymark"
)

// Config says which database to open and how.
type Config struct {
	// DataDir holds the SQLite database file (waymark.db), created if missing. Used when URL is empty.
	DataDir string
	// URL is a PostgreSQL URL (postgres://user@host:5432/dbname).
	URL string
	// MasterKey wraps the organisations' data keys. It is never stored in the database.
	MasterKey []byte
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
	// Matcher compares names for client search; nil means plain, case-insensitive word matching.
	Matcher waymark.NameMatcher
}

// DB is an open Waymark database.
type DB struct {
	engine engine
	// wdb takes every write. For SQLite it has a single connection, so writers queue in Go rather
	// than spinning on the file lock; for PostgreSQL it is the same pool as rdb.
	wdb  *sql.DB
	rdb  *sql.DB
	now  func() time.Time
	log  *slog.Logger
	keys *keyring
	// hashSlots limits concurrent password checks.
	hashSlots chan struct{}
	matcher   waymark.NameMatcher
}

// Open opens the database, applies the embedded migrations and checks the master key.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	db := &DB{now: cfg.Now, log: cfg.Logger, hashSlots: make(chan struct{}, passwordChecks), matcher: cfg.Matcher}
	if db.matcher == nil {
		db.matcher = plainMatcher{}
	}
	if db.now == nil {
		db.now = time.Now
	}
	if db.log == nil {
		db.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if cfg.URL != "" {
		err = db.openPostgres(ctx, cfg.URL)
	} else {
		err = db.openSQLite(ctx, cfg.DataDir)
	}
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.fillPersonKeys(ctx); err != nil {
		db.Close()
		return nil, err
	}
	db.keys, err = openKeyring(ctx, db, cfg.MasterKey)
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	var err error
	if db.rdb != nil && db.rdb != db.wdb {
		err = db.rdb.Close()
	}
	if db.wdb != nil {
		err = errors.Join(err, db.wdb.Close())
	}
	return err
}

// Ping checks that the database answers, for the readiness probe.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := db.rdb.PingContext(ctx); err != nil {
		return &waymark.Error{Code: waymark.EUNAVAILABLE, Message: "The database cannot be reached.", Err: err}
	}
	var one int
	if err := db.rdb.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return &waymark.Error{Code: waymark.EUNAVAILABLE, Message: "The database cannot be reached.", Err: err}
	}
	return nil
}

// Engine names the database engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.engine.name() }

// Tx is a transaction with the clock reading it runs at, so every row and audit entry written in it
// carries the same time.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
}

// update runs fn in a write transaction on the writer and commits it; on error it rolls back.
func (db *DB) update(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.wdb.BeginTx(ctx, nil)
	if err != nil {
		return db.mapError(err)
	}
	tx := &Tx{Tx: sqlTx, db: db, now: db.now().UTC().Truncate(time.Microsecond)}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return db.mapError(err)
	}
	if err := tx.Commit(); err != nil {
		return db.mapError(err)
	}
	return nil
}

// view runs fn in a read-only transaction.
func (db *DB) view(ctx context.Context, fn func(tx *Tx) error) error {
	return db.viewWith(ctx, &sql.TxOptions{ReadOnly: true}, fn)
}

// viewSnapshot runs fn in a read-only transaction that sees one snapshot throughout.
func (db *DB) viewSnapshot(ctx context.Context, fn func(tx *Tx) error) error {
	return db.viewWith(ctx, &sql.TxOptions{ReadOnly: true, Isolation: db.engine.snapshotIsolation()}, fn)
}

func (db *DB) viewWith(ctx context.Context, opts *sql.TxOptions, fn func(tx *Tx) error) error {
	sqlTx, err := db.rdb.BeginTx(ctx, opts)
	if err != nil {
		return db.mapError(err)
	}
	tx := &Tx{Tx: sqlTx, db: db, now: db.now().UTC().Truncate(time.Microsecond)}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return db.mapError(err)
	}
	return nil
}

// lockRow locks a row for the rest of a write transaction before it is read and rewritten, so two
// admins' concurrent edits cannot undo each other on PostgreSQL. (SQLite's single writer already
// serialises them; there the statement changes nothing.) table is always a constant of the caller.
func (tx *Tx) lockRow(ctx context.Context, table, id string) error {
	_, err := tx.ExecContext(ctx, `UPDATE `+table+` SET id = id WHERE id = $1`, id)
	return err
}

// viewAudited runs read in a read-only transaction, then writes the audit entry it returns in a
// short write transaction, and returns only once that entry is durable: a read of personal data is
// never answered unrecorded, and slow reads never hold SQLite's single writer.
func (db *DB) viewAudited(ctx context.Context, actor waymark.Actor, read func(tx *Tx) (*waymark.AuditEntry, error)) error {
	return db.viewAuditedAll(ctx, actor, func(tx *Tx) ([]*waymark.AuditEntry, error) {
		entry, err := read(tx)
		return []*waymark.AuditEntry{entry}, err
	})
}

// viewAuditedAll is viewAudited for a read that records several entries, such as one in the
// reader's log and one in the log of the organisation whose record was read.
func (db *DB) viewAuditedAll(ctx context.Context, actor waymark.Actor, read func(tx *Tx) ([]*waymark.AuditEntry, error)) error {
	var entries []*waymark.AuditEntry
	if err := db.view(ctx, func(tx *Tx) (err error) {
		entries, err = read(tx)
		return err
	}); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error { return tx.auditAll(ctx, actor, entries) })
}

// mapError turns engine errors into domain errors by error code, leaving domain errors alone.
func (db *DB) mapError(err error) error {
	if err == nil {
		return nil
	}
	var we *waymark.Error
	if errors.As(err, &we) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	switch db.engine.classify(err) {
	case errUnique:
		return &waymark.Error{Code: waymark.ECONFLICT, Message: "That is already recorded.", Err: err}
	case errForeignKey:
		return &waymark.Error{Code: waymark.ENOTFOUND, Message: "A record this refers to does not exist.", Err: err}
	case errUnavailable:
		return &waymark.Error{Code: waymark.EUNAVAILABLE, Message: "The database cannot be reached. Try again in a few minutes.", Err: err}
	}
	return waymark.Internal(err)
}

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newID returns an opaque random identifier (128 bits) for use in URLs: it reveals neither order nor volume.
func newID() string {
	return idEncoding.EncodeToString(randomBytes(16))
}

// randomBytes returns n bytes from the operating system's secure generator.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	// crypto/rand.Read never fails on supported platforms (it panics instead).
	rand.Read(b)
	return b
}

// nullTime scans a nullable time written by either engine.
type nullTime struct {
	t     time.Time
	valid bool
}

func (n *nullTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		n.valid = false
		return nil
	case time.Time:
		n.t, n.valid = x.UTC(), true
		return nil
	case string:
		return n.parse(x)
	case []byte:
		return n.parse(string(x))
	}
	return fmt.Errorf("cannot scan %T into a time", v)
}

func (n *nullTime) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			n.t, n.valid = t.UTC(), true
			return nil
		}
	}
	return fmt.Errorf("cannot parse time %q", s)
}

// ptr returns the time or nil.
func (n nullTime) ptr() *time.Time {
	if !n.valid {
		return nil
	}
	t := n.t
	return &t
}

// notFound is the error for a missing record of the given kind.
func notFound(kind string) error {
	return waymark.Errorf(waymark.ENOTFOUND, "The %s could not be found.", kind)
}

// forbidden is the error for an action the actor's role may not take.
func forbidden() error {
	return waymark.Errorf(waymark.EFORBIDDEN, "You do not have permission to do that.")
}

func itoa(n int) string { return strconv.Itoa(n) }
