package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"waymark"
)

// fakeShares answers with one shared record and records what a partner adds to it, checking it as
// the store does.
type fakeShares struct {
	waymark.ShareService
	rec   *waymark.SharedRecord
	added []waymark.ShareContribution
}

func (f *fakeShares) FindSharedRecord(_ context.Context, _ waymark.Actor, id string) (*waymark.SharedRecord, error) {
	if id != f.rec.Share.ID {
		return nil, waymark.Errorf(waymark.ENOTFOUND, "Not found.")
	}
	return f.rec, nil
}

func (f *fakeShares) AddContribution(_ context.Context, _ waymark.Actor, id string, k *waymark.ShareContribution) error {
	if id != f.rec.Share.ID {
		return waymark.Errorf(waymark.ENOTFOUND, "Not found.")
	}
	if !f.rec.Share.AllowContributions {
		return waymark.Errorf(waymark.EFORBIDDEN, "Harbour Outreach shared this record read-only.")
	}
	if err := k.Validate(moveOnNow); err != nil {
		return err
	}
	f.added = append(f.added, *k)
	return nil
}

func TestContributionHandlers(t *testing.T) {
	setup := func(t *testing.T, allow bool) (*Server, *fakeShares) {
		t.Helper()
		p := sharedRecordPageData(Layout{})
		p.Record.Share.AllowContributions, p.Record.Contributions = allow, nil
		shares := &fakeShares{rec: p.Record}
		auth := signedInAs{role: waymark.RolePartner}
		return moveOnServer(t, Services{Auth: auth, Tokens: auth, Shares: shares, Notifications: &fakeNotifications{}}), shares
	}
	long := url.Values{"note": {strings.Repeat("x", waymark.MaxContributionText+1)}}.Encode()
	for _, c := range []struct {
		name, path, form string
		want             []string
	}{
		{"an empty note", "/shared/s1/notes", "note=+", []string{`href="#note"`, "Write the note"}},
		{"an over-long note", "/shared/s1/notes", long, []string{`href="#note"`, "5,000 characters or fewer"}},
		{"support with a date that is not one", "/shared/s1/support", "support_type=police_report&start-day=40&start-month=1&start-year=2026&support_text=kept+%3Cc%3E",
			[]string{`href="#start"`, `value="40"`, "kept &lt;c&gt;"}},
		{"support ending before it started", "/shared/s1/support", "support_type=police_report&start-day=2&start-month=11&start-year=2026&end-day=1&end-month=11&end-year=2026",
			[]string{`href="#end"`, "same as or after the start date"}},
		{"an unknown type of support", "/shared/s1/support", "support_type=teleport&start-day=2&start-month=11&start-year=2026",
			[]string{`href="#support_type"`, "Choose the type of support from the list"}},
	} {
		t.Run(c.name+" is shown again with the input and what to fix", func(t *testing.T) {
			s, shares := setup(t, true)
			w := serve(s, "POST", c.path, c.form)
			body := w.Body.String()
			if w.Code != http.StatusUnprocessableEntity || len(shares.added) != 0 {
				t.Fatalf("status %d, added %v", w.Code, shares.added)
			}
			for _, want := range c.want {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
		})
	}
	t.Run("a note and support are added and the page says so", func(t *testing.T) {
		s, shares := setup(t, true)
		w := serve(s, "POST", "/shared/s1/notes", "note=Seen+at+the+station%0Ain+the+morning")
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/shared/s1#contributions" {
			t.Fatalf("status %d, location %q", w.Code, w.Header().Get("Location"))
		}
		w = serve(s, "POST", "/shared/s1/support", "support_type=police_report&start-day=2&start-month=11&start-year=2026&outcome=ongoing")
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status %d", w.Code)
		}
		if len(shares.added) != 2 || shares.added[0].Text != "Seen at the station\nin the morning" || shares.added[1].Start != "2026-11-02" || shares.added[1].Outcome != "ongoing" {
			t.Errorf("added %+v", shares.added)
		}
	})
	t.Run("a read-only share refuses with a clear message, even with bad dates, and shows no forms", func(t *testing.T) {
		s, shares := setup(t, false)
		for _, form := range []string{"note=Hello", "support_type=police_report&start-day=40&start-month=1&start-year=2026"} {
			path := "/shared/s1/notes"
			if strings.HasPrefix(form, "support") {
				path = "/shared/s1/support"
			}
			w := serve(s, "POST", path, form)
			if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "read-only") || len(shares.added) != 0 {
				t.Errorf("%s: status %d, added %v", form, w.Code, shares.added)
			}
		}
		w := serve(s, "GET", "/shared/s1", "")
		if w.Code != http.StatusOK || strings.Contains(w.Body.String(), `id="note-form"`) || !strings.Contains(w.Body.String(), "shared read-only") {
			t.Errorf("status %d; the read-only page offers to add", w.Code)
		}
	})
	t.Run("another share is not found", func(t *testing.T) {
		s, _ := setup(t, true)
		if w := serve(s, "POST", "/shared/s9/notes", "note=Hello"); w.Code != http.StatusNotFound {
			t.Errorf("status %d", w.Code)
		}
	})
	t.Run("the API adds and refuses with the request's own fields", func(t *testing.T) {
		s, shares := setup(t, true)
		w := serve(s, "POST", "/api/v1/shared/s1/contributions", `{"kind": "support", "support_type": "teleport", "start": "2026-11-02"}`)
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "support_type") {
			t.Errorf("status %d: %s", w.Code, w.Body.String())
		}
		w = serve(s, "POST", "/api/v1/shared/s1/contributions", `{"kind": "note", "text": "Seen"}`)
		if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"kind": "note"`) || len(shares.added) != 1 {
			t.Errorf("status %d: %s", w.Code, w.Body.String())
		}
	})
}
