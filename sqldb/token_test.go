package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

func TestAPITokens(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		org := e.org(t, "Token Outreach", false)
		me, meActor := e.user(t, org, waymark.RoleFrontline)
		other, otherActor := e.user(t, org, waymark.RoleFrontline)

		t.Run("a user makes a token for themselves and it authenticates as them", func(t *testing.T) {
			nt, err := e.tokens.CreateToken(ctx, meActor, me.ID, "case export", 2*time.Hour)
			mustOK(t, err)
			if !strings.HasPrefix(nt.Secret, "wmt_") {
				t.Errorf("secret %q has no wmt_ prefix", nt.Secret)
			}
			want := &waymark.APIToken{ID: nt.Token.ID, UserID: me.ID, UserEmail: me.Email, Name: "case export",
				CreatedAt: e.clock.Now(), ExpiresAt: e.clock.Now().Add(2 * time.Hour)}
			if diff := cmp.Diff(want, nt.Token); diff != "" {
				t.Errorf("new token (-want +got):\n%s", diff)
			}
			id, err := e.tokens.AuthenticateToken(ctx, nt.Secret)
			mustOK(t, err)
			if id.User.ID != me.ID || id.Organisation.ID != org.ID || id.Session != nil || id.Stage != waymark.StageDone {
				t.Errorf("identity = %+v", id)
			}
			list, err := e.tokens.FindTokens(ctx, meActor, me.ID)
			mustOK(t, err)
			used := e.clock.Now()
			want.LastUsedAt = &used
			if diff := cmp.Diff([]*waymark.APIToken{want}, list); diff != "" {
				t.Errorf("FindTokens (-want +got):\n%s", diff)
			}
		})
		t.Run("the system actor makes a token for anyone", func(t *testing.T) {
			nt, err := e.tokens.CreateToken(ctx, system, other.ID, "nightly sync", waymark.DefaultTokenTTL)
			mustOK(t, err)
			id, err := e.tokens.AuthenticateToken(ctx, nt.Secret)
			mustOK(t, err)
			if id.User.ID != other.ID {
				t.Errorf("token authenticates as %q, want %q", id.User.ID, other.ID)
			}
		})
		t.Run("a user cannot make, list or revoke another user's tokens", func(t *testing.T) {
			_, err := e.tokens.CreateToken(ctx, meActor, other.ID, "sneaky", time.Hour)
			wantCode(t, err, waymark.EFORBIDDEN)
			_, adminActor := e.user(t, org, waymark.RoleOrgAdmin)
			_, err = e.tokens.CreateToken(ctx, adminActor, other.ID, "admin for someone", time.Hour)
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = e.tokens.FindTokens(ctx, meActor, other.ID)
			wantCode(t, err, waymark.EFORBIDDEN)
			theirs, err := e.tokens.CreateToken(ctx, otherActor, other.ID, "theirs", time.Hour)
			mustOK(t, err)
			err = e.tokens.RevokeToken(ctx, meActor, theirs.Token.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = e.tokens.AuthenticateToken(ctx, theirs.Secret)
			mustOK(t, err)
		})
		t.Run("a bad name or lifetime is refused with a message per field", func(t *testing.T) {
			for _, c := range []struct {
				name  string
				ttl   time.Duration
				field string
			}{
				{"", time.Hour, "name"},
				{"   ", time.Hour, "name"},
				{strings.Repeat("n", 101), time.Hour, "name"},
				{"bell\a", time.Hour, "name"},
				{"ok", 30 * time.Second, "ttl"},
				{"ok", waymark.MaxTokenTTL + time.Hour, "ttl"},
				{"ok", -time.Hour, "ttl"},
			} {
				_, err := e.tokens.CreateToken(ctx, meActor, me.ID, c.name, c.ttl)
				wantCode(t, err, waymark.EINVALID)
				if diff := cmp.Diff([]string{c.field}, keys(waymark.ErrorFields(err))); diff != "" {
					t.Errorf("name %q ttl %v: fields (-want +got):\n%s", c.name, c.ttl, diff)
				}
			}
		})
		t.Run("a token for an unknown or disabled user is refused", func(t *testing.T) {
			_, err := e.tokens.CreateToken(ctx, system, "no-such-user", "x", time.Hour)
			wantCode(t, err, waymark.ENOTFOUND)
			gone, _ := e.user(t, org, waymark.RoleFrontline)
			_, err = e.users.UpdateUser(ctx, system, gone.ID, waymark.UserUpdate{Disabled: ptr(true)})
			mustOK(t, err)
			_, err = e.tokens.CreateToken(ctx, system, gone.ID, "x", time.Hour)
			wantCode(t, err, waymark.EINVALID)
		})
		t.Run("an expired token is refused", func(t *testing.T) {
			e.clock.Advance(time.Minute)
			nt, err := e.tokens.CreateToken(ctx, meActor, me.ID, "short lived", 10*time.Minute)
			mustOK(t, err)
			e.clock.Advance(10*time.Minute - time.Second)
			_, err = e.tokens.AuthenticateToken(ctx, nt.Secret)
			mustOK(t, err)
			e.clock.Advance(time.Second)
			_, err = e.tokens.AuthenticateToken(ctx, nt.Secret)
			wantCode(t, err, waymark.EUNAUTHORIZED)
		})
		t.Run("a revoked token is refused at once, and revoking is audited", func(t *testing.T) {
			e.clock.Advance(time.Minute)
			nt, err := e.tokens.CreateToken(ctx, meActor, me.ID, "to revoke", time.Hour)
			mustOK(t, err)
			mustOK(t, e.tokens.RevokeToken(ctx, meActor, nt.Token.ID))
			_, err = e.tokens.AuthenticateToken(ctx, nt.Secret)
			wantCode(t, err, waymark.EUNAUTHORIZED)
			mustOK(t, e.tokens.RevokeToken(ctx, meActor, nt.Token.ID))
			e.clock.Advance(time.Minute)
			byCLI, err := e.tokens.CreateToken(ctx, meActor, me.ID, "revoked by the operator", time.Hour)
			mustOK(t, err)
			mustOK(t, e.tokens.RevokeToken(ctx, system, byCLI.Token.ID))
			_, err = e.tokens.AuthenticateToken(ctx, byCLI.Secret)
			wantCode(t, err, waymark.EUNAUTHORIZED)
			err = e.tokens.RevokeToken(ctx, meActor, "no-such-token")
			wantCode(t, err, waymark.ENOTFOUND)
			n := e.countActions(t)
			if n[waymark.AuditTokenRevoked] != 2 {
				t.Errorf("%d token.revoked entries, want 2", n[waymark.AuditTokenRevoked])
			}
		})
		t.Run("unknown secrets are refused", func(t *testing.T) {
			for _, s := range []string{"", "wmt_nothing", "wms_" + strings.Repeat("a", 43)} {
				_, err := e.tokens.AuthenticateToken(ctx, s)
				wantCode(t, err, waymark.EUNAUTHORIZED)
			}
		})
		t.Run("a user lists only their own tokens, newest first", func(t *testing.T) {
			list, err := e.tokens.FindTokens(ctx, meActor, me.ID)
			mustOK(t, err)
			var names []string
			for _, x := range list {
				if x.UserID != me.ID {
					t.Errorf("token %q of user %q listed for %q", x.Name, x.UserID, me.ID)
				}
				names = append(names, x.Name)
			}
			want := []string{"revoked by the operator", "to revoke", "short lived", "case export"}
			if diff := cmp.Diff(want, names); diff != "" {
				t.Errorf("FindTokens names (-want +got):\n%s", diff)
			}
			all, err := e.tokens.FindTokens(ctx, system, other.ID)
			mustOK(t, err)
			if len(all) != 2 {
				t.Errorf("system actor sees %d of the other user's tokens, want 2", len(all))
			}
			if n := e.countActions(t)[waymark.AuditTokenCreated]; n != 6 {
				t.Errorf("%d token.created entries, want 6", n)
			}
		})
	})
}
