package demo_test

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"waymark"
	"waymark/internal/demo"
)

// fakeStore records what the generator creates. It checks what the real stores check that matters
// here (validation, the actor, unique names and emails), so a generator that would fail against a
// database fails here too. The real stores are tested in sqldb, and an integration test runs the
// generator against real databases.
type fakeStore struct {
	prefix  string // makes IDs differ between stores, as real random IDs do
	n       int
	orgs    []waymark.Organisation
	users   []waymark.User
	hashes  []string
	clients []waymark.Client
	// clientOrg holds the name of each client's organisation, to compare runs without IDs.
	clientOrg []string
	// failClientsAfter makes CreateClient fail once that many clients exist; 0 never fails.
	failClientsAfter int
}

func (s *fakeStore) id() string { s.n++; return s.prefix + strconv.Itoa(s.n) }

func (s *fakeStore) org(id string) *waymark.Organisation {
	for i := range s.orgs {
		if s.orgs[i].ID == id {
			return &s.orgs[i]
		}
	}
	return nil
}

func (s *fakeStore) CreateOrganisation(ctx context.Context, actor waymark.Actor, o *waymark.Organisation) error {
	if !actor.System {
		return waymark.Errorf(waymark.EFORBIDDEN, "system actor only")
	}
	if err := o.Validate(); err != nil {
		return err
	}
	for _, x := range s.orgs {
		if strings.EqualFold(x.Name, o.Name) {
			return waymark.Errorf(waymark.ECONFLICT, "duplicate organisation %q", o.Name)
		}
	}
	o.ID = s.id()
	s.orgs = append(s.orgs, *o)
	return nil
}

func (s *fakeStore) CreateUser(ctx context.Context, actor waymark.Actor, u *waymark.User, passwordHash string) error {
	if !actor.System {
		return waymark.Errorf(waymark.EFORBIDDEN, "system actor only")
	}
	if err := u.Validate(); err != nil {
		return err
	}
	org := s.org(u.OrgID)
	if org == nil {
		return waymark.Errorf(waymark.EINVALID, "no organisation %q", u.OrgID)
	}
	for _, x := range s.users {
		if x.Email == u.Email {
			return waymark.Errorf(waymark.ECONFLICT, "duplicate email %q", u.Email)
		}
	}
	u.ID, u.OrgName = s.id(), org.Name
	s.users = append(s.users, *u)
	s.hashes = append(s.hashes, passwordHash)
	return nil
}

func (s *fakeStore) CreateClient(ctx context.Context, actor waymark.Actor, c *waymark.Client, _ []string) error {
	if s.failClientsAfter > 0 && len(s.clients) >= s.failClientsAfter {
		return waymark.Errorf(waymark.EUNAVAILABLE, "database gone")
	}
	if actor.System || actor.Role != waymark.RoleFrontline || actor.Via != "demo" {
		return waymark.Errorf(waymark.EFORBIDDEN, "clients must be created by a frontline worker, got %+v", actor)
	}
	creator := slices.IndexFunc(s.users, func(u waymark.User) bool { return u.ID == actor.UserID })
	if creator < 0 || s.users[creator].OrgID != actor.OrgID || s.users[creator].Role != waymark.RoleFrontline {
		return waymark.Errorf(waymark.EFORBIDDEN, "actor %+v is not a frontline worker of the organisation", actor)
	}
	if err := c.Validate(); err != nil {
		return err
	}
	c.ID, c.OrgID, c.CreatedBy = s.id(), actor.OrgID, actor.UserID
	cc := *c
	cc.KnownAs = slices.Clone(c.KnownAs)
	cc.Nationalities = slices.Clone(c.Nationalities)
	s.clients = append(s.clients, cc)
	s.clientOrg = append(s.clientOrg, s.org(actor.OrgID).Name)
	return nil
}

func (s *fakeStore) services() demo.Services {
	return demo.Services{Organisations: s, Users: s, Clients: s}
}
