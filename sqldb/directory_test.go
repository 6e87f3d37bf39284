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

// safeHouseAddress is a confidential address: no one outside its organisation may ever see it.
const safeHouseAddress = "7 SAFEHOUSE-MARKER-4f2a Row"

func serviceNames(list []*waymark.DirectoryService) []string {
	var out []string
	for _, d := range list {
		out = append(out, d.Name)
	}
	return out
}

func TestDirectory(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewDirectoryService(e.db)
		trust := e.org(t, "Directory Freedom Trust", false)
		hostel := e.org(t, "Directory Hostel", false)
		_, manager := e.user(t, trust, waymark.RoleManager)
		_, trustWorker := e.user(t, trust, waymark.RoleFrontline)
		_, hostelAdmin := e.user(t, hostel, waymark.RoleOrgAdmin)
		_, hostelWorker := e.user(t, hostel, waymark.RoleFrontline)
		_, analyst := e.user(t, hostel, waymark.RoleAnalyst)

		safeHouse := &waymark.DirectoryService{Name: "Haven House", Description: "Safe house for women and their children.", Status: waymark.ServiceActive,
			Needs: []waymark.ServiceNeed{"safe_accommodation", "modern_slavery_support"}, MinAge: 18, Genders: []waymark.Gender{"female"},
			AcceptsChildren: true, AcceptsNRPF: true, Languages: []string{"pl", "ro"}, Area: "Northmoor", Phone: "0113 496 0000",
			Address: safeHouseAddress, Town: "Northmoor", Postcode: "nm1  2ab", ConfidentialLocation: true, Capacity: 2, CapacityKnown: true}
		var legal *waymark.DirectoryService
		t.Run("a manager adds the organisation's services", func(t *testing.T) {
			mustOK(t, svc.CreateDirectoryService(ctx, manager, safeHouse))
			if safeHouse.OrgID != trust.ID || safeHouse.Version != 1 || safeHouse.Postcode != "NM1 2AB" || !safeHouse.CapacityUpdatedAt.Equal(e.clock.Now()) {
				t.Errorf("created %+v", safeHouse)
			}
			legal = &waymark.DirectoryService{Name: "Harbour Legal Clinic", Description: "Immigration and legal advice drop-in.", Status: waymark.ServiceActive,
				Needs: []waymark.ServiceNeed{"legal_advice", "immigration_advice"}, Area: "Northmoor City", Email: "clinic@example.org",
				URL: "https://example.org/clinic", Address: "1 High Street", Town: "Northmoor", Postcode: "NM1 1AA"}
			mustOK(t, svc.CreateDirectoryService(ctx, hostelAdmin, legal))
			youth := &waymark.DirectoryService{Name: "Young Persons Hostel", Status: waymark.ServiceTemporarilyClosed,
				Needs: []waymark.ServiceNeed{"emergency_accommodation"}, MinAge: 16, MaxAge: 25, Genders: []waymark.Gender{"male", "female"}}
			mustOK(t, svc.CreateDirectoryService(ctx, hostelAdmin, youth))
		})
		t.Run("each rule refuses with a message for its field", func(t *testing.T) {
			ok := waymark.DirectoryService{Name: "X", Status: waymark.ServiceActive, Needs: []waymark.ServiceNeed{"healthcare"}}
			for name, tc := range map[string]struct {
				change func(d *waymark.DirectoryService)
				field  string
			}{
				"no name":           {func(d *waymark.DirectoryService) { d.Name = " " }, "name"},
				"unknown status":    {func(d *waymark.DirectoryService) { d.Status = "open" }, "status"},
				"no needs":          {func(d *waymark.DirectoryService) { d.Needs = nil }, "needs"},
				"unknown need":      {func(d *waymark.DirectoryService) { d.Needs = []waymark.ServiceNeed{"massage"} }, "needs"},
				"negative age":      {func(d *waymark.DirectoryService) { d.MinAge = -1 }, "minimum_age"},
				"max below min":     {func(d *waymark.DirectoryService) { d.MinAge, d.MaxAge = 30, 20 }, "maximum_age"},
				"unknown gender":    {func(d *waymark.DirectoryService) { d.Genders = []waymark.Gender{"not_known"} }, "genders"},
				"unknown language":  {func(d *waymark.DirectoryService) { d.Languages = []string{"xx"} }, "languages"},
				"bad email":         {func(d *waymark.DirectoryService) { d.Email = "not an email" }, "email"},
				"bad phone":         {func(d *waymark.DirectoryService) { d.Phone = "call us" }, "phone"},
				"script url":        {func(d *waymark.DirectoryService) { d.URL = "javascript:alert(1)" }, "url"},
				"negative capacity": {func(d *waymark.DirectoryService) { d.Capacity, d.CapacityKnown = -1, true }, "capacity"},
				"long description":  {func(d *waymark.DirectoryService) { d.Description = string(bytes.Repeat([]byte("x"), 5001)) }, "description"},
				"area with a tab":   {func(d *waymark.DirectoryService) { d.Area = "a\tb" }, "service_area"},
			} {
				d := ok
				tc.change(&d)
				err := svc.CreateDirectoryService(ctx, manager, &d)
				wantCode(t, err, waymark.EINVALID)
				if diff := cmp.Diff([]string{tc.field}, keys(waymark.ErrorFields(err))); diff != "" {
					t.Errorf("%s: fields (-want +got):\n%s", name, diff)
				}
			}
		})
		t.Run("only managers and admins change the directory", func(t *testing.T) {
			err := svc.CreateDirectoryService(ctx, hostelWorker, &waymark.DirectoryService{Name: "X", Status: "active", Needs: []waymark.ServiceNeed{"healthcare"}})
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = svc.UpdateDirectoryService(ctx, trustWorker, safeHouse.ID, 1, *safeHouse)
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = svc.ImportDirectory(ctx, analyst, []waymark.DirectoryService{*legal})
			wantCode(t, err, waymark.EFORBIDDEN)
		})
		t.Run("search by need and eligibility", func(t *testing.T) {
			for name, tc := range map[string]struct {
				f    waymark.DirectoryFilter
				want []string
			}{
				"everything, open services first": {waymark.DirectoryFilter{}, []string{"Harbour Legal Clinic", "Haven House", "Young Persons Hostel"}},
				"by need":                         {waymark.DirectoryFilter{Need: "safe_accommodation"}, []string{"Haven House"}},
				"a 17-year-old":                   {waymark.DirectoryFilter{Age: 17}, []string{"Harbour Legal Clinic", "Young Persons Hostel"}},
				"a 40-year-old man":               {waymark.DirectoryFilter{Age: 40, Gender: "male"}, []string{"Harbour Legal Clinic"}},
				"a woman":                         {waymark.DirectoryFilter{Gender: "female"}, []string{"Harbour Legal Clinic", "Haven House", "Young Persons Hostel"}},
				"with children and NRPF":          {waymark.DirectoryFilter{WithChildren: true, NRPF: true}, []string{"Haven House"}},
				"speaking Romanian":               {waymark.DirectoryFilter{Language: "RO"}, []string{"Haven House"}},
				"by words":                        {waymark.DirectoryFilter{Text: "immigration DROP"}, []string{"Harbour Legal Clinic"}},
				"wildcards are literal":           {waymark.DirectoryFilter{Text: "%"}, nil},
				"never by a confidential address": {waymark.DirectoryFilter{Text: "SAFEHOUSE-MARKER"}, nil},
				"one organisation's":              {waymark.DirectoryFilter{OrgID: hostel.ID}, []string{"Harbour Legal Clinic", "Young Persons Hostel"}},
			} {
				got, total, err := svc.FindDirectoryServices(ctx, hostelWorker, tc.f)
				mustOK(t, err)
				if diff := cmp.Diff(tc.want, serviceNames(got)); diff != "" || total != len(tc.want) {
					t.Errorf("%s: total %d, services (-want +got):\n%s", name, total, diff)
				}
			}
			got, total, err := svc.FindDirectoryServices(ctx, hostelWorker, waymark.DirectoryFilter{Page: waymark.Page{Offset: 1, Limit: 1}})
			mustOK(t, err)
			if total != 3 || len(got) != 1 || got[0].Name != "Haven House" {
				t.Errorf("second page of one: %d of %v", total, serviceNames(got))
			}
			_, _, err = svc.FindDirectoryServices(ctx, hostelWorker, waymark.DirectoryFilter{Need: "massage", Age: 300})
			wantCode(t, err, waymark.EINVALID)
			_, _, err = svc.FindDirectoryServices(ctx, waymark.Actor{}, waymark.DirectoryFilter{})
			wantCode(t, err, waymark.EUNAUTHORIZED)
		})
		t.Run("a confidential location is withheld from other organisations everywhere", func(t *testing.T) {
			check := func(where string, d *waymark.DirectoryService) {
				t.Helper()
				if d.Address != "" || d.Postcode != "" || d.Town != "" || !d.LocationWithheld || d.LocationText() != waymark.ConfidentialLocationText {
					t.Errorf("%s: another organisation sees the location of %+v", where, d)
				}
			}
			d, err := svc.FindDirectoryService(ctx, hostelWorker, safeHouse.ID)
			mustOK(t, err)
			check("read", d)
			list, _, err := svc.FindDirectoryServices(ctx, hostelAdmin, waymark.DirectoryFilter{Need: "safe_accommodation"})
			mustOK(t, err)
			check("search", list[0])
			exported, err := svc.ExportDirectory(ctx, hostelAdmin, "")
			mustOK(t, err)
			for _, x := range exported {
				if x.ID == safeHouse.ID {
					check("export", x)
				}
			}
			own, err := svc.FindDirectoryService(ctx, trustWorker, safeHouse.ID)
			mustOK(t, err)
			if own.Address != safeHouseAddress || own.LocationWithheld || own.Postcode != "NM1 2AB" {
				t.Errorf("its own organisation sees %+v", own)
			}
			ownExport, err := svc.ExportDirectory(ctx, manager, trust.ID)
			mustOK(t, err)
			if len(ownExport) != 1 || ownExport[0].Address != safeHouseAddress {
				t.Errorf("its own organisation's export: %+v", ownExport)
			}
			// A public location is shown to everyone.
			pub, err := svc.FindDirectoryService(ctx, trustWorker, legal.ID)
			mustOK(t, err)
			if pub.Address != "1 High Street" || pub.LocationWithheld {
				t.Errorf("a public location: %+v", pub)
			}
			// At rest the address is sealed with the organisation's key.
			var loc []byte
			mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT location FROM directory_services WHERE id = $1`, safeHouse.ID).Scan(&loc))
			if bytes.Contains(loc, []byte("SAFEHOUSE")) {
				t.Error("the location is stored in clear")
			}
		})
		t.Run("changes are versioned and kept to the organisation", func(t *testing.T) {
			change := *safeHouse
			change.Description = "Changed."
			updated, err := svc.UpdateDirectoryService(ctx, manager, safeHouse.ID, 1, change)
			mustOK(t, err)
			if updated.Version != 2 || updated.Description != "Changed." || updated.Address != safeHouseAddress {
				t.Errorf("updated %+v", updated)
			}
			_, err = svc.UpdateDirectoryService(ctx, manager, safeHouse.ID, 1, change)
			wantCode(t, err, waymark.ECONFLICT)
			_, err = svc.UpdateDirectoryService(ctx, hostelAdmin, safeHouse.ID, 2, change)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = svc.UpdateDirectoryCapacity(ctx, hostelAdmin, safeHouse.ID, 2, 5, true)
			wantCode(t, err, waymark.ENOTFOUND)
			e.clock.Advance(time.Hour)
			capped, err := svc.UpdateDirectoryCapacity(ctx, manager, safeHouse.ID, 2, 0, true)
			mustOK(t, err)
			if capped.Version != 3 || capped.Capacity != 0 || !capped.CapacityKnown || !capped.CapacityUpdatedAt.Equal(e.clock.Now()) || capped.CapacityText() != "No places available" {
				t.Errorf("capacity update %+v", capped)
			}
			_, err = svc.UpdateDirectoryCapacity(ctx, manager, safeHouse.ID, 3, -4, true)
			wantCode(t, err, waymark.EINVALID)
			// The description changing leaves the capacity's date alone.
			e.clock.Advance(time.Hour)
			change = *capped
			change.Description = "Again."
			again, err := svc.UpdateDirectoryService(ctx, manager, safeHouse.ID, 3, change)
			mustOK(t, err)
			if !again.CapacityUpdatedAt.Equal(capped.CapacityUpdatedAt) {
				t.Errorf("capacity date moved to %v without a capacity change", again.CapacityUpdatedAt)
			}
		})
		t.Run("an import with a bad record changes nothing and names the record", func(t *testing.T) {
			good := waymark.DirectoryService{ID: "ext-1", Name: "Imported Clinic", Status: "active", Needs: []waymark.ServiceNeed{"healthcare"}}
			bad := waymark.DirectoryService{ID: "ext-2", Name: "Safe Haven", Status: "active", Needs: []waymark.ServiceNeed{"healthcare"}, MinAge: -3}
			_, err := svc.ImportDirectory(ctx, hostelAdmin, []waymark.DirectoryService{good, bad})
			wantCode(t, err, waymark.EINVALID)
			problems := waymark.SortedProblems(err)
			if len(problems) != 1 || !strings.HasPrefix(problems[0], `service 2 (id "ext-2", name "Safe Haven"): minimum_age: `) {
				t.Errorf("problems %q", problems)
			}
			list, _, err := svc.FindDirectoryServices(ctx, hostelWorker, waymark.DirectoryFilter{Text: "imported"})
			mustOK(t, err)
			if len(list) != 0 {
				t.Errorf("a failed import stored %v", serviceNames(list))
			}
			_, err = svc.ImportDirectory(ctx, hostelAdmin, []waymark.DirectoryService{good, good})
			wantCode(t, err, waymark.EINVALID)
		})
		t.Run("an import creates, then updates by id; another organisation's service is never touched", func(t *testing.T) {
			in := []waymark.DirectoryService{
				{ID: "ext-1", Name: "Imported Clinic", Status: "active", Needs: []waymark.ServiceNeed{"healthcare"}, Capacity: 3, CapacityKnown: true},
				{ID: legal.ID, Name: "Harbour Legal Clinic (renamed)", Status: "active", Needs: []waymark.ServiceNeed{"legal_advice"}},
				{ID: safeHouse.ID, Name: "Hijacked", Status: "defunct", Needs: []waymark.ServiceNeed{"healthcare"}},
			}
			res, err := svc.ImportDirectory(ctx, hostelAdmin, in)
			mustOK(t, err)
			if res != (waymark.ImportResult{Created: 2, Updated: 1}) {
				t.Errorf("result %+v", res)
			}
			d, err := svc.FindDirectoryService(ctx, hostelAdmin, legal.ID)
			mustOK(t, err)
			if d.Name != "Harbour Legal Clinic (renamed)" || d.Version != 2 {
				t.Errorf("updated by import: %+v", d)
			}
			sh, err := svc.FindDirectoryService(ctx, manager, safeHouse.ID)
			mustOK(t, err)
			if sh.Name != "Haven House" {
				t.Errorf("an import changed another organisation's service: %+v", sh)
			}
			res, err = svc.ImportDirectory(ctx, hostelAdmin, in[:1])
			mustOK(t, err)
			if res != (waymark.ImportResult{Updated: 1}) {
				t.Errorf("a second import of the same id: %+v", res)
			}
		})
		t.Run("an import never makes a safe house's address public, nor drops an address it does not give", func(t *testing.T) {
			// The trust's own file, from a system that knows nothing of confidential locations.
			_, err := svc.ImportDirectory(ctx, manager, []waymark.DirectoryService{{ID: safeHouse.ID, Name: "Haven House", Status: "active",
				Needs: []waymark.ServiceNeed{"safe_accommodation"}}})
			mustOK(t, err)
			own, err := svc.FindDirectoryService(ctx, manager, safeHouse.ID)
			mustOK(t, err)
			if !own.ConfidentialLocation || own.Address != safeHouseAddress {
				t.Errorf("after the import the safe house is %+v; want it still confidential, with its address", own)
			}
			other, err := svc.FindDirectoryService(ctx, hostelWorker, safeHouse.ID)
			mustOK(t, err)
			if other.Address != "" || !other.LocationWithheld {
				t.Errorf("after the import another organisation sees %+v", other)
			}
		})
		t.Run("changes, imports and exports are audited; searches are not", func(t *testing.T) {
			counts := e.countActions(t)
			for action, want := range map[string]int{waymark.AuditDirectoryCreated: 3, waymark.AuditDirectoryUpdated: 3,
				waymark.AuditDirectoryImported: 3, waymark.AuditDirectoryExported: 2} {
				if counts[action] != want {
					t.Errorf("%d %s entries, want %d", counts[action], action, want)
				}
			}
		})
	})
}
