package sqldb_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"waymark"
	"waymark/sqldb"
)

func TestSessions(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		org := e.org(t, "Session Outreach", false)
		u, _ := e.user(t, org, waymark.RoleFrontline)

		t.Run("a session works right after sign-in", func(t *testing.T) {
			s := e.signIn(t, u)
			id, err := e.auth.Authenticate(ctx, s.Token)
			mustOK(t, err)
			if id.User.ID != u.ID || id.Organisation.ID != org.ID || id.Stage != waymark.StageDone || id.Session.ID != s.Identity.Session.ID {
				t.Errorf("identity = %+v", id)
			}
		})
		t.Run("unknown and empty tokens are refused", func(t *testing.T) {
			for _, tok := range []string{"", "wms_not-a-real-token", "' OR 1=1 --"} {
				_, err := e.auth.Authenticate(ctx, tok)
				wantCode(t, err, waymark.EUNAUTHORIZED)
			}
		})
		t.Run("a session ends after 30 minutes without a request", func(t *testing.T) {
			s := e.signIn(t, u)
			e.clock.Advance(waymark.SessionIdleTimeout - time.Second)
			_, err := e.auth.Authenticate(ctx, s.Token)
			mustOK(t, err)
			e.clock.Advance(waymark.SessionIdleTimeout + time.Minute)
			_, err = e.auth.Authenticate(ctx, s.Token)
			wantCode(t, err, waymark.EUNAUTHORIZED)
			// And it stays ended: going back in time does not revive it.
			e.clock.Advance(-waymark.SessionIdleTimeout)
			_, err = e.auth.Authenticate(ctx, s.Token)
			wantCode(t, err, waymark.EUNAUTHORIZED)
			e.clock.Advance(waymark.SessionIdleTimeout)
		})
		t.Run("activity within 30 minutes keeps a session alive", func(t *testing.T) {
			s := e.signIn(t, u)
			for range 3 {
				e.clock.Advance(20 * time.Minute)
				_, err := e.auth.Authenticate(ctx, s.Token)
				mustOK(t, err)
			}
		})
		t.Run("a session ends 12 hours after sign-in even with activity every 20 minutes", func(t *testing.T) {
			s := e.signIn(t, u)
			start := e.clock.Now()
			for e.clock.Now().Sub(start) < waymark.SessionAbsoluteTimeout-20*time.Minute {
				e.clock.Advance(20 * time.Minute)
				if _, err := e.auth.Authenticate(ctx, s.Token); err != nil {
					t.Fatalf("after %v: %v", e.clock.Now().Sub(start), err)
				}
			}
			e.clock.Advance(start.Add(waymark.SessionAbsoluteTimeout).Sub(e.clock.Now()))
			_, err := e.auth.Authenticate(ctx, s.Token)
			wantCode(t, err, waymark.EUNAUTHORIZED)
		})
		t.Run("signing out ends the session at once and is audited", func(t *testing.T) {
			s := e.signIn(t, u)
			other := e.signIn(t, u)
			mustOK(t, e.auth.SignOut(ctx, s.Token, "192.0.2.9"))
			_, err := e.auth.Authenticate(ctx, s.Token)
			wantCode(t, err, waymark.EUNAUTHORIZED)
			// Only that session: the user's other browser stays signed in.
			_, err = e.auth.Authenticate(ctx, other.Token)
			mustOK(t, err)
			// Signing out twice, or with an unknown token, is harmless.
			mustOK(t, e.auth.SignOut(ctx, s.Token, "192.0.2.9"))
			mustOK(t, e.auth.SignOut(ctx, "wms_unknown", "192.0.2.9"))
			if n := e.countActions(t)[waymark.AuditSignOut]; n != 1 {
				t.Errorf("%d signout entries, want 1", n)
			}
		})
		t.Run("disabling the user ends their sessions and revokes their API tokens at once", func(t *testing.T) {
			victim, _ := e.user(t, org, waymark.RoleFrontline)
			s := e.signIn(t, victim)
			tok, err := e.tokens.CreateToken(ctx, system, victim.ID, "reporting script", time.Hour)
			mustOK(t, err)
			_, err = e.tokens.AuthenticateToken(ctx, tok.Secret)
			mustOK(t, err)
			_, adminActor := e.user(t, org, waymark.RoleOrgAdmin)
			_, err = e.users.UpdateUser(ctx, adminActor, victim.ID, waymark.UserUpdate{Disabled: ptr(true)})
			mustOK(t, err)
			_, err = e.auth.Authenticate(ctx, s.Token)
			wantCode(t, err, waymark.EUNAUTHORIZED)
			_, err = e.tokens.AuthenticateToken(ctx, tok.Secret)
			wantCode(t, err, waymark.EUNAUTHORIZED)
			list, err := e.tokens.FindTokens(ctx, system, victim.ID)
			mustOK(t, err)
			if len(list) != 1 || list[0].RevokedAt == nil {
				t.Fatalf("tokens after disabling = %+v, want one revoked", list)
			}
			// Enabling the account again does not bring the session or the token back.
			_, err = e.users.UpdateUser(ctx, adminActor, victim.ID, waymark.UserUpdate{Disabled: ptr(false)})
			mustOK(t, err)
			_, err = e.auth.Authenticate(ctx, s.Token)
			wantCode(t, err, waymark.EUNAUTHORIZED)
			_, err = e.tokens.AuthenticateToken(ctx, tok.Secret)
			wantCode(t, err, waymark.EUNAUTHORIZED)
			n := e.countActions(t)
			if n[waymark.AuditUserDisabled] != 1 || n[waymark.AuditUserEnabled] != 1 {
				t.Errorf("audit actions = %v, want one user.disabled and one user.enabled", n)
			}
		})
		t.Run("disabling the organisation ends its sessions at once", func(t *testing.T) {
			closing := e.org(t, "Closing Outreach", false)
			member, _ := e.user(t, closing, waymark.RoleFrontline)
			s := e.signIn(t, member)
			tok, err := e.tokens.CreateToken(ctx, system, member.ID, "sync", time.Hour)
			mustOK(t, err)
			_, err = e.orgs.UpdateOrganisation(ctx, system, closing.ID, waymark.OrganisationUpdate{Disabled: ptr(true)})
			mustOK(t, err)
			_, err = e.auth.Authenticate(ctx, s.Token)
			wantCode(t, err, waymark.EUNAUTHORIZED)
			_, err = e.tokens.AuthenticateToken(ctx, tok.Secret)
			wantCode(t, err, waymark.EUNAUTHORIZED)
		})
		t.Run("a new password ends the user's sessions", func(t *testing.T) {
			forgetful, _ := e.user(t, org, waymark.RoleFrontline)
			s := e.signIn(t, forgetful)
			inv, err := e.users.ReissueInvitation(ctx, system, forgetful.ID)
			mustOK(t, err)
			mustOK(t, e.auth.SetPassword(ctx, inv.Token, "a brand new passphrase", "192.0.2.3"))
			_, err = e.auth.Authenticate(ctx, s.Token)
			wantCode(t, err, waymark.EUNAUTHORIZED)
			_, err = e.auth.SignIn(ctx, forgetful.Email, testPassword, "192.0.2.3")
			wantCode(t, err, waymark.EUNAUTHORIZED)
			_, err = e.auth.SignIn(ctx, forgetful.Email, "a brand new passphrase", "192.0.2.3")
			mustOK(t, err)
		})
	})
}

func TestSecretsAreStoredHashed(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		org := e.org(t, "Hashing Hostel", false)
		u, _ := e.user(t, org, waymark.RoleFrontline)
		s := e.signIn(t, u)
		tok, err := e.tokens.CreateToken(ctx, system, u.ID, "export", time.Hour)
		mustOK(t, err)
		inv, err := e.users.InviteUser(ctx, system, &waymark.User{OrgID: org.ID, Email: "invitee@example.org", Name: "Invitee", Role: waymark.RoleFrontline})
		mustOK(t, err)
		secrets := map[string]string{"session token": s.Token, "API token": tok.Secret, "invitation token": inv.Token}
		// The random part alone, without the readable prefix.
		for name, v := range secrets {
			secrets[name] = v[4:]
		}

		if e.engine == "sqlite" {
			mustOK(t, e.db.Close())
			stored := sqliteBytes(t, e.cfg.DataDir)
			if !bytes.Contains(stored, []byte(u.Email)) {
				t.Fatal("the user's email is not in the database file: the check reads the wrong file")
			}
			for name, v := range secrets {
				if bytes.Contains(stored, []byte(v)) {
					t.Errorf("the %s is stored as given", name)
				}
			}
			return
		}
		raw := e.raw(t)
		for _, table := range []string{"sessions", "api_tokens", "invitations"} {
			rows, err := raw.QueryContext(ctx, `SELECT t::text FROM `+table+` t`)
			mustOK(t, err)
			n := 0
			for rows.Next() {
				var row string
				mustOK(t, rows.Scan(&row))
				n++
				for name, v := range secrets {
					if bytes.Contains([]byte(row), []byte(v)) {
						t.Errorf("the %s is stored as given in %s", name, table)
					}
				}
			}
			mustOK(t, rows.Err())
			rows.Close()
			if n == 0 {
				t.Errorf("no rows in %s: the check reads the wrong table", table)
			}
		}
	})
}

// sqliteBytes reads the SQLite database file and its write-ahead log, if any.
func sqliteBytes(t *testing.T, dir string) []byte {
	t.Helper()
	var all []byte
	for _, name := range []string{sqldb.SQLiteFile, sqldb.SQLiteFile + "-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}
