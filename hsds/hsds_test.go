package hsds_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/hsds"
)

// sampleFile is an HSDS 3 page of two services, as another directory might send it: more fields
// than Waymark models, which it ignores.
const sampleFile = `{
  "total_items": 2, "page_number": 1,
  "contents": [
    {
      "id": "2f1c-haven", "name": "Safe Haven", "status": "active",
      "description": "Safe house for women.", "email": "refer@haven.example", "url": "https://haven.example/refer",
      "minimum_age": 18, "schedules": [{"id": "s1", "byday": "MO"}],
      "phones": [{"id": "p1", "number": "0113 496 0000"}],
      "languages": [{"id": "l1", "name": "Polish", "code": "PL"}, {"id": "l2", "name": "Romanian", "code": "ro"}],
      "service_areas": [{"id": "a1", "name": "Northmoor"}],
      "service_at_locations": [{"id": "sl1", "location": {"id": "loc1", "location_type": "physical",
        "addresses": [{"id": "ad1", "address_1": "7 Quiet Row", "city": "Northmoor", "postal_code": "nm1 2ab", "country": "GB", "address_type": "physical"}]}}],
      "capacities": [{"id": "c1", "available": 2, "updated": "2026-11-20T10:00:00Z", "unit": {"id": "u", "name": "beds"}}],
      "x_waymark": {"needs": ["safe_accommodation", "modern_slavery_support"], "genders": ["female"], "accepts_children": true, "accepts_nrpf": true, "confidential_location": true}
    },
    {
      "id": "clinic-1", "name": "Drop-in Clinic", "status": "temporarily closed",
      "contacts": [{"id": "c1", "email": "clinic@example.org", "phones": [{"id": "p2", "number": "0113 496 0001"}]}],
      "x_waymark": {"needs": ["healthcare"]}
    }
  ]
}`

var now = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func TestParse(t *testing.T) {
	list, err := hsds.Parse([]byte(sampleFile), now)
	if err != nil {
		t.Fatal(err)
	}
	want := []waymark.DirectoryService{
		{ID: "2f1c-haven", Name: "Safe Haven", Description: "Safe house for women.", Status: "active", Email: "refer@haven.example",
			URL: "https://haven.example/refer", MinAge: 18, Phone: "0113 496 0000", Languages: []string{"pl", "ro"}, Area: "Northmoor",
			Address: "7 Quiet Row", Town: "Northmoor", Postcode: "NM1 2AB", Capacity: 2, CapacityKnown: true,
			CapacityUpdatedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
			Needs:             []waymark.ServiceNeed{"safe_accommodation", "modern_slavery_support"}, Genders: []waymark.Gender{"female"},
			AcceptsChildren: true, AcceptsNRPF: true, ConfidentialLocation: true},
		{ID: "clinic-1", Name: "Drop-in Clinic", Status: "temporarily closed", Email: "clinic@example.org", Phone: "0113 496 0001",
			Needs: []waymark.ServiceNeed{"healthcare"}},
	}
	if diff := cmp.Diff(want, list); diff != "" {
		t.Errorf("parsed (-want +got):\n%s", diff)
	}
}

func TestParseNamesEachBadRecord(t *testing.T) {
	for name, tc := range map[string]struct {
		file string
		want []string
	}{
		"a bad age and a bad status in different services": {
			`[{"id": "a", "name": "Fine", "status": "active", "x_waymark": {"needs": ["healthcare"]}},
			  {"id": "abc", "name": "Safe Haven", "status": "active", "minimum_age": "eighteen", "x_waymark": {"needs": ["healthcare"]}},
			  {"id": "c", "name": "Third", "status": "open", "x_waymark": {"needs": ["healthcare"]}}]`,
			[]string{`service 2 (id "abc", name "Safe Haven"): minimum_age: The minimum age must be a whole number of years, for example 18`,
				`service 3 (id "c", name "Third"): status: Choose the status: "active", "temporarily closed", "inactive" or "defunct"`}},
		"a wrong type": {`[{"id": "a", "name": 7, "status": "active", "x_waymark": {"needs": ["healthcare"]}}]`,
			[]string{`service 1 (id "a"): name: This has the wrong type: it must be text in quotes`}},
		"a repeated id": {`[{"id": "a", "name": "A", "status": "active", "x_waymark": {"needs": ["healthcare"]}}, {"id": "a", "name": "B", "status": "active", "x_waymark": {"needs": ["healthcare"]}}]`,
			[]string{`service 2 (id "a", name "B"): id: The id is the same as service 1's: give each service its own id`}},
		"not an object": {`[42]`, []string{`service 1: name: Enter the name of the service`, `service 1: needs: Choose at least one need the service meets`,
			`service 1: service: Each service must be a JSON object, {...}`, `service 1: status: Choose the status: "active", "temporarily closed", "inactive" or "defunct"`}},
		"not JSON":      {`{"contents": [`, []string{"The file is not valid JSON (a syntax error at character 14): check it was saved as JSON"}},
		"no services":   {`{"contents": []}`, []string{"The file holds no services"}},
		"no contents":   {`{"services": []}`, []string{`The file is not an HSDS list of services: it must hold "contents", a list of services, or be a list of services`}},
		"a spreadsheet": {`name,status`, []string{"The file is not JSON: choose an HSDS JSON file exported from Waymark or another directory"}},
	} {
		_, err := hsds.Parse([]byte(tc.file), now)
		if waymark.ErrorCode(err) != waymark.EINVALID {
			t.Fatalf("%s: error %v, want invalid", name, err)
		}
		if diff := cmp.Diff(tc.want, waymark.SortedProblems(err)); diff != "" {
			t.Errorf("%s: problems (-want +got):\n%s", name, diff)
		}
	}
}

func TestWriteWithholdsConfidentialLocations(t *testing.T) {
	list, err := hsds.Parse([]byte(sampleFile), now)
	if err != nil {
		t.Fatal(err)
	}
	mine, theirs := list[0], list[0]
	mine.ID, mine.OrgID, mine.OrgName = "s1", "org1", "Trust"
	theirs.ID, theirs.OrgID = "s2", "org1"
	theirs.WithholdLocation("org2")
	var buf bytes.Buffer
	if err := hsds.Write(&buf, []*waymark.DirectoryService{&mine, &theirs}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		TotalItems int              `json:"total_items"`
		Contents   []map[string]any `json:"contents"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.TotalItems != 2 || len(doc.Contents) != 2 {
		t.Fatalf("wrote %s", buf.String())
	}
	if _, ok := doc.Contents[0]["service_at_locations"]; !ok {
		t.Error("the keeping organisation's export lacks its own location")
	}
	if _, ok := doc.Contents[1]["service_at_locations"]; ok {
		t.Error("a withheld location was exported")
	}
	if strings.Count(buf.String(), "7 Quiet Row") != 1 || strings.Count(buf.String(), "NM1 2AB") != 1 {
		t.Errorf("the address appears other than once:\n%s", buf.String())
	}
	for _, field := range []string{`"organization"`, `"eligibility_description"`, `"languages"`, `"service_areas"`, `"phones"`, `"capacities"`, `"x_waymark"`} {
		if !strings.Contains(buf.String(), field) {
			t.Errorf("the export lacks %s", field)
		}
	}
	back, err := hsds.Parse(buf.Bytes(), now)
	if err != nil {
		t.Fatal(err)
	}
	if back[1].Address != "" || !back[1].ConfidentialLocation {
		t.Errorf("read back %+v", back[1])
	}
}
