package sqldb_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

// screeningNotesMarker is screening notes that must never be stored in clear.
const screeningNotesMarker = "SCREENING-MARKER-5e2a said the van picks them up at 5"

func TestQuestionSetsSeeded(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewScreeningService(e.db)
		_, worker := e.frontline(t, "Seeded Sets Outreach")
		sets, err := svc.FindQuestionSets(ctx, worker)
		mustOK(t, err)
		var ids []string
		for _, s := range sets {
			ids = append(ids, s.ID)
		}
		if diff := cmp.Diff([]string{"hmis-trafficking-v1", "ilo-forced-labour-v1"}, ids); diff != "" {
			t.Fatalf("seeded sets (-want +got):\n%s", diff)
		}
		hmis, ilo := sets[0], sets[1]
		t.Run("the HMIS set has the items of DOMAIN.md with their follow-ups and answers", func(t *testing.T) {
			var keys []string
			for _, q := range hmis.Questions {
				keys = append(keys, q.Key)
				if q.Text == "" || len(q.Answers) == 0 || len(q.Labels) != len(q.Answers) {
					t.Errorf("question %s has no text, answers or labels", q.Key)
				}
			}
			want := []string{"exchange_sex", "exchange_sex_past_3_months", "exchange_sex_times", "made_to_have_sex", "made_to_have_sex_past_3_months",
				"afraid_to_leave_work", "work_different_from_promised", "forced_to_continue", "work_past_3_months"}
			if diff := cmp.Diff(want, keys); diff != "" {
				t.Errorf("HMIS questions (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"no", "yes", "client_doesnt_know", "client_prefers_not_to_answer", "data_not_collected"}, hmis.Questions[0].Answers); diff != "" {
				t.Errorf("HMIS answers (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"1_3", "4_7", "8_11", "12_or_more"}, hmis.Questions[2].Answers[:4]); diff != "" {
				t.Errorf("HMIS how-many answers (-want +got):\n%s", diff)
			}
		})
		t.Run("the ILO set has the 11 indicators", func(t *testing.T) {
			if len(ilo.Questions) != 11 {
				t.Fatalf("%d ILO indicators, want 11", len(ilo.Questions))
			}
			for _, q := range ilo.Questions {
				if diff := cmp.Diff([]string{"observed", "not_observed", "not_known"}, q.Answers); diff != "" {
					t.Errorf("indicator %s answers (-want +got):\n%s", q.Key, diff)
				}
			}
		})
		t.Run("the seeded rules propose as documented", func(t *testing.T) {
			allNo := map[string]string{"exchange_sex": "no", "made_to_have_sex": "no", "afraid_to_leave_work": "no", "work_different_from_promised": "no"}
			if got := waymark.ProposeConcern(hmis, allNo); got != waymark.ConcernNone {
				t.Errorf("HMIS all no: %q, want no_concerns", got)
			}
			allNo["work_different_from_promised"] = "yes"
			if got := waymark.ProposeConcern(hmis, allNo); got != waymark.ConcernSuspected {
				t.Errorf("HMIS one yes: %q, want suspected", got)
			}
			none := map[string]string{}
			for _, q := range ilo.Questions {
				none[q.Key] = "not_observed"
			}
			if got := waymark.ProposeConcern(ilo, none); got != waymark.ConcernNone {
				t.Errorf("ILO none observed: %q, want no_concerns", got)
			}
			none["debt_bondage"] = "observed"
			if got := waymark.ProposeConcern(ilo, none); got != waymark.ConcernSuspected {
				t.Errorf("ILO one observed: %q, want suspected", got)
			}
		})
		t.Run("a new version of a set replaces the old in the list", func(t *testing.T) {
			exec(t, e.raw(t), `INSERT INTO question_sets (id, key, version, name, questions, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				"ilo-forced-labour-v2", "ilo-forced-labour", 2, "ILO indicators, revised",
				`[{"key":"deception","text":"Deception","answers":["observed","not_observed"],"concern":["observed"]}]`, time.Now().UTC())
			sets, err := svc.FindQuestionSets(ctx, worker)
			mustOK(t, err)
			if len(sets) != 2 || sets[1].ID != "ilo-forced-labour-v2" || sets[1].Version != 2 || len(sets[1].Questions) != 1 {
				t.Errorf("after adding version 2 the sets are %+v", sets)
			}
		})
		t.Run("a role that sees no records is refused", func(t *testing.T) {
			o := e.org(t, "Analysts", false)
			_, analyst := e.user(t, o, waymark.RoleAnalyst)
			_, err := svc.FindQuestionSets(ctx, analyst)
			wantCode(t, err, waymark.EFORBIDDEN)
		})
	})
}

func TestScreenings(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewScreeningService(e.db)
		mine := e.org(t, "Screening Outreach", false)
		workerUser, worker := e.user(t, mine, waymark.RoleFrontline)
		_, lead := e.user(t, mine, waymark.RoleSafeguardingLead)
		_, analyst := e.user(t, mine, waymark.RoleAnalyst)
		_, stranger := e.frontline(t, "Screening Hostel")
		c := &waymark.Client{GivenName: "Ilie", FamilyName: "Moraru"}
		mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))

		first := e.clock.Now()
		hmisAnswers := map[string]string{"exchange_sex": "no", "made_to_have_sex": "no", "afraid_to_leave_work": "yes",
			"work_different_from_promised": "yes", "forced_to_continue": "yes", "work_past_3_months": "client_doesnt_know", "exchange_sex_times": ""}
		var recorded *waymark.Screening
		t.Run("recording proposes a status and leaves the client's status alone", func(t *testing.T) {
			var err error
			recorded, err = svc.RecordScreening(ctx, worker, c.ID, "hmis-trafficking-v1", hmisAnswers, screeningNotesMarker)
			mustOK(t, err)
			if recorded.ProposedStatus != waymark.ConcernSuspected || recorded.SetKey != "hmis-trafficking" || recorded.SetVersion != 1 || recorded.ID == "" {
				t.Errorf("recorded %+v, want suspected from hmis-trafficking v1", recorded)
			}
			stored, err := e.clients.FindClientByID(ctx, worker, c.ID)
			mustOK(t, err)
			if stored.ConcernStatus != waymark.ConcernNotYetAsked {
				t.Errorf("client status after screening = %q, want it unchanged until the worker confirms", stored.ConcernStatus)
			}
		})
		e.clock.Advance(time.Hour)
		second := e.clock.Now()
		iloAnswers := map[string]string{"deception": "not_observed", "isolation": "not_known"}
		t.Run("a second screening with another set is recorded", func(t *testing.T) {
			sc, err := svc.RecordScreening(ctx, lead, c.ID, "ilo-forced-labour-v1", iloAnswers, "")
			mustOK(t, err)
			if sc.ProposedStatus != waymark.ConcernNotYetAsked {
				t.Errorf("partial ILO screening proposed %q, want not_yet_asked", sc.ProposedStatus)
			}
		})
		t.Run("screenings read back newest first with every answer", func(t *testing.T) {
			got, err := svc.FindScreenings(ctx, worker, c.ID)
			mustOK(t, err)
			if len(got) != 2 {
				t.Fatalf("%d screenings, want 2", len(got))
			}
			if got[0].SetID != "ilo-forced-labour-v1" || !got[0].AskedAt.Equal(second) || got[0].Notes != "" {
				t.Errorf("newest screening %+v, want the ILO one at %v", got[0], second)
			}
			if diff := cmp.Diff(iloAnswers, got[0].Answers); diff != "" {
				t.Errorf("ILO answers (-want +got):\n%s", diff)
			}
			old := got[1]
			wantAnswers := map[string]string{}
			for k, v := range hmisAnswers {
				if v != "" {
					wantAnswers[k] = v
				}
			}
			want := &waymark.Screening{ID: recorded.ID, ClientID: c.ID, OrgID: mine.ID, SetID: "hmis-trafficking-v1", SetKey: "hmis-trafficking",
				SetName: recorded.SetName, SetVersion: 1, AskedBy: workerUser.ID, AskedByName: workerUser.Name, AskedAt: first,
				Answers: wantAnswers, Notes: screeningNotesMarker, ProposedStatus: waymark.ConcernSuspected}
			if diff := cmp.Diff(want, old); diff != "" {
				t.Errorf("HMIS screening read back (-want +got):\n%s", diff)
			}
		})
		t.Run("wrong answers are refused and nothing is stored", func(t *testing.T) {
			_, err := svc.RecordScreening(ctx, worker, c.ID, "hmis-trafficking-v1", map[string]string{"exchange_sex": "observed"}, "")
			wantCode(t, err, waymark.EINVALID)
			_, err = svc.RecordScreening(ctx, worker, c.ID, "hmis-trafficking-v1", map[string]string{}, "")
			wantCode(t, err, waymark.EINVALID)
			_, err = svc.RecordScreening(ctx, worker, c.ID, "no-such-set", map[string]string{"exchange_sex": "no"}, "")
			wantCode(t, err, waymark.EINVALID)
			if diff := cmp.Diff([]string{"set_id"}, keys(waymark.ErrorFields(err))); diff != "" {
				t.Errorf("unknown set: fields (-want +got):\n%s", diff)
			}
			got, err := svc.FindScreenings(ctx, worker, c.ID)
			mustOK(t, err)
			if len(got) != 2 {
				t.Errorf("%d screenings after refused ones, want 2", len(got))
			}
		})
		t.Run("another organisation's worker does not find the client", func(t *testing.T) {
			_, err := svc.RecordScreening(ctx, stranger, c.ID, "hmis-trafficking-v1", map[string]string{"exchange_sex": "no"}, "")
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = svc.FindScreenings(ctx, stranger, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
		})
		t.Run("an analyst may neither record nor read screenings", func(t *testing.T) {
			_, err := svc.RecordScreening(ctx, analyst, c.ID, "hmis-trafficking-v1", map[string]string{"exchange_sex": "no"}, "")
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = svc.FindScreenings(ctx, analyst, c.ID)
			wantCode(t, err, waymark.EFORBIDDEN)
		})
		t.Run("recording and reading are audited without answers or notes", func(t *testing.T) {
			rec := e.entriesFor(t, mine.ID, waymark.AuditScreeningRecorded)
			if len(rec) != 2 {
				t.Fatalf("%d screening.recorded entries, want 2", len(rec))
			}
			if rec[0].ObjectID != c.ID || !strings.Contains(rec[0].Detail, "hmis-trafficking v1, proposed suspected") {
				t.Errorf("first screening.recorded entry: object %q, detail %q", rec[0].ObjectID, rec[0].Detail)
			}
			if n := len(e.entriesFor(t, mine.ID, waymark.AuditScreeningsViewed)); n != 2 {
				t.Errorf("%d screening.list_viewed entries, want 2 (refused reads are not recorded as reads)", n)
			}
			noNames(t, e.auditEntries(t, waymark.AuditFilter{OrgID: mine.ID}), "MARKER", "van", "Ilie", "Moraru", "client_doesnt_know")
		})
		t.Run("the stored notes are sealed", func(t *testing.T) {
			var notes []byte
			mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT notes FROM screenings WHERE id = $1`, recorded.ID).Scan(&notes))
			if !bytes.HasPrefix(notes, []byte("wms1")) || bytes.Contains(notes, []byte("MARKER")) {
				t.Errorf("stored notes %q are not sealed", notes)
			}
		})
	})
}

func TestScreeningNotesSealedSQLiteFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	_, actor := e.frontline(t, "Screening File Outreach")
	c := &waymark.Client{GivenName: givenName, FamilyName: "Quist"}
	mustOK(t, e.clients.CreateClient(ctx, actor, c, nil))
	_, err := sqldb.NewScreeningService(e.db).RecordScreening(ctx, actor, c.ID, "hmis-trafficking-v1", map[string]string{"exchange_sex": "yes"}, screeningNotesMarker)
	mustOK(t, err)
	mustOK(t, e.db.Close())
	stored := sqliteBytes(t, e.cfg.DataDir)
	if !bytes.Contains(stored, []byte(givenName)) {
		t.Fatal("the unsealed given name is not in the database files: the check reads the wrong files")
	}
	if bytes.Contains(stored, []byte("SCREENING-MARKER")) {
		t.Error("the database files hold the screening notes in plain text")
	}
}
