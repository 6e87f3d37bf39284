package sqldb_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
)

func migrationFiles(t *testing.T, engine string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("migrations", engine))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	return names
}

func TestMigrations(t *testing.T) {
	t.Parallel()
	t.Run("both engines have migrations with the same file names", func(t *testing.T) {
		lite, pg := migrationFiles(t, "sqlite"), migrationFiles(t, "postgres")
		if len(lite) == 0 {
			t.Fatal("no migrations found in migrations/sqlite")
		}
		if diff := cmp.Diff(lite, pg); diff != "" {
			t.Errorf("migration file names differ between sqlite and postgres (-sqlite +postgres):\n%s", diff)
		}
	})
	t.Run("every migration file name has a four-digit number and a name", func(t *testing.T) {
		for _, name := range migrationFiles(t, "sqlite") {
			if len(name) < 10 || strings.Trim(name[:4], "0123456789") != "" || name[4] != '_' {
				t.Errorf("migration %q is not named NNNN_name.sql", name)
			}
		}
	})
	forEachEngine(t, func(t *testing.T, e *env) {
		want := migrationFiles(t, "sqlite")
		t.Run("opening applies and lists every migration", func(t *testing.T) {
			got, err := e.db.Migrations(ctx)
			mustOK(t, err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Migrations (-want +got):\n%s", diff)
			}
		})
		t.Run("opening again is idempotent and keeps the data", func(t *testing.T) {
			o := e.org(t, "Still Here Outreach", false)
			for range 2 {
				db2, err := sqldb.Open(ctx, e.cfg)
				if err != nil {
					t.Fatalf("second open: %v", err)
				}
				got, err := db2.Migrations(ctx)
				mustOK(t, err)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("Migrations after reopening (-want +got):\n%s", diff)
				}
				found, err := sqldb.NewOrganisationService(db2).FindOrganisationByID(ctx, system, o.ID)
				mustOK(t, err)
				if found.Name != o.Name {
					t.Errorf("organisation after reopening = %q, want %q", found.Name, o.Name)
				}
				mustOK(t, db2.Close())
			}
		})
		t.Run("the engine is reported", func(t *testing.T) {
			if got := e.db.Engine(); got != e.engine {
				t.Errorf("Engine() = %q, want %q", got, e.engine)
			}
			mustOK(t, e.db.Ping(ctx))
		})
	})
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	t.Run("an unwritable data directory names the --data-dir flag", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "F")
		if err := os.WriteFile(file, []byte("not a directory"), 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := sqldb.Open(ctx, sqldb.Config{DataDir: filepath.Join(file, "sub"), MasterKey: key})
		if err == nil {
			db.Close()
			t.Fatal("Open succeeded with a data directory under a regular file")
		}
		if !strings.Contains(err.Error(), "--data-dir") {
			t.Errorf("error %q does not mention --data-dir", err)
		}
	})
	t.Run("a read-only data directory names the --data-dir flag", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root can write anywhere")
		}
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		db, err := sqldb.Open(ctx, sqldb.Config{DataDir: dir, MasterKey: key})
		if err == nil {
			db.Close()
			t.Fatal("Open succeeded with a read-only data directory")
		}
		if !strings.Contains(err.Error(), "--data-dir") {
			t.Errorf("error %q does not mention --data-dir", err)
		}
	})
	t.Run("no database at all says how to give one", func(t *testing.T) {
		_, err := sqldb.Open(ctx, sqldb.Config{MasterKey: key})
		if err == nil || !strings.Contains(err.Error(), "--data-dir") || !strings.Contains(err.Error(), "--database-url") {
			t.Errorf("error = %v, want one naming --data-dir and --database-url", err)
		}
	})
	t.Run("an unreachable PostgreSQL server cannot be reached", func(t *testing.T) {
		db, err := sqldb.Open(ctx, sqldb.Config{URL: "postgres://postgres@127.0.0.1:1/x?connect_timeout=2", MasterKey: key})
		if err == nil {
			db.Close()
			t.Fatal("Open succeeded against a closed port")
		}
		if !strings.Contains(err.Error(), "cannot reach the database") {
			t.Errorf("error %q does not say the database cannot be reached", err)
		}
	})
	t.Run("an invalid PostgreSQL URL is not valid", func(t *testing.T) {
		db, err := sqldb.Open(ctx, sqldb.Config{URL: "postgres://%zz", MasterKey: key})
		if err == nil {
			db.Close()
			t.Fatal("Open succeeded with an invalid URL")
		}
		if !strings.Contains(err.Error(), "not valid") {
			t.Errorf("error %q does not say the URL is not valid", err)
		}
	})
	t.Run("a file that is not a database is refused with advice", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, sqldb.SQLiteFile), []byte(strings.Repeat("this is not a database ", 200)), 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := sqldb.Open(ctx, sqldb.Config{DataDir: dir, MasterKey: key})
		if err == nil {
			db.Close()
			t.Fatal("Open succeeded on a file that is not a database")
		}
		if !strings.Contains(err.Error(), "Waymark database") {
			t.Errorf("error %q does not say to check the file is a Waymark database", err)
		}
	})
}

func TestConcurrentFirstOpen(t *testing.T) {
	t.Parallel()
	for _, engine := range sqldbtest.Engines(t) {
		t.Run(engine+"/servers starting together on a new database all open it", func(t *testing.T) {
			cfg := sqldbtest.Config(t, engine, sqldbtest.Options{})
			const n = 4
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					db, err := sqldb.Open(ctx, cfg)
					if err == nil {
						err = db.Close()
					}
					errs[i] = err
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("opener %d: %v", i, err)
				}
			}
		})
	}
}
