package sqldb_test

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"waymark"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
)

// testPassword is the password of every user the fixtures create.
const testPassword = "correct horse battery staple"

// testHash is testPassword hashed once for the whole run: Argon2id is deliberately slow.
var testHash = sync.OnceValue(func() string { return sqldb.HashPassword(testPassword) })

// clock is an injectable clock; tests move it forward instead of sleeping.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock {
	return &clock{now: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is one open database with its services and clock.
type env struct {
	engine  string
	cfg     sqldb.Config
	db      *sqldb.DB
	clock   *clock
	orgs    *sqldb.OrganisationService
	users   *sqldb.UserService
	auth    *sqldb.AuthService
	tokens  *sqldb.TokenService
	audit   *sqldb.AuditService
	clients *sqldb.ClientService
	n       int
}

var ctx = context.Background()

var system = waymark.SystemActor()

// forEachEngine runs fn in a subtest per engine, each with a fresh database on its own clock. The
// configuration is kept, so tests can reach the database behind the store's back.
func forEachEngine(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, engine := range sqldbtest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, engine))
		})
	}
}

func newEnv(t *testing.T, engine string) *env {
	t.Helper()
	c := newClock()
	cfg := sqldbtest.Config(t, engine, sqldbtest.Options{Now: c.Now})
	db, err := sqldb.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	return &env{
		engine: engine, cfg: cfg, db: db, clock: c,
		orgs: sqldb.NewOrganisationService(db), users: sqldb.NewUserService(db), auth: sqldb.NewAuthService(db),
		tokens: sqldb.NewTokenService(db), audit: sqldb.NewAuditService(db), clients: sqldb.NewClientService(db),
	}
}

// org creates an organisation as the system actor.
func (e *env) org(t *testing.T, name string, requireTwoStep bool) *waymark.Organisation {
	t.Helper()
	o := &waymark.Organisation{Name: name, Type: waymark.OrgHomelessOutreach, Area: "Leeds", RequireTwoStep: requireTwoStep}
	if err := e.orgs.CreateOrganisation(ctx, system, o); err != nil {
		t.Fatalf("create organisation %q: %v", name, err)
	}
	return o
}

// user creates a user with testPassword as the system actor and returns it with its actor.
func (e *env) user(t *testing.T, org *waymark.Organisation, role waymark.Role) (*waymark.User, waymark.Actor) {
	t.Helper()
	e.n++
	u := &waymark.User{OrgID: org.ID, Email: fmt.Sprintf("%s.%d@example.org", role, e.n), Name: "Test " + role.Label(), Role: role}
	if err := e.users.CreateUser(ctx, system, u, testHash()); err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u, actorOf(u)
}

func actorOf(u *waymark.User) waymark.Actor {
	return waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role, Addr: "192.0.2.1", Via: "web"}
}

// signIn signs in with testPassword and fails the test if that does not work.
func (e *env) signIn(t *testing.T, u *waymark.User) *waymark.SignedIn {
	t.Helper()
	s, err := e.auth.SignIn(ctx, u.Email, testPassword, "192.0.2.1")
	if err != nil {
		t.Fatalf("sign in %s: %v", u.Email, err)
	}
	return s
}

// raw opens a connection to the database behind the store's back, for tampering and for reading
// what is really stored.
func (e *env) raw(t *testing.T) *sql.DB {
	t.Helper()
	return sqldbtest.Raw(t, e.cfg)
}

// exec runs a statement on a raw connection.
func exec(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(ctx, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// wantCode fails the test unless err carries the domain error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := waymark.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (error: %v)", got, code, err)
	}
}

// mustOK fails the test on an error.
func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// auditEntries lists every audit entry, oldest first, read as the system actor a page at a time.
// Each read adds an entry of its own at the newest end, so pages overlap by one and are merged by Seq.
func (e *env) auditEntries(t *testing.T, f waymark.AuditFilter) []*waymark.AuditEntry {
	t.Helper()
	bySeq := map[int64]*waymark.AuditEntry{}
	for off := 0; ; off += waymark.MaxPageSize {
		f.Page = waymark.Page{Offset: off, Limit: waymark.MaxPageSize}
		list, total, err := e.audit.FindAuditEntries(ctx, system, f)
		if err != nil {
			t.Fatalf("find audit entries: %v", err)
		}
		for _, x := range list {
			bySeq[x.Seq] = x
		}
		if off+len(list) >= total || len(list) == 0 {
			break
		}
	}
	out := make([]*waymark.AuditEntry, 0, len(bySeq))
	for _, x := range bySeq {
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// countActions counts the audit entries with each action.
func (e *env) countActions(t *testing.T) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, x := range e.auditEntries(t, waymark.AuditFilter{}) {
		m[x.Action]++
	}
	return m
}

func ptr[T any](v T) *T { return &v }

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// allEntries reads the whole audit log straight from the table, in sequence order.
func allEntries(t *testing.T, raw *sql.DB) []*waymark.AuditEntry {
	t.Helper()
	rows, err := raw.QueryContext(ctx, `SELECT seq, at, actor_user_id, actor_label, org_id, action, object_type, object_id, addr, detail, prev_hash, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []*waymark.AuditEntry
	for rows.Next() {
		var x waymark.AuditEntry
		var at any
		if err := rows.Scan(&x.Seq, &at, &x.ActorUserID, &x.ActorLabel, &x.OrgID, &x.Action, &x.ObjectType, &x.ObjectID, &x.Addr, &x.Detail, &x.PrevHash, &x.Hash); err != nil {
			t.Fatal(err)
		}
		switch v := at.(type) {
		case time.Time:
			x.At = v.UTC()
		case string:
			// SQLite keeps the text the store wrote: "2006-01-02 15:04:05.999999999-07:00".
			x.At, err = time.Parse("2006-01-02 15:04:05.999999999-07:00", v)
			if err != nil {
				t.Fatalf("audit entry %d: %v", x.Seq, err)
			}
			x.At = x.At.UTC()
		default:
			t.Fatalf("audit entry %d: time of type %T", x.Seq, at)
		}
		out = append(out, &x)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
