package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"waymark"
)

// xssName is a stored-XSS payload in a directory entry's free text: it must render inert.
const xssName = `<script>alert("dir")</script><img src=x onerror=alert(1)>`

// directoryServices are two entries for the render tests: another organisation's safe house, its
// location withheld, and one of the reader's own with a hostile name and description.
func directoryServices() []*waymark.DirectoryService {
	now := time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC)
	safe := &waymark.DirectoryService{ID: "d1", OrgID: "org2", OrgName: "Harbour <Street> Outreach", Name: "Haven House", Status: waymark.ServiceActive,
		Needs: []waymark.ServiceNeed{"safe_accommodation"}, MinAge: 18, Genders: []waymark.Gender{"female"}, AcceptsChildren: true, AcceptsNRPF: true,
		ConfidentialLocation: true, Address: "7 Secret Row", Capacity: 2, CapacityKnown: true, CapacityUpdatedAt: now, Version: 1}
	safe.WithholdLocation("org1")
	mine := &waymark.DirectoryService{ID: "d2", OrgID: "org1", OrgName: "Lantern", Name: xssName, Description: xssName + "\nsecond line",
		Status: waymark.ServiceTemporarilyClosed, Needs: []waymark.ServiceNeed{"legal_advice", "interpreting"}, Languages: []string{"pl"},
		Area: "Northmoor", Email: "legal@example.org", Phone: "0113 496 0000", URL: "https://example.org/legal", Address: "1 High Street",
		Town: "Northmoor", Postcode: "NM1 1AA", Version: 4}
	return []*waymark.DirectoryService{safe, mine}
}

func directoryPageData(l Layout, f Form) DirectoryIndexPage {
	return DirectoryIndexPage{Layout: l, Form: f, Services: directoryServices(), Pager: Pager{Page: 1, Pages: 1, Total: 2}, Options: directoryOptions(),
		CanManage: true, OrgID: "org1"}
}

func directoryServicePageData(l Layout, f Form) DirectoryServicePage {
	return DirectoryServicePage{Layout: l, Service: directoryServices()[1], CanManage: true, CapacityForm: f}
}

func directoryFormPageData(l Layout, f Form) DirectoryFormPage {
	return DirectoryFormPage{Layout: l, Service: directoryServices()[1], Form: f, Options: directoryOptions()}
}

func TestDirectoryPagesRender(t *testing.T) {
	s, err := New(Services{}, Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	l := Layout{Title: "Title", Nonce: "n0nce"}
	render := func(t *testing.T, page string, data any) string {
		t.Helper()
		w := httptest.NewRecorder()
		if err := s.render(w, httptest.NewRequest("GET", "/", nil), http.StatusOK, page, data); err != nil {
			t.Fatal(err)
		}
		body := w.Body.String()
		if strings.Contains(body, "ZgotmplZ") || strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || strings.Contains(body, "<Street>") {
			t.Errorf("%s has a refused or unescaped value", page)
		}
		return body
	}
	t.Run("the search keeps its filters, lists services and withholds a confidential location", func(t *testing.T) {
		f := Form{Values: url.Values{"need": {"safe_accommodation"}, "age": {"34"}, "gender": {"female"}, "children": {"yes"}, "nrpf": {"yes"}, "language": {"pl"}, "q": {"kept <q>"}}}
		body := render(t, "directory", directoryPageData(l, f))
		for _, want := range []string{`method="get" action="/directory"`, `<option value="safe_accommodation" selected>`, `value="34"`, `<option value="female" selected>`,
			`id="children" name="children" type="checkbox" value="yes" checked`, `<option value="pl" selected>`, "kept &lt;q&gt;",
			waymark.ConfidentialLocationText, "Ages 18 or over; Women; children welcome; NRPF accepted", "2 places available", "Temporarily closed",
			"1 High Street, Northmoor, NM1 1AA", `href="/directory/d1"`, `href="/directory/new"`, `href="/directory/import"`, `href="/directory/export"`,
			"&lt;script&gt;alert(&#34;dir&#34;)&lt;/script&gt;"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Contains(body, "7 Secret Row") {
			t.Error("the search shows a withheld location")
		}
	})
	t.Run("a search with a wrong age says how to fix it", func(t *testing.T) {
		p := directoryPageData(l, Form{Values: url.Values{"age": {"old"}}, Errs: map[string]string{"age": "Enter the person's age as a whole number of years, for example 34"}})
		p.Services, p.Errors = nil, []FieldError{{Field: "age", Message: "Enter the person's age as a whole number of years, for example 34"}}
		body := render(t, "directory", p)
		if !strings.Contains(body, `id="age-error"`) || strings.Contains(body, "No services match") {
			t.Error("the age error is not shown")
		}
	})
	t.Run("the service page, its own organisation's, with the capacity form", func(t *testing.T) {
		body := render(t, "directory-service", directoryServicePageData(l, Form{Values: url.Values{"version": {"4"}, "capacity": {"3"}}}))
		for _, want := range []string{"Legal advice, Interpreting", "Polish", `href="mailto:legal@example.org"`, `href="https://example.org/legal"`,
			`action="/directory/d2/capacity"`, `name="version" value="4"`, `href="/directory/d2/edit"`, "Not known", "1 High Street"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
	})
	t.Run("another organisation's safe house shows no address and no forms", func(t *testing.T) {
		p := directoryServicePageData(l, Form{Values: url.Values{}})
		p.Service, p.CanManage = directoryServices()[0], false
		body := render(t, "directory-service", p)
		if !strings.Contains(body, waymark.ConfidentialLocationText) || strings.Contains(body, "7 Secret Row") || strings.Contains(body, "/capacity") || strings.Contains(body, "/edit") {
			t.Error("the safe house page shows its location or forms")
		}
	})
	t.Run("the form keeps what was typed, with errors", func(t *testing.T) {
		f := Form{Values: url.Values{"name": {"kept <name>"}, "needs": {"healthcare"}, "status": {"inactive"}, "languages": {"ro"}, "confidential_location": {"yes"}, "version": {"4"}},
			Errs: map[string]string{"minimum_age": "Enter the minimum age", "needs": "Choose at least one need"}}
		body := render(t, "directory-form", directoryFormPageData(l, f))
		for _, want := range []string{`action="/directory/d2"`, "kept &lt;name&gt;", `value="healthcare" checked`, `value="inactive" checked`,
			`<option value="ro" selected>`, `id="confidential_location" name="confidential_location" type="checkbox" value="yes" checked`,
			`id="minimum_age-error"`, `id="needs-error"`, `name="version" value="4"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
	})
	t.Run("the import page lists each record's problem", func(t *testing.T) {
		l := l
		l.Errors = []FieldError{{Field: "file", Message: `service 3 (id "abc", name "<b>Safe</b>"): minimum_age: The minimum age must be a whole number of years, for example 18`}}
		body := render(t, "directory-import", DirectoryImportPage{Layout: l, Form: Form{Values: url.Values{}, Errs: map[string]string{"file": "Nothing was imported"}}})
		for _, want := range []string{`enctype="multipart/form-data"`, `href="#file"`, "service 3 (id &#34;abc&#34;, name &#34;&lt;b&gt;Safe&lt;/b&gt;&#34;)", `id="file-error"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the import page lacks %q", want)
			}
		}
	})
}

func TestDirectoryFilterFromQuery(t *testing.T) {
	f, fields := directoryFilterFrom(url.Values{"need": {"legal_advice"}, "age": {" 17 "}, "gender": {"male"}, "children": {"yes"}, "language": {"PL"}, "q": {" a  b "}})
	if len(fields) != 0 || f.Need != "legal_advice" || f.Age != 17 || f.Gender != "male" || !f.WithChildren || f.NRPF || f.Language != "pl" || f.Text != "a b" {
		t.Errorf("filter %+v, problems %v", f, fields)
	}
	_, fields = directoryFilterFrom(url.Values{"need": {"massage"}, "age": {"-1"}, "gender": {"x"}, "language": {"zz"}})
	for _, k := range []string{"need", "age", "gender", "language"} {
		if fields[k] == "" {
			t.Errorf("no problem with %s in %v", k, fields)
		}
	}
}
