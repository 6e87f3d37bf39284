package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"waymark"
)

// fakeReferrals answers the send form's page for one client and records what is sent, refusing
// what the store would: sections from anyone but a safeguarding lead, and, for org3, sections no
// agreement covers.
type fakeReferrals struct {
	waymark.ReferralService
	sent []*waymark.Referral
}

func (f *fakeReferrals) FindClientReferrals(_ context.Context, _ waymark.Actor, id string) (*waymark.ClientReferrals, error) {
	if id != "c1" {
		return nil, waymark.Errorf(waymark.ENOTFOUND, "Not found.")
	}
	return &waymark.ClientReferrals{Client: &waymark.Client{ID: "c1", GivenName: "Ion"}}, nil
}

func (f *fakeReferrals) SendReferral(_ context.Context, a waymark.Actor, _ string, r *waymark.Referral) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.SharesOnAcceptance() && !a.Can(waymark.PermShareCases) {
		return waymark.Errorf(waymark.EFORBIDDEN, "Only a safeguarding lead may share parts of the record with a referral.")
	}
	if r.SharesOnAcceptance() && r.ToOrgID == "org3" {
		return waymark.Invalid(map[string]string{"share_sections": "No data sharing agreement in force between your organisation and Org 3 covers safeguarding."})
	}
	r.ID = "r1"
	f.sent = append(f.sent, r)
	return nil
}

type fakeDirectory struct{ waymark.OrganisationService }

func (fakeDirectory) FindDirectory(context.Context, waymark.Actor) ([]*waymark.Organisation, error) {
	return []*waymark.Organisation{{ID: "org2", Name: "Org 2"}, {ID: "org3", Name: "Org 3"}}, nil
}

func TestReferralShareOnAcceptanceHandlers(t *testing.T) {
	setup := func(t *testing.T, role waymark.Role) (*Server, *fakeReferrals) {
		t.Helper()
		refs, auth := &fakeReferrals{}, signedInAs{role: role}
		return moveOnServer(t, Services{Auth: auth, Tokens: auth, Referrals: refs, Organisations: fakeDirectory{}, Notifications: &fakeNotifications{}}), refs
	}
	const base = "to_org_id=org2&reason=Needs+a+bed&shared=name"
	t.Run("a frontline worker is not offered the parts of the record", func(t *testing.T) {
		s, _ := setup(t, waymark.RoleFrontline)
		w := serve(s, "GET", "/clients/c1/referrals", "")
		if w.Code != http.StatusOK || strings.Contains(w.Body.String(), `name="share_sections"`) {
			t.Errorf("status %d; sections offered to a frontline worker", w.Code)
		}
		if w := serve(s, "POST", "/clients/c1/referrals", base+"&share_sections=identity&share_purpose=safeguarding"); w.Code != http.StatusForbidden {
			t.Errorf("sections from a frontline worker: status %d, want 403", w.Code)
		}
	})
	t.Run("a lead's sections without a purpose are shown again with what to fix", func(t *testing.T) {
		s, refs := setup(t, waymark.RoleSafeguardingLead)
		w := serve(s, "POST", "/clients/c1/referrals", base+"&share_sections=history")
		body := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity || len(refs.sent) != 0 {
			t.Fatalf("status %d, sent %v", w.Code, refs.sent)
		}
		for _, want := range []string{`href="#share_purpose"`, "Choose what the sharing is for", `value="history" checked`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
	})
	t.Run("sharing no agreement covers is refused at sending, saying why", func(t *testing.T) {
		s, refs := setup(t, waymark.RoleSafeguardingLead)
		w := serve(s, "POST", "/clients/c1/referrals", strings.Replace(base, "org2", "org3", 1)+"&share_sections=identity&share_purpose=safeguarding")
		if w.Code != http.StatusUnprocessableEntity || len(refs.sent) != 0 || !strings.Contains(w.Body.String(), `href="#share_sections"`) ||
			!strings.Contains(w.Body.String(), "No data sharing agreement in force") {
			t.Errorf("status %d, sent %v", w.Code, refs.sent)
		}
	})
	t.Run("a lead's referral carries the sections and the purpose", func(t *testing.T) {
		s, refs := setup(t, waymark.RoleSafeguardingLead)
		w := serve(s, "POST", "/clients/c1/referrals", base+"&share_sections=identity&share_sections=history&share_purpose=safeguarding")
		if w.Code != http.StatusSeeOther || len(refs.sent) != 1 || len(refs.sent[0].ShareSections) != 2 || refs.sent[0].SharePurpose != "safeguarding" {
			t.Fatalf("status %d, sent %+v", w.Code, refs.sent)
		}
	})
}

// TestReferralSharePageStates renders a referral that shares parts of the record in each state,
// as each party sees it.
func TestReferralSharePageStates(t *testing.T) {
	s := moveOnServer(t, Services{})
	l := Layout{Title: "Referral", Nonce: "n0nce"}
	for _, c := range []struct {
		name   string
		party  waymark.ReferralParty
		change func(r *waymark.Referral)
		want   []string
	}{
		{"pending, to the sender", waymark.PartySender, func(r *waymark.Referral) { r.ShareID, r.ShareActive = "", false }, []string{`id="share-pending"`, "Modern slavery history"}},
		{"shared, to the recipient", waymark.PartyRecipient, func(*waymark.Referral) {}, []string{`href="/shared/s1"`}},
		{"shared, to the sender", waymark.PartySender, func(*waymark.Referral) {}, []string{"Withdrawing the referral does not stop it", `href="/clients/c1/sharing"`}},
		{"stopped, to the recipient", waymark.PartyRecipient, func(r *waymark.Referral) { r.ShareActive = false }, []string{"The sharing has stopped"}},
		{"refused, to either", waymark.PartyRecipient, func(r *waymark.Referral) {
			r.ShareID, r.ShareRefusal = "", "Not shared: the person's <consent> no longer covers it."
		},
			[]string{`id="share-refusal"`, "Not shared: the person&#39;s &lt;consent&gt;"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := referralData(moveOnNow)
			c.change(r)
			body := renderPage(t, s, "referral", ReferralPage{Layout: l, Referral: r, Party: c.party})
			for _, want := range c.want {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
		})
	}
}
