package hsds_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/hsds"
)

// FuzzParseHSDS feeds the importer whatever a file may hold: it never panics, every refusal is a
// validation error with a message per problem, and whatever it accepts is written and read back
// unchanged.
func FuzzParseHSDS(f *testing.F) {
	f.Add([]byte(sampleFile))
	f.Add([]byte(`[{"id": "a", "name": "A", "status": "active", "x_waymark": {"needs": ["healthcare"]}}]`))
	f.Add([]byte(`{"contents": [{"id": 3, "name": ["x"], "minimum_age": "eighteen", "capacities": [{"available": 1.5}]}]}`))
	f.Add([]byte(`{"contents": null}`))
	f.Add([]byte(`[1, "two", null, {}]`))
	f.Add([]byte(`{"contents": [{"id": "a", "name": "<script>alert(1)</script>", "status": "temporarily closed", "minimum_age": 16, "maximum_age": 25,
		"service_at_locations": [{"location": {"addresses": [{"address_1": "1 Row", "address_2": "Flat 2", "city": "Leeds", "postal_code": "ls1 1aa"}]}}],
		"capacities": [{"available": 0, "updated": "2026-11-01T10:00:00.5+01:00"}], "x_waymark": {"needs": ["safe_accommodation"], "genders": ["female"]}}]}`))
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := hsds.Parse(data, now)
		if err != nil {
			if waymark.ErrorCode(err) != waymark.EINVALID || len(waymark.ErrorFields(err)) == 0 {
				t.Fatalf("refused without a message per problem: %v", err)
			}
			return
		}
		ptrs := make([]*waymark.DirectoryService, len(list))
		for i := range list {
			ptrs[i] = &list[i]
		}
		var buf bytes.Buffer
		if err := hsds.Write(&buf, ptrs); err != nil {
			t.Fatal(err)
		}
		again, err := hsds.Parse(buf.Bytes(), now)
		if err != nil {
			t.Fatalf("what was accepted does not read back: %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(list, again); diff != "" {
			t.Fatalf("round trip changed the services (-first +again):\n%s", diff)
		}
	})
}
