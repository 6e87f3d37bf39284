package waymark_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"waymark"
)

// markedClient fills every field of a client with a marker that names it, so that a report leaking
// any field shows up; a field added to Client later is filled too, or fails the test until it is.
func markedClient(t *testing.T) *waymark.Client {
	t.Helper()
	var c waymark.Client
	v := reflect.ValueOf(&c).Elem()
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		marker := "MARKER-" + name
		switch {
		case f.Kind() == reflect.String:
			f.SetString(marker)
		case f.Kind() == reflect.Int:
			f.SetInt(7919)
		case f.Kind() == reflect.Bool:
			f.SetBool(true)
		case f.Type() == reflect.TypeFor[time.Time]():
			f.Set(reflect.ValueOf(time.Date(1901, 2, 3, 4, 5, 6, 0, time.UTC)))
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			s := reflect.MakeSlice(f.Type(), 2, 2)
			s.Index(0).SetString(marker + "-1")
			s.Index(1).SetString(marker + "-2")
			f.Set(s)
		case f.Type() == reflect.TypeFor[[]waymark.Contact]():
			// Filled below.
		default:
			t.Fatalf("Client.%s is a %s: teach markedClient to fill it", name, f.Type())
		}
	}
	// What the report may hold, with real values.
	c.Gender = waymark.GenderFemale
	c.Nationalities = []string{"RO", "MD"}
	c.NationalityAnswer = waymark.AnswerNotRecorded
	c.Contacts = []waymark.Contact{
		{Kind: "phone", Value: "MARKER-SAFE-PHONE", SafeToContact: waymark.AnswerYes},
		{Kind: "address", Value: "MARKER-UNSAFE-ADDRESS", SafeToContact: waymark.AnswerNo},
		{Kind: "email", Value: "MARKER-UNSURE-EMAIL", SafeToContact: waymark.AnswerNotKnown},
	}
	return &c
}

func TestDutyToNotifyHoldsNothingIdentifying(t *testing.T) {
	t.Parallel()
	c := markedClient(t)
	tests := []struct {
		name      string
		cooperate bool
		allowed   []string // markers that may appear
	}{
		{"without cooperation: gender and nationality only", false, nil},
		{"with cooperation: and the contact details safe to use", true, []string{"MARKER-SAFE-PHONE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := waymark.NewDutyToNotifyReport(c, tt.cooperate)
			js, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			for format, out := range map[string]string{"JSON": string(js), "%+v": fmt.Sprintf("%+v", r), "%#v": fmt.Sprintf("%#v", r)} {
				rest := out
				for _, m := range tt.allowed {
					if !strings.Contains(rest, m) {
						t.Errorf("%s lacks %s:\n%s", format, m, out)
					}
					rest = strings.ReplaceAll(rest, m, "")
				}
				for _, leak := range []string{"MARKER", "7919", "1901"} {
					if strings.Contains(rest, leak) {
						t.Errorf("%s holds %q, which identifies the person:\n%s", format, leak, out)
					}
				}
				for _, want := range []string{"female", "RO", "MD"} {
					if !strings.Contains(out, want) {
						t.Errorf("%s lacks %q:\n%s", format, want, out)
					}
				}
			}
			if r.AgreesToCooperate != tt.cooperate {
				t.Errorf("AgreesToCooperate = %t, want %t", r.AgreesToCooperate, tt.cooperate)
			}
		})
	}
}

func TestDutyToNotifyCopiesTheRecord(t *testing.T) {
	t.Parallel()
	c := markedClient(t)
	r := waymark.NewDutyToNotifyReport(c, true)
	r.Nationalities[0] = "GB"
	r.Contacts[0].Value = "changed"
	if c.Nationalities[0] != "RO" || c.Contacts[0].Value != "MARKER-SAFE-PHONE" {
		t.Errorf("changing the report changed the client's record: %v %v", c.Nationalities, c.Contacts)
	}
}
