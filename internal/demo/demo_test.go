package demo_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"waymark"
	"waymark/internal/demo"
)

var today = time.Date(2026, time.November, 27, 12, 0, 0, 0, time.UTC)

const hash = "fake-hash-of-the-demo-password"

func generate(t *testing.T, seed int64, clients int, idPrefix string) (*demo.Region, *fakeStore) {
	t.Helper()
	s := &fakeStore{prefix: idPrefix}
	start := time.Now()
	r, err := demo.Generate(context.Background(), s.services(), demo.Options{Seed: seed, Clients: clients, PasswordHash: hash, Today: today})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Generate took %v without a database; want far less", d)
	}
	return r, s
}

func TestGenerate(t *testing.T) {
	r, s := generate(t, 1, 0, "id-")

	t.Run("organisations cover every kind of agency", func(t *testing.T) {
		if r.Name == "" {
			t.Error("region has no name")
		}
		if len(s.orgs) != 9 || len(r.Organisations) != 9 {
			t.Fatalf("got %d organisations stored and %d in the region, want 9", len(s.orgs), len(r.Organisations))
		}
		byType := map[waymark.OrgType][]waymark.Organisation{}
		areas := map[string]bool{}
		homeless, homelessFR := 0, 0
		for i, o := range s.orgs {
			byType[o.Type] = append(byType[o.Type], o)
			areas[o.Area] = true
			if o.Area == "" {
				t.Errorf("%s has no area", o.Name)
			}
			if o.RequireTwoStep {
				t.Errorf("%s requires two-step sign-in; demo users must be able to sign in straight away", o.Name)
			}
			if o.Type.IsHomelessnessService() {
				homeless++
				if o.FirstResponder {
					homelessFR++
				}
			}
			info := r.Organisations[i]
			if info.ID != o.ID || info.Name != o.Name || info.Type != o.Type {
				t.Errorf("region organisation %d is %+v, stored %+v", i, info, o)
			}
		}
		for _, typ := range []waymark.OrgType{waymark.OrgLAHousing, waymark.OrgLAAdultSocialCare, waymark.OrgPolice} {
			if len(byType[typ]) != 1 {
				t.Fatalf("got %d organisations of type %s, want 1", len(byType[typ]), typ)
			}
			if o := byType[typ][0]; !o.FirstResponder || !o.SpecifiedPublicAuthority {
				t.Errorf("%s (%s) should be a First Responder and a specified public authority", o.Name, typ)
			}
		}
		for _, typ := range []waymark.OrgType{waymark.OrgHomelessOutreach, waymark.OrgHomelessHostel, waymark.OrgHomelessDayCentre, waymark.OrgAntiSlaveryCharity, waymark.OrgHealth, waymark.OrgOther} {
			if len(byType[typ]) != 1 {
				t.Errorf("got %d organisations of type %s, want 1", len(byType[typ]), typ)
			}
		}
		if homeless < 3 || homelessFR < 1 || homelessFR == homeless {
			t.Errorf("got %d homelessness services of which %d First Responders; want at least 3, some but not all First Responders", homeless, homelessFR)
		}
		if o := byType[waymark.OrgHomelessOutreach][0]; !o.FirstResponder {
			t.Errorf("the outreach service should be a First Responder")
		}
		if o := byType[waymark.OrgAntiSlaveryCharity][0]; !o.FirstResponder || o.SpecifiedPublicAuthority {
			t.Errorf("the anti-slavery charity should be a First Responder and not a specified public authority")
		}
		if len(areas) < 2 {
			t.Errorf("got areas %v, want at least two", areas)
		}
	})

	t.Run("markers are unique, well formed and on every client of their organisation only", func(t *testing.T) {
		format := regexp.MustCompile(`^MKR[A-Z0-9]{10}$`)
		seen := map[string]bool{}
		markerOf := map[string]string{}
		for _, o := range r.Organisations {
			if !format.MatchString(o.Marker) {
				t.Errorf("%s has marker %q; want MKR and ten upper-case letters or digits", o.Name, o.Marker)
			}
			if seen[o.Marker] {
				t.Errorf("marker %q is used twice", o.Marker)
			}
			seen[o.Marker] = true
			markerOf[o.ID] = o.Marker
			if got := r.Marker(o.ID); got != o.Marker {
				t.Errorf("Marker(%q) = %q, want %q", o.ID, got, o.Marker)
			}
		}
		if got := r.Marker("no-such-org"); got != "" {
			t.Errorf("Marker of an unknown organisation = %q, want empty", got)
		}
		for _, c := range s.clients {
			own := markerOf[c.OrgID]
			if !strings.Contains(c.Reference, own) || !strings.HasSuffix(c.Notes, own) {
				t.Errorf("client %q: reference %q and notes %q should carry marker %s", c.DisplayName(), c.Reference, c.Notes, own)
			}
			all := strings.Join(append([]string{c.GivenName, c.FamilyName, fmt.Sprint(c.Contacts), c.DateOfBirth}, c.KnownAs...), " ")
			for m := range seen {
				if strings.Contains(all, m) || (m != own && strings.Contains(c.Reference+c.Notes, m)) {
					t.Errorf("client %q holds marker %s in the wrong place", c.DisplayName(), m)
				}
			}
		}
		for _, u := range s.users {
			for m := range seen {
				if strings.Contains(u.Name+u.Email+u.OrgName, m) {
					t.Errorf("user %s holds marker %s", u.Email, m)
				}
			}
		}
	})

	t.Run("users fill every role in every organisation", func(t *testing.T) {
		if len(s.users) != 8*5+3 || len(r.Users) != len(s.users) {
			t.Fatalf("got %d users stored and %d in the region, want 43", len(s.users), len(r.Users))
		}
		emailFormat := regexp.MustCompile(`^[a-z-]+\.[a-z]+@demo\.waymark\.example$`)
		rolesByOrg := map[string][]waymark.Role{}
		emails, names := map[string]bool{}, map[string]bool{}
		for i, u := range s.users {
			rolesByOrg[u.OrgID] = append(rolesByOrg[u.OrgID], u.Role)
			if !emailFormat.MatchString(u.Email) || emails[u.Email] {
				t.Errorf("email %q is malformed or used twice", u.Email)
			}
			emails[u.Email] = true
			if names[u.Name] {
				t.Errorf("name %q is used twice", u.Name)
			}
			names[u.Name] = true
			if s.hashes[i] != hash {
				t.Errorf("%s was created with password hash %q, want the one given", u.Email, s.hashes[i])
			}
			want := demo.UserInfo{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, OrgID: u.OrgID, OrgName: u.OrgName}
			if r.Users[i] != want {
				t.Errorf("region user %d = %+v, want %+v", i, r.Users[i], want)
			}
		}
		service := []waymark.Role{waymark.RoleFrontline, waymark.RoleSafeguardingLead, waymark.RoleManager, waymark.RoleOrgAdmin, waymark.RolePartner}
		partnership := []waymark.Role{waymark.RoleOrgAdmin, waymark.RoleAnalyst, waymark.RoleSystemAdmin}
		for _, o := range s.orgs {
			want := service
			if o.Type == waymark.OrgOther {
				want = partnership
			}
			if diff := cmp.Diff(want, rolesByOrg[o.ID]); diff != "" {
				t.Errorf("roles in %s (-want +got):\n%s", o.Name, diff)
			}
		}
		if !emails["frontline.harbour@demo.waymark.example"] {
			t.Errorf("no user frontline.harbour@demo.waymark.example among %v", emails)
		}
	})

	t.Run("showcase has one user per role in order", func(t *testing.T) {
		sc := r.Showcase()
		var roles []waymark.Role
		for _, u := range sc {
			roles = append(roles, u.Role)
			if !slices.Contains(r.Users, u) {
				t.Errorf("showcase user %+v is not one of the region's users", u)
			}
		}
		if diff := cmp.Diff(waymark.Roles, roles); diff != "" {
			t.Errorf("showcase roles (-want +got):\n%s", diff)
		}
	})

	t.Run("clients are spread over the service organisations", func(t *testing.T) {
		if len(s.clients) != demo.DefaultClients || r.Clients != len(s.clients) {
			t.Fatalf("got %d clients stored, region says %d; want %d", len(s.clients), r.Clients, demo.DefaultClients)
		}
		stored := map[string]int{}
		for _, c := range s.clients {
			stored[c.OrgID]++
		}
		homeless, others := 0, 0
		for _, o := range r.Organisations {
			if o.Clients != stored[o.ID] {
				t.Errorf("%s: region says %d clients, stored %d", o.Name, o.Clients, stored[o.ID])
			}
			switch {
			case o.Type == waymark.OrgOther:
				if o.Clients != 0 {
					t.Errorf("the partnership has %d clients, want none", o.Clients)
				}
			case o.Clients == 0:
				t.Errorf("%s has no clients", o.Name)
			case o.Type.IsHomelessnessService():
				homeless += o.Clients
			default:
				others += o.Clients
			}
		}
		if homeless <= others {
			t.Errorf("homelessness services have %d clients, the others %d; want most with homelessness services", homeless, others)
		}
	})

	t.Run("clients are varied and valid", func(t *testing.T) {
		var nats, genders, precisions = map[string]bool{}, map[waymark.Gender]int{}, map[int]int{}
		var aliases, accented, hyphenated, dual, contact, noFamily int
		phone := regexp.MustCompile(`^07700 900\d{3}`)
		concerns := 0
		refs := map[string]bool{}
		for _, c := range s.clients {
			before := c
			if err := c.Validate(); err != nil {
				t.Errorf("client %q does not validate: %v (%v)", c.DisplayName(), err, waymark.ErrorFields(err))
			}
			if diff := cmp.Diff(before, c); diff != "" {
				t.Errorf("Validate changed client %q (-before +after):\n%s", c.DisplayName(), diff)
			}
			if c.GivenName == "" {
				t.Errorf("client %s has no given name", c.Reference)
			}
			if refs[c.Reference] {
				t.Errorf("reference %q is used twice", c.Reference)
			}
			refs[c.Reference] = true
			for _, n := range c.Nationalities {
				if !regexp.MustCompile(`^[A-Z]{2}$`).MatchString(n) {
					t.Errorf("client %q has nationality %q; want an ISO 3166-1 alpha-2 code", c.DisplayName(), n)
				}
				nats[n] = true
			}
			if len(c.Nationalities) == 2 {
				dual++
			}
			genders[c.Gender]++
			if len(c.KnownAs) > 0 {
				aliases++
			}
			for _, a := range c.KnownAs {
				if a == "" || strings.ContainsAny(a, "\n\r") || a == c.GivenName {
					t.Errorf("client %q has known-as name %q", c.DisplayName(), a)
				}
			}
			if !isASCII(c.GivenName + c.FamilyName) {
				accented++
			}
			if strings.Contains(c.FamilyName, "-") {
				hyphenated++
			}
			if c.FamilyName == "" {
				noFamily++
			}
			for _, ct := range c.Contacts {
				contact++
				if !phone.MatchString(ct.Value) || ct.Kind != "phone" || !ct.SafeToContact.Recorded() {
					t.Errorf("contact %+v: want a 07700 900xxx phone number and whether it is safe to contact", ct)
				}
			}
			if c.ConcernStatus.HasConcern() {
				concerns++
			}
			if n := strings.Count(c.Notes, ". ") + strings.Count(c.Notes, "; "); c.Notes == "" || n > 4 {
				t.Errorf("notes %q: want one or two plain sentences", c.Notes)
			}
			precisions[checkDateOfBirth(t, c.DateOfBirth)]++
		}
		if concerns < 80 {
			t.Errorf("%d clients with a modern slavery concern, want at least 80", concerns)
		}
		if len(nats) < 15 {
			t.Errorf("got %d nationalities, want at least 15: %v", len(nats), nats)
		}
		atLeast := func(what string, got, want int) {
			t.Helper()
			if got < want {
				t.Errorf("got %d clients with %s, want at least %d", got, what, want)
			}
		}
		n := len(s.clients)
		atLeast("known-as names", aliases, n/5)
		if aliases > n/2 {
			t.Errorf("got %d clients with known-as names, want about a third of %d", aliases, n)
		}
		atLeast("accented names", accented, 10)
		atLeast("hyphenated family names", hyphenated, 3)
		atLeast("two nationalities", dual, 3)
		atLeast("contact details", contact, n/5)
		atLeast("no family name", noFamily, 1)
		for _, p := range []int{0, 1, 2, 3} {
			atLeast(fmt.Sprintf("a date of birth of precision %d", p), precisions[p], 5)
		}
		for _, g := range []waymark.Gender{waymark.GenderFemale, waymark.GenderMale, waymark.GenderOther, waymark.GenderNotKnown} {
			atLeast("gender "+string(g), genders[g], 1)
		}
		if genders[waymark.GenderMale] <= genders[waymark.GenderFemale] {
			t.Errorf("got genders %v; want more men than women, as services see", genders)
		}
		if genders[waymark.GenderNotRecorded] != 0 {
			t.Errorf("got %d clients without a gender", genders[waymark.GenderNotRecorded])
		}
	})

	t.Run("transliteration variants occur across records", func(t *testing.T) {
		names := map[string]bool{}
		for _, c := range s.clients {
			names[c.GivenName], names[c.FamilyName] = true, true
			for _, a := range c.KnownAs {
				for _, w := range strings.Fields(a) {
					names[w] = true
				}
			}
		}
		groups := [][]string{{"Mohammed", "Muhammad", "Mohamed", "Mohammad"}, {"Nguyen", "Nguyễn", "Tran", "Trần", "Pham", "Phạm"}}
		for _, g := range groups {
			found := 0
			for _, n := range g {
				if names[n] {
					found++
				}
			}
			if found < 2 {
				t.Errorf("found %d of the spellings %v; want several", found, g)
			}
		}
	})
}

// checkDateOfBirth checks a date of birth for the domain's formats and an age of 16 to 70 on the
// reference date, and returns its precision: 3 day, 2 month, 1 year, 0 unknown.
func checkDateOfBirth(t *testing.T, dob string) int {
	t.Helper()
	if dob == "" {
		return 0
	}
	layouts := map[int]string{10: "2006-01-02", 7: "2006-01", 4: "2006"}
	layout, ok := layouts[len(dob)]
	d, err := time.Parse(layout, dob)
	if !ok || err != nil {
		t.Errorf("date of birth %q is not YYYY-MM-DD, YYYY-MM or YYYY", dob)
		return -1
	}
	// The youngest possible age for the precision given: a year-only date may be the year's last day.
	var latest time.Time
	switch len(dob) {
	case 10:
		latest = d
	case 7:
		latest = d.AddDate(0, 1, -1)
	default:
		latest = d.AddDate(1, 0, -1)
	}
	age := func(born time.Time) int {
		a := today.Year() - born.Year()
		if today.YearDay() < born.YearDay() {
			a--
		}
		return a
	}
	if young, old := age(latest), age(d); young < 16 || old > 70 {
		t.Errorf("date of birth %q gives an age of %d to %d; want 16 to 70", dob, young, old)
	}
	return map[int]int{10: 3, 7: 2, 4: 1}[len(dob)]
}

func isASCII(s string) bool { return utf8.RuneCountInString(s) == len(s) }

func TestGenerateIsDeterministic(t *testing.T) {
	r1, s1 := generate(t, 42, 0, "first-")
	r2, s2 := generate(t, 42, 0, "second-")

	ignoreIDs := cmp.Options{
		cmpopts.IgnoreFields(waymark.Organisation{}, "ID", "CreatedAt", "UpdatedAt"),
		cmpopts.IgnoreFields(waymark.User{}, "ID", "OrgID", "CreatedAt", "UpdatedAt"),
		cmpopts.IgnoreFields(waymark.Client{}, "ID", "OrgID", "CreatedBy", "CreatedAt", "UpdatedAt"),
		cmpopts.IgnoreFields(demo.OrgInfo{}, "ID"),
		cmpopts.IgnoreFields(demo.UserInfo{}, "ID", "OrgID"),
		cmpopts.IgnoreFields(waymark.Screening{}, "ID", "ClientID", "OrgID", "AskedBy"),
	}
	for _, c := range []struct {
		name string
		a, b any
	}{
		{"organisations", s1.orgs, s2.orgs},
		{"users", s1.users, s2.users},
		{"clients", s1.clients, s2.clients},
		{"clients' organisations", s1.clientOrg, s2.clientOrg},
		{"screenings", s1.screenings, s2.screenings},
		{"region", r1, r2},
	} {
		if diff := cmp.Diff(c.a, c.b, ignoreIDs); diff != "" {
			t.Errorf("two runs with the same seed made different %s (-first +second):\n%s", c.name, diff)
		}
	}
	if s1.orgs[0].ID == s2.orgs[0].ID {
		t.Fatal("the fake stores gave the same IDs, so the comparison proves nothing")
	}

	t.Run("recording screenings does not change the clients", func(t *testing.T) {
		s := &fakeStore{prefix: "unscreened-"}
		services := s.services()
		services.Screenings = nil
		if _, err := demo.Generate(context.Background(), services, demo.Options{Seed: 42, PasswordHash: hash, Today: today}); err != nil {
			t.Fatalf("Generate: %v", err)
		}
		if diff := cmp.Diff(s1.clients, s.clients, ignoreIDs); diff != "" {
			t.Errorf("clients differ (-with screenings +without):\n%s", diff)
		}
		if len(s.screenings) != 0 {
			t.Errorf("%d screenings recorded without a screening service", len(s.screenings))
		}
	})

	t.Run("another seed makes another region", func(t *testing.T) {
		r3, s3 := generate(t, 43, 0, "third-")
		for i := range r3.Organisations {
			if r3.Organisations[i].Marker == r1.Organisations[i].Marker {
				t.Errorf("seeds 42 and 43 gave %s the same marker", r3.Organisations[i].Name)
			}
		}
		if cmp.Equal(s1.clients, s3.clients, ignoreIDs) {
			t.Error("seeds 42 and 43 gave the same clients")
		}
	})

	t.Run("the number of clients does not change markers or staff", func(t *testing.T) {
		r4, _ := generate(t, 42, 20, "fourth-")
		if diff := cmp.Diff(r1.Organisations, r4.Organisations, ignoreIDs, cmpopts.IgnoreFields(demo.OrgInfo{}, "Clients")); diff != "" {
			t.Errorf("organisations differ (-300 clients +20 clients):\n%s", diff)
		}
		if diff := cmp.Diff(r1.Users, r4.Users, ignoreIDs); diff != "" {
			t.Errorf("users differ (-300 clients +20 clients):\n%s", diff)
		}
	})
}

func TestGenerateClientCounts(t *testing.T) {
	for _, n := range []int{1, 3, 8, 20, 301, 1000} {
		t.Run(fmt.Sprintf("%d clients made as asked", n), func(t *testing.T) {
			r, s := generate(t, 7, n, "id-")
			if len(s.clients) != n || r.Clients != n {
				t.Fatalf("got %d clients stored and %d in the region, want %d", len(s.clients), r.Clients, n)
			}
			if n < 8 {
				return
			}
			for _, o := range r.Organisations {
				if (o.Clients == 0) != (o.Type == waymark.OrgOther) {
					t.Errorf("%s has %d clients", o.Name, o.Clients)
				}
			}
		})
	}
}

func TestGenerateRefusesBadOptions(t *testing.T) {
	for name, o := range map[string]demo.Options{
		"negative client count": {Clients: -1, PasswordHash: hash},
		"no password hash":      {},
	} {
		t.Run(name+" is refused", func(t *testing.T) {
			s := &fakeStore{}
			if _, err := demo.Generate(context.Background(), s.services(), o); err == nil {
				t.Fatal("Generate succeeded")
			}
			if len(s.orgs) != 0 {
				t.Errorf("Generate created %d organisations before refusing", len(s.orgs))
			}
		})
	}
	t.Run("missing services are refused", func(t *testing.T) {
		if _, err := demo.Generate(context.Background(), demo.Services{}, demo.Options{PasswordHash: hash}); err == nil {
			t.Fatal("Generate succeeded")
		}
	})
}

func TestGenerateStops(t *testing.T) {
	t.Run("a store error is returned with its code", func(t *testing.T) {
		s := &fakeStore{failClientsAfter: 10}
		_, err := demo.Generate(context.Background(), s.services(), demo.Options{Seed: 1, PasswordHash: hash})
		if code := waymark.ErrorCode(err); code != waymark.EUNAVAILABLE {
			t.Fatalf("got error %v (code %q), want code %q", err, code, waymark.EUNAVAILABLE)
		}
		if len(s.clients) != 10 {
			t.Errorf("got %d clients, want generation to stop at the error after 10", len(s.clients))
		}
	})
	t.Run("a store without question sets is refused before any client", func(t *testing.T) {
		s := &fakeStore{sets: []*waymark.QuestionSet{}}
		if _, err := demo.Generate(context.Background(), s.services(), demo.Options{Seed: 1, PasswordHash: hash}); err == nil {
			t.Fatal("Generate succeeded")
		}
		if len(s.clients) != 0 {
			t.Errorf("got %d clients, want none", len(s.clients))
		}
	})
	t.Run("a cancelled context stops it", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		s := &fakeStore{}
		_, err := demo.Generate(ctx, s.services(), demo.Options{Seed: 1, PasswordHash: hash})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got error %v, want context.Canceled", err)
		}
		if len(s.clients) != 0 {
			t.Errorf("got %d clients after cancelling", len(s.clients))
		}
	})
}

func TestGenerateScreenings(t *testing.T) {
	// The region `waymark demo` makes by default: seed 1, every service.
	s := &fakeStore{prefix: "id-"}
	r, err := demo.Generate(context.Background(), s.allServices(), demo.Options{Seed: 1, PasswordHash: hash, Today: today})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	clients := map[string]waymark.Client{}
	for _, c := range s.clients {
		clients[c.ID] = c
	}
	sets := map[string]*waymark.QuestionSet{}
	for _, set := range seededSets() {
		sets[set.ID] = set
	}
	bySet := map[string]int{}
	proposed := map[waymark.ConcernStatus]map[waymark.ConcernStatus]int{} // client's status -> proposed status -> screenings
	for _, sc := range s.screenings {
		bySet[sc.SetID]++
		status := clients[sc.ClientID].ConcernStatus
		if proposed[status] == nil {
			proposed[status] = map[waymark.ConcernStatus]int{}
		}
		proposed[status][sc.ProposedStatus]++
	}
	t.Logf("%d screenings: by set %v; by client status, proposed %v", len(s.screenings), bySet, proposed)

	t.Run("most clients with a concern are screened, at least 80, each once", func(t *testing.T) {
		screened := map[string]bool{}
		for _, sc := range s.screenings {
			if screened[sc.ClientID] {
				t.Errorf("client %s is screened twice", sc.ClientID)
			}
			screened[sc.ClientID] = true
		}
		concerns, screenedConcerns := 0, 0
		for _, c := range s.clients {
			if c.ConcernStatus.HasConcern() {
				concerns++
				if screened[c.ID] {
					screenedConcerns++
				}
			}
		}
		if screenedConcerns < 80 || screenedConcerns*4 < concerns*3 {
			t.Errorf("%d of %d clients with a concern are screened; want at least 80 and three in four", screenedConcerns, concerns)
		}
		if without := len(screened) - screenedConcerns; without < 20 {
			t.Errorf("%d clients without a concern are screened, want at least 20", without)
		}
	})

	t.Run("both seeded question sets are used", func(t *testing.T) {
		var used []string
		for id, n := range bySet {
			used = append(used, id)
			if n < len(s.screenings)/4 {
				t.Errorf("set %s is used for %d of %d screenings; want a mix", id, n, len(s.screenings))
			}
		}
		slices.Sort(used)
		if diff := cmp.Diff([]string{"hmis-trafficking-v1", "ilo-forced-labour-v1"}, used); diff != "" {
			t.Errorf("sets used (-want +got):\n%s", diff)
		}
	})

	t.Run("answers are valid for their set and follow-ups come after a yes", func(t *testing.T) {
		// Each HMIS follow-up with the main questions it follows, as its hint says.
		follows := map[string][]string{
			"exchange_sex_past_3_months":     {"exchange_sex"},
			"exchange_sex_times":             {"exchange_sex"},
			"made_to_have_sex_past_3_months": {"made_to_have_sex"},
			"forced_to_continue":             {"afraid_to_leave_work", "work_different_from_promised"},
			"work_past_3_months":             {"afraid_to_leave_work", "work_different_from_promised"},
		}
		followUps := 0
		for _, sc := range s.screenings {
			set := sets[sc.SetID]
			if err := waymark.ValidateScreening(set, sc.Answers, sc.Notes); err != nil {
				t.Errorf("screening %s with %s does not validate: %v (%v)", sc.ID, sc.SetID, err, waymark.ErrorFields(err))
			}
			if got, want := sc.ProposedStatus, waymark.ProposeConcern(set, sc.Answers); got != want {
				t.Errorf("screening %s proposes %q, its answers %q", sc.ID, got, want)
			}
			for key, mains := range follows {
				if _, ok := sc.Answers[key]; !ok {
					continue
				}
				followUps++
				if !slices.ContainsFunc(mains, func(m string) bool { return sc.Answers[m] == "yes" }) {
					t.Errorf("screening %s answers %s without a yes to %v: %v", sc.ID, key, mains, sc.Answers)
				}
			}
		}
		if followUps == 0 {
			t.Error("no screening answers a follow-up question")
		}
	})

	t.Run("screenings of clients without a concern propose no concern", func(t *testing.T) {
		for _, sc := range s.screenings {
			if c := clients[sc.ClientID]; !c.ConcernStatus.HasConcern() && sc.ProposedStatus.HasConcern() {
				t.Errorf("client %q with status %q has a screening proposing %q: %v", c.DisplayName(), c.ConcernStatus, sc.ProposedStatus, sc.Answers)
			}
		}
	})

	t.Run("screenings fit the client's concern status", func(t *testing.T) {
		// Disclosed and confirmed concerns were said in answers; "no concerns" was found by a complete
		// screening; a suspicion may come from answers or from a screening that said too little.
		allowed := map[waymark.ConcernStatus][]waymark.ConcernStatus{
			waymark.ConcernDisclosed:   {waymark.ConcernSuspected},
			waymark.ConcernConfirmed:   {waymark.ConcernSuspected},
			waymark.ConcernSuspected:   {waymark.ConcernSuspected, waymark.ConcernNotYetAsked},
			waymark.ConcernNone:        {waymark.ConcernNone},
			waymark.ConcernNotYetAsked: {waymark.ConcernNotYetAsked},
		}
		var got []waymark.ConcernStatus
		for status, props := range proposed {
			for p := range props {
				if !slices.Contains(allowed[status], p) {
					t.Errorf("%d screenings of clients with status %q propose %q; want one of %v", props[p], status, p, allowed[status])
				}
				if !slices.Contains(got, p) {
					got = append(got, p)
				}
			}
		}
		slices.Sort(got)
		want := []waymark.ConcernStatus{waymark.ConcernNone, waymark.ConcernNotYetAsked, waymark.ConcernSuspected}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("proposals made (-want +got):\n%s", diff)
		}
	})

	t.Run("some answers are not known", func(t *testing.T) {
		unknown := 0
		for _, sc := range s.screenings {
			for _, v := range sc.Answers {
				if v == "not_known" || strings.HasPrefix(v, "client_") || v == "data_not_collected" {
					unknown++
				}
			}
		}
		if unknown < 20 {
			t.Errorf("%d answers are not known or not given, want at least 20", unknown)
		}
	})

	t.Run("screenings are asked by the organisation's frontline worker and carry its marker", func(t *testing.T) {
		for _, sc := range s.screenings {
			i := slices.IndexFunc(s.users, func(u waymark.User) bool { return u.ID == sc.AskedBy })
			if i < 0 || s.users[i].Role != waymark.RoleFrontline || s.users[i].OrgID != clients[sc.ClientID].OrgID || sc.OrgID != clients[sc.ClientID].OrgID {
				t.Errorf("screening %s of a client of %s is asked by %q", sc.ID, clients[sc.ClientID].OrgID, sc.AskedBy)
			}
			if m := r.Marker(sc.OrgID); !strings.HasSuffix(sc.Notes, " "+m) {
				t.Errorf("screening notes %q do not end with the organisation's marker %s", sc.Notes, m)
			}
		}
	})
}

// journeyOutcomes lists what a journey has reached, by the names the tests count them under.
func journeyOutcomes(j *waymark.Journey, now time.Time) []string {
	var out []string
	add := func(ok bool, name string) {
		if ok {
			out = append(out, name)
		}
	}
	child := j.Answers.Under18 == waymark.Under18Yes || j.Answers.Under18 == waymark.Under18NotSure
	add(child, "children")
	add(j.Answers.Under18 == waymark.Under18NotSure, "children whose age is not sure")
	add(len(j.Consents)+len(j.Steps)+len(j.Referrals)+len(j.Decisions)+len(j.Milestones)+len(j.DutyToNotify) == 0, "answers only")
	if n := len(j.Consents); n > 0 {
		latest := j.Consents[n-1]
		add(latest.Answer == waymark.ConsentGiven, "consent given")
		add(latest.Answer == waymark.ConsentRefused, "consent refused")
		soon := now.AddDate(0, 0, waymark.ConsentRevisitDays).Format(time.DateOnly)
		add(latest.Answer == waymark.ConsentRefused && latest.AskAgainOn <= soon, "asking again within two weeks")
	}
	add(len(j.Consents) > 0 && j.Consents[len(j.Consents)-1].Answer == waymark.ConsentGiven && len(j.Referrals) == 0, "consent given, not yet referred")
	add(len(j.Referrals) > 0, "referred")
	add(len(j.Referrals) > 0 && len(j.Decisions) == 0, "awaiting a decision")
	for _, d := range j.Decisions {
		add(d.Stage == waymark.ReasonableGrounds && d.Outcome == waymark.OutcomePositive, "reasonable grounds positive")
		add(d.Stage == waymark.ReasonableGrounds && d.Outcome == waymark.OutcomeNegative, "reasonable grounds negative")
		add(d.Stage == waymark.ConclusiveGrounds && d.Outcome == waymark.OutcomePositive, "conclusive grounds positive")
		add(d.Stage == waymark.ConclusiveGrounds && d.Outcome == waymark.OutcomeNegative, "conclusive grounds negative")
		add(d.ReconsiderationRequestedOn != "", "reconsideration requested")
	}
	add(len(j.DutyToNotify) > 0, "Duty to Notify")
	add(len(j.Milestones) > 0, "milestones")
	today, soon := now.Format(time.DateOnly), now.AddDate(0, 0, waymark.DefaultTaskSettings.SupportEndingDays).Format(time.DateOnly)
	for _, m := range j.Milestones {
		add(true, "milestone "+string(m.Kind))
		add(m.Kind == "victim_care_end" && m.On > today && m.On <= soon, "support ending within two weeks")
	}
	for _, s := range j.Steps {
		add(true, "step "+string(s.Kind)+" "+string(s.Outcome))
	}
	// A journey reaches each outcome once, however many records show it.
	slices.Sort(out)
	return slices.Compact(out)
}

func TestGenerateJourneys(t *testing.T) {
	// The region `waymark demo` makes by default: seed 1, every service.
	s := &fakeStore{prefix: "id-"}
	r, err := demo.Generate(context.Background(), s.allServices(), demo.Options{Seed: 1, PasswordHash: hash, Today: today})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	now := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	counts := map[string]int{}
	for _, j := range s.journeys {
		for _, o := range journeyOutcomes(j, now) {
			counts[o]++
		}
	}
	t.Logf("%d journeys: %v", len(s.journeys), counts)

	t.Run("at least 40 clients with a concern have a journey, not all", func(t *testing.T) {
		concerns := 0
		for _, c := range s.clients {
			if c.ConcernStatus.HasConcern() {
				concerns++
			}
		}
		if len(s.journeys) < 40 || len(s.journeys) >= concerns {
			t.Errorf("%d journeys of %d clients with a concern; want at least 40, and some new concerns with none", len(s.journeys), concerns)
		}
		for _, j := range s.journeys {
			if !j.Client.ConcernStatus.HasConcern() {
				t.Errorf("client %q with status %q has a journey", j.Client.DisplayName(), j.Client.ConcernStatus)
			}
		}
	})

	for _, want := range []struct {
		outcome string
		min     int
	}{
		{"answers only", 2}, {"consent given", 20}, {"consent given, not yet referred", 2}, {"consent refused", 4}, {"asking again within two weeks", 1},
		{"referred", 20}, {"awaiting a decision", 2}, {"reasonable grounds positive", 10}, {"reasonable grounds negative", 2},
		{"reconsideration requested", 1}, {"conclusive grounds positive", 3}, {"conclusive grounds negative", 1},
		{"children", 3}, {"Duty to Notify", 1}, {"milestones", 5}, {"milestone victim_care_start", 3}, {"milestone victim_care_end", 2},
		{"milestone recovery_needs_assessment", 2}, {"milestone reach_in_start", 1}, {"support ending within two weeks", 1},
		{"step childrens_services done", 3}, {"step police_report done", 3}, {"step adult_safeguarding done", 2},
		{"step homelessness_application done", 1}, {"step homelessness_application declined", 1}, {"step partner_referral done", 2},
	} {
		t.Run(want.outcome+" journeys exist", func(t *testing.T) {
			if counts[want.outcome] < want.min {
				t.Errorf("%d journeys with %s, want at least %d", counts[want.outcome], want.outcome, want.min)
			}
		})
	}
	t.Run("one or two homelessness applications are declined", func(t *testing.T) {
		if n := counts["step homelessness_application declined"]; n < 1 || n > 2 {
			t.Errorf("%d declined homelessness applications, want one or two", n)
		}
	})

	users := map[string]waymark.User{}
	for _, u := range s.users {
		users[u.ID] = u
	}
	t.Run("journeys are consistent with their client and organisation", func(t *testing.T) {
		today := now.Format(time.DateOnly)
		nrmRef, crimeRef := regexp.MustCompile(`^NRM-20\d\d-\d{6}$`), regexp.MustCompile(`^NMP/20\d\d/\d{5}$`)
		refs := map[string]bool{}
		for _, j := range s.journeys {
			c, org := j.Client, j.Organisation
			marker := r.Marker(org.ID)
			fail := func(format string, args ...any) {
				t.Helper()
				t.Errorf("client %q of %s: %s", c.DisplayName(), org.Name, fmt.Sprintf(format, args...))
			}
			endsWithMarker := func(what, text string) {
				t.Helper()
				if !strings.HasSuffix(text, " "+marker) {
					fail("%s %q does not end with the organisation's marker %s", what, text, marker)
				}
			}
			recordedByStaff := func(what, userID string) {
				t.Helper()
				if u := users[userID]; u.OrgID != org.ID || (u.Role != waymark.RoleFrontline && u.Role != waymark.RoleSafeguardingLead) {
					fail("%s recorded by %+v, want a frontline worker or safeguarding lead of the organisation", what, u)
				}
			}
			a := j.Answers
			if a.Version != 1 || a.ImmediateDanger != waymark.AnswerNo {
				fail("answers %+v, want saved once, with no immediate danger", a)
			}
			child := a.Under18 != waymark.Under18No
			if derived := c.IsUnder18(now); child && derived != a.Under18 && !(a.Under18 == waymark.Under18NotSure && derived == waymark.Under18NotRecorded) {
				fail("answered under 18 %q, but the record says %q", a.Under18, derived)
			} else if !child && (derived == waymark.Under18Yes || derived == waymark.Under18NotSure) {
				fail("answered as an adult, but the record says under 18 %q", derived)
			}

			var consented, refused string // the dates of the latest consent, given or refused
			for _, cs := range j.Consents {
				recordedByStaff("consent", cs.RecordedBy)
				if !slices.ContainsFunc(s.users, func(u waymark.User) bool {
					return u.Name == cs.AskedBy && u.OrgID == org.ID && (u.Role == waymark.RoleFrontline || u.Role == waymark.RoleSafeguardingLead)
				}) {
					fail("consent asked by %q, want a worker of the organisation", cs.AskedBy)
				}
				consented, refused = "", ""
				switch cs.Answer {
				case waymark.ConsentGiven:
					consented = cs.AnsweredOn
					if !cs.ExplainedNRM || !cs.ExplainedSupport || !cs.ExplainedOutcomes || !cs.ExplainedSharing {
						fail("consent given without every explanation: %+v", cs)
					}
				case waymark.ConsentRefused:
					refused = cs.AnsweredOn
					endsWithMarker("refusal reason", cs.RefusalReason)
					if cs.AskAgainOn <= today {
						fail("asked again on %s, want after today", cs.AskAgainOn)
					}
				}
			}
			if child && len(j.Consents) > 0 {
				fail("a child was asked to consent")
			}

			childrensServices := ""
			for _, st := range j.Steps {
				recordedByStaff("step", st.RecordedBy)
				endsWithMarker("step note", st.Note)
				if st.On > today {
					fail("step %s dated %s, in the future", st.Kind, st.On)
				}
				switch st.Kind {
				case waymark.StepChildrensServices:
					childrensServices = st.On
					if !child || st.Outcome != waymark.StepDone {
						fail("children's services step %s for under 18 %q", st.Outcome, a.Under18)
					}
				case waymark.StepPoliceReport:
					if !crimeRef.MatchString(st.Reference) {
						fail("crime reference %q, want one like NMP/2026/04512", st.Reference)
					}
				case waymark.StepPartnerReferral:
					if org.FirstResponder || j.Partner == nil || !strings.Contains(st.Note, j.Partner.Name) {
						fail("partner referral step %q at an organisation with partner %v", st.Note, j.Partner)
					}
				case waymark.StepHomelessnessApplication, waymark.StepAdultSafeguarding:
					if child {
						fail("step %s for a child", st.Kind)
					}
				}
			}

			if j.Partner != nil && (!j.Partner.FirstResponder || j.Partner.ID == org.ID) {
				fail("partner %s is not another First Responder", j.Partner.Name)
			}
			if len(j.Referrals) > 1 {
				fail("%d referrals, want at most one", len(j.Referrals))
			}
			referred := ""
			if ref := j.FirstReferral(); ref != nil {
				referred = ref.SubmittedOn
				recordedByStaff("referral", ref.RecordedBy)
				switch {
				case org.FirstResponder && ref.FirstResponderOrgID != org.ID:
					fail("referred by %s, want the organisation itself, a First Responder", ref.FirstResponderName)
				case !org.FirstResponder && (j.Partner == nil || ref.FirstResponderOrgID != j.Partner.ID):
					fail("referred by %s, want the partner the answers name (%v)", ref.FirstResponderName, j.Partner)
				}
				if !nrmRef.MatchString(ref.Reference) || refs[ref.Reference] {
					fail("referral reference %q is malformed or used twice", ref.Reference)
				}
				refs[ref.Reference] = true
				switch {
				case child && (childrensServices == "" || ref.SubmittedOn < childrensServices):
					fail("a child referred on %s, children's services on %q", ref.SubmittedOn, childrensServices)
				case !child && (consented == "" || ref.SubmittedOn < consented):
					fail("referred on %s, consent given on %q", ref.SubmittedOn, consented)
				}
			} else if child {
				fail("a child with no referral")
			}

			var rg, cg *waymark.NRMDecision
			for _, d := range j.Decisions {
				recordedByStaff("decision", d.RecordedBy)
				switch {
				case referred == "" || d.DecidedOn < referred:
					fail("decision dated %s, referral %q", d.DecidedOn, referred)
				case d.Stage == waymark.ReasonableGrounds && rg == nil:
					rg = d
				case d.Stage == waymark.ConclusiveGrounds && cg == nil && rg != nil && rg.Outcome == waymark.OutcomePositive && d.DecidedOn > rg.DecidedOn:
					cg = d
				default:
					fail("decision %+v out of order", d)
				}
			}
			for _, m := range j.Milestones {
				recordedByStaff("milestone", m.RecordedBy)
				endsWithMarker("milestone note", m.Note)
				if rg == nil || rg.Outcome != waymark.OutcomePositive || m.On <= rg.DecidedOn {
					fail("milestone %s on %s without a positive reasonable grounds decision before it", m.Kind, m.On)
				}
				if m.On > today && m.Kind != "victim_care_end" {
					fail("milestone %s dated %s, in the future", m.Kind, m.On)
				}
				if child != (m.Kind == "guardian_appointed") {
					fail("milestone %s for under 18 %q", m.Kind, a.Under18)
				}
			}
			for _, d := range j.DutyToNotify {
				recordedByStaff("Duty to Notify report", d.RecordedBy)
				if !org.SpecifiedPublicAuthority || refused == "" || d.SubmittedOn < refused || d.SubmittedOn > today {
					fail("Duty to Notify report on %s at an organisation that is a specified public authority: %v, refused on %q", d.SubmittedOn, org.SpecifiedPublicAuthority, refused)
				}
			}
		}
	})

	t.Run("journeys are spread over the organisations", func(t *testing.T) {
		byOrg := map[string]int{}
		for _, j := range s.journeys {
			byOrg[j.Organisation.Name]++
		}
		for _, o := range r.Organisations {
			if o.Type != waymark.OrgOther && byOrg[o.Name] == 0 {
				t.Errorf("%s has no journeys: %v", o.Name, byOrg)
			}
		}
	})
}

func TestGenerateJourneysIsDeterministic(t *testing.T) {
	run := func(prefix string, journeys bool) *fakeStore {
		s := &fakeStore{prefix: prefix}
		services := s.allServices()
		if !journeys {
			services.Journeys = nil
		}
		if _, err := demo.Generate(context.Background(), services, demo.Options{Seed: 42, PasswordHash: hash, Today: today}); err != nil {
			t.Fatalf("Generate: %v", err)
		}
		return s
	}
	first, second, without := run("first-", true), run("second-", true), run("without-", false)
	ignoreIDs := cmp.Options{
		cmpopts.IgnoreFields(waymark.Organisation{}, "ID", "CreatedAt", "UpdatedAt"),
		cmpopts.IgnoreFields(waymark.Client{}, "ID", "OrgID", "CreatedBy", "CreatedAt", "UpdatedAt"),
		cmpopts.IgnoreFields(waymark.PathwayAnswers{}, "PartnerOrgID", "UpdatedBy"),
		cmpopts.IgnoreFields(waymark.NRMConsent{}, "ID", "ClientID", "RecordedBy"),
		cmpopts.IgnoreFields(waymark.StepRecord{}, "ID", "ClientID", "RecordedBy"),
		cmpopts.IgnoreFields(waymark.NRMReferral{}, "ID", "ClientID", "FirstResponderOrgID", "RecordedBy"),
		cmpopts.IgnoreFields(waymark.NRMDecision{}, "ID", "ClientID", "RecordedBy"),
		cmpopts.IgnoreFields(waymark.NRMMilestone{}, "ID", "ClientID", "RecordedBy"),
		cmpopts.IgnoreFields(waymark.DutyToNotifyRecord{}, "ID", "ClientID", "RecordedBy"),
	}

	t.Run("the same seed makes the same journeys", func(t *testing.T) {
		if len(first.journeys) == 0 {
			t.Fatal("no journeys")
		}
		if diff := cmp.Diff(first.journeys, second.journeys, ignoreIDs); diff != "" {
			t.Errorf("two runs with the same seed made different journeys (-first +second):\n%s", diff)
		}
	})
	t.Run("recording journeys does not change the clients", func(t *testing.T) {
		if diff := cmp.Diff(without.clients, first.clients, ignoreIDs); diff != "" {
			t.Errorf("clients differ (-without journeys +with):\n%s", diff)
		}
		if len(without.journeys) != 0 {
			t.Errorf("%d journeys recorded without a journey service", len(without.journeys))
		}
	})
	t.Run("another seed makes other journeys", func(t *testing.T) {
		s := &fakeStore{prefix: "other-"}
		if _, err := demo.Generate(context.Background(), s.allServices(), demo.Options{Seed: 43, PasswordHash: hash, Today: today}); err != nil {
			t.Fatalf("Generate: %v", err)
		}
		if cmp.Equal(first.journeys, s.journeys, ignoreIDs) {
			t.Error("seeds 42 and 43 made the same journeys")
		}
	})
}
