package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"waymark"
	"waymark/internal/demo"
	"waymark/sqldb"
)

// markedShare is a client's record the permission test shares from one demo organisation with the
// next, in one of the sharing states. Its marker is in the client's name and the exploitation
// episode shared; the client's reference and notes carry the owner's own marker, never shared.
// The active share lets the partner add to the record: note is the marker of the note it added,
// for the owner's and the partner's eyes only.
type markedShare struct {
	id, clientID, from, to, marker, note string
	state                                waymark.ShareState
}

// addMarkedShares shares, from each organisation whose staff see clients, six clients' records with
// other such organisations under an agreement in force and with consent: one share of the whole
// record left active, and five of who they are and their history that then stop: one revoked, one
// whose consent was withdrawn, one whose consent has since lapsed, one whose agreement was
// suspended and one whose agreement has since ended. The last two of those are made with the
// database's clock set back eight weeks, under a consent or an agreement that ended yesterday.
func (tr *testRegion) addMarkedShares(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	var orgs []string
	staff := map[string]map[waymark.Role]waymark.Actor{}
	for _, u := range tr.region.Users {
		if staff[u.OrgID] == nil {
			staff[u.OrgID] = map[waymark.Role]waymark.Actor{}
		}
		staff[u.OrgID][u.Role] = waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}
		if u.Role == waymark.RoleSafeguardingLead {
			orgs = append(orgs, u.OrgID)
		}
	}
	cs, es, ks, ss, as := sqldb.NewClientService(tr.db), sqldb.NewExploitationService(tr.db), sqldb.NewConsentService(tr.db), sqldb.NewShareService(tr.db),
		sqldb.NewAgreementService(tr.db)
	for i, from := range orgs {
		lead, admin := staff[from][waymark.RoleSafeguardingLead], staff[from][waymark.RoleOrgAdmin]
		// agreement records an agreement with to for the purpose, in force until endOn ("" for no end).
		agreement := func(to string, purpose waymark.SharingPurpose, endOn string) *waymark.DataSharingAgreement {
			a := &waymark.DataSharingAgreement{Title: "Permission test sharing", OrgIDs: []string{to}, Purposes: []waymark.SharingPurpose{purpose},
				LawfulBasis: waymark.BasisSafeguarding, StartOn: "2026-01-01", EndOn: endOn, ReviewOn: "2027-06-01", Status: waymark.AgreementActive}
			if err := as.CreateAgreement(ctx, admin, a); err != nil {
				t.Fatal(err)
			}
			if err := as.ConfirmAgreement(ctx, staff[to][waymark.RoleOrgAdmin], a.ID, a.Version); err != nil {
				t.Fatal(err)
			}
			return a
		}
		// share makes a marked client, with consent to sharing with to until consentEnds ("" for no
		// end), shared with to, and brings the share to state by stop. The marker names the state
		// by how, so two ways of stopping a share are two markers.
		share := func(to, how string, state waymark.ShareState, purpose waymark.SharingPurpose, sections []waymark.ShareSection, consentEnds string,
			stop func(c *waymark.Client, sh *waymark.CaseShare)) bool {
			m := "SHAREDCASE" + strings.ToUpper(how) + strings.ToUpper(from) + "X" + strings.ToUpper(to)
			c := &waymark.Client{GivenName: "Shared", FamilyName: m, EstimatedAge: 30, ConcernStatus: waymark.ConcernConfirmed,
				Reference: tr.region.Marker(from), Notes: "Not shared. " + tr.region.Marker(from)}
			if err := cs.CreateClient(ctx, lead, c, nil); err != nil {
				t.Fatal(err)
			}
			if err := es.AddEpisode(ctx, lead, c.ID, &waymark.ExploitationEpisode{Types: []string{"labour"}, Recency: "past_3_months", Narrative: "History. " + m}); err != nil {
				t.Fatal(err)
			}
			if err := ks.RecordConsent(ctx, lead, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{to}, On: waymark.Today(tr.now()), ExpiresOn: consentEnds, HowExplained: "Explained."}); err != nil {
				t.Fatal(err)
			}
			sh := &waymark.CaseShare{PartnerOrgID: to, Purpose: purpose, Sections: sections, AllowContributions: state == waymark.ShareActive}
			if err := ss.ShareCase(ctx, lead, c.ID, sh); err != nil {
				t.Fatal(err)
			}
			note := ""
			if sh.AllowContributions {
				note = "PARTNERNOTE" + strings.ToUpper(from) + "X" + strings.ToUpper(to)
				if err := ss.AddContribution(ctx, partnerStaff(staff[to]), sh.ID, &waymark.ShareContribution{Kind: waymark.ContributionNote, Text: "Seen. " + note}); err != nil {
					t.Fatal(err)
				}
			}
			if stop != nil {
				stop(c, sh)
			}
			// The test is only as good as its states: keep a share only in the state meant.
			_, states, err := ss.FindShares(ctx, lead, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if states[0] != state {
				// Another agreement covers it: take it back and try elsewhere.
				if states[0] == waymark.ShareActive {
					if err := ss.RevokeShare(ctx, lead, c.ID, sh.ID, "Not the state the test meant."); err != nil {
						t.Fatal(err)
					}
				}
				return false
			}
			tr.shares = append(tr.shares, markedShare{id: sh.ID, clientID: c.ID, from: from, to: to, marker: m, note: note, state: state})
			return true
		}
		to := orgs[(i+1)%len(orgs)]
		agreement(to, "safeguarding", "")
		partOf := []waymark.ShareSection{waymark.SectionIdentity, waymark.SectionHistory}
		// The whole record is shared, with the owner's marker in every free text that no section
		// shares: the support notes, a step's note, a milestone's note, the move-on plan's notes and
		// services, a follow-up's notes and the risk assessment's reason.
		ok := share(to, "act", waymark.ShareActive, "safeguarding", waymark.AllShareSections(), "", func(c *waymark.Client, _ *waymark.CaseShare) {
			own := tr.region.Marker(from)
			js, mo := sqldb.NewJourneyService(tr.db), sqldb.NewMoveOnService(tr.db)
			if _, err := sqldb.NewSupportService(tr.db).AddSupport(ctx, lead, c.ID, waymark.SupportAction{Type: "healthcare_gp", Start: "2026-01-05", Notes: own}); err != nil {
				t.Fatal(err)
			}
			if err := js.RecordStep(ctx, lead, c.ID, &waymark.StepRecord{Kind: waymark.StepPoliceReport, Outcome: waymark.StepDone, On: "2026-01-06", Note: own}); err != nil {
				t.Fatal(err)
			}
			if err := js.RecordMilestone(ctx, lead, c.ID, &waymark.NRMMilestone{Kind: "recovery_needs_assessment", On: "2026-01-07", Note: own}); err != nil {
				t.Fatal(err)
			}
			if _, err := es.AssessRisk(ctx, lead, c.ID, "high", own); err != nil {
				t.Fatal(err)
			}
			if err := mo.SavePlan(ctx, lead, c.ID, 0, &waymark.MoveOnPlan{SupportEndsOn: "2026-02-01", SupportServices: own, Notes: own}); err != nil {
				t.Fatal(err)
			}
			if err := mo.RecordFollowUp(ctx, lead, c.ID, 0, &waymark.FollowUp{Months: 1, Contacted: true, StableAccommodation: waymark.AnswerYes,
				RoughSleeping: waymark.AnswerNo, ReExploited: waymark.AnswerNo, InContact: waymark.AnswerYes, Notes: own}); err != nil {
				t.Fatal(err)
			}
		}) &&
			share(to, "rev", waymark.ShareRevoked, "safeguarding", partOf, "", func(c *waymark.Client, sh *waymark.CaseShare) {
				if err := ss.RevokeShare(ctx, lead, c.ID, sh.ID, "Done."); err != nil {
					t.Fatal(err)
				}
			}) &&
			share(to, "wdr", waymark.ShareConsentEnded, "safeguarding", partOf, "", func(c *waymark.Client, sh *waymark.CaseShare) {
				if err := ks.RecordConsent(ctx, lead, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
					Decision: waymark.ConsentDecisionWithdrawn, OrgIDs: []string{to}, On: waymark.Today(tr.now())}); err != nil {
					t.Fatal(err)
				}
			})
		// Consent given eight weeks ago until yesterday: it has lapsed by the time anyone reads.
		yesterday := waymark.AddDays(waymark.Today(time.Now()), -1)
		tr.inThePast(t, 8*7*24*time.Hour, func() {
			ok = ok && share(to, "lap", waymark.ShareConsentEnded, "safeguarding", partOf, yesterday, func(*waymark.Client, *waymark.CaseShare) { tr.ago.Store(0) })
		})
		if !ok {
			t.Fatal("a marked share is not in the state meant")
		}
		// A share for investigation under an agreement of its own, then suspended. The demo's
		// agreements cover investigation between some organisations: the next organisation they
		// do not is the partner.
		suspended := false
		for k := 1; k < len(orgs) && !suspended; k++ {
			to := orgs[(i+k)%len(orgs)]
			a := agreement(to, "investigation", "")
			suspended = share(to, "sus", waymark.ShareNoAgreement, "investigation", partOf, "", func(*waymark.Client, *waymark.CaseShare) {
				off := *a
				off.Status = waymark.AgreementSuspended
				if err := as.UpdateAgreement(ctx, admin, a.ID, a.Version, &off); err != nil {
					t.Fatal(err)
				}
			})
		}
		if !suspended {
			t.Fatal("no organisation to share with for investigation but under an agreement the test suspends")
		}
		// A share for investigation under an agreement that ended yesterday, made while it was in
		// force, with the next organisation no other agreement covers for that.
		ended := false
		for k := 1; k < len(orgs) && !ended; k++ {
			to := orgs[(i+k)%len(orgs)]
			tr.inThePast(t, 8*7*24*time.Hour, func() {
				agreement(to, "investigation", yesterday)
				ended = share(to, "end", waymark.ShareNoAgreement, "investigation", partOf, "", func(*waymark.Client, *waymark.CaseShare) { tr.ago.Store(0) })
			})
		}
		if !ended {
			t.Fatal("no organisation to share with for investigation but under an agreement that has ended")
		}
	}
}

// partnerStaff is a member of a partner organisation's staff who reads shared records: its
// partner user if it has one.
func partnerStaff(staff map[waymark.Role]waymark.Actor) waymark.Actor {
	for _, r := range []waymark.Role{waymark.RolePartner, waymark.RoleFrontline, waymark.RoleSafeguardingLead, waymark.RoleManager} {
		if a, ok := staff[r]; ok {
			return a
		}
	}
	panic("no member of staff reads shared records")
}

// allowShares adds the shares' markers a user may see: the owner's staff who see clients see all
// their organisation's; the partner organisation's staff who see shared records see the active
// ones only. The same holds for the note the partner added: no third organisation sees it.
func (tr *testRegion) allowShares(u demo.UserInfo, allowed map[string]bool) {
	for _, s := range tr.shares {
		owner := u.OrgID == s.from && mayViewOwnClients[u.Role]
		partner := u.OrgID == s.to && u.Role.Can(waymark.PermViewSharedClients) && s.state == waymark.ShareActive
		if owner || partner {
			allowed[s.marker] = true
			if s.note != "" {
				allowed[s.note] = true
			}
		}
	}
}

// shareMarkersFrom lists the markers of the shares an organisation made, and of the notes its
// partners added to them.
func (tr *testRegion) shareMarkersFrom(orgID string) []string {
	var out []string
	for _, s := range tr.shares {
		if s.from == orgID {
			out = append(out, s.marker)
			if s.note != "" {
				out = append(out, s.note)
			}
		}
	}
	return out
}

// shareIDs lists the marked shares' IDs, for urlsFor.
func (tr *testRegion) shareIDs() []string {
	var out []string
	for _, s := range tr.shares {
		out = append(out, s.id)
	}
	return out
}

// checkShares reads every marked share as u: only the partner organisation's staff who see shared
// records read an active share (and its marker); every other user, and every share that stopped,
// answers 404 through the page and the API (403 for an API token whose role sees no shares). The
// test can fail: a partner of an organisation with an active share must see it.
func (tr *testRegion) checkShares(t *testing.T, u demo.UserInfo, c *httpClient, token string) {
	for _, s := range tr.shares {
		may := u.OrgID == s.to && u.Role.Can(waymark.PermViewSharedClients) && s.state == waymark.ShareActive
		page, api := c.get("/shared/"+s.id), c.api("GET", "/api/v1/shared/"+s.id, token, "")
		switch {
		case may && (page.status != http.StatusOK || !strings.Contains(page.body, s.marker) || api.status != http.StatusOK || !strings.Contains(api.body, s.marker)):
			t.Errorf("%s of the partner organisation reading an active share: page %d, API %d; want both 200 with the shared history", u.Role, page.status, api.status)
		case !may && page.status != http.StatusNotFound:
			t.Errorf("%s reading a share (%s) it may not: page status %d, want 404", u.Role, s.state, page.status)
		case !may && api.status != http.StatusNotFound && api.status != http.StatusForbidden:
			t.Errorf("%s reading a share (%s) it may not through the API: status %d, want 404 or 403", u.Role, s.state, api.status)
		case may && s.note != "" && (!strings.Contains(page.body, s.note) || !strings.Contains(api.body, s.note)):
			t.Errorf("%s of the partner organisation does not see the note it added", u.Role)
		}
		// Nobody else adds to the record, through the page or the API.
		if !may {
			if r := c.post("/shared/"+s.id+"/notes", url.Values{"note": {"Sneaky"}}); r.status != http.StatusNotFound {
				t.Errorf("%s adding a note to a share (%s) it may not: status %d, want 404", u.Role, s.state, r.status)
			}
			if r := c.api("POST", "/api/v1/shared/"+s.id+"/contributions", token, `{"kind": "note", "text": "Sneaky"}`); r.status != http.StatusNotFound && r.status != http.StatusForbidden {
				t.Errorf("%s adding a note to a share (%s) it may not through the API: status %d, want 404 or 403", u.Role, s.state, r.status)
			}
		}
	}
}
