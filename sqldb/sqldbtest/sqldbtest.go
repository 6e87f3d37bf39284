// Package sqldbtest opens real databases for tests: SQLite in a temporary directory always, and
// PostgreSQL when WAYMARK_TEST_POSTGRES holds a server URL. With WAYMARK_TEST_POSTGRES_REQUIRED=1 a
// missing PostgreSQL fails the test instead of skipping it, so CI cannot pass without it.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"waymark"
	"waymark/sqldb"
)

// Engines lists the engines under test in this run.
func Engines(t testing.TB) []string {
	out := []string{"sqlite"}
	if os.Getenv("WAYMARK_TEST_POSTGRES") != "" {
		out = append(out, "postgres")
	} else if os.Getenv("WAYMARK_TEST_POSTGRES_REQUIRED") == "1" {
		t.Fatal("WAYMARK_TEST_POSTGRES_REQUIRED=1 but WAYMARK_TEST_POSTGRES is not set")
	}
	return out
}

// Options adjust a test database.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MasterKey defaults to a fixed test key.
	MasterKey []byte
	// Matcher compares names in client searches; nil means the store's plain word matching.
	Matcher waymark.NameMatcher
}

// TestKey is the master key test databases use unless told otherwise.
var TestKey = []byte("0123456789abcdef0123456789abcdef")

// Run calls fn once per engine, in a subtest named after the engine, with a fresh database.
func Run(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	for _, engine := range Engines(t) {
		t.Run(engine, func(t *testing.T) {
			fn(t, Open(t, engine, Options{}))
		})
	}
}

// Config returns a configuration for a fresh, empty database of the engine: a temporary directory
// for SQLite, a newly created database for PostgreSQL (dropped when the test ends).
func Config(t testing.TB, engine string, o Options) sqldb.Config {
	t.Helper()
	key := o.MasterKey
	if key == nil {
		key = TestKey
	}
	cfg := sqldb.Config{MasterKey: key, Now: o.Now, Matcher: o.Matcher}
	switch engine {
	case "sqlite":
		cfg.DataDir = t.TempDir()
	case "postgres":
		cfg.URL = CreatePostgresDB(t)
	default:
		t.Fatalf("unknown engine %q", engine)
	}
	return cfg
}

// Open returns a fresh, migrated database of the engine, closed when the test ends.
func Open(t testing.TB, engine string, o Options) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), Config(t, engine, o))
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// CreatePostgresDB creates an empty database on the server named by WAYMARK_TEST_POSTGRES and
// returns its URL; the database is dropped when the test ends.
func CreatePostgresDB(t testing.TB) string {
	t.Helper()
	base := os.Getenv("WAYMARK_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("WAYMARK_TEST_POSTGRES_REQUIRED") == "1" {
			t.Fatal("WAYMARK_TEST_POSTGRES_REQUIRED=1 but WAYMARK_TEST_POSTGRES is not set")
		}
		t.Skip("WAYMARK_TEST_POSTGRES is not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "waymark_test_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("create test database (is PostgreSQL running at %s?): %v", redact(base), err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("WAYMARK_TEST_POSTGRES is not a URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func redact(s string) string {
	if u, err := url.Parse(s); err == nil {
		u.User = nil
		return u.String()
	}
	return strings.SplitN(s, "@", 2)[0]
}

// Raw opens the database of cfg straight, behind the store's back, for tests that read or write its
// tables themselves; it is closed when the test ends. sqliteOptions are added to SQLite's DSN, each
// one "name=value" (for example "_pragma=synchronous(OFF)").
func Raw(t testing.TB, cfg sqldb.Config, sqliteOptions ...string) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if cfg.URL != "" {
		db, err = sql.Open("pgx", cfg.URL)
	} else {
		dsn := "file:" + filepath.Join(cfg.DataDir, sqldb.SQLiteFile) + "?" + strings.Join(append([]string{"_pragma=busy_timeout(10000)"}, sqliteOptions...), "&")
		db, err = sql.Open("sqlite", dsn)
	}
	if err != nil {
		t.Fatalf("opening the database straight: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
