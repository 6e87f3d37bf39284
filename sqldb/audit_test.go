package sqldb_test

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"waymark"
)

// history makes a few audited changes: an organisation, two users, a role change and a token.
func (e *env) history(t *testing.T) {
	t.Helper()
	o := e.org(t, "Chain Outreach", false)
	e.clock.Advance(time.Minute)
	u, _ := e.user(t, o, waymark.RoleFrontline)
	e.clock.Advance(time.Minute)
	e.user(t, o, waymark.RoleOrgAdmin)
	e.clock.Advance(time.Minute)
	_, err := e.users.UpdateUser(ctx, system, u.ID, waymark.UserUpdate{Role: ptr(waymark.RoleManager)})
	mustOK(t, err)
	e.clock.Advance(time.Minute)
	_, err = e.tokens.CreateToken(ctx, system, u.ID, "chain", waymark.DefaultTokenTTL)
	mustOK(t, err)
	_, err = e.orgs.UpdateOrganisation(ctx, system, o.ID, waymark.OrganisationUpdate{Area: ptr("Wakefield")})
	mustOK(t, err)
}

func (e *env) verify(t *testing.T) *waymark.AuditVerification {
	t.Helper()
	v, err := e.audit.VerifyAudit(ctx)
	mustOK(t, err)
	return v
}

// entry reads one audit entry straight from the table.
func entry(t *testing.T, raw *sql.DB, seq int64) *waymark.AuditEntry {
	t.Helper()
	for _, x := range allEntries(t, raw) {
		if x.Seq == seq {
			return x
		}
	}
	t.Fatalf("no audit entry %d", seq)
	return nil
}

func TestAuditChain(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		t.Run("an empty chain verifies", func(t *testing.T) {
			if diff := cmp.Diff(&waymark.AuditVerification{OK: true}, e.verify(t)); diff != "" {
				t.Errorf("VerifyAudit (-want +got):\n%s", diff)
			}
		})
		t.Run("an untouched chain verifies with every entry counted", func(t *testing.T) {
			e.history(t)
			_, total, err := e.audit.FindAuditEntries(ctx, system, waymark.AuditFilter{})
			mustOK(t, err)
			// Reading the log added one entry of its own.
			want := &waymark.AuditVerification{OK: true, Entries: int64(total) + 1}
			if diff := cmp.Diff(want, e.verify(t)); diff != "" {
				t.Errorf("VerifyAudit (-want +got):\n%s", diff)
			}
			if total < 6 {
				t.Errorf("only %d entries written by the history", total)
			}
		})
	})

}

func TestAuditChainTampering(t *testing.T) {
	t.Parallel()
	tamper := []struct {
		name string
		// do tampers with the chain of n entries and returns the sequence number verification must report.
		do func(t *testing.T, raw *sql.DB, n int64) int64
	}{
		{"an altered column is reported at its entry", func(t *testing.T, raw *sql.DB, n int64) int64 {
			exec(t, raw, `UPDATE audit_log SET detail = 'x' WHERE seq = 3`)
			return 3
		}},
		{"an altered address is reported at its entry", func(t *testing.T, raw *sql.DB, n int64) int64 {
			exec(t, raw, `UPDATE audit_log SET addr = '10.0.0.1' WHERE seq = 5`)
			return 5
		}},
		{"an altered time is reported at its entry", func(t *testing.T, raw *sql.DB, n int64) int64 {
			exec(t, raw, `UPDATE audit_log SET at = (SELECT at FROM audit_log WHERE seq = 1) WHERE seq = 4`)
			return 4
		}},
		{"a deleted entry is reported where it is missing", func(t *testing.T, raw *sql.DB, n int64) int64 {
			exec(t, raw, `DELETE FROM audit_log WHERE seq = 3`)
			return 3
		}},
		{"two swapped entries are reported at the first", func(t *testing.T, raw *sql.DB, n int64) int64 {
			exec(t, raw, `UPDATE audit_log SET seq = -1 WHERE seq = 2`)
			exec(t, raw, `UPDATE audit_log SET seq = 2 WHERE seq = 3`)
			exec(t, raw, `UPDATE audit_log SET seq = 3 WHERE seq = -1`)
			return 2
		}},
		{"a deleted last entry is reported by the head check", func(t *testing.T, raw *sql.DB, n int64) int64 {
			exec(t, raw, `DELETE FROM audit_log WHERE seq = $1`, n)
			return n
		}},
		{"an altered entry with its own hash recomputed is reported at the next entry", func(t *testing.T, raw *sql.DB, n int64) int64 {
			x := entry(t, raw, 3)
			x.Detail = "nothing to see here"
			exec(t, raw, `UPDATE audit_log SET detail = $1, hash = $2 WHERE seq = 3`, x.Detail, x.ComputeHash(x.PrevHash))
			return 4
		}},
		{"an altered last entry with its own hash recomputed is reported by the head check", func(t *testing.T, raw *sql.DB, n int64) int64 {
			x := entry(t, raw, n)
			x.Detail = "nothing to see here"
			exec(t, raw, `UPDATE audit_log SET detail = $1, hash = $2 WHERE seq = $3`, x.Detail, x.ComputeHash(x.PrevHash), n)
			return n
		}},
		{"a forged entry appended to the chain is reported", func(t *testing.T, raw *sql.DB, n int64) int64 {
			last := entry(t, raw, n)
			forged := *last
			forged.Seq, forged.PrevHash, forged.Action, forged.Detail = n+1, last.Hash, waymark.AuditUserDisabled, "forged"
			forged.Hash = forged.ComputeHash(forged.PrevHash)
			exec(t, raw, `INSERT INTO audit_log (seq, at, actor_user_id, actor_label, org_id, action, object_type, object_id, addr, detail, prev_hash, hash)
				SELECT $1, at, actor_user_id, actor_label, org_id, $2, object_type, object_id, addr, $3, $4, $5 FROM audit_log WHERE seq = $6`,
				forged.Seq, forged.Action, forged.Detail, forged.PrevHash, forged.Hash, n)
			return n + 1
		}},
	}
	// One database per engine: each case tampers with the chain, checks the report, and puts the
	// original rows back from a copy kept behind the store's back.
	forEachEngine(t, func(t *testing.T, e *env) {
		e.history(t)
		raw := e.raw(t)
		exec(t, raw, `CREATE TABLE audit_backup AS SELECT * FROM audit_log`)
		for _, tc := range tamper {
			t.Run(tc.name, func(t *testing.T) {
				defer func() {
					exec(t, raw, `DELETE FROM audit_log`)
					exec(t, raw, `INSERT INTO audit_log SELECT * FROM audit_backup`)
				}()
				before := e.verify(t)
				if !before.OK {
					t.Fatalf("chain broken before tampering: %+v", before)
				}
				want := tc.do(t, raw, before.Entries)
				got := e.verify(t)
				if got.OK || got.FirstBad != want || got.Problem == "" {
					t.Errorf("VerifyAudit = %+v; want not OK with FirstBad %d and a problem", got, want)
				}
				if !strings.Contains(got.Problem, itoa64(want)) {
					t.Errorf("problem %q does not name entry %d", got.Problem, want)
				}
			})
		}
		t.Run("the restored chain verifies again", func(t *testing.T) {
			if v := e.verify(t); !v.OK {
				t.Errorf("VerifyAudit after restoring = %+v", v)
			}
		})
	})
}

func TestAuditEntries(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		mine, theirs := e.org(t, "Our Outreach", false), e.org(t, "Their Hostel", false)
		admin, adminActor := e.user(t, mine, waymark.RoleOrgAdmin)
		_, frontActor := e.user(t, mine, waymark.RoleFrontline)
		theirUser, _ := e.user(t, theirs, waymark.RoleFrontline)
		_, err := e.users.UpdateUser(ctx, system, theirUser.ID, waymark.UserUpdate{Role: ptr(waymark.RoleManager)})
		mustOK(t, err)

		t.Run("an organisation admin sees only their organisation's entries", func(t *testing.T) {
			for _, f := range []waymark.AuditFilter{{}, {OrgID: theirs.ID}} {
				list, total, err := e.audit.FindAuditEntries(ctx, adminActor, f)
				mustOK(t, err)
				if len(list) == 0 || total < len(list) {
					t.Fatalf("filter %+v: %d entries of %d", f, len(list), total)
				}
				for _, x := range list {
					if x.OrgID != mine.ID {
						t.Errorf("filter %+v: admin sees entry %d of organisation %q: %+v", f, x.Seq, x.OrgID, x)
					}
				}
			}
		})
		t.Run("roles without audit permission are forbidden", func(t *testing.T) {
			_, _, err := e.audit.FindAuditEntries(ctx, frontActor, waymark.AuditFilter{})
			wantCode(t, err, waymark.EFORBIDDEN)
			for _, role := range []waymark.Role{waymark.RoleAnalyst, waymark.RoleManager, waymark.RolePartner} {
				_, a := e.user(t, mine, role)
				_, _, err := e.audit.FindAuditEntries(ctx, a, waymark.AuditFilter{OrgID: mine.ID})
				wantCode(t, err, waymark.EFORBIDDEN)
			}
		})
		t.Run("the system actor sees everything or one organisation", func(t *testing.T) {
			orgs := map[string]bool{}
			for _, x := range e.auditEntries(t, waymark.AuditFilter{}) {
				orgs[x.OrgID] = true
			}
			if !orgs[mine.ID] || !orgs[theirs.ID] {
				t.Errorf("system actor sees entries of organisations %v, want both", orgs)
			}
			for _, x := range e.auditEntries(t, waymark.AuditFilter{OrgID: theirs.ID}) {
				if x.OrgID != theirs.ID {
					t.Errorf("filtered to %q but got entry of %q", theirs.ID, x.OrgID)
				}
			}
		})
		t.Run("entries come newest first, paged, with the total", func(t *testing.T) {
			all, total, err := e.audit.FindAuditEntries(ctx, system, waymark.AuditFilter{Page: waymark.Page{Limit: 100}})
			mustOK(t, err)
			if len(all) != total {
				t.Fatalf("%d listed of %d", len(all), total)
			}
			page, total2, err := e.audit.FindAuditEntries(ctx, system, waymark.AuditFilter{Page: waymark.Page{Offset: 2, Limit: 3}})
			mustOK(t, err)
			if total2 != total+1 {
				t.Errorf("total = %d, want %d", total2, total+1)
			}
			// The second read is one entry further on, so its page starts one entry later in all.
			want := all[1:4]
			if diff := cmp.Diff(want, page); diff != "" {
				t.Errorf("page (-want +got):\n%s", diff)
			}
		})
		t.Run("reading the log is itself audited", func(t *testing.T) {
			_, _, err := e.audit.FindAuditEntries(ctx, adminActor, waymark.AuditFilter{})
			mustOK(t, err)
			list := e.auditEntries(t, waymark.AuditFilter{OrgID: mine.ID})
			last := list[len(list)-1]
			want := &waymark.AuditEntry{At: e.clock.Now(), ActorUserID: admin.ID, ActorLabel: "web", OrgID: mine.ID, Action: waymark.AuditAuditViewed,
				ObjectType: "organisation", ObjectID: mine.ID, Addr: "192.0.2.1"}
			if diff := cmp.Diff(want, last, cmpopts.IgnoreFields(waymark.AuditEntry{}, "Seq", "PrevHash", "Hash")); diff != "" {
				t.Errorf("last entry of the organisation (-want +got):\n%s", diff)
			}
		})
		t.Run("every entry links to the one before", func(t *testing.T) {
			list := e.auditEntries(t, waymark.AuditFilter{})
			for i, x := range list {
				if x.Hash != x.ComputeHash(x.PrevHash) {
					t.Errorf("entry %d: hash does not match its contents", x.Seq)
				}
				if i > 0 && (x.PrevHash != list[i-1].Hash || x.Seq != list[i-1].Seq+1) {
					t.Errorf("entry %d does not follow entry %d", x.Seq, list[i-1].Seq)
				}
			}
		})
	})
}
