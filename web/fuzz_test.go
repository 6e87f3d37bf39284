package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

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

// FuzzClientForm feeds submitted client forms: reading them never panics, and whatever validation
// accepts is within its limits.
func FuzzClientForm(f *testing.F) {
	f.Add("given_name=Ionut&family_name=Popa&known_as=Johnny%0AIon&estimated_age=35&gender=male&nationalities=ro,+md&languages=RO&contact_kind_0=phone&contact_value_0=07700+900123&contact_safe_0=no&support_needs=drugs")
	f.Add("given_name=&estimated_age=abc&date_of_birth=1990-13-45&contact_value_2=x")
	f.Add("known_as=%0D%0A%0D%0A&nationalities=GBR&gender=%3Cscript%3E")
	f.Add("given_name=A&nationalities=RO&nationalities=&nationalities=md&languages=ckb&date_of_birth-day=29&date_of_birth-month=feb&date_of_birth-year=2000")
	f.Add("given_name=A&date_of_birth-day=1&date_of_birth-year=19x0")
	f.Fuzz(func(t *testing.T, form string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		c, fields := clientFromForm(v)
		if len(fields) > 0 {
			return
		}
		if err := c.Validate(); err == nil {
			if len(c.Contacts) > maxContactRows || c.EstimatedAge < 0 || !c.Gender.Valid() || !c.Situation.Valid() {
				t.Errorf("accepted %+v from %q", c, form)
			}
			for _, n := range c.KnownAs {
				if n == "" || strings.ContainsAny(n, "\r\n") {
					t.Errorf("accepted other name %q", n)
				}
			}
		}
		clientFormValues(&c)
	})
}

// FuzzDateInput feeds the three boxes of a date input: reading them never panics; a date read
// without a message is a real date of the precision the boxes give, and shows in the boxes again.
func FuzzDateInput(f *testing.F) {
	f.Add("23", "4", "1990", true)
	f.Add("", "April", "1990", true)
	f.Add("31", "2", "2024", false)
	f.Add("", "", "2024", false)
	f.Add(" 1 ", "sept", "0000", true)
	f.Add("-1", "13", "１９９０", true)
	f.Fuzz(func(t *testing.T, day, month, year string, partial bool) {
		in := dateInput{"d", "The date", partial}
		date, msg := readDate(in, day, month, year)
		if msg != "" {
			if date != "" {
				t.Errorf("readDate(%q, %q, %q) = %q with message %q; want no date", day, month, year, date, msg)
			}
			return
		}
		layout := map[int]string{0: "", 4: "2006", 7: "2006-01", 10: time.DateOnly}[len(date)]
		if _, err := time.Parse(layout, date); len(date) > 0 && (layout == "" || err != nil) {
			t.Fatalf("readDate(%q, %q, %q) = %q, not a date", day, month, year, date)
		}
		if !partial && date != "" && len(date) != 10 {
			t.Errorf("readDate(%q, %q, %q) = %q; a full date was needed", day, month, year, date)
		}
		shown := newDateInput(Form{Values: url.Values{"d": {date}}}, "d", "", "")
		if again, msg := readDate(in, shown.Day, shown.Month, shown.Year); again != date || msg != "" {
			t.Errorf("%q shows as %+v, read back as %q (%q)", date, shown, again, msg)
		}
	})
}
