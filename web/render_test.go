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

// TestEveryPageTemplateExecutes renders every page template with its data struct, filled in, so a
// template that refers to a missing field fails here rather than in front of a user.
func TestEveryPageTemplateExecutes(t *testing.T) {
	s, err := New(Services{}, Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC)
	org := &waymark.Organisation{ID: "org1", Name: "Harbour <Street> Outreach", Type: waymark.OrgHomelessOutreach, FirstResponder: true}
	user := &waymark.User{ID: "u1", OrgID: "org1", OrgName: org.Name, Email: "a@example.org", Name: "Ada", Role: waymark.RoleOrgAdmin, HasPassword: true, LastSignIn: &now}
	id := &waymark.Identity{User: user, Organisation: org, Session: &waymark.Session{ID: "s1"}}
	l := Layout{Title: "Title", Nonce: "n0nce", Identity: id, Nav: navFor(user.Role, "/home"), Flash: "Saved.",
		Errors: []FieldError{{Field: "name", Message: "Enter a name"}}, Version: "test"}
	f := Form{Values: url.Values{"name": {"x"}}, Errs: map[string]string{"name": "Enter a name"}}
	client := &waymark.Client{ID: "c1", OrgID: "org1", GivenName: "Ion", FamilyName: "Popescu", KnownAs: []string{"Johnny"}, Nationalities: []string{"RO"}, Notes: "two lines", CreatedAt: now}
	note := &waymark.CaseNote{ID: "n1", ClientID: "c1", AuthorID: "u1", AuthorName: "Ada", CreatedAt: now, UpdatedAt: now, Text: "met at the car park",
		Restricted: true, Version: 2, History: []waymark.NoteVersion{{Version: 1, Text: "met", EditedAt: now, EditedBy: "Ada"}}}
	token := &waymark.APIToken{ID: "t1", Name: "script", CreatedAt: now, ExpiresAt: now.Add(time.Hour), LastUsedAt: &now}
	p := Pager{Page: 2, Pages: 3, Total: 60, Prev: "/x?page=1", Next: "/x?page=3"}
	data := map[string]any{
		"error":          ErrorPage{Layout: l, Status: 404, Heading: "Page not found", Message: "m"},
		"sign-in":        SignInPage{Layout: l, Form: f},
		"two-step":       TwoStepPage{Layout: l, Form: f},
		"two-step-setup": TwoStepSetupPage{Layout: l, Form: f, Secret: "ABC", URI: "otpauth://totp/x?secret=ABC", Required: true},
		"recovery-codes": RecoveryCodesPage{Layout: l, Codes: []string{"AAAA-BBBB-CCCC"}},
		"set-password":   SetPasswordPage{Layout: l, Form: f, Token: "tok", Email: "a@example.org"},
		"home":           HomePage{Layout: l, Role: user.Role, Staff: 3, Organisations: 9, Tasks: 2, Overdue: 1, NewReferrals: 3},
		"tasks": TasksPage{Layout: l, Overview: true, Today: "2026-11-27", Kinds: waymark.TaskKinds(), Counts: map[waymark.TaskKind]int{waymark.TaskNewConcern: 1},
			Tasks: []*waymark.Task{{ID: "t1", ClientID: "c1", ClientName: "Ion Popescu", Kind: waymark.TaskNewConcern, DueOn: "2026-11-20"}}},
		"account":       AccountPage{Layout: l, User: user, Form: f},
		"tokens":        TokenIndexPage{Layout: l, Tokens: []*waymark.APIToken{token}, Form: f, Now: now, NewSecret: "wmt_x"},
		"organisations": OrganisationIndexPage{Layout: l, Organisations: []*waymark.Organisation{org}, Pager: p},
		"organisation":  OrganisationFormPage{Layout: l, Form: f, Organisation: org, Types: waymark.OrgTypes, Users: []*waymark.User{user}},
		"users":         UserIndexPage{Layout: l, Organisation: org, Users: []*waymark.User{user}, Pager: p},
		"user-new":      UserFormPage{Layout: l, Form: f, Organisation: org, Roles: waymark.Roles},
		"invitation":    InvitationPage{Layout: l, User: user, Link: "http://x/set-password/t"},
		"user":          UserPage{Layout: l, User: user, Form: f, Roles: waymark.Roles},
		"audit":         AuditIndexPage{Layout: l, Entries: []*waymark.AuditEntry{{Seq: 1, At: now, Action: "signin.success", ActorUserID: "u1", ActorLabel: "a@example.org"}}, Pager: p},
		"clients":       ClientIndexPage{Layout: l, Name: "ion", Clients: []*waymark.Client{client}, Pager: p, Options: clientOptions()},
		"screening":     screeningPageData(l, f),
		"support":       supportPageData(l, f),
		"support-edit": SupportEditPage{Layout: l, ClientID: "c1", Action: supportPageData(l, f).Actions[0], Form: f,
			Types: waymark.SupportTypeOptions(), Outcomes: waymark.SupportOutcomeOptions()},
		"directory":         directoryPageData(l, f),
		"directory-service": directoryServicePageData(l, f),
		"directory-form":    directoryFormPageData(l, f),
		"directory-import":  DirectoryImportPage{Layout: l, Form: f},
		"exploitation": ExploitationPage{Layout: l, ClientID: "c1", Form: f, RiskForm: f, Options: waymark.ExploitationChoices(),
			Episodes: []*waymark.ExploitationEpisode{{ID: "e1", Types: []string{"labour"}, Start: "2024", Ongoing: waymark.AnswerYes, Control: []string{"debt_bondage"}, Narrative: "car wash"}},
			Risks:    []waymark.RiskAssessment{{Level: "high", AssessedAt: now, ByName: "Ada", Reason: "still in contact"}}},
		"pathway":        pathwayPageData(l, f),
		"nrm":            nrmPageData(l, f),
		"nrm-pack":       packPageData(l),
		"duty-to-notify": dutyPageData(l, f),
		"note-edit":      NoteEditPage{Layout: l, ClientID: "c1", Note: note, Form: f},
		"client": ClientPage{Timeline: []waymark.TimelineEvent{{At: now, Date: "March 2024", Kind: "Exploitation", Summary: "began: labour", By: "Ada", Link: "/clients/c1/exploitation"}}, Layout: l, Client: client, Missing: []string{"gender"}, Form: f, Options: clientOptions(), Notes: []*waymark.CaseNote{note}, NoteForm: f,
			History: []waymark.ConcernChange{{At: now, Status: waymark.ConcernSuspected, ByName: "Ada", Reason: "said boss keeps passport"}}},
		"client-form": ClientFormPage{Layout: l, Client: client, Searched: true, Form: f, Options: clientOptions(), Conflict: "changed",
			Matches: []waymark.PossibleMatch{{Client: client, Score: 0.95}}},
		"client-referrals": ClientReferralsPage{Layout: l, Client: client, Referrals: []*waymark.Referral{referralData(now)}, Form: f, CanEdit: true,
			Orgs: []waymark.Option{{Value: "org2", Label: "Freedom Trust"}}, Preview: referralData(now).Items()},
		"referrals":          InboundPage{Layout: l, Referrals: []*waymark.Referral{referralData(now)}, Status: "new", Filters: waymark.ReferralFilterOptions(), Pager: p},
		"referral":           ReferralPage{Layout: l, Referral: referralData(now), Party: waymark.PartyRecipient, Form: f, CanAccept: true, CanDecline: true},
		"move-on":            moveOnPageData(l),
		"move-on-plan":       planFormPageData(l, f),
		"follow-up":          followUpFormPageData(l, f),
		"cliff-edge":         cliffEdgePageData(l),
		"outcomes":           outcomesPageData(l),
		"follow-up-schedule": schedulePageData(l, f),
		"notifications":      notificationsPageData(l),
		"agreements":         agreementsPageData(l),
		"agreement":          agreementPageData(l),
		"agreement-form":     agreementFormPageData(l, f),
		"consent":            func() ConsentPage { p := consentPageData(l, f); p.Conferences = clientConferencesData(f); return p }(),
		"conferences":        conferencesPageData(l),
		"conference":         conferencePageData(l, f),
		"conference-form":    conferenceFormPageData(l, f),
		"conference-case":    conferenceCasePageData(l, f),
		"shared":             SharedListPage{Layout: l, Shares: []*waymark.CaseShare{testShare()}, Names: []string{""}},
		"shared-record":      sharedRecordPageData(l),
		"guides":             GuidesPage{Layout: l, Region: []*waymark.GuidePage{testGuide()}, Own: []*waymark.GuidePage{testGuide()}, CanWriteRegion: true, CanWriteOwn: true},
		"guide":              GuidePageView{Layout: l, Page: testGuide(), Body: "<p>x</p>", RegionalToo: true, CanEdit: true},
		"guide-form":         GuideFormPage{Layout: l, Scope: waymark.GuideOrganisation, Page: testGuide(), Form: f, Preview: "<p>x</p>", Conflict: true},
		"guide-versions":     GuideVersionsPage{Layout: l, Page: testGuide(), Versions: []waymark.GuideVersion{{Version: 1, Title: "T", Body: "b", UpdatedAt: now}}},
		"consent-overrides":  OverridesPage{Layout: l, Overrides: []waymark.ConsentOverride{{ClientID: "c1", ClientName: "Ion", ConsentStanding: testConsents().Position.Overrides()[0]}}},
	}
	for page, d := range trainingPagesData(l, f) {
		data[page] = d
	}
	for page, d := range assessmentPagesData(l, f) {
		data[page] = d
	}
	for page, d := range statisticsPagesData(l, f) {
		data[page] = d
	}
	for _, page := range s.Pages() {
		t.Run(page+" renders", func(t *testing.T) {
			d, ok := data[page]
			if !ok {
				t.Fatalf("no test data for page %q: add it to this test", page)
			}
			w := httptest.NewRecorder()
			r := httptest.NewRequest("GET", "/", nil)
			if err := s.render(w, r, http.StatusOK, page, d); err != nil {
				t.Fatal(err)
			}
			body := w.Body.String()
			if !strings.Contains(body, "Title – Waymark") || !strings.Contains(body, `nonce="n0nce"`) {
				t.Errorf("page %s lacks the layout's title or nonce", page)
			}
			if strings.Contains(body, "ZgotmplZ") {
				t.Errorf("page %s has a value the template refused (ZgotmplZ)", page)
			}
			if strings.Contains(body, "Harbour <Street>") {
				t.Errorf("page %s did not escape an organisation name", page)
			}
		})
	}
}

func testGuide() *waymark.GuidePage {
	return &waymark.GuidePage{ID: "g1", Scope: waymark.GuideOrganisation, OrgID: "org1", Slug: "referral-routes", Title: "Our <routes>", Body: "# x",
		Version: 2, UpdatedByName: "Ada", UpdatedAt: time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC)}
}
