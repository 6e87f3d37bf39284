package sqldb_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

// reasonMarker is a concern reason that must never be stored in clear.
const reasonMarker = "REASON-MARKER-c41b07-said-his-passport-was-kept"

// fullClient is a client with every field the record holds set: a date of birth (so no estimated
// age) and nationalities (so no nationality answer), which are either-or.
func fullClient(workerID string) *waymark.Client {
	return &waymark.Client{
		Reference:               "CASE-042",
		GivenName:               "Ileana",
		FamilyName:              "Dumitrescu",
		KnownAs:                 []string{"Lena", "Ana Dumi"},
		DateOfBirth:             "1994-03-17",
		AgeDisputed:             true,
		Gender:                  waymark.GenderFemale,
		Nationalities:           []string{"RO", "MD"},
		Languages:               []string{"ro", "en", "rom"},
		InterpreterNeeded:       waymark.AnswerYes,
		CommunicationAidNeeded:  waymark.AnswerNo,
		ImmigrationStatus:       waymark.ImmigrationStatus("pre_settled"),
		NoRecourseToPublicFunds: waymark.AnswerNotKnown,
		DependentChildren:       waymark.AnswerPrefersNotToSay,
		Contacts: []waymark.Contact{
			{Kind: "phone", Value: "07700 900456", SafeToContact: waymark.AnswerNo},
			{Kind: "email", Value: "lena@example.org", SafeToContact: waymark.AnswerYes},
			{Kind: "address", Value: "c/o Day Centre, 1 High Street", SafeToContact: waymark.AnswerNotKnown},
		},
		Situation:        waymark.Situation("hostel"),
		SupportNeeds:     []waymark.SupportNeed{"mental_health", "physical_health"},
		ConcernStatus:    waymark.ConcernSuspected,
		AssignedWorkerID: workerID,
		Notes:            "Met at the night shelter.\nSecond line of notes.",
	}
}

// clientIDs lists the clients' IDs in order.
func clientIDs(list []*waymark.Client) []string {
	out := []string{}
	for _, c := range list {
		out = append(out, c.ID)
	}
	return out
}

// matchIDs lists the IDs of possible matches in order.
func matchIDs(list []waymark.PossibleMatch) []string {
	out := []string{}
	for _, m := range list {
		out = append(out, m.Client.ID)
	}
	return out
}

// entriesFor lists an organisation's audit entries with the action, oldest first.
func (e *env) entriesFor(t *testing.T, orgID, action string) []*waymark.AuditEntry {
	t.Helper()
	var out []*waymark.AuditEntry
	for _, x := range e.auditEntries(t, waymark.AuditFilter{OrgID: orgID}) {
		if x.Action == action {
			out = append(out, x)
		}
	}
	return out
}

// noNames fails the test when an audit entry's detail holds any of the names. The match is
// case-sensitive: IDs are lower-case letters and digits, so a capitalised name never occurs in one.
func noNames(t *testing.T, entries []*waymark.AuditEntry, names ...string) {
	t.Helper()
	for _, x := range entries {
		for _, n := range names {
			if strings.Contains(x.Detail, n) {
				t.Errorf("audit entry %d (%s) holds the name %q: %q", x.Seq, x.Action, n, x.Detail)
			}
		}
	}
}

func TestClientRecordRoundTrip(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		org, worker := e.frontline(t, "Round Trip Outreach")
		assigned, _ := e.user(t, org, waymark.RoleSafeguardingLead)

		t.Run("a client with every field set reads back exactly, at version 1", func(t *testing.T) {
			c := fullClient(assigned.ID)
			mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))
			got, err := e.clients.FindClientByID(ctx, worker, c.ID)
			mustOK(t, err)
			want := fullClient(assigned.ID)
			now := e.clock.Now()
			want.ID, want.OrgID, want.Version, want.CreatedBy, want.CreatedAt, want.UpdatedAt = c.ID, org.ID, 1, worker.UserID, now, now
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("FindClientByID (-want +got):\n%s", diff)
			}
			if c.Version != 1 {
				t.Errorf("CreateClient left Version %d, want 1", c.Version)
			}
		})
		t.Run("an estimated age and a nationality answer read back exactly", func(t *testing.T) {
			c := &waymark.Client{KnownAs: []string{"Tiny"}, EstimatedAge: 17, AgeDisputed: true, Gender: waymark.GenderNotKnown,
				NationalityAnswer: waymark.AnswerPrefersNotToSay, ImmigrationStatus: waymark.ImmigrationStatus("not_known"),
				Situation: waymark.Situation("rough_sleeping")}
			mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))
			got, err := e.clients.FindClientByID(ctx, worker, c.ID)
			mustOK(t, err)
			now := e.clock.Now()
			want := &waymark.Client{ID: c.ID, OrgID: org.ID, Version: 1, KnownAs: []string{"Tiny"}, EstimatedAge: 17, AgeDisputed: true,
				Gender: waymark.GenderNotKnown, NationalityAnswer: waymark.AnswerPrefersNotToSay,
				ImmigrationStatus: waymark.ImmigrationStatus("not_known"), Situation: waymark.Situation("rough_sleeping"),
				ConcernStatus: waymark.ConcernNotYetAsked, CreatedBy: worker.UserID, CreatedAt: now, UpdatedAt: now}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("FindClientByID (-want +got):\n%s", diff)
			}
		})
	})
}

func TestClientValidation(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		_, worker := e.frontline(t, "Validation Outreach")
		for _, tc := range []struct {
			name  string
			edit  func(c *waymark.Client)
			field string
		}{
			{"a month that does not exist is refused", func(c *waymark.Client) { c.DateOfBirth = "1990-13-01" }, "date_of_birth"},
			{"a date of birth in the future is refused", func(c *waymark.Client) { c.DateOfBirth = "2999" }, "date_of_birth"},
			{"a date of birth that is not a date is refused", func(c *waymark.Client) { c.DateOfBirth = "abc" }, "date_of_birth"},
			{"an estimated age as well as a date of birth is refused", func(c *waymark.Client) { c.DateOfBirth, c.EstimatedAge = "1990", 35 }, "estimated_age"},
			{"an unknown gender is refused", func(c *waymark.Client) { c.Gender = "robot" }, "gender"},
			{"an unknown situation is refused", func(c *waymark.Client) { c.Situation = "tent" }, "situation"},
			{"an unknown immigration status is refused", func(c *waymark.Client) { c.ImmigrationStatus = "illegal" }, "immigration_status"},
			{"an unknown answer is refused", func(c *waymark.Client) { c.InterpreterNeeded = "maybe" }, "interpreter_needed"},
			{"an unknown answer about public funds is refused", func(c *waymark.Client) { c.NoRecourseToPublicFunds = "sometimes" }, "nrpf"},
			{"a yes as the nationality answer is refused", func(c *waymark.Client) { c.NationalityAnswer = waymark.AnswerYes }, "nationality_answer"},
			{"a three-letter country code is refused", func(c *waymark.Client) { c.Nationalities = []string{"GBR"} }, "nationalities"},
			{"a language name instead of a code is refused", func(c *waymark.Client) { c.Languages = []string{"english"} }, "languages"},
			{"an empty contact value is refused", func(c *waymark.Client) {
				c.Contacts = []waymark.Contact{{Kind: "phone", Value: "07700 900111"}, {Kind: "email", Value: "  "}}
			}, "contacts.1"},
			{"a line break in another name is refused", func(c *waymark.Client) { c.KnownAs = []string{"Little\nBird"} }, "known_as"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := &waymark.Client{GivenName: "Valid", FamilyName: "Person"}
				tc.edit(c)
				err := e.clients.CreateClient(ctx, worker, c, nil)
				wantCode(t, err, waymark.EINVALID)
				if diff := cmp.Diff([]string{tc.field}, keys(waymark.ErrorFields(err))); diff != "" {
					t.Errorf("fields with errors (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("nothing invalid was stored", func(t *testing.T) {
			list, total, err := e.clients.FindClients(ctx, worker, waymark.ClientFilter{})
			mustOK(t, err)
			if total != 0 || len(list) != 0 {
				t.Errorf("FindClients found %d (total %d) after only invalid creations", len(list), total)
			}
		})
	})
}

func TestUpdateClient(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		mine, theirs := e.org(t, "Update Outreach", false), e.org(t, "Update Hostel", false)
		workerUser, worker := e.user(t, mine, waymark.RoleFrontline)
		_, lead := e.user(t, mine, waymark.RoleSafeguardingLead)
		_, analyst := e.user(t, mine, waymark.RoleAnalyst)
		_, orgAdmin := e.user(t, mine, waymark.RoleOrgAdmin)
		theirWorker, stranger := e.user(t, theirs, waymark.RoleFrontline)

		c := fullClient(workerUser.ID)
		mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))
		read := func(t *testing.T) *waymark.Client {
			t.Helper()
			got, err := e.clients.FindClientByID(ctx, worker, c.ID)
			mustOK(t, err)
			return got
		}
		updates := 0

		t.Run("an update changes the fields and bumps the version", func(t *testing.T) {
			e.clock.Advance(time.Hour)
			next := *read(t)
			next.GivenName, next.KnownAs, next.Situation = "Ileanna", []string{"Lena"}, "supported_housing"
			next.Contacts = []waymark.Contact{{Kind: "phone", Value: "07700 900999", SafeToContact: waymark.AnswerYes}}
			got, err := e.clients.UpdateClient(ctx, worker, c.ID, waymark.ClientUpdate{Version: 1, Client: next})
			mustOK(t, err)
			updates++
			want := next
			want.Version, want.UpdatedAt = 2, e.clock.Now()
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("UpdateClient returned (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(&want, read(t)); diff != "" {
				t.Errorf("FindClientByID after update (-want +got):\n%s", diff)
			}
		})
		t.Run("an update based on an old version conflicts and names what changed", func(t *testing.T) {
			before := read(t)
			stale := *before
			stale.Version = 1
			stale.GivenName = "Ileana" // as it was at version 1
			_, err := e.clients.UpdateClient(ctx, lead, c.ID, waymark.ClientUpdate{Version: 1, Client: stale})
			wantCode(t, err, waymark.ECONFLICT)
			if msg := waymark.ErrorMessage(err); !strings.Contains(msg, "differs from yours in: name.") {
				t.Errorf("conflict message %q does not name the changed name", msg)
			}
			if msg := waymark.ErrorMessage(err); strings.Contains(msg, "Ileana") || strings.Contains(msg, "Ileanna") {
				t.Errorf("conflict message %q holds a name", msg)
			}
			if diff := cmp.Diff(before, read(t)); diff != "" {
				t.Errorf("a conflicting update changed the record (-before +after):\n%s", diff)
			}
		})
		t.Run("another organisation's frontline worker does not find the client to update", func(t *testing.T) {
			before := read(t)
			next := *before
			next.Notes = "planted"
			_, err := e.clients.UpdateClient(ctx, stranger, c.ID, waymark.ClientUpdate{Version: before.Version, Client: next})
			wantCode(t, err, waymark.ENOTFOUND)
			if diff := cmp.Diff(before, read(t)); diff != "" {
				t.Errorf("another organisation's update changed the record (-before +after):\n%s", diff)
			}
		})
		t.Run("roles that do not edit client records do not find the client to update", func(t *testing.T) {
			before := read(t)
			for name, a := range map[string]waymark.Actor{"analyst": analyst, "org_admin": orgAdmin} {
				next := *before
				next.Notes = "planted by " + name
				_, err := e.clients.UpdateClient(ctx, a, c.ID, waymark.ClientUpdate{Version: before.Version, Client: next})
				if waymark.ErrorCode(err) != waymark.ENOTFOUND {
					t.Errorf("%s: UpdateClient error = %v, want not found", name, err)
				}
			}
			if diff := cmp.Diff(before, read(t)); diff != "" {
				t.Errorf("a refused update changed the record (-before +after):\n%s", diff)
			}
		})
		t.Run("the concern status does not change through an update", func(t *testing.T) {
			before := read(t)
			next := *before
			next.ConcernStatus, next.Reference = waymark.ConcernConfirmed, "CASE-043"
			got, err := e.clients.UpdateClient(ctx, lead, c.ID, waymark.ClientUpdate{Version: before.Version, Client: next})
			mustOK(t, err)
			updates++
			if got.ConcernStatus != waymark.ConcernSuspected {
				t.Errorf("UpdateClient returned concern status %q, want %q", got.ConcernStatus, waymark.ConcernSuspected)
			}
			after := read(t)
			if after.ConcernStatus != waymark.ConcernSuspected || after.Reference != "CASE-043" {
				t.Errorf("after update: concern status %q, reference %q; want %q, CASE-043", after.ConcernStatus, after.Reference, waymark.ConcernSuspected)
			}
			history, err := e.clients.FindConcernHistory(ctx, worker, c.ID)
			mustOK(t, err)
			if len(history) != 1 {
				t.Errorf("concern history has %d changes after an update, want only the one recorded at creation", len(history))
			}
		})
		t.Run("an assigned worker from another organisation is refused", func(t *testing.T) {
			before := read(t)
			next := *before
			next.AssignedWorkerID = theirWorker.ID
			_, err := e.clients.UpdateClient(ctx, worker, c.ID, waymark.ClientUpdate{Version: before.Version, Client: next})
			wantCode(t, err, waymark.EINVALID)
			if diff := cmp.Diff([]string{"assigned_worker_id"}, keys(waymark.ErrorFields(err))); diff != "" {
				t.Errorf("fields with errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, read(t)); diff != "" {
				t.Errorf("a refused update changed the record (-before +after):\n%s", diff)
			}
			err = e.clients.CreateClient(ctx, worker, &waymark.Client{GivenName: "Assigned", AssignedWorkerID: theirWorker.ID}, nil)
			wantCode(t, err, waymark.EINVALID)
			if diff := cmp.Diff([]string{"assigned_worker_id"}, keys(waymark.ErrorFields(err))); diff != "" {
				t.Errorf("CreateClient fields with errors (-want +got):\n%s", diff)
			}
		})
		t.Run("updates are audited with what changed and without names", func(t *testing.T) {
			entries := e.entriesFor(t, mine.ID, waymark.AuditClientUpdated)
			var details []string
			for _, x := range entries {
				if x.ObjectID != c.ID || x.ObjectType != "client" {
					t.Errorf("client.updated entry = %+v", x)
				}
				details = append(details, x.Detail)
			}
			want := []string{"changed: name, other names, contact details, where they are living", "changed: reference"}
			if diff := cmp.Diff(want, details); diff != "" || len(entries) != updates {
				t.Errorf("client.updated details (-want +got):\n%s", diff)
			}
			noNames(t, e.auditEntries(t, waymark.AuditFilter{OrgID: mine.ID}), "Ileana", "Ileanna", "Dumitrescu", "Lena", "07700")
		})
	})
}

func TestConcernStatus(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		mine := e.org(t, "Concern Outreach", false)
		workerUser, worker := e.user(t, mine, waymark.RoleFrontline)
		leadUser, lead := e.user(t, mine, waymark.RoleSafeguardingLead)
		_, stranger := e.frontline(t, "Concern Hostel")

		created := e.clock.Now()
		c := &waymark.Client{GivenName: "Tomasz", FamilyName: "Wrona"}
		mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))

		t.Run("creating a client records its initial status in the history", func(t *testing.T) {
			suspected := &waymark.Client{GivenName: "Created", FamilyName: "Suspected", ConcernStatus: waymark.ConcernSuspected}
			mustOK(t, e.clients.CreateClient(ctx, lead, suspected, nil))
			got, err := e.clients.FindConcernHistory(ctx, worker, suspected.ID)
			mustOK(t, err)
			want := []waymark.ConcernChange{{At: created, Status: waymark.ConcernSuspected, ByUserID: leadUser.ID, ByName: leadUser.Name,
				Reason: "recorded when the client was added"}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("FindConcernHistory (-want +got):\n%s", diff)
			}
		})
		t.Run("changes are recorded, dated and attributed, newest first", func(t *testing.T) {
			e.clock.Advance(time.Hour)
			first := e.clock.Now()
			got, err := e.clients.SetConcernStatus(ctx, worker, c.ID, waymark.ConcernSuspected, "  bruises and no ID  ")
			mustOK(t, err)
			if got.ConcernStatus != waymark.ConcernSuspected || got.Version != 2 {
				t.Errorf("SetConcernStatus returned status %q version %d, want suspected, 2", got.ConcernStatus, got.Version)
			}
			e.clock.Advance(time.Hour)
			second := e.clock.Now()
			_, err = e.clients.SetConcernStatus(ctx, lead, c.ID, waymark.ConcernDisclosed, reasonMarker)
			mustOK(t, err)

			history, err := e.clients.FindConcernHistory(ctx, worker, c.ID)
			mustOK(t, err)
			want := []waymark.ConcernChange{
				{At: second, Status: waymark.ConcernDisclosed, ByUserID: leadUser.ID, ByName: leadUser.Name, Reason: reasonMarker},
				{At: first, Status: waymark.ConcernSuspected, ByUserID: workerUser.ID, ByName: workerUser.Name, Reason: "bruises and no ID"},
				{At: created, Status: waymark.ConcernNotYetAsked, ByUserID: workerUser.ID, ByName: workerUser.Name, Reason: "recorded when the client was added"},
			}
			if diff := cmp.Diff(want, history); diff != "" {
				t.Errorf("FindConcernHistory (-want +got):\n%s", diff)
			}
			stored, err := e.clients.FindClientByID(ctx, worker, c.ID)
			mustOK(t, err)
			if stored.ConcernStatus != waymark.ConcernDisclosed || stored.Version != 3 || !stored.UpdatedAt.Equal(second) {
				t.Errorf("client after changes: status %q, version %d, updated %v; want disclosed, 3, %v",
					stored.ConcernStatus, stored.Version, stored.UpdatedAt, second)
			}
		})
		t.Run("changes and reads of the history are audited without the reason", func(t *testing.T) {
			var details []string
			for _, x := range e.entriesFor(t, mine.ID, waymark.AuditConcernChanged) {
				details = append(details, x.Detail)
			}
			if diff := cmp.Diff([]string{"concern: not_yet_asked -> suspected", "concern: suspected -> disclosed"}, details); diff != "" {
				t.Errorf("client.concern_changed details (-want +got):\n%s", diff)
			}
			if n := len(e.entriesFor(t, mine.ID, waymark.AuditConcernHistoryViewed)); n != 2 {
				t.Errorf("%d client.concern_history_viewed entries, want 2", n)
			}
			noNames(t, e.auditEntries(t, waymark.AuditFilter{OrgID: mine.ID}), "MARKER", "bruises", "Tomasz", "Wrona")
		})
		t.Run("an unknown status is refused and changes nothing", func(t *testing.T) {
			for _, status := range []waymark.ConcernStatus{"worried", ""} {
				_, err := e.clients.SetConcernStatus(ctx, worker, c.ID, status, "why")
				wantCode(t, err, waymark.EINVALID)
				if diff := cmp.Diff([]string{"concern_status"}, keys(waymark.ErrorFields(err))); diff != "" {
					t.Errorf("status %q: fields with errors (-want +got):\n%s", status, diff)
				}
			}
			history, err := e.clients.FindConcernHistory(ctx, worker, c.ID)
			mustOK(t, err)
			if len(history) != 3 {
				t.Errorf("history has %d changes after refused ones, want 3", len(history))
			}
		})
		t.Run("another organisation's worker does not find the client", func(t *testing.T) {
			_, err := e.clients.SetConcernStatus(ctx, stranger, c.ID, waymark.ConcernNone, "planted")
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = e.clients.FindConcernHistory(ctx, stranger, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			stored, err := e.clients.FindClientByID(ctx, worker, c.ID)
			mustOK(t, err)
			if stored.ConcernStatus != waymark.ConcernDisclosed {
				t.Errorf("status after another organisation's change = %q, want disclosed", stored.ConcernStatus)
			}
		})
		t.Run("the stored reason holds no plain text", func(t *testing.T) {
			rows, err := e.raw(t).QueryContext(ctx, `SELECT reason FROM client_concern_changes WHERE client_id = $1`, c.ID)
			mustOK(t, err)
			defer rows.Close()
			n := 0
			for rows.Next() {
				var reason []byte
				mustOK(t, rows.Scan(&reason))
				n++
				if !bytes.HasPrefix(reason, []byte("wms1")) {
					t.Errorf("reason %q is not a sealed value", reason)
				}
				if bytes.Contains(reason, []byte("MARKER")) || bytes.Contains(reason, []byte("bruises")) {
					t.Errorf("a reason is stored in plain text: %q", reason)
				}
			}
			mustOK(t, rows.Err())
			if n != 3 {
				t.Errorf("%d stored reasons, want 3", n)
			}
		})
	})
}

func TestConcernReasonSealedSQLiteFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	_, actor := e.frontline(t, "Reason File Outreach")
	c := &waymark.Client{GivenName: givenName, FamilyName: "Quist"}
	mustOK(t, e.clients.CreateClient(ctx, actor, c, nil))
	_, err := e.clients.SetConcernStatus(ctx, actor, c.ID, waymark.ConcernSuspected, reasonMarker)
	mustOK(t, err)
	mustOK(t, e.db.Close())
	stored := sqliteBytes(t, e.cfg.DataDir)
	if !bytes.Contains(stored, []byte(givenName)) {
		t.Fatal("the unsealed given name is not in the database files: the check reads the wrong files")
	}
	if bytes.Contains(stored, []byte("MARKER")) {
		t.Error("the database files hold the concern reason in plain text")
	}
}

func TestClientFilters(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		mine := e.org(t, "Filter Outreach", false)
		assignedUser, worker := e.user(t, mine, waymark.RoleFrontline)
		_, other := e.user(t, mine, waymark.RoleManager)

		// Listed in name order: Adebayo, Brennan, Costa.
		a := &waymark.Client{GivenName: "Kemi", FamilyName: "Adebayo", Situation: "hostel", AssignedWorkerID: assignedUser.ID}
		b := &waymark.Client{GivenName: "Sean", FamilyName: "Brennan", KnownAs: []string{"Sunny Jim"}, Situation: "rough_sleeping"}
		c := &waymark.Client{GivenName: "Rui", FamilyName: "Costa", Situation: "hostel", AssignedWorkerID: assignedUser.ID}
		for _, x := range []*waymark.Client{a, b, c} {
			mustOK(t, e.clients.CreateClient(ctx, worker, x, nil))
		}
		_, err := e.clients.SetConcernStatus(ctx, worker, a.ID, waymark.ConcernSuspected, "")
		mustOK(t, err)
		_, err = e.clients.SetConcernStatus(ctx, other, c.ID, waymark.ConcernNone, "")
		mustOK(t, err)

		for _, tc := range []struct {
			name   string
			filter waymark.ClientFilter
			want   []*waymark.Client
		}{
			{"the concern status filter keeps clients with that status", waymark.ClientFilter{ConcernStatus: waymark.ConcernSuspected}, []*waymark.Client{a}},
			{"the situation filter keeps clients living there", waymark.ClientFilter{Situation: "hostel"}, []*waymark.Client{a, c}},
			{"the assigned worker filter keeps that worker's clients", waymark.ClientFilter{AssignedWorkerID: assignedUser.ID}, []*waymark.Client{a, c}},
			{"the not recorded filter keeps clients never asked about a concern", waymark.ClientFilter{NotRecorded: true}, []*waymark.Client{b}},
			{"filters combine", waymark.ClientFilter{Situation: "hostel", ConcernStatus: waymark.ConcernNone}, []*waymark.Client{c}},
			{"a search finds a client by a word of another name", waymark.ClientFilter{Name: "SUNNY"}, []*waymark.Client{b}},
			{"a filter nobody matches lists nobody", waymark.ClientFilter{Situation: "own_tenancy"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				list, total, err := e.clients.FindClients(ctx, worker, tc.filter)
				mustOK(t, err)
				if diff := cmp.Diff(clientIDs(tc.want), clientIDs(list)); diff != "" || total != len(tc.want) {
					t.Errorf("FindClients(%+v): total %d (-want +got):\n%s", tc.filter, total, diff)
				}
			})
		}
		t.Run("a list is audited with the IDs shown and no names", func(t *testing.T) {
			for _, tc := range []struct {
				filter waymark.ClientFilter
				want   string
			}{
				{waymark.ClientFilter{Situation: "hostel"}, "filtered by situation; shown: " + a.ID + " " + c.ID},
				{waymark.ClientFilter{Name: "Kemi"}, "filtered by name; shown: " + a.ID},
				{waymark.ClientFilter{}, "shown: " + a.ID + " " + b.ID + " " + c.ID},
			} {
				_, _, err := e.clients.FindClients(ctx, worker, tc.filter)
				mustOK(t, err)
				entries := e.entriesFor(t, mine.ID, waymark.AuditClientListViewed)
				if last := entries[len(entries)-1]; last.Detail != tc.want || last.ObjectType != "client" {
					t.Errorf("FindClients(%+v) entry = %+v, want detail %q", tc.filter, last, tc.want)
				}
			}
			noNames(t, e.auditEntries(t, waymark.AuditFilter{OrgID: mine.ID}), "Kemi", "Adebayo", "Sean", "Brennan", "Sunny", "Rui", "Costa")
		})
		t.Run("a search of several words needs every word to match", func(t *testing.T) {
			list, total, err := e.clients.FindClients(ctx, worker, waymark.ClientFilter{Name: "Kemi Costa"})
			mustOK(t, err)
			if len(list) != 0 || total != 0 {
				t.Errorf("search %q lists %v (total %d), want nobody", "Kemi Costa", names(list), total)
			}
		})
	})
}

func TestFindPossibleMatches(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		mine := e.org(t, "Match Outreach", false)
		_, worker := e.user(t, mine, waymark.RoleFrontline)
		_, stranger := e.frontline(t, "Match Hostel")

		marta := &waymark.Client{GivenName: "Marta", FamilyName: "Kowalczyk", KnownAs: []string{"Little Bird"}}
		mustOK(t, e.clients.CreateClient(ctx, worker, marta, nil))
		mustOK(t, e.clients.CreateClient(ctx, worker, &waymark.Client{GivenName: "Jan", FamilyName: "Nowak"}, nil))
		theirs := &waymark.Client{GivenName: "Marta", FamilyName: "Kowalczyk", KnownAs: []string{"Little Bird"}}
		mustOK(t, e.clients.CreateClient(ctx, stranger, theirs, nil))

		for _, tc := range []struct {
			name  string
			probe waymark.Client
		}{
			{"a word of another name finds the client", waymark.Client{KnownAs: []string{"bird"}}},
			{"the given name in another case finds the client", waymark.Client{GivenName: "MARTA"}},
			{"the full name finds the client", waymark.Client{GivenName: "marta", FamilyName: "KOWALCZYK"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := e.clients.FindPossibleMatches(ctx, worker, tc.probe)
				mustOK(t, err)
				if diff := cmp.Diff([]string{marta.ID}, matchIDs(got)); diff != "" {
					t.Fatalf("possible matches (-want +got):\n%s", diff)
				}
				if got[0].Score < 0.5 || got[0].Score > 1 {
					t.Errorf("score = %v, want between the threshold and 1", got[0].Score)
				}
			})
		}
		t.Run("another organisation's clients are not matched", func(t *testing.T) {
			got, err := e.clients.FindPossibleMatches(ctx, stranger, waymark.Client{GivenName: "Marta", FamilyName: "Kowalczyk"})
			mustOK(t, err)
			if diff := cmp.Diff([]string{theirs.ID}, matchIDs(got)); diff != "" {
				t.Errorf("possible matches (-want +got):\n%s", diff)
			}
		})
		t.Run("a name nobody has matches nobody", func(t *testing.T) {
			got, err := e.clients.FindPossibleMatches(ctx, worker, waymark.Client{GivenName: "Zygmunt"})
			mustOK(t, err)
			if len(got) != 0 {
				t.Errorf("possible matches = %v, want none", matchIDs(got))
			}
		})
		t.Run("a probe without a name is refused", func(t *testing.T) {
			before := len(e.entriesFor(t, mine.ID, waymark.AuditClientMatchSearch))
			for _, probe := range []waymark.Client{{}, {GivenName: "  ", KnownAs: []string{" "}}} {
				_, err := e.clients.FindPossibleMatches(ctx, worker, probe)
				wantCode(t, err, waymark.EINVALID)
				if diff := cmp.Diff([]string{"given_name"}, keys(waymark.ErrorFields(err))); diff != "" {
					t.Errorf("fields with errors (-want +got):\n%s", diff)
				}
			}
			if after := len(e.entriesFor(t, mine.ID, waymark.AuditClientMatchSearch)); after != before {
				t.Errorf("refused searches wrote %d audit entries", after-before)
			}
		})
		t.Run("a search is audited with the matches shown and no names", func(t *testing.T) {
			_, err := e.clients.FindPossibleMatches(ctx, worker, waymark.Client{GivenName: "Marta"})
			mustOK(t, err)
			entries := e.entriesFor(t, mine.ID, waymark.AuditClientMatchSearch)
			if len(entries) != 5 {
				t.Errorf("%d client.match_search entries, want 5", len(entries))
			}
			last := entries[len(entries)-1]
			if want := "possible matches shown: " + marta.ID; last.Detail != want || last.ObjectType != "client" {
				t.Errorf("match search entry = %+v, want detail %q", last, want)
			}
			noNames(t, entries, "Marta", "Kowalczyk", "Bird", "Zygmunt")
		})
		t.Run("adding a client after seeing matches records the matches shown", func(t *testing.T) {
			added := &waymark.Client{GivenName: "Marta", FamilyName: "Kowalska"}
			mustOK(t, e.clients.CreateClient(ctx, worker, added, []string{marta.ID}))
			var detail string
			for _, x := range e.entriesFor(t, mine.ID, waymark.AuditClientCreated) {
				if x.ObjectID == added.ID {
					detail = x.Detail
				}
			}
			if want := "added anyway after possible matches were shown: " + marta.ID; detail != want {
				t.Errorf("client.created detail = %q, want %q", detail, want)
			}
		})
	})
}
