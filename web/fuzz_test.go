package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"waymark"
)

// FuzzDecodeJSON feeds API bodies: decoding never panics and errors are validation errors.
func FuzzDecodeJSON(f *testing.F) {
	f.Add(`{"name": "Harbour", "type": "police"}`)
	f.Add(`{"name": 1}`)
	f.Add(`{"unknown": true}`)
	f.Add(`{} {}`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, body string) {
		var in struct {
			Name           string `json:"name"`
			Type           string `json:"type"`
			RequireTwoStep *bool  `json:"require_two_step"`
		}
		r := httptest.NewRequest("POST", "/api/v1/organisations", strings.NewReader(body))
		if err := decodeJSON(r, &in); err != nil {
			if waymark.ErrorCode(err) != waymark.EINVALID || strings.Contains(waymark.ErrorMessage(err), body) && len(body) > 20 {
				t.Errorf("decode error %v for %q", err, body)
			}
		}
	})
}

// FuzzForms feeds submitted forms and query strings to the readers of outside input.
func FuzzForms(f *testing.F) {
	f.Add("name=Harbour&type=police&first_responder=yes", "offset=0&limit=10&page=2")
	f.Add("name=%00&type=", "limit=-1&offset=99999999999")
	f.Add("%zz", "page=abc")
	f.Fuzz(func(t *testing.T, form, query string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		var o waymark.Organisation
		organisationFromForm(v).Apply(&o)
		if err := o.Validate(); err == nil && !o.Type.Valid() {
			t.Errorf("invalid type accepted from %q", form)
		}
		r := httptest.NewRequest("GET", "/x?"+url.PathEscape(query), nil)
		r.URL.RawQuery = query
		if p, err := apiPage(r); err == nil && (p.Limit < 1 || p.Limit > waymark.MaxPageSize || p.Offset < 0) {
			t.Errorf("page %+v from %q", p, query)
		}
		if p, n := pageFrom(r); p.Offset < 0 || n < 1 {
			t.Errorf("page %+v, %d from %q", p, n, query)
		}
	})
}
