package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"waymark"
)

// journeyNow is the clock of the journey tests.
var journeyNow = time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC)

// testJourney is a journey with something in every list: an adult who consented at a First
// Responder, referred, with a positive conclusive grounds decision.
func testJourney() *waymark.Journey {
	org := &waymark.Organisation{ID: "org1", Name: "Harbour <Street> Outreach", FirstResponder: true, SpecifiedPublicAuthority: true}
	return &waymark.Journey{
		Client:       &waymark.Client{ID: "c1", OrgID: "org1", GivenName: "Ion", EstimatedAge: 30, Gender: "male", Nationalities: []string{"RO"}},
		Organisation: org,
		Partner:      &waymark.Organisation{ID: "org2", Name: "Northmoor <Freedom> Trust", FirstResponder: true},
		Answers: waymark.PathwayAnswers{ImmediateDanger: waymark.AnswerNo, Under18: waymark.Under18No, Cooperates: waymark.AnswerYes,
			PartnerOrgID: "org2", Version: 2, UpdatedBy: "u1", UpdatedAt: journeyNow},
		Consents: []*waymark.NRMConsent{{ID: "k1", ExplainedNRM: true, ExplainedSupport: true, ExplainedOutcomes: true, ExplainedSharing: true,
			Answer: waymark.ConsentGiven, AnsweredOn: "2026-11-20", AskedBy: "Ada <Lovelace>", RecordedAt: journeyNow}},
		Steps: []*waymark.StepRecord{{ID: "s1", Kind: waymark.StepPoliceReport, Outcome: waymark.StepDone, On: "2026-11-21",
			Reference: "CR/123 <Northmoor>", Note: "reported at the front desk", RecordedByName: "Ada", RecordedAt: journeyNow}},
		Referrals: []*waymark.NRMReferral{{ID: "r1", SubmittedOn: "2026-11-22", FirstResponderOrgID: "org1", FirstResponderName: "Harbour <Street> Outreach",
			Reference: "NRM-42", RecordedAt: journeyNow}},
		Decisions: []*waymark.NRMDecision{
			{ID: "d1", Stage: waymark.ReasonableGrounds, Outcome: waymark.OutcomePositive, Authority: "single_competent_authority", DecidedOn: "2026-11-25"},
			{ID: "d2", Stage: waymark.ConclusiveGrounds, Outcome: waymark.OutcomePositive, Authority: "single_competent_authority", DecidedOn: "2026-11-26"},
		},
		Milestones:   []*waymark.NRMMilestone{{ID: "m1", Kind: "victim_care_start", On: "2026-11-26", Note: "safe house"}},
		DutyToNotify: []*waymark.DutyToNotifyRecord{{ID: "t1", SubmittedOn: "2026-11-23", Reference: "DTN-7"}},
	}
}

func pathwayPageData(l Layout, f Form) PathwayPage {
	j := testJourney()
	facts := j.Facts(journeyNow)
	return PathwayPage{Layout: l, Client: j.Client, Journey: j, Facts: facts, Plan: waymark.PlanPathway(facts),
		SuggestedUnder18: "From their record: No", SuggestedCare: "Their record does not say yet.",
		AnswersForm: Form{Values: answersValues(j.Answers)}, StepForm: f, ConsentForm: Form{Values: url.Values{"explained": {"nrm"}, "asked_by": {"kept <asker>"}},
			Errs: map[string]string{"explained": explainedMessage}},
		Partners: []waymark.Option{{Value: "org2", Label: "Northmoor <Freedom> Trust"}}, StepKinds: waymark.RecordableStepOptions(), Outcomes: waymark.StepOutcomeOptions(),
		Under18s: waymark.Under18Options(), CareAnswers: answerOptions(), Answers: answerOptions(), Consents: waymark.ConsentAnswerOptions(),
		Explanations: explanationOptions(), CanEdit: true}
}

func nrmPageData(l Layout, f Form) NRMPage {
	j := testJourney()
	return NRMPage{Layout: l, Client: j.Client, Journey: j, Decisions: decisionRows(j), ReferralForm: f, DecisionForm: Form{Values: url.Values{}},
		MilestoneForm: Form{Values: url.Values{}}, FirstResponders: []waymark.Option{{Value: "org1", Label: "Harbour <Street> Outreach"}},
		Stages: waymark.DecisionStageOptions(), DecisionOutcomes: waymark.DecisionOutcomeOptions(waymark.ReasonableGrounds),
		Authorities: waymark.CompetentAuthorityOptions(), MilestoneKinds: waymark.MilestoneKindOptions(), CanEdit: true}
}

func packPageData(l Layout) PackPage {
	p := buildPack(packData{journey: testJourney(), worker: &waymark.User{Name: "Ada", Email: "ada@example.org", Role: waymark.RoleSafeguardingLead},
		episodes: []*waymark.ExploitationEpisode{{Types: []string{"labour"}, Narrative: "car wash <b>no pay</b>"}}}, func() time.Time { return journeyNow })
	p.Layout = l
	return p
}

func dutyPageData(l Layout, f Form) DutyToNotifyPage {
	j := testJourney()
	return DutyToNotifyPage{Layout: l, ClientID: "c1", Applies: true, Organisation: j.Organisation.Name,
		Report: waymark.NewDutyToNotifyReport(j.Client, true), Records: j.DutyToNotify, Form: f, CanEdit: true}
}

func renderPage(t *testing.T, s *Server, page string, data any) string {
	t.Helper()
	w := httptest.NewRecorder()
	if err := s.render(w, httptest.NewRequest("GET", "/", nil), http.StatusOK, page, data); err != nil {
		t.Fatal(err)
	}
	body := w.Body.String()
	if strings.Contains(body, "ZgotmplZ") || strings.Contains(body, "<Street>") || strings.Contains(body, "<Freedom>") {
		t.Errorf("%s has a refused or unescaped value", page)
	}
	return body
}

func TestJourneyPagesRender(t *testing.T) {
	s, err := New(Services{}, Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	l := Layout{Title: "Title", Nonce: "n0nce"}
	f := Form{Values: url.Values{"reference": {"kept <reference>"}}, Errs: map[string]string{"on": "Enter the date of the step"}}
	t.Run("the pathway shows the route, the steps taken, the consent and the forms with their input", func(t *testing.T) {
		body := renderPage(t, s, "pathway", pathwayPageData(l, f))
		for _, want := range []string{"Adult who consents: NRM referral", `data-step="nrm_referral"`, "Make an NRM referral",
			"Reported to the police", "CR/123 &lt;Northmoor&gt;", "21 November 2026", "Yes, they consent to an NRM referral", "asked by Ada &lt;Lovelace&gt;",
			"That their information goes to the Home Office", `name="version" value="2"`, `value="org2" selected`, "From their record: No",
			"kept &lt;reference&gt;", `id="on-error"`, `id="explained-error"`, "kept &lt;asker&gt;", `action="/clients/c1/pathway/consent"`,
			`action="/clients/c1/pathway/steps"`, `value="childrens_services"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		// Only the steps recorded as taken are offered: the others have records of their own.
		if strings.Contains(body, `<option value="nrm_referral"`) || strings.Contains(body, `<option value="ask_consent"`) {
			t.Error("the step form offers a step that is not recorded as a step")
		}
	})
	t.Run("the tracker counts the days and shows move-on support", func(t *testing.T) {
		body := renderPage(t, s, "nrm", nrmPageData(l, f))
		for _, want := range []string{"22 November 2026", "NRM-42", "3 days", "4 days", "Move-on support lasts at least until 10 January 2027",
			"Victim care support started", `href="/clients/c1/nrm/pack"`, `action="/clients/c1/nrm/referral"`, `action="/clients/c1/nrm/decisions"`,
			`action="/clients/c1/nrm/milestones"`, "kept &lt;reference&gt;"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
	})
	t.Run("a role that may not edit sees no forms", func(t *testing.T) {
		p, n := pathwayPageData(l, f), nrmPageData(l, f)
		p.CanEdit, n.CanEdit = false, false
		for _, body := range []string{renderPage(t, s, "pathway", p), renderPage(t, s, "nrm", n)} {
			if strings.Contains(body, `method="post" action="/clients/c1/`) {
				t.Error("a read-only page has a form")
			}
		}
	})
	t.Run("the duty to notify page says plainly when the organisation has no duty", func(t *testing.T) {
		d := dutyPageData(l, f)
		d.Applies = false
		body := renderPage(t, s, "duty-to-notify", d)
		if !strings.Contains(body, "does not have the Duty to Notify") || strings.Contains(body, `id="duty-report"`) || strings.Contains(body, `id="duty-form"`) {
			t.Error("the page does not say the organisation has no duty, or still shows the report or its form")
		}
	})
}

// TestPackFollowsTheFormAndListsWhatIsMissing checks the pack's order, its answers from the
// record, its "still to collect" markers and list, and that free text stays text.
func TestPackFollowsTheFormAndListsWhatIsMissing(t *testing.T) {
	s, err := New(Services{}, Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	const script = `<script>window.__xss=1</script>`
	j := testJourney()
	j.Client.Notes = script
	j.Client.KnownAs = []string{script}
	p := buildPack(packData{journey: j, worker: &waymark.User{Name: "Ada", Email: "ada@example.org", Role: waymark.RoleSafeguardingLead},
		episodes: []*waymark.ExploitationEpisode{{Types: []string{"labour"}, Recency: "past_3_months", Ongoing: waymark.AnswerNo, Narrative: "Car wash. " + script}}},
		func() time.Time { return journeyNow })
	p.Layout = Layout{Title: "Title", Nonce: "n0nce"}
	body := renderPage(t, s, "nrm-pack", p)
	if strings.Contains(body, script) || !strings.Contains(body, "Car wash. &lt;script&gt;window.__xss=1&lt;/script&gt;") {
		t.Error("free text from the record is not shown as escaped text")
	}
	// The form's order: the referral, age, background, what happened, the person, the first responder.
	// The list of what is still to collect comes first: the order is read after it.
	sections := body[strings.Index(body, `id="pack-referrer"`):]
	last := -1
	for _, q := range []string{"Your reference for the person", "Is the person under 18?", "Were they under 18 at any time",
		"Place of birth", "More than one exploitative situation?", "Modern slavery indicators identified", "Where they were exploited",
		"Crime reference and police force", "Willing to help investigations?", "Consent to the referral", "Nickname or other names",
		"Date of birth", "Gender", "Nationalities", "Home Office reference", "Contact details", "First Responder Organisation", "Phone"} {
		i := strings.Index(sections, q)
		if i < 0 {
			t.Errorf("the pack does not ask %q", q)
			continue
		}
		if i < last {
			t.Errorf("%q is out of the form's order", q)
		}
		last = i
	}
	for _, want := range []string{"CR/123 &lt;Northmoor&gt;", "Yes, they consent to an NRM referral, 20 November 2026, asked by Ada &lt;Lovelace&gt;",
		"Romania", "About 30 (estimated)", "ada@example.org", "Still to collect", `id="to-collect"`, `href="/clients/c1/edit"`, `href="/clients/c1/exploitation"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the pack lacks %q", want)
		}
	}
	missing := map[string]bool{}
	for _, r := range p.ToCollect {
		missing[r.Question] = true
	}
	for _, q := range []string{"Your reference for the person", "Home Office reference", "Contact details", "Modern slavery indicators identified"} {
		if !missing[q] {
			t.Errorf("%q is not listed as still to collect", q)
		}
	}
	for _, q := range []string{"Gender", "Nationalities", "Willing to help investigations?", "Crime reference and police force"} {
		if missing[q] {
			t.Errorf("%q is recorded but listed as still to collect", q)
		}
	}
}

// fakeJourneys answers FindJourney with one journey; the other methods are not called.
type fakeJourneys struct {
	waymark.JourneyService
	j *waymark.Journey
}

func (f fakeJourneys) FindJourney(ctx context.Context, actor waymark.Actor, clientID string) (*waymark.Journey, error) {
	if clientID != f.j.Client.ID {
		return nil, waymark.Errorf(waymark.ENOTFOUND, "no such client")
	}
	return f.j, nil
}

// signedInRequest is a request from a signed-in frontline worker of org1.
func signedInRequest(method, path string) *http.Request {
	r := httptest.NewRequest(method, path, nil)
	id := &waymark.Identity{User: &waymark.User{ID: "u1", OrgID: "org1", Name: "Ada", Role: waymark.RoleFrontline},
		Organisation: &waymark.Organisation{ID: "org1", Name: "Housing Options"}, Stage: waymark.StageDone}
	r = r.WithContext(context.WithValue(r.Context(), identityKey, id))
	r.SetPathValue("id", "c1")
	return r
}

// TestDutyToNotifyShowsNothingElse renders the Duty to Notify page for a client whose every
// identifying field holds a distinctive marker: the report holds gender and nationality, contact
// details marked safe only when the person agrees to help the police, and none of the markers.
func TestDutyToNotifyShowsNothingElse(t *testing.T) {
	client := &waymark.Client{ID: "c1", OrgID: "org1", Reference: "MKRREFERENCE", GivenName: "MKRGIVEN", FamilyName: "MKRFAMILY",
		KnownAs: []string{"MKRALIAS"}, DateOfBirth: "1987-06-05", AgeDisputed: true, Gender: "female", Nationalities: []string{"VN", "AL"},
		Languages: []string{"vi"}, InterpreterNeeded: waymark.AnswerYes, ImmigrationStatus: "asylum_seeker", DependentChildren: waymark.AnswerYes,
		Contacts: []waymark.Contact{{Kind: "phone", Value: "MKRUNSAFEPHONE", SafeToContact: waymark.AnswerNo},
			{Kind: "email", Value: "MKRSAFEEMAIL", SafeToContact: waymark.AnswerYes}},
		Situation: "rough_sleeping", SupportNeeds: []waymark.SupportNeed{"mental_health"}, AssignedWorkerID: "MKRWORKER", Notes: "MKRNOTES"}
	identifying := []string{"MKRREFERENCE", "MKRGIVEN", "MKRFAMILY", "MKRALIAS", "1987", "June", "MKRUNSAFEPHONE", "MKRWORKER", "MKRNOTES",
		"Vietnamese", "asylum", "Asylum", "Rough sleeping", "Mental health", "disputed"}
	for _, cooperates := range []waymark.Answer{waymark.AnswerNo, waymark.AnswerYes} {
		t.Run("agrees to help the police: "+string(cooperates), func(t *testing.T) {
			j := &waymark.Journey{Client: client, Organisation: &waymark.Organisation{ID: "org1", Name: "Housing Options", SpecifiedPublicAuthority: true, FirstResponder: true},
				Answers: waymark.PathwayAnswers{Cooperates: cooperates, Under18: waymark.Under18No}}
			s, err := New(Services{Journeys: fakeJourneys{j: j}}, Config{Version: "test", Now: func() time.Time { return journeyNow }})
			if err != nil {
				t.Fatal(err)
			}
			w := httptest.NewRecorder()
			if err := s.handleDutyToNotify(w, signedInRequest("GET", "/clients/c1/duty-to-notify")); err != nil {
				t.Fatal(err)
			}
			body := w.Body.String()
			start := strings.Index(body, `id="duty-report"`)
			end := strings.Index(body[max(start, 0):], "</section>")
			if start < 0 || end < 0 {
				t.Fatalf("no report element on the page: %s", body)
			}
			report := body[start : start+end]
			for _, want := range []string{"Female", "Vietnam", "Albania"} {
				if !strings.Contains(report, want) {
					t.Errorf("the report lacks %q: %s", want, report)
				}
			}
			for _, m := range identifying {
				if strings.Contains(report, m) {
					t.Errorf("the report shows %q, which it may not hold", m)
				}
			}
			// The person's name appears nowhere on the page, not only not in the report.
			for _, m := range []string{"MKRGIVEN", "MKRFAMILY", "MKRALIAS"} {
				if strings.Contains(body, m) {
					t.Errorf("the page shows %q", m)
				}
			}
			if got := strings.Contains(report, "MKRSAFEEMAIL"); got != (cooperates == waymark.AnswerYes) {
				t.Errorf("the safe contact detail shown: %v; want it only when they agree to help the police", got)
			}
		})
	}
}

// TestJourneyAPIShape writes a journey as JSON: the plan with kinds, titles and reasons, the days
// from referral and the move-on end.
func TestJourneyAPIShape(t *testing.T) {
	b, err := json.Marshal(toAPIJourney(testJourney(), journeyNow))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{`"route":"adult_nrm"`, `"kind":"nrm_referral","title":"Make an NRM referral"`, `"days_from_referral":3`,
		`"days_from_referral":4`, `"move_on_end":"2027-01-10"`, `"answer":"yes"`, `"reference":"NRM-42"`, `"version":2`, `"duty_to_notify":[{`} {
		if !strings.Contains(got, want) {
			t.Errorf("the JSON lacks %s: %s", want, got)
		}
	}
}
