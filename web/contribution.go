package web

import (
	"net/http"
	"net/url"
	"time"

	"waymark"
)

// A partner adds notes and the support it gives on the shared record's page, where the share
// allows it; the owner reads every partner's on the client's consent and sharing page.

// contributionForms name each kind's fields on the shared record's page, in the order they appear,
// and map the domain's field keys to them: the two forms share the page.
var contributionForms = map[waymark.ContributionKind]struct {
	fields []string
	names  map[string]string
	flash  string
}{
	waymark.ContributionNote:    {[]string{"note"}, map[string]string{"text": "note"}, "Note added. The organisation that shared the record can read it."},
	waymark.ContributionSupport: {[]string{"support_type", "start", "end", "outcome", "support_text"}, map[string]string{"text": "support_text"}, "Support recorded. The organisation that shared the record can read it."},
}

// contributionFromForm reads a partner's note or support from its form, and what is wrong with
// the support's dates.
func contributionFromForm(kind waymark.ContributionKind, v url.Values) (waymark.ShareContribution, map[string]string) {
	if kind == waymark.ContributionNote {
		return waymark.ShareContribution{Kind: kind, Text: v.Get("note")}, nil
	}
	fields := joinDates(v, dateInput{"start", "The start date", false}, dateInput{"end", "The end date", false})
	return waymark.ShareContribution{Kind: kind, SupportType: waymark.SupportType(v.Get("support_type")), Start: v.Get("start"), End: v.Get("end"),
		Outcome: waymark.SupportOutcome(v.Get("outcome")), Text: v.Get("support_text")}, fields
}

// sharedRecordPage is the shared record's page with empty forms.
func (s *Server) sharedRecordPage(w http.ResponseWriter, r *http.Request, rec *waymark.SharedRecord) SharedRecordPage {
	return SharedRecordPage{Layout: s.layout(w, r, "Shared record"), Record: rec, NoteForm: Form{Values: url.Values{}}, SupportForm: Form{Values: url.Values{}},
		SupportTypes: waymark.SupportTypeOptions(), Outcomes: waymark.SupportOutcomeOptions()}
}

// handleContributionAdd adds a note or support of the kind to a shared record.
func (s *Server) handleContributionAdd(kind waymark.ContributionKind) pageHandler {
	form := contributionForms[kind]
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := r.ParseForm(); err != nil {
			return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
		}
		id := r.PathValue("share")
		k, fields := contributionFromForm(kind, r.PostForm)
		var err error
		if len(fields) > 0 {
			err = withFormErrors(fields, k.Validate(s.cfg.Now()))
		} else {
			err = s.svc.Shares.AddContribution(r.Context(), actor(r), id, &k)
		}
		if waymark.ErrorCode(err) != waymark.EINVALID {
			if err != nil {
				return err
			}
			return redirect(w, r, "/shared/"+id+"#contributions", form.flash)
		}
		rec, ferr := s.svc.Shares.FindSharedRecord(r.Context(), actor(r), id)
		if ferr != nil {
			return ferr
		}
		if !rec.Share.AllowContributions {
			// The dates were wrong, but the share takes nothing anyway: say that, not the dates.
			return waymark.Errorf(waymark.EFORBIDDEN, "%s shared this record read-only: your organisation may read it but not add to it.", rec.Share.OwnerOrgName)
		}
		page := s.sharedRecordPage(w, r, rec)
		f, summary := formFromError(r.PostForm, renameFields(err, form.names), form.fields...)
		if kind == waymark.ContributionNote {
			page.NoteForm = f
		} else {
			page.SupportForm = f
		}
		page.Errors = summary
		return s.render(w, r, http.StatusUnprocessableEntity, "shared-record", page)
	}
}

// apiContribution is a contribution as the API shows it.
type apiContribution struct {
	ID                      string    `json:"id"`
	Kind                    string    `json:"kind"`
	PartnerOrganisationID   string    `json:"partner_organisation_id"`
	PartnerOrganisationName string    `json:"partner_organisation_name"`
	AddedByName             string    `json:"added_by_name"`
	AddedAt                 time.Time `json:"added_at"`
	SupportType             string    `json:"support_type,omitempty"`
	Start                   string    `json:"start,omitempty"`
	End                     string    `json:"end,omitempty"`
	Outcome                 string    `json:"outcome,omitempty"`
	Text                    string    `json:"text"`
}

func toAPIContributions(list []*waymark.ShareContribution) []apiContribution {
	out := []apiContribution{}
	for _, k := range list {
		out = append(out, apiContribution{ID: k.ID, Kind: string(k.Kind), PartnerOrganisationID: k.PartnerOrgID, PartnerOrganisationName: k.PartnerOrgName,
			AddedByName: k.AddedByName, AddedAt: k.AddedAt, SupportType: string(k.SupportType), Start: k.Start, End: k.End, Outcome: string(k.Outcome), Text: k.Text})
	}
	return out
}

func (s *Server) apiContributionAdd(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		Kind        string `json:"kind"`
		Text        string `json:"text"`
		SupportType string `json:"support_type"`
		Start       string `json:"start"`
		End         string `json:"end"`
		Outcome     string `json:"outcome"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	k := waymark.ShareContribution{Kind: waymark.ContributionKind(in.Kind), Text: in.Text, SupportType: waymark.SupportType(in.SupportType),
		Start: in.Start, End: in.End, Outcome: waymark.SupportOutcome(in.Outcome)}
	if err := s.svc.Shares.AddContribution(r.Context(), apiActor(r, id), r.PathValue("share"), &k); err != nil {
		return err
	}
	out := toAPIContributions([]*waymark.ShareContribution{&k})[0]
	out.AddedByName = id.User.Name
	if id.Organisation != nil {
		out.PartnerOrganisationName = id.Organisation.Name
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Server) apiClientContributions(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	list, err := s.svc.Shares.FindContributions(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"contributions": toAPIContributions(list)})
	return nil
}
