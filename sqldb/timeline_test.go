package sqldb_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

func TestTimeline(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		org := e.org(t, "Timeline Outreach", false)
		_, worker := e.user(t, org, waymark.RoleFrontline)
		_, colleague := e.user(t, org, waymark.RoleFrontline)
		c := &waymark.Client{GivenName: "Ion", ConcernStatus: waymark.ConcernSuspected}
		mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))
		step := func() { e.clock.Advance(time.Hour) }
		step()
		mustOK(t, sqldb.NewExploitationService(e.db).AddEpisode(ctx, worker, c.ID, &waymark.ExploitationEpisode{Types: []string{"labour"}, Start: "2024-03"}))
		step()
		_, err := sqldb.NewExploitationService(e.db).AssessRisk(ctx, worker, c.ID, "high", "")
		mustOK(t, err)
		step()
		_, err = sqldb.NewNoteService(e.db).AddNote(ctx, worker, c.ID, "private words", true)
		mustOK(t, err)
		step()
		_, err = sqldb.NewSupportService(e.db).AddSupport(ctx, worker, c.ID, waymark.SupportAction{Type: "interpreter", Start: "2025-02-10", Outcome: "achieved"})
		mustOK(t, err)
		step()
		_, err = e.clients.SetConcernStatus(ctx, worker, c.ID, waymark.ConcernDisclosed, "told us")
		mustOK(t, err)

		kinds := func(a waymark.Actor) []string {
			rec, err := e.clients.FindClientRecord(ctx, a, c.ID)
			mustOK(t, err)
			var out []string
			for _, ev := range rec.Timeline {
				out = append(out, ev.Kind+": "+ev.Summary)
				if ev.Link == "" || ev.Date == "" {
					t.Errorf("event %+v has no link or date", ev)
				}
			}
			return out
		}
		t.Run("everything recorded appears, newest first, with labels only", func(t *testing.T) {
			want := []string{
				"Concern: Concern status: Disclosed by the person",
				"Note: Case note, for safeguarding leads",
				"Risk: Risk of exploitation again: high",
				"Concern: Concern status: Suspected",
				"Record: Added to Waymark",
				"Support: Support: Interpreter (achieved)",
				"Exploitation: Exploitation began: labour",
			}
			if diff := cmp.Diff(want, kinds(worker)); diff != "" {
				t.Errorf("timeline (-want +got):\n%s", diff)
			}
		})
		t.Run("a restricted note is not on a colleague's timeline", func(t *testing.T) {
			for _, k := range kinds(colleague) {
				if k == "Note: Case note, for safeguarding leads" {
					t.Error("the restricted note shows on the timeline of someone who may not read it")
				}
			}
		})
	})
}
