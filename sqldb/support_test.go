package sqldb_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

// supportNotesMarker is support notes that must never be stored in clear.
const supportNotesMarker = "SUPPORT-MARKER-7c1d went with him to the GP"

func TestSupportLog(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewSupportService(e.db)
		mine := e.org(t, "Support Outreach", false)
		provider := e.org(t, "Support Safe House", false)
		workerUser, worker := e.user(t, mine, waymark.RoleFrontline)
		_, analyst := e.user(t, mine, waymark.RoleAnalyst)
		_, stranger := e.frontline(t, "Support Hostel")
		c := &waymark.Client{GivenName: "Ilie", FamilyName: "Moraru"}
		mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))

		var first *waymark.SupportAction
		t.Run("support is recorded and read back newest start first", func(t *testing.T) {
			var err error
			first, err = svc.AddSupport(ctx, worker, c.ID, waymark.SupportAction{Type: "healthcare_gp", ProviderName: " Park Lane Surgery ",
				Start: "2026-10-01", End: "2026-10-02", Outcome: "achieved", Notes: supportNotesMarker})
			mustOK(t, err)
			_, err = svc.AddSupport(ctx, worker, c.ID, waymark.SupportAction{Type: "safe_house", ProviderOrgID: provider.ID, Start: "2026-11-27"})
			mustOK(t, err)
			got, err := svc.FindSupport(ctx, worker, c.ID)
			mustOK(t, err)
			if len(got) != 2 {
				t.Fatalf("%d support actions, want 2", len(got))
			}
			if got[0].Type != "safe_house" || got[0].ProviderOrgName != "Support Safe House" || got[0].Provider() != "Support Safe House" || got[0].End != "" {
				t.Errorf("newest support %+v, want the safe house by its organisation", got[0])
			}
			want := &waymark.SupportAction{ID: first.ID, ClientID: c.ID, OrgID: mine.ID, Type: "healthcare_gp", ProviderName: "Park Lane Surgery",
				Start: "2026-10-01", End: "2026-10-02", Outcome: "achieved", Notes: supportNotesMarker, RecordedBy: workerUser.ID,
				RecordedAt: e.clock.Now(), Version: 1}
			if diff := cmp.Diff(want, got[1]); diff != "" {
				t.Errorf("support read back (-want +got):\n%s", diff)
			}
		})
		t.Run("each rule refuses with a message for its field", func(t *testing.T) {
			ok := waymark.SupportAction{Type: "legal_advice", Start: "2026-11-01"}
			for name, tc := range map[string]struct {
				change func(a *waymark.SupportAction)
				field  string
			}{
				"unknown type":             {func(a *waymark.SupportAction) { a.Type = "massage" }, "type"},
				"no type":                  {func(a *waymark.SupportAction) { a.Type = "" }, "type"},
				"no start":                 {func(a *waymark.SupportAction) { a.Start = "" }, "start"},
				"start not a date":         {func(a *waymark.SupportAction) { a.Start = "2026-02-30" }, "start"},
				"start in the future":      {func(a *waymark.SupportAction) { a.Start = "2026-11-28" }, "start"},
				"end before start":         {func(a *waymark.SupportAction) { a.End = "2026-10-31" }, "end"},
				"end in the future":        {func(a *waymark.SupportAction) { a.End = "2027-01-01" }, "end"},
				"end not a date":           {func(a *waymark.SupportAction) { a.End = "soon" }, "end"},
				"unknown outcome":          {func(a *waymark.SupportAction) { a.Outcome = "great" }, "outcome"},
				"notes too long":           {func(a *waymark.SupportAction) { a.Notes = string(bytes.Repeat([]byte("x"), 5001)) }, "notes"},
				"provider name too long":   {func(a *waymark.SupportAction) { a.ProviderName = string(bytes.Repeat([]byte("x"), 201)) }, "provider_name"},
				"provider name with a tab": {func(a *waymark.SupportAction) { a.ProviderName = "GP\tsurgery" }, "provider_name"},
				"unknown provider org":     {func(a *waymark.SupportAction) { a.ProviderOrgID = "no-such-org" }, "provider_org_id"},
			} {
				a := ok
				tc.change(&a)
				_, err := svc.AddSupport(ctx, worker, c.ID, a)
				wantCode(t, err, waymark.EINVALID)
				if diff := cmp.Diff([]string{tc.field}, keys(waymark.ErrorFields(err))); diff != "" {
					t.Errorf("%s: fields (-want +got):\n%s", name, diff)
				}
			}
			a := ok
			a.End, a.Outcome = "2026-11-27", "not_known"
			_, err := svc.AddSupport(ctx, worker, c.ID, a)
			mustOK(t, err)
		})
		t.Run("an update based on the version read goes through, a stale one is refused", func(t *testing.T) {
			change := *first
			change.Outcome, change.Notes = "partly_achieved", "changed"
			updated, err := svc.UpdateSupport(ctx, worker, c.ID, first.ID, 1, change)
			mustOK(t, err)
			if updated.Version != 2 || updated.Outcome != "partly_achieved" || updated.RecordedBy != workerUser.ID {
				t.Errorf("updated %+v", updated)
			}
			_, err = svc.UpdateSupport(ctx, worker, c.ID, first.ID, 1, change)
			wantCode(t, err, waymark.ECONFLICT)
			change.Start = "2030-01-01"
			_, err = svc.UpdateSupport(ctx, worker, c.ID, first.ID, 2, change)
			wantCode(t, err, waymark.EINVALID)
			_, err = svc.UpdateSupport(ctx, worker, c.ID, "no-such-support", 1, change)
			wantCode(t, err, waymark.ENOTFOUND)
		})
		t.Run("another organisation's worker does not find the client", func(t *testing.T) {
			_, err := svc.AddSupport(ctx, stranger, c.ID, waymark.SupportAction{Type: "other", Start: "2026-11-01"})
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = svc.UpdateSupport(ctx, stranger, c.ID, first.ID, 2, waymark.SupportAction{Type: "other", Start: "2026-11-01"})
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = svc.FindSupport(ctx, stranger, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
		})
		t.Run("an analyst may neither record nor read support", func(t *testing.T) {
			_, err := svc.AddSupport(ctx, analyst, c.ID, waymark.SupportAction{Type: "other", Start: "2026-11-01"})
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = svc.UpdateSupport(ctx, analyst, c.ID, first.ID, 2, waymark.SupportAction{Type: "other", Start: "2026-11-01"})
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = svc.FindSupport(ctx, analyst, c.ID)
			wantCode(t, err, waymark.EFORBIDDEN)
		})
		t.Run("changes and reads are audited without the details", func(t *testing.T) {
			if n := len(e.entriesFor(t, mine.ID, waymark.AuditSupportAdded)); n != 3 {
				t.Errorf("%d support.added entries, want 3", n)
			}
			if rec := e.entriesFor(t, mine.ID, waymark.AuditSupportUpdated); len(rec) != 1 || rec[0].ObjectID != c.ID {
				t.Errorf("support.updated entries %+v, want one for the client", rec)
			}
			if n := len(e.entriesFor(t, mine.ID, waymark.AuditSupportViewed)); n != 1 {
				t.Errorf("%d support.list_viewed entries, want 1 (refused reads are not recorded as reads)", n)
			}
			noNames(t, e.auditEntries(t, waymark.AuditFilter{OrgID: mine.ID}), "MARKER", "Park Lane", "healthcare_gp", "Ilie")
		})
		t.Run("the stored notes are sealed", func(t *testing.T) {
			var notes []byte
			mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT notes FROM support_actions WHERE id = $1`, first.ID).Scan(&notes))
			if !bytes.HasPrefix(notes, []byte("wms1")) || bytes.Contains(notes, []byte("changed")) {
				t.Errorf("stored notes %q are not sealed", notes)
			}
		})
	})
}

func TestHomelessnessEpisodes(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewHomelessnessService(e.db)
		mine := e.org(t, "Episodes Outreach", false)
		workerUser, worker := e.user(t, mine, waymark.RoleFrontline)
		_, analyst := e.user(t, mine, waymark.RoleAnalyst)
		_, stranger := e.frontline(t, "Episodes Hostel")
		c := &waymark.Client{GivenName: "Ana", FamilyName: "Lupu"}
		mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))

		var first *waymark.HomelessnessEpisode
		t.Run("episodes are recorded and read back newest first", func(t *testing.T) {
			var err error
			first, err = svc.AddEpisode(ctx, worker, c.ID, waymark.HomelessnessEpisode{Situation: "rough_sleeping", From: "2025-01-10", To: "2025-06-01", Notes: supportNotesMarker})
			mustOK(t, err)
			e.clock.Advance(time.Minute)
			_, err = svc.AddEpisode(ctx, worker, c.ID, waymark.HomelessnessEpisode{Situation: "hostel", From: "2025-06-01"})
			mustOK(t, err)
			got, err := svc.FindEpisodes(ctx, worker, c.ID)
			mustOK(t, err)
			if len(got) != 2 || got[0].Situation != "hostel" {
				t.Fatalf("episodes %+v, want the hostel first", got)
			}
			want := &waymark.HomelessnessEpisode{ID: first.ID, ClientID: c.ID, OrgID: mine.ID, Situation: "rough_sleeping", From: "2025-01-10", To: "2025-06-01",
				Notes: supportNotesMarker, RecordedBy: workerUser.ID, RecordedAt: first.RecordedAt}
			if diff := cmp.Diff(want, got[1]); diff != "" {
				t.Errorf("episode read back (-want +got):\n%s", diff)
			}
		})
		t.Run("each rule refuses with a message for its field", func(t *testing.T) {
			for name, tc := range map[string]struct {
				ep    waymark.HomelessnessEpisode
				field string
			}{
				"no situation":       {waymark.HomelessnessEpisode{From: "2026-01-01"}, "situation"},
				"unknown situation":  {waymark.HomelessnessEpisode{Situation: "castle", From: "2026-01-01"}, "situation"},
				"no from":            {waymark.HomelessnessEpisode{Situation: "hostel"}, "from"},
				"from in the future": {waymark.HomelessnessEpisode{Situation: "hostel", From: "2026-11-28"}, "from"},
				"to before from":     {waymark.HomelessnessEpisode{Situation: "hostel", From: "2026-01-02", To: "2026-01-01"}, "to"},
				"to in the future":   {waymark.HomelessnessEpisode{Situation: "hostel", From: "2026-01-02", To: "2027-01-01"}, "to"},
				"notes too long":     {waymark.HomelessnessEpisode{Situation: "hostel", From: "2026-01-02", Notes: string(bytes.Repeat([]byte("x"), 5001))}, "notes"},
			} {
				_, err := svc.AddEpisode(ctx, worker, c.ID, tc.ep)
				wantCode(t, err, waymark.EINVALID)
				if diff := cmp.Diff([]string{tc.field}, keys(waymark.ErrorFields(err))); diff != "" {
					t.Errorf("%s: fields (-want +got):\n%s", name, diff)
				}
			}
		})
		t.Run("another organisation's worker does not find the client; an analyst is refused", func(t *testing.T) {
			_, err := svc.AddEpisode(ctx, stranger, c.ID, waymark.HomelessnessEpisode{Situation: "hostel", From: "2026-01-01"})
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = svc.FindEpisodes(ctx, stranger, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = svc.AddEpisode(ctx, analyst, c.ID, waymark.HomelessnessEpisode{Situation: "hostel", From: "2026-01-01"})
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = svc.FindEpisodes(ctx, analyst, c.ID)
			wantCode(t, err, waymark.EFORBIDDEN)
		})
		t.Run("changes and reads are audited without the details", func(t *testing.T) {
			if n := len(e.entriesFor(t, mine.ID, waymark.AuditHomelessnessAdded)); n != 2 {
				t.Errorf("%d homelessness.episode_added entries, want 2", n)
			}
			if n := len(e.entriesFor(t, mine.ID, waymark.AuditHomelessnessViewed)); n != 1 {
				t.Errorf("%d homelessness.list_viewed entries, want 1", n)
			}
			noNames(t, e.auditEntries(t, waymark.AuditFilter{OrgID: mine.ID}), "MARKER", "rough_sleeping", "Ana")
		})
		t.Run("the stored notes are sealed", func(t *testing.T) {
			var notes []byte
			mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT notes FROM homelessness_episodes WHERE id = $1`, first.ID).Scan(&notes))
			if !bytes.HasPrefix(notes, []byte("wms1")) || bytes.Contains(notes, []byte("MARKER")) {
				t.Errorf("stored notes %q are not sealed", notes)
			}
		})
	})
}

func TestSupportNotesSealedSQLiteFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	_, actor := e.frontline(t, "Support File Outreach")
	c := &waymark.Client{GivenName: givenName, FamilyName: "Quist"}
	mustOK(t, e.clients.CreateClient(ctx, actor, c, nil))
	_, err := sqldb.NewSupportService(e.db).AddSupport(ctx, actor, c.ID, waymark.SupportAction{Type: "counselling", Start: "2026-11-01", Notes: supportNotesMarker})
	mustOK(t, err)
	_, err = sqldb.NewHomelessnessService(e.db).AddEpisode(ctx, actor, c.ID, waymark.HomelessnessEpisode{Situation: "hostel", From: "2026-11-01", Notes: supportNotesMarker})
	mustOK(t, err)
	mustOK(t, e.db.Close())
	stored := sqliteBytes(t, e.cfg.DataDir)
	if !bytes.Contains(stored, []byte(givenName)) {
		t.Fatal("the unsealed given name is not in the database files: the check reads the wrong files")
	}
	if bytes.Contains(stored, []byte("SUPPORT-MARKER")) {
		t.Error("the database files hold the support or episode notes in plain text")
	}
}
