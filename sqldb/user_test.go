package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

func TestUsers(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		home, other := e.org(t, "Home Outreach", false), e.org(t, "Other Hostel", false)
		admin, adminActor := e.user(t, home, waymark.RoleOrgAdmin)
		_, otherAdminActor := e.user(t, other, waymark.RoleOrgAdmin)

		t.Run("a created user reads back as stored", func(t *testing.T) {
			u := &waymark.User{OrgID: home.ID, Email: " Ayo.Bello@Example.ORG ", Name: " Ayo Bello ", Role: waymark.RoleFrontline}
			mustOK(t, e.users.CreateUser(ctx, system, u, testHash()))
			got, err := e.users.FindUserByID(ctx, adminActor, u.ID)
			mustOK(t, err)
			now := e.clock.Now()
			want := &waymark.User{ID: u.ID, OrgID: home.ID, OrgName: "Home Outreach", Email: "ayo.bello@example.org", Name: "Ayo Bello",
				Role: waymark.RoleFrontline, HasPassword: true, CreatedAt: now, UpdatedAt: now}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("FindUserByID (-want +got):\n%s", diff)
			}
		})
		t.Run("invalid fields are refused with a message per field", func(t *testing.T) {
			err := e.users.CreateUser(ctx, system, &waymark.User{OrgID: home.ID, Email: "not an email", Role: "boss"}, testHash())
			wantCode(t, err, waymark.EINVALID)
			if diff := cmp.Diff([]string{"email", "name", "role"}, keys(waymark.ErrorFields(err))); diff != "" {
				t.Errorf("fields with errors (-want +got):\n%s", diff)
			}
		})
		t.Run("a user in an organisation that does not exist is refused", func(t *testing.T) {
			err := e.users.CreateUser(ctx, system, &waymark.User{OrgID: "no-such-org", Email: "ghost@example.org", Name: "Ghost", Role: waymark.RoleFrontline}, testHash())
			wantCode(t, err, waymark.EINVALID)
		})
		t.Run("an email already used, in any case, conflicts", func(t *testing.T) {
			err := e.users.CreateUser(ctx, system, &waymark.User{OrgID: other.ID, Email: strings.ToUpper(admin.Email), Name: "Copy", Role: waymark.RoleFrontline}, testHash())
			wantCode(t, err, waymark.ECONFLICT)
			if waymark.ErrorFields(err)["email"] == "" {
				t.Errorf("conflict has no message for the email field: %v", err)
			}
			_, err = e.users.InviteUser(ctx, adminActor, &waymark.User{OrgID: home.ID, Email: admin.Email, Name: "Copy", Role: waymark.RoleFrontline})
			wantCode(t, err, waymark.ECONFLICT)
		})

		t.Run("an invitation sets a password once and then signs in", func(t *testing.T) {
			inv, err := e.users.InviteUser(ctx, adminActor, &waymark.User{OrgID: home.ID, Email: "new.starter@example.org", Name: "New Starter", Role: waymark.RoleFrontline})
			mustOK(t, err)
			if inv.Token == "" || !inv.ExpiresAt.Equal(e.clock.Now().Add(waymark.InvitationLifetime)) || inv.User.HasPassword {
				t.Fatalf("invitation = %+v", inv)
			}
			who, err := e.auth.CheckInvitation(ctx, inv.Token)
			mustOK(t, err)
			if who.ID != inv.User.ID || who.Email != "new.starter@example.org" {
				t.Errorf("CheckInvitation = %+v, want the invited user", who)
			}
			// Before a password is set, sign-in fails like any wrong password.
			_, err = e.auth.SignIn(ctx, "new.starter@example.org", "", "192.0.2.10")
			wantCode(t, err, waymark.EUNAUTHORIZED)

			err = e.auth.SetPassword(ctx, inv.Token, "short", "192.0.2.10")
			wantCode(t, err, waymark.EINVALID)
			if waymark.ErrorFields(err)["password"] == "" {
				t.Errorf("weak password error has no message for the password field: %v", err)
			}
			err = e.auth.SetPassword(ctx, inv.Token, "new.starter@example.org", "192.0.2.10")
			wantCode(t, err, waymark.EINVALID)

			mustOK(t, e.auth.SetPassword(ctx, inv.Token, testPassword, "192.0.2.10"))
			err = e.auth.SetPassword(ctx, inv.Token, "another good passphrase", "192.0.2.10")
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = e.auth.CheckInvitation(ctx, inv.Token)
			wantCode(t, err, waymark.ENOTFOUND)

			u, err := e.users.FindUserByID(ctx, adminActor, inv.User.ID)
			mustOK(t, err)
			if !u.HasPassword {
				t.Error("user has no password after SetPassword")
			}
			e.signIn(t, u)
		})
		t.Run("an invitation expires after seven days", func(t *testing.T) {
			inv, err := e.users.InviteUser(ctx, adminActor, &waymark.User{OrgID: home.ID, Email: "slow.starter@example.org", Name: "Slow Starter", Role: waymark.RoleFrontline})
			mustOK(t, err)
			e.clock.Advance(waymark.InvitationLifetime - time.Second)
			_, err = e.auth.CheckInvitation(ctx, inv.Token)
			mustOK(t, err)
			e.clock.Advance(time.Second)
			_, err = e.auth.CheckInvitation(ctx, inv.Token)
			wantCode(t, err, waymark.ENOTFOUND)
			err = e.auth.SetPassword(ctx, inv.Token, testPassword, "192.0.2.10")
			wantCode(t, err, waymark.ENOTFOUND)

			again, err := e.users.ReissueInvitation(ctx, adminActor, inv.User.ID)
			mustOK(t, err)
			_, err = e.auth.CheckInvitation(ctx, again.Token)
			mustOK(t, err)
		})
		t.Run("a reissued invitation replaces the earlier link", func(t *testing.T) {
			inv, err := e.users.InviteUser(ctx, adminActor, &waymark.User{OrgID: home.ID, Email: "twice@example.org", Name: "Twice Invited", Role: waymark.RoleManager})
			mustOK(t, err)
			again, err := e.users.ReissueInvitation(ctx, adminActor, inv.User.ID)
			mustOK(t, err)
			_, err = e.auth.CheckInvitation(ctx, inv.Token)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = e.auth.CheckInvitation(ctx, again.Token)
			mustOK(t, err)
		})
		t.Run("an unknown invitation token is not found", func(t *testing.T) {
			_, err := e.auth.CheckInvitation(ctx, "wmi_nothing")
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = e.auth.CheckInvitation(ctx, "")
			wantCode(t, err, waymark.ENOTFOUND)
		})

		t.Run("an organisation admin cannot see or change another organisation's users", func(t *testing.T) {
			theirs, _ := e.user(t, other, waymark.RoleFrontline)
			_, err := e.users.FindUserByID(ctx, adminActor, theirs.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = e.users.UpdateUser(ctx, adminActor, theirs.ID, waymark.UserUpdate{Disabled: ptr(true)})
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = e.users.UpdateUser(ctx, adminActor, theirs.ID, waymark.UserUpdate{Role: ptr(waymark.RoleOrgAdmin)})
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = e.users.ReissueInvitation(ctx, adminActor, theirs.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			_, _, err = e.users.FindUsers(ctx, adminActor, other.ID, waymark.Page{})
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = e.users.InviteUser(ctx, adminActor, &waymark.User{OrgID: other.ID, Email: "planted@example.org", Name: "Planted", Role: waymark.RoleFrontline})
			wantCode(t, err, waymark.EFORBIDDEN)
			err = e.users.CreateUser(ctx, adminActor, &waymark.User{OrgID: other.ID, Email: "planted2@example.org", Name: "Planted", Role: waymark.RoleFrontline}, testHash())
			wantCode(t, err, waymark.EFORBIDDEN)

			still, err := e.users.FindUserByID(ctx, otherAdminActor, theirs.ID)
			mustOK(t, err)
			if still.Disabled || still.Role != waymark.RoleFrontline {
				t.Errorf("another organisation's user was changed: %+v", still)
			}
		})
		t.Run("an organisation admin manages their own organisation's users", func(t *testing.T) {
			u, _ := e.user(t, home, waymark.RoleFrontline)
			got, err := e.users.UpdateUser(ctx, adminActor, u.ID, waymark.UserUpdate{Name: ptr("Renamed Person"), Role: ptr(waymark.RoleSafeguardingLead)})
			mustOK(t, err)
			if got.Name != "Renamed Person" || got.Role != waymark.RoleSafeguardingLead {
				t.Errorf("UpdateUser = %+v", got)
			}
			var actions []string
			for _, x := range e.auditEntries(t, waymark.AuditFilter{OrgID: home.ID}) {
				if x.ObjectID == u.ID && x.Action != waymark.AuditUserCreated {
					actions = append(actions, x.Action+": "+x.Detail)
				}
			}
			want := []string{"user.role_changed: role: frontline -> safeguarding_lead", "user.updated: name changed"}
			if diff := cmp.Diff(want, actions); diff != "" {
				t.Errorf("audit entries for the update (-want +got):\n%s", diff)
			}
			list, total, err := e.users.FindUsers(ctx, adminActor, home.ID, waymark.Page{Limit: 2})
			mustOK(t, err)
			if len(list) != 2 || total < 3 {
				t.Errorf("FindUsers: %d listed of %d", len(list), total)
			}
		})
		t.Run("an organisation admin cannot grant system admin", func(t *testing.T) {
			u, _ := e.user(t, home, waymark.RoleFrontline)
			_, err := e.users.UpdateUser(ctx, adminActor, u.ID, waymark.UserUpdate{Role: ptr(waymark.RoleSystemAdmin)})
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = e.users.InviteUser(ctx, adminActor, &waymark.User{OrgID: home.ID, Email: "wannabe@example.org", Name: "Wannabe", Role: waymark.RoleSystemAdmin})
			wantCode(t, err, waymark.EFORBIDDEN)
			got, err := e.users.FindUserByID(ctx, system, u.ID)
			mustOK(t, err)
			if got.Role != waymark.RoleFrontline {
				t.Errorf("role after refused grant = %q", got.Role)
			}
			_, err = e.users.UpdateUser(ctx, system, u.ID, waymark.UserUpdate{Role: ptr(waymark.RoleSystemAdmin)})
			mustOK(t, err)
		})
		t.Run("an organisation admin cannot take over a system admin of their organisation", func(t *testing.T) {
			sa, _ := e.user(t, home, waymark.RoleSystemAdmin)
			inv, err := e.users.ReissueInvitation(ctx, adminActor, sa.ID)
			if err == nil {
				t.Fatalf("an organisation admin was given a set-password link for a system admin: %q", inv.Token)
			}
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = e.users.UpdateUser(ctx, adminActor, sa.ID, waymark.UserUpdate{Role: ptr(waymark.RoleFrontline)})
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = e.users.UpdateUser(ctx, adminActor, sa.ID, waymark.UserUpdate{Disabled: ptr(true)})
			wantCode(t, err, waymark.EFORBIDDEN)
			got, err := e.users.FindUserByID(ctx, system, sa.ID)
			mustOK(t, err)
			if got.Role != waymark.RoleSystemAdmin || got.Disabled {
				t.Errorf("system admin after refused changes: %+v", got)
			}
		})
		t.Run("nobody changes their own role or disables themselves", func(t *testing.T) {
			_, saActor := e.user(t, home, waymark.RoleSystemAdmin)
			for _, a := range []waymark.Actor{adminActor, saActor} {
				_, err := e.users.UpdateUser(ctx, a, a.UserID, waymark.UserUpdate{Role: ptr(waymark.RoleFrontline)})
				wantCode(t, err, waymark.EFORBIDDEN)
				_, err = e.users.UpdateUser(ctx, a, a.UserID, waymark.UserUpdate{Disabled: ptr(true)})
				wantCode(t, err, waymark.EFORBIDDEN)
				// Renaming oneself is fine.
				_, err = e.users.UpdateUser(ctx, a, a.UserID, waymark.UserUpdate{Name: ptr("Self Renamed")})
				mustOK(t, err)
			}
			got, err := e.users.FindUserByID(ctx, system, admin.ID)
			mustOK(t, err)
			if got.Role != waymark.RoleOrgAdmin || got.Disabled {
				t.Errorf("admin after refused self-changes: %+v", got)
			}
		})
		t.Run("a user without admin rights sees only themselves", func(t *testing.T) {
			me, meActor := e.user(t, home, waymark.RoleFrontline)
			_, err := e.users.FindUserByID(ctx, meActor, me.ID)
			mustOK(t, err)
			_, err = e.users.FindUserByID(ctx, meActor, admin.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			_, _, err = e.users.FindUsers(ctx, meActor, home.ID, waymark.Page{})
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = e.users.InviteUser(ctx, meActor, &waymark.User{OrgID: home.ID, Email: "friend@example.org", Name: "Friend", Role: waymark.RoleFrontline})
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = e.users.UpdateUser(ctx, meActor, admin.ID, waymark.UserUpdate{Disabled: ptr(true)})
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = e.users.FindUserByEmail(ctx, meActor, admin.Email)
			wantCode(t, err, waymark.EFORBIDDEN)
			byEmail, err := e.users.FindUserByEmail(ctx, system, strings.ToUpper(admin.Email))
			mustOK(t, err)
			if byEmail.ID != admin.ID {
				t.Errorf("FindUserByEmail found %q, want %q", byEmail.ID, admin.ID)
			}
		})
		t.Run("changing one's own password needs the current one and a strong new one", func(t *testing.T) {
			u, actor := e.user(t, home, waymark.RoleFrontline)
			here := e.signIn(t, u)
			elsewhere := e.signIn(t, u)
			err := e.auth.ChangePassword(ctx, actor, here.Token, "not my password", "a much better passphrase")
			wantCode(t, err, waymark.EINVALID)
			if waymark.ErrorFields(err)["current"] == "" {
				t.Errorf("wrong current password: no message for the current field: %v", err)
			}
			err = e.auth.ChangePassword(ctx, actor, here.Token, testPassword, "short")
			wantCode(t, err, waymark.EINVALID)
			if waymark.ErrorFields(err)["password"] == "" {
				t.Errorf("weak new password: no message for the password field: %v", err)
			}
			mustOK(t, e.auth.ChangePassword(ctx, actor, here.Token, testPassword, "a much better passphrase"))
			if _, err := e.auth.Authenticate(ctx, here.Token); err != nil {
				t.Errorf("the session that changed the password ended: %v", err)
			}
			_, err = e.auth.Authenticate(ctx, elsewhere.Token)
			wantCode(t, err, waymark.EUNAUTHORIZED)
			_, err = e.auth.SignIn(ctx, u.Email, testPassword, "192.0.2.11")
			wantCode(t, err, waymark.EUNAUTHORIZED)
			_, err = e.auth.SignIn(ctx, u.Email, "a much better passphrase", "192.0.2.11")
			mustOK(t, err)
			if n := e.countActions(t); n[waymark.AuditPasswordChanged] != 1 || n[waymark.AuditPasswordChangeFailed] != 1 {
				t.Errorf("password changes audited: %d changed, %d failed; want 1 and 1", n[waymark.AuditPasswordChanged], n[waymark.AuditPasswordChangeFailed])
			}
		})
		t.Run("guessing the current password is throttled like sign-in", func(t *testing.T) {
			u, actor := e.user(t, home, waymark.RoleFrontline)
			s := e.signIn(t, u)
			for range waymark.AccountFailureLimit {
				err := e.auth.ChangePassword(ctx, actor, s.Token, "a wrong guess here", "a much better passphrase")
				wantCode(t, err, waymark.EINVALID)
			}
			err := e.auth.ChangePassword(ctx, actor, s.Token, testPassword, "a much better passphrase")
			wantCode(t, err, waymark.ETHROTTLED)
		})
		t.Run("creating and inviting users are audited", func(t *testing.T) {
			n := e.countActions(t)
			if n[waymark.AuditUserCreated] == 0 || n[waymark.AuditUserInvited] == 0 || n[waymark.AuditPasswordSet] == 0 || n[waymark.AuditUserReinvited] == 0 {
				t.Errorf("audit actions = %v", n)
			}
		})
	})
}
