package sqldb_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

func TestCaseNotes(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		notes := sqldb.NewNoteService(e.db)
		org := e.org(t, "Lantern Hostel", false)
		other := e.org(t, "Elsewhere Outreach", false)
		author, authorActor := e.user(t, org, waymark.RoleFrontline)
		_, colleague := e.user(t, org, waymark.RoleFrontline)
		_, manager := e.user(t, org, waymark.RoleManager)
		_, lead := e.user(t, org, waymark.RoleSafeguardingLead)
		_, stranger := e.user(t, other, waymark.RoleSafeguardingLead)
		_, analyst := e.user(t, org, waymark.RoleAnalyst)
		c := &waymark.Client{GivenName: "Ana", FamilyName: "Pop"}
		mustOK(t, e.clients.CreateClient(ctx, authorActor, c, nil))

		open, err := notes.AddNote(ctx, authorActor, c.ID, "  Met at the car park.  ", false)
		mustOK(t, err)
		e.clock.Advance(time.Minute)
		secret, err := notes.AddNote(ctx, authorActor, c.ID, "Disclosed the boss holds her passport. SEALEDNOTEMARKER", true)
		mustOK(t, err)

		texts := func(t *testing.T, a waymark.Actor) []string {
			t.Helper()
			list, err := notes.FindNotes(ctx, a, c.ID)
			mustOK(t, err)
			var out []string
			for _, n := range list {
				out = append(out, n.Text)
			}
			return out
		}
		t.Run("notes are listed newest first with their author", func(t *testing.T) {
			list, err := notes.FindNotes(ctx, lead, c.ID)
			mustOK(t, err)
			if len(list) != 2 || list[0].ID != secret.ID || list[1].Text != "Met at the car park." || list[1].AuthorID != author.ID || list[1].AuthorName != author.Name {
				t.Errorf("notes = %+v", list)
			}
		})
		t.Run("a restricted note is seen only by safeguarding leads and its author", func(t *testing.T) {
			all := []string{secret.Text, "Met at the car park."}
			for name, tc := range map[string]struct {
				actor waymark.Actor
				want  []string
			}{
				"safeguarding lead": {lead, all},
				"author":            {authorActor, all},
				"colleague":         {colleague, []string{"Met at the car park."}},
				"manager":           {manager, []string{"Met at the car park."}},
			} {
				if diff := cmp.Diff(tc.want, texts(t, tc.actor)); diff != "" {
					t.Errorf("%s sees (-want +got):\n%s", name, diff)
				}
			}
		})
		t.Run("another organisation and other roles see nothing", func(t *testing.T) {
			_, err := notes.FindNotes(ctx, stranger, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = notes.FindNotes(ctx, analyst, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = notes.AddNote(ctx, stranger, c.ID, "x", false)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = notes.UpdateNote(ctx, stranger, c.ID, open.ID, 1, "x")
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = notes.UpdateNote(ctx, colleague, c.ID, secret.ID, 1, "x")
			wantCode(t, err, waymark.ENOTFOUND)
		})
		t.Run("an empty or huge note is refused", func(t *testing.T) {
			_, err := notes.AddNote(ctx, authorActor, c.ID, "   ", false)
			wantCode(t, err, waymark.EINVALID)
			_, err = notes.AddNote(ctx, authorActor, c.ID, string(bytes.Repeat([]byte("x"), waymark.MaxNoteLength+1)), false)
			wantCode(t, err, waymark.EINVALID)
		})
		t.Run("an edit keeps the earlier text and a stale edit conflicts", func(t *testing.T) {
			_, err := notes.UpdateNote(ctx, colleague, c.ID, open.ID, 1, "not mine")
			wantCode(t, err, waymark.EFORBIDDEN)
			e.clock.Advance(time.Minute)
			n, err := notes.UpdateNote(ctx, authorActor, c.ID, open.ID, 1, "Met at the car park at 6am.")
			mustOK(t, err)
			if n.Version != 2 {
				t.Errorf("version = %d, want 2", n.Version)
			}
			_, err = notes.UpdateNote(ctx, lead, c.ID, open.ID, 1, "stale")
			wantCode(t, err, waymark.ECONFLICT)
			list, err := notes.FindNotes(ctx, lead, c.ID)
			mustOK(t, err)
			var got *waymark.CaseNote
			for _, x := range list {
				if x.ID == open.ID {
					got = x
				}
			}
			if got == nil || got.Text != "Met at the car park at 6am." || len(got.History) != 1 || got.History[0].Text != "Met at the car park." || got.History[0].EditedByID != author.ID {
				t.Errorf("edited note = %+v", got)
			}
		})
		t.Run("the client page reads record, history and notes as one audited read", func(t *testing.T) {
			before := len(e.auditEntries(t, waymark.AuditFilter{}))
			rec, err := e.clients.FindClientRecord(ctx, colleague, c.ID)
			mustOK(t, err)
			if rec.Client.ID != c.ID || len(rec.History) != 1 || len(rec.Notes) != 1 {
				t.Errorf("record: client %s, %d history, %d notes; want 1 and 1 (the restricted note hidden)", rec.Client.ID, len(rec.History), len(rec.Notes))
			}
			entries := e.auditEntries(t, waymark.AuditFilter{})
			// auditEntries itself reads the log, which is audited: one entry for that, one for the page.
			if got := len(entries) - before; got != 2 {
				t.Errorf("%d audit entries for one page, want 1 (plus the audit read)", got-1)
			}
			_, err = e.clients.FindClientRecord(ctx, stranger, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
		})
		t.Run("note text is sealed at rest", func(t *testing.T) {
			raw := e.raw(t)
			var body []byte
			if err := raw.QueryRow(`SELECT body FROM case_notes WHERE id = $1`, secret.ID).Scan(&body); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(body, []byte("SEALEDNOTEMARKER")) || !bytes.HasPrefix(body, []byte("wms1")) {
				t.Errorf("the note is stored in clear: %q", body)
			}
		})
		t.Run("adding, editing and reading notes are audited", func(t *testing.T) {
			n := e.countActions(t)
			if n[waymark.AuditNoteAdded] != 2 || n[waymark.AuditNoteEdited] != 1 || n[waymark.AuditNotesViewed] == 0 {
				t.Errorf("audit counts: added %d, edited %d, viewed %d", n[waymark.AuditNoteAdded], n[waymark.AuditNoteEdited], n[waymark.AuditNotesViewed])
			}
		})
	})
}
