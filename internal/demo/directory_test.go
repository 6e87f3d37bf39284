package demo_test

import (
	"context"
	"strings"
	"testing"

	"waymark"
	"waymark/internal/demo"
)

// fakeDirectory keeps the directory services the generator adds, checking what the store checks.
type fakeDirectory struct {
	users    map[string]waymark.User
	services []waymark.DirectoryService
}

func (f *fakeDirectory) CreateDirectoryService(ctx context.Context, actor waymark.Actor, d *waymark.DirectoryService) error {
	u, ok := f.users[actor.UserID]
	if !ok || u.OrgID != actor.OrgID || !u.Role.Can(waymark.PermManageDirectory) || actor.Role != u.Role {
		return waymark.Errorf(waymark.EFORBIDDEN, "%s may not keep the directory", actor.UserID)
	}
	if err := d.Validate(today); err != nil {
		return err
	}
	d.ID, d.OrgID = "dir-"+d.Name, actor.OrgID
	f.services = append(f.services, *d)
	return nil
}

func TestGenerateDirectory(t *testing.T) {
	s := &fakeStore{prefix: "dir-"}
	dir := &fakeDirectory{users: map[string]waymark.User{}}
	svc := s.services()
	// The users exist before the directory is made; the fake reads them as they are created.
	svc.Users = usersInto{s, dir}
	svc.Directory = dir
	r, err := demo.Generate(context.Background(), svc, demo.Options{Seed: 1, Clients: 20, PasswordHash: hash, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(dir.services); n < 8 || n > 12 || len(r.Directory) != n {
		t.Fatalf("%d services stored, %d in the region; want 8 to 12", n, len(r.Directory))
	}
	confidential, orgs := 0, map[string]bool{}
	for i, d := range dir.services {
		orgs[d.OrgID] = true
		info := r.Directory[i]
		if info.ID != d.ID || info.OrgID != d.OrgID || info.Confidential != d.ConfidentialLocation {
			t.Errorf("region's entry %+v does not match %s", info, d.Name)
		}
		marker := r.LocationMarker(d.OrgID)
		if strings.Contains(marker, r.Marker(d.OrgID)) || !strings.HasPrefix(marker, "SAFEHOUSE") {
			t.Errorf("location marker %q is not distinct from the organisation's marker", marker)
		}
		if d.ConfidentialLocation {
			confidential++
			if !strings.Contains(d.Address, marker) {
				t.Errorf("safe house %s's address %q lacks its organisation's location marker", d.Name, d.Address)
			}
		} else if strings.Contains(d.Address, "SAFEHOUSE") {
			t.Errorf("public service %s has a marked address", d.Name)
		}
	}
	if confidential < 1 || confidential > 2 || len(orgs) < 5 {
		t.Errorf("%d confidential services across %d organisations; want one or two, across most organisations", confidential, len(orgs))
	}
}

// usersInto creates users in the fake store and tells the directory about them.
type usersInto struct {
	s   *fakeStore
	dir *fakeDirectory
}

func (u usersInto) CreateUser(ctx context.Context, actor waymark.Actor, user *waymark.User, passwordHash string) error {
	if err := u.s.CreateUser(ctx, actor, user, passwordHash); err != nil {
		return err
	}
	u.dir.users[user.ID] = *user
	return nil
}
