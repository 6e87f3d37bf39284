package web

import (
	"net/http"
	"net/url"

	"waymark"
)

// CliffEdgePage lists the people whose support ends soon with no home or income in place, and
// the follow-ups overdue: the user's clients, or with Organisation set the organisation's.
type CliffEdgePage struct {
	Layout
	CliffEdge    *waymark.CliffEdge
	Organisation bool
	// CanSeeOrganisation links the user's view to the organisation's.
	CanSeeOrganisation bool
}

func (s *Server) cliffEdge(w http.ResponseWriter, r *http.Request, scope waymark.CliffEdgeScope, title string) error {
	a := actor(r)
	c, err := s.svc.MoveOn.FindCliffEdge(r.Context(), a, scope)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "cliff-edge", CliffEdgePage{Layout: s.layout(w, r, title), CliffEdge: c,
		Organisation: scope == waymark.CliffEdgeOrganisation, CanSeeOrganisation: a.Can(waymark.PermViewOrgTasks)})
}

func (s *Server) handleMyCliffEdge(w http.ResponseWriter, r *http.Request) error {
	return s.cliffEdge(w, r, waymark.CliffEdgeMine, "Cliff edge: your clients")
}

func (s *Server) handleOrganisationCliffEdge(w http.ResponseWriter, r *http.Request) error {
	return s.cliffEdge(w, r, waymark.CliffEdgeOrganisation, "Cliff edge: your organisation")
}

// OutcomesPage shows the organisation's outcomes after support, counts only.
type OutcomesPage struct {
	Layout
	Outcomes *waymark.Outcomes
	// SuppressBelow is the smallest count shown as a number, for the page's explanation.
	SuppressBelow int
	// CanManageSchedule links to the follow-up schedule.
	CanManageSchedule bool
}

func (s *Server) handleOutcomes(w http.ResponseWriter, r *http.Request) error {
	o, err := s.svc.MoveOn.FindOutcomes(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "outcomes", OutcomesPage{Layout: s.layout(w, r, "Outcomes after support"), Outcomes: o,
		SuppressBelow: waymark.SuppressBelow, CanManageSchedule: actor(r).Can(waymark.PermManageFollowUps)})
}

// SchedulePage shows and changes the organisation's follow-up schedule.
type SchedulePage struct {
	Layout
	Form Form
	// Months is the schedule saved now; OutcomeMonths the months the outcomes count at.
	Months, OutcomeMonths []int
}

func (s *Server) schedulePage(w http.ResponseWriter, r *http.Request) (SchedulePage, error) {
	months, err := s.svc.MoveOn.FollowUpSchedule(r.Context(), actor(r))
	return SchedulePage{Layout: s.layout(w, r, "Follow-up schedule"), Months: months, OutcomeMonths: waymark.OutcomeMonths,
		Form: Form{Values: url.Values{"months": {waymark.FormatFollowUpMonths(months)}}}}, err
}

func (s *Server) handleScheduleForm(w http.ResponseWriter, r *http.Request) error {
	page, err := s.schedulePage(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "follow-up-schedule", page)
}

func (s *Server) handleScheduleSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	months, err := waymark.ParseFollowUpMonths(r.PostForm.Get("months"))
	if err == nil {
		err = s.svc.MoveOn.SetFollowUpSchedule(r.Context(), actor(r), months)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page, perr := s.schedulePage(w, r)
		if perr != nil {
			return perr
		}
		page.Form, page.Errors = formFromError(r.PostForm, err, "months")
		return s.render(w, r, http.StatusUnprocessableEntity, "follow-up-schedule", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/organisation/follow-ups", "Follow-up schedule saved.")
}
