package demo_test

import (
	"context"
	"slices"
	"testing"

	"waymark"
	"waymark/internal/demo"
)

// fakeAgreements keeps the agreements the generator records, checking what the store checks: the
// actor is an admin of its organisation, which becomes a party, every party is an organisation of
// the region, and the agreement is valid.
type fakeAgreements struct {
	s         *fakeStore
	list      []waymark.DataSharingAgreement
	confirmed int
}

func (f *fakeAgreements) ConfirmAgreement(ctx context.Context, actor waymark.Actor, id string, version int) error {
	f.confirmed++
	return nil
}

func (f *fakeAgreements) CreateAgreement(ctx context.Context, actor waymark.Actor, a *waymark.DataSharingAgreement) error {
	i := slices.IndexFunc(f.s.users, func(u waymark.User) bool { return u.ID == actor.UserID })
	if i < 0 || f.s.users[i].OrgID != actor.OrgID || f.s.users[i].Role != actor.Role || !actor.Can(waymark.PermManageAgreements) {
		return waymark.Errorf(waymark.EFORBIDDEN, "%s may not record agreements", actor.UserID)
	}
	if !slices.Contains(a.OrgIDs, actor.OrgID) {
		a.OrgIDs = append([]string{actor.OrgID}, a.OrgIDs...)
	}
	if err := a.Validate(); err != nil {
		return err
	}
	for _, id := range a.OrgIDs {
		if f.s.org(id) == nil {
			return waymark.Errorf(waymark.EINVALID, "no organisation %s", id)
		}
	}
	a.ID, a.RecordedByOrgID = f.s.id(), actor.OrgID
	f.list = append(f.list, *a)
	return nil
}

func TestGenerateAgreements(t *testing.T) {
	s := &fakeStore{prefix: "agr-"}
	ag := &fakeAgreements{s: s}
	svc := s.services()
	svc.Agreements = ag
	r, err := demo.Generate(context.Background(), svc, demo.Options{Seed: 1, Clients: 20, PasswordHash: hash, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if len(ag.list) < 3 || len(ag.list) > 4 || len(r.Agreements) != len(ag.list) {
		t.Fatalf("%d agreements stored, %d in the region; want 3 or 4", len(ag.list), len(r.Agreements))
	}
	day := waymark.Today(today)
	var inForce, warned, ended, draft int
	parties := map[string]int{}
	for i, a := range ag.list {
		if info := r.Agreements[i]; info.ID != a.ID || info.Title != a.Title || !slices.Equal(info.OrgIDs, a.OrgIDs) {
			t.Errorf("the region's entry %+v does not match %q", info, a.Title)
		}
		for _, id := range a.OrgIDs {
			parties[id]++
		}
		if a.InForce(day) {
			inForce++
		}
		if a.InForce(day) && len(a.Warnings(day)) > 0 {
			warned++
		}
		if a.Status == waymark.AgreementActive && a.EndOn != "" && a.EndOn < day {
			ended++
		}
		if a.Status == waymark.AgreementDraft {
			draft++
		}
	}
	if inForce < 2 || warned < 2 || ended != 1 || draft != 1 {
		t.Errorf("%d in force (%d with a warning), %d ended, %d drafts; want two in force, both warned of, one ended and one draft", inForce, warned, ended, draft)
	}
	// Every organisation is a party to one agreement, and only some to more: the permission test
	// needs agreements each organisation may and may not see.
	for _, o := range r.Organisations {
		if parties[o.ID] == 0 || parties[o.ID] == len(ag.list) {
			t.Errorf("%s is a party to %d of the %d agreements", o.Name, parties[o.ID], len(ag.list))
		}
	}
}
