package sqldb_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

func TestConsent(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		consents := sqldb.NewConsentService(e.db)
		org := e.org(t, "Consent Hostel", false)
		police := e.org(t, "Consent Police", false)
		council := e.org(t, "Consent Council", false)
		_, worker := e.user(t, org, waymark.RoleFrontline)
		_, lead := e.user(t, org, waymark.RoleSafeguardingLead)
		_, other := e.frontline(t, "Consent Other")
		c := &waymark.Client{GivenName: "Ana", EstimatedAge: 30, ConcernStatus: waymark.ConcernDisclosed}
		mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))
		position := func(t *testing.T) waymark.ConsentPosition {
			t.Helper()
			h, err := consents.FindConsents(ctx, worker, c.ID)
			mustOK(t, err)
			return h.Position
		}
		states := func(p waymark.ConsentPosition) map[string]waymark.ConsentState {
			out := map[string]waymark.ConsentState{}
			for _, s := range p.Purposes {
				out[string(s.Purpose)] = s.State
			}
			for _, s := range p.Sharing {
				out["sharing with "+s.OrgName] = s.State
			}
			return out
		}

		t.Run("nothing recorded is not asked, and the client counts in statistics", func(t *testing.T) {
			want := map[string]waymark.ConsentState{"support": waymark.StateNotAsked, "referral": waymark.StateNotAsked, "statistics": waymark.StateNotAsked}
			if diff := cmp.Diff(want, states(position(t))); diff != "" {
				t.Errorf("position (-want +got):\n%s", diff)
			}
		})
		t.Run("consent given, then withdrawn for one organisation, takes effect at once", func(t *testing.T) {
			mustOK(t, consents.RecordConsent(ctx, worker, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{police.ID, council.ID}, On: "2026-11-20", HowExplained: "HOW-MARKER with a Romanian interpreter"}))
			e.clock.Advance(time.Minute)
			mustOK(t, consents.RecordConsent(ctx, worker, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionWithdrawn, OrgIDs: []string{police.ID}, On: "2026-11-27"}))
			p := position(t)
			if got := p.SharingWith(police.ID).State; got != waymark.StateWithdrawn {
				t.Errorf("sharing with the police: %s; want withdrawn", got)
			}
			if got := p.SharingWith(council.ID); got.State != waymark.StateGiven || got.OrgName != "Consent Council" {
				t.Errorf("sharing with the council: %+v; want given", got)
			}
		})
		t.Run("another lawful basis is for safeguarding leads, with a justification", func(t *testing.T) {
			override := &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisSafeguarding, OrgIDs: []string{police.ID}, On: "2026-11-27",
				Justification: "JUSTIFY-MARKER: he is at immediate risk from the gang that held him", DecidedBy: "Sam Okafor, safeguarding lead"}
			wantCode(t, consents.RecordConsent(ctx, worker, c.ID, override), waymark.EFORBIDDEN)
			e.clock.Advance(time.Minute)
			mustOK(t, consents.RecordConsent(ctx, lead, c.ID, override))
			p := position(t)
			if got := p.SharingWith(police.ID).State; got != waymark.StateOtherBasis || !got.Allows() {
				t.Errorf("sharing with the police after the override: %s; want another lawful basis, which allows it", got)
			}
			if n := len(p.Overrides()); n != 1 {
				t.Errorf("%d overrides; want 1", n)
			}
		})
		t.Run("refusing statistics flags the client, and giving it clears the flag", func(t *testing.T) {
			flag := func() bool {
				var excluded bool
				mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT excluded_from_statistics FROM clients WHERE id = $1`, c.ID).Scan(&excluded))
				return excluded
			}
			e.clock.Advance(time.Minute)
			mustOK(t, consents.RecordConsent(ctx, worker, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForStatistics, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionRefused, On: "2026-11-27"}))
			if !flag() || !position(t).ExcludedFromStatistics() {
				t.Error("a refusal of statistics does not flag the client")
			}
			e.clock.Advance(time.Minute)
			mustOK(t, consents.RecordConsent(ctx, worker, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForStatistics, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionGiven, On: "2026-11-27", HowExplained: "Read the leaflet together"}))
			if flag() || position(t).ExcludedFromStatistics() {
				t.Error("consent to statistics leaves the client flagged")
			}
		})
		t.Run("records at the same instant count in the order recorded; a backdated one does not undo a later answer", func(t *testing.T) {
			d := &waymark.Client{GivenName: "Dan", EstimatedAge: 30}
			mustOK(t, e.clients.CreateClient(ctx, worker, d, nil))
			for _, dec := range []waymark.ConsentDecision{waymark.ConsentDecisionGiven, waymark.ConsentDecisionWithdrawn} {
				r := &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent, Decision: dec, OrgIDs: []string{police.ID}, On: "2026-11-27", HowExplained: "x"}
				mustOK(t, consents.RecordConsent(ctx, worker, d.ID, r))
			}
			mustOK(t, consents.RecordConsent(ctx, worker, d.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{police.ID}, On: "2026-10-01", HowExplained: "The paper form from October"}))
			h, err := consents.FindConsents(ctx, worker, d.ID)
			mustOK(t, err)
			if got := h.Position.SharingWith(police.ID).State; got != waymark.StateWithdrawn {
				t.Errorf("sharing with the police: %s; want the withdrawal to stand", got)
			}
		})
		t.Run("a withdrawal names an organisation that has left, but nothing is given to it", func(t *testing.T) {
			gone := e.org(t, "Consent Gone", false)
			d := &waymark.Client{GivenName: "Eva", EstimatedAge: 30}
			mustOK(t, e.clients.CreateClient(ctx, worker, d, nil))
			mustOK(t, consents.RecordConsent(ctx, worker, d.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{gone.ID}, On: "2026-11-27", HowExplained: "x"}))
			_, err := e.orgs.UpdateOrganisation(ctx, system, gone.ID, waymark.OrganisationUpdate{Disabled: ptr(true)})
			mustOK(t, err)
			e.clock.Advance(time.Minute)
			mustOK(t, consents.RecordConsent(ctx, worker, d.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionWithdrawn, OrgIDs: []string{gone.ID}, On: "2026-11-27"}))
			wantCode(t, consents.RecordConsent(ctx, worker, d.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{gone.ID}, On: "2026-11-27", HowExplained: "x"}), waymark.EINVALID)
		})
		t.Run("bad records are refused and nothing is stored", func(t *testing.T) {
			for name, r := range map[string]*waymark.ConsentRecord{
				"sharing with nobody":         {Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent, Decision: waymark.ConsentDecisionGiven, On: "2026-11-27", HowExplained: "x"},
				"sharing with itself":         {Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent, Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{org.ID}, On: "2026-11-27", HowExplained: "x"},
				"sharing with an unknown org": {Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent, Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{"nope"}, On: "2026-11-27", HowExplained: "x"},
				"given without explanation":   {Purpose: waymark.ConsentForSupport, Basis: waymark.BasisConsent, Decision: waymark.ConsentDecisionGiven, On: "2026-11-27"},
				"in the future":               {Purpose: waymark.ConsentForSupport, Basis: waymark.BasisConsent, Decision: waymark.ConsentDecisionRefused, On: "2027-01-01"},
			} {
				t.Run(name, func(t *testing.T) { wantCode(t, consents.RecordConsent(ctx, lead, c.ID, r), waymark.EINVALID) })
			}
			h, err := consents.FindConsents(ctx, worker, c.ID)
			mustOK(t, err)
			if len(h.Records) != 5 {
				t.Errorf("%d records after refused ones; want the 5 recorded", len(h.Records))
			}
		})
		t.Run("another organisation sees nothing, the text is sealed and the audit names no one", func(t *testing.T) {
			_, err := consents.FindConsents(ctx, other, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			wantCode(t, consents.RecordConsent(ctx, other, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSupport, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionRefused, On: "2026-11-27"}), waymark.ENOTFOUND)
			for _, col := range []string{"how_explained", "justification"} {
				var all [][]byte
				rows, err := e.raw(t).QueryContext(ctx, `SELECT `+col+` FROM client_consents WHERE client_id = $1`, c.ID)
				mustOK(t, err)
				for rows.Next() {
					var b []byte
					mustOK(t, rows.Scan(&b))
					all = append(all, b)
				}
				rows.Close()
				for _, b := range all {
					if bytes.Contains(b, []byte("MARKER")) {
						t.Errorf("stored %s %q is not sealed", col, b)
					}
				}
			}
			_, err = consents.FindOverrides(ctx, worker)
			wantCode(t, err, waymark.EFORBIDDEN)
			overrides, err := consents.FindOverrides(ctx, lead)
			mustOK(t, err)
			if len(overrides) != 1 || overrides[0].ClientName != "Ana" || overrides[0].OrgID != police.ID || overrides[0].Record.DecidedBy != "Sam Okafor, safeguarding lead" {
				t.Errorf("overrides %+v; want the sharing with the police", overrides)
			}
			noNames(t, e.auditEntries(t, waymark.AuditFilter{OrgID: org.ID}), "Ana", "MARKER", "interpreter")
			rec, err := e.clients.FindClientRecord(ctx, worker, c.ID)
			mustOK(t, err)
			if got := rec.Consent.SharingWith(police.ID).State; got != waymark.StateOtherBasis {
				t.Errorf("the client record's consent position for the police: %s", got)
			}
		})
	})
}
