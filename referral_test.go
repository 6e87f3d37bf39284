package waymark

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestReferralTransitions(t *testing.T) {
	// allowed lists every allowed change; every other (status, action, party) is refused.
	allowed := map[string]ReferralStatus{
		"sent/accept/recipient":       ReferralAccepted,
		"sent/decline/recipient":      ReferralDeclined,
		"accepted/complete/recipient": ReferralCompleted,
		"sent/withdraw/sender":        ReferralWithdrawn,
		"accepted/withdraw/sender":    ReferralWithdrawn,
	}
	statuses := []ReferralStatus{ReferralSent, ReferralAccepted, ReferralDeclined, ReferralCompleted, ReferralWithdrawn}
	seen := 0
	for _, from := range statuses {
		for _, a := range ReferralActions {
			for _, party := range []ReferralParty{PartySender, PartyRecipient} {
				key := fmt.Sprintf("%s/%s/%s", from, a, party)
				want, ok := allowed[key]
				name := key + " is refused"
				if ok {
					name = key + " gives " + string(want)
					seen++
				}
				t.Run(name, func(t *testing.T) {
					got, err := Transition(from, a, party, "Because")
					if ok {
						if err != nil || got != want {
							t.Fatalf("Transition = %s, %v; want %s", got, err, want)
						}
						if !a.Allowed(party, from) {
							t.Errorf("Allowed = false for an allowed change")
						}
						return
					}
					if err == nil {
						t.Fatalf("Transition = %s, want a refusal", got)
					}
					if got != from {
						t.Errorf("a refused change gives status %s, want it unchanged (%s)", got, from)
					}
					if a.Allowed(party, from) {
						t.Errorf("Allowed = true for a refused change")
					}
					// The other party is forbidden; the right party too late meets a conflict.
					wantCode := ECONFLICT
					if referralRules[a].party != party {
						wantCode = EFORBIDDEN
					}
					if code := ErrorCode(err); code != wantCode {
						t.Errorf("error code %s, want %s", code, wantCode)
					}
				})
			}
		}
	}
	if seen != len(allowed) {
		t.Fatalf("the table names %d allowed changes, the loop met %d", len(allowed), seen)
	}
	t.Run("decline and withdraw without a reason are invalid", func(t *testing.T) {
		for _, c := range []struct {
			from  ReferralStatus
			a     ReferralAction
			party ReferralParty
		}{{ReferralSent, ReferralDecline, PartyRecipient}, {ReferralAccepted, ReferralWithdraw, PartySender}} {
			_, err := Transition(c.from, c.a, c.party, "   ")
			if ErrorFields(err)["reason"] == "" {
				t.Errorf("%s with a blank reason: %v, want a reason error", c.a, err)
			}
		}
	})
	t.Run("accept and complete need no reason", func(t *testing.T) {
		if _, err := Transition(ReferralSent, ReferralAccept, PartyRecipient, ""); err != nil {
			t.Error(err)
		}
		if _, err := Transition(ReferralAccepted, ReferralComplete, PartyRecipient, ""); err != nil {
			t.Error(err)
		}
	})
	t.Run("an unknown action is invalid", func(t *testing.T) {
		if _, err := Transition(ReferralSent, "reopen", PartyRecipient, "x"); ErrorCode(err) != EINVALID {
			t.Errorf("err = %v, want invalid", err)
		}
	})
}

// markedClient is a client with a distinct marker in every field, and the episodes and risk level
// the snapshot may read.
func markedClient() (*Client, []*ExploitationEpisode, string) {
	c := &Client{
		ID: "MKID", OrgID: "MKORG", Reference: "MKREFERENCE", GivenName: "MKGIVEN", FamilyName: "MKFAMILY", KnownAs: []string{"MKKNOWNAS"},
		DateOfBirth: "MKDOB", EstimatedAge: 4242, AgeDisputed: true, Gender: "MKGENDER", Nationalities: []string{"MKNATIONALITY"},
		NationalityAnswer: "MKNATANSWER", Languages: []string{"MKLANGUAGE"}, InterpreterNeeded: "MKINTERPRETER", CommunicationAidNeeded: "MKCOMMAID",
		ImmigrationStatus: "MKIMMIGRATION", NoRecourseToPublicFunds: "MKNRPF", DependentChildren: "MKCHILDREN",
		Contacts:  []Contact{{Kind: "MKSAFEKIND", Value: "MKSAFECONTACT", SafeToContact: AnswerYes}, {Kind: "MKUNSAFEKIND", Value: "MKUNSAFECONTACT", SafeToContact: AnswerNo}},
		Situation: "MKSITUATION", SupportNeeds: []SupportNeed{"MKNEED"}, ConcernStatus: "MKCONCERN", AssignedWorkerID: "MKWORKER",
		Notes: "MKNOTES", CreatedBy: "MKCREATEDBY",
	}
	episodes := []*ExploitationEpisode{{Types: []string{"MKEXPLOITTYPE"}, FormTypes: []string{"MKFORMTYPE"}, Narrative: "MKNARRATIVE", Places: "MKPLACES"}}
	return c, episodes, "MKRISK"
}

func TestSnapshotHoldsOnlyChosenFields(t *testing.T) {
	// markersOf lists the markers each item may carry.
	markersOf := map[ShareField][]string{
		ShareName: {"MKGIVEN", "MKFAMILY"}, ShareKnownAs: {"MKKNOWNAS"}, ShareDateOfBirth: {"MKDOB", "4242"}, ShareGender: {"MKGENDER"},
		ShareNationalities: {"MKNATIONALITY", "MKNATANSWER"}, ShareLanguages: {"MKLANGUAGE", "MKINTERPRETER"},
		ShareSafeContacts: {"MKSAFEKIND", "MKSAFECONTACT"}, ShareConcernStatus: {"MKCONCERN"}, ShareExploitationTypes: {"MKEXPLOITTYPE"},
		ShareSituation: {"MKSITUATION"}, ShareSupportNeeds: {"MKNEED"}, ShareRiskLevel: {"MKRISK"},
	}
	never := []string{"MKID", "MKORG", "MKREFERENCE", "MKCOMMAID", "MKIMMIGRATION", "MKNRPF", "MKCHILDREN", "MKUNSAFEKIND", "MKUNSAFECONTACT",
		"MKWORKER", "MKNOTES", "MKCREATEDBY", "MKFORMTYPE", "MKNARRATIVE", "MKPLACES"}
	if len(markersOf) != len(ShareFieldOptions()) {
		t.Fatalf("the test knows %d items, the list has %d", len(markersOf), len(ShareFieldOptions()))
	}
	c, episodes, risk := markedClient()
	render := func(s ReferralSnapshot, fields []ShareField) string {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%s %+v %+v", b, s, s.Items(fields))
	}
	t.Run("name and languages carry only those", func(t *testing.T) {
		chosen := []ShareField{ShareName, ShareLanguages}
		s := TakeSnapshot(c, episodes, risk, chosen)
		out := render(s, chosen)
		for f, markers := range markersOf {
			for _, m := range markers {
				if got, want := strings.Contains(out, m), f == ShareName || f == ShareLanguages; got != want {
					t.Errorf("snapshot contains %s (%s): %v, want %v\n%s", m, f, got, want, out)
				}
			}
		}
		for _, m := range never {
			if strings.Contains(out, m) {
				t.Errorf("snapshot contains %s, which is never shared", m)
			}
		}
		var back map[string]any
		b, _ := json.Marshal(s)
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if len(back) != 4 { // given_name, family_name, languages, interpreter_needed
			t.Errorf("snapshot JSON has keys %v, want the name and languages only", back)
		}
	})
	for f := range markersOf {
		t.Run(string(f)+" alone carries only its values", func(t *testing.T) {
			s := TakeSnapshot(c, episodes, risk, []ShareField{f})
			out := render(s, []ShareField{f})
			for g, markers := range markersOf {
				for _, m := range markers {
					if got := strings.Contains(out, m); got != (g == f) {
						t.Errorf("contains %s of %s: %v", m, g, got)
					}
				}
			}
			for _, m := range never {
				if strings.Contains(out, m) {
					t.Errorf("contains %s, which is never shared", m)
				}
			}
		})
	}
	t.Run("nothing chosen is an empty snapshot", func(t *testing.T) {
		b, _ := json.Marshal(TakeSnapshot(c, episodes, risk, nil))
		if string(b) != "{}" {
			t.Errorf("snapshot JSON = %s, want {}", b)
		}
	})
}

func TestReferralValidate(t *testing.T) {
	r := &Referral{ToOrgID: " org ", Reason: " Needs advice ", Shared: []ShareField{ShareLanguages, ShareName, ShareName}}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(r.Shared) != 2 || r.Shared[0] != ShareName || r.Shared[1] != ShareLanguages {
		t.Errorf("Shared = %v, want name then languages, once each", r.Shared)
	}
	bad := &Referral{Shared: []ShareField{"notes"}}
	f := ErrorFields(bad.Validate())
	for _, k := range []string{"to_org_id", "reason", "shared"} {
		if f[k] == "" {
			t.Errorf("no error for %s: %v", k, f)
		}
	}
	none := &Referral{ToOrgID: "x", Reason: "y"}
	if ErrorFields(none.Validate())["shared"] == "" {
		t.Error("a referral sharing nothing is accepted")
	}
}
