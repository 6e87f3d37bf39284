package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"waymark/linkage"
	"waymark/sqldb"
)

// newFlagSet makes a flag set whose errors and help go to the command's output, and which returns
// errors instead of exiting.
func newFlagSet(name, summary string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: waymark %s [flags]\n\n%s.\n\nFlags:\n", name, strings.ToUpper(summary[:1])+summary[1:])
		fs.PrintDefaults()
	}
	return fs
}

// dbFlags are the flags that choose and unlock the database.
type dbFlags struct {
	dataDir     string
	databaseURL secretFlag
	keyFile     string
	logFormat   string
	// statisticsKey is derived from the master key once the database is open (see statisticsKey).
	statisticsKey uint64
}

// register adds the database flags, with defaults from the environment.
func (d *dbFlags) register(fs *flag.FlagSet, e env) {
	fs.StringVar(&d.dataDir, "data-dir", e.getenv("WAYMARK_DATA_DIR"), "directory for the SQLite database (env WAYMARK_DATA_DIR)")
	d.databaseURL = secretFlag(e.getenv("WAYMARK_DATABASE_URL"))
	fs.Var(&d.databaseURL, "database-url", "PostgreSQL URL, postgres://USER@HOST:5432/DBNAME, used instead of --data-dir (env WAYMARK_DATABASE_URL)")
	fs.StringVar(&d.keyFile, "key-file", e.getenv("WAYMARK_KEY_FILE"), "file holding the master key that protects sensitive fields (env WAYMARK_KEY_FILE)")
	fs.StringVar(&d.logFormat, "log-format", envOr(e, "WAYMARK_LOG_FORMAT", "text"), "log format: json or text (env WAYMARK_LOG_FORMAT)")
}

// secretFlag is a flag's value that may hold a password. Help output never shows it as a default,
// so a password set in the environment does not reach a log through a mistyped command.
type secretFlag string

func (s *secretFlag) String() string { return "" }

func (s *secretFlag) Set(v string) error {
	*s = secretFlag(v)
	return nil
}

func envOr(e env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

// logger makes the structured logger. Logs never hold personal data: handlers log route patterns,
// not paths, and errors are logged without request bodies.
func (d *dbFlags) logger(w io.Writer) (*slog.Logger, error) {
	switch d.logFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format must be json or text, not %q", d.logFormat)
}

// connect makes the logger and opens the database the flags name, as every command that uses the
// database starts.
func (d *dbFlags) connect(ctx context.Context, e env) (*sqldb.DB, *slog.Logger, error) {
	log, err := d.logger(e.stderr)
	if err != nil {
		return nil, nil, err
	}
	db, err := d.open(ctx, log)
	return db, log, err
}

// open opens the database the flags name.
func (d *dbFlags) open(ctx context.Context, log *slog.Logger) (*sqldb.DB, error) {
	if d.dataDir == "" && d.databaseURL == "" {
		return nil, fmt.Errorf("no database given: pass --data-dir DIR for SQLite or --database-url postgres://... for PostgreSQL")
	}
	if d.dataDir != "" && d.databaseURL != "" {
		return nil, fmt.Errorf("pass either --data-dir or --database-url, not both")
	}
	key, err := readKeyFile(d.keyFile)
	if err != nil {
		return nil, err
	}
	d.statisticsKey = statisticsKey(key)
	return sqldb.Open(ctx, sqldb.Config{DataDir: d.dataDir, URL: string(d.databaseURL), MasterKey: key, Logger: log, Matcher: linkage.Matcher{}})
}

// statisticsKey is the regional statistics' secret (stats.Rule.Key), derived from the master key:
// as secret as the master key, and the same on every start until the master key is rotated.
func statisticsKey(master []byte) uint64 {
	m := hmac.New(sha256.New, master)
	m.Write([]byte("waymark regional statistics: the choice of counts to withhold"))
	return binary.BigEndian.Uint64(m.Sum(nil))
}

// readKeyFile reads a master key: 64 hexadecimal characters.
func readKeyFile(path string) ([]byte, error) {
	if path == "" {
		return nil, fmt.Errorf("no master key: pass --key-file FILE (or set WAYMARK_KEY_FILE); make one with `waymark key generate --out FILE`")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the key file: %v; check --key-file", unwrapPath(err))
	}
	key, ok := parseKey(b)
	if !ok {
		return nil, fmt.Errorf("the key file %s is not a Waymark key (it must hold 64 hexadecimal characters); make one with `waymark key generate --out FILE`", path)
	}
	return key, nil
}

// parseKey reads a key file's contents: 64 hexadecimal characters, with surrounding space allowed.
func parseKey(b []byte) ([]byte, bool) {
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != sqldb.MasterKeySize {
		return nil, false
	}
	return key, true
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
