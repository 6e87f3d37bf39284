package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"waymark"
)

// defaultQuestionSet is the set offered first: the HMIS items suit a first conversation.
const defaultQuestionSet = "hmis-trafficking"

// ScreeningPage asks a client a set of screening questions, lists the screenings already recorded,
// and, once one is recorded (Outcome set), shows the status it proposes for the worker to confirm.
type ScreeningPage struct {
	Layout
	Client     *waymark.Client
	Sets       []*waymark.QuestionSet
	Set        *waymark.QuestionSet
	Questions  []Choice
	Screenings []*waymark.Screening
	Form       Form
	// Outcome is the screening just recorded; Confirm is the concern status form it prefills.
	Outcome         *waymark.Screening
	Confirm         Form
	ConcernStatuses []waymark.Option
}

// screeningPage reads the client, its screenings and the question sets, and picks the set with the
// ID (or the default set when there is none such).
func (s *Server) screeningPage(w http.ResponseWriter, r *http.Request, clientID, setID string) (ScreeningPage, error) {
	a := actor(r)
	c, err := s.svc.Clients.FindClientByID(r.Context(), a, clientID)
	if err != nil {
		return ScreeningPage{}, err
	}
	list, err := s.svc.Screenings.FindScreenings(r.Context(), a, clientID)
	if err != nil {
		return ScreeningPage{}, err
	}
	sets, err := s.svc.Screenings.FindQuestionSets(r.Context(), a)
	if err != nil {
		return ScreeningPage{}, err
	}
	page := ScreeningPage{Layout: s.layout(w, r, "Screening questions"), Client: c, Sets: sets, Screenings: list,
		Form: Form{Values: url.Values{}}, ConcernStatuses: waymark.ConcernStatusOptions()}
	for _, set := range sets {
		if set.ID == setID || (page.Set == nil && set.Key == defaultQuestionSet) {
			page.Set = set
		}
	}
	if page.Set == nil && len(sets) > 0 {
		page.Set = sets[0]
	}
	return page, nil
}

// questions builds the radios of the set's questions from the form.
func (p *ScreeningPage) questions() {
	p.Questions = nil
	if p.Set == nil {
		return
	}
	for _, q := range p.Set.Questions {
		p.Questions = append(p.Questions, newChoice(p.Form, q.Key, q.Text, q.Hint, q.Options()))
	}
}

func (s *Server) handleScreeningForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, err := s.screeningPage(w, r, r.PathValue("id"), q.Get("set"))
	if err != nil {
		return err
	}
	if done := q.Get("done"); done != "" {
		for _, sc := range page.Screenings {
			if sc.ID == done {
				page.Outcome = sc
				page.Title = "Screening recorded"
				page.Confirm = Form{Values: url.Values{"concern_status": {string(sc.ProposedStatus)},
					"reason": {"Proposed by screening: " + sc.SetName + " v" + strconv.Itoa(sc.SetVersion)}}}
			}
		}
	}
	page.questions()
	return s.render(w, r, http.StatusOK, "screening", page)
}

func (s *Server) handleScreeningCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id, setID := r.PathValue("id"), r.PostForm.Get("set_id")
	page, err := s.screeningPage(w, r, id, setID)
	if err != nil {
		return err
	}
	answers := map[string]string{}
	var order []string
	if page.Set != nil && page.Set.ID == setID {
		for _, q := range page.Set.Questions {
			order = append(order, q.Key)
			if v := r.PostForm.Get(q.Key); v != "" {
				answers[q.Key] = v
			}
		}
	}
	sc, err := s.svc.Screenings.RecordScreening(r.Context(), actor(r), id, setID, answers, r.PostForm.Get("notes"))
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page.Form, page.Errors = formFromError(r.PostForm, err, append(order, "notes")...)
		page.questions()
		return s.render(w, r, http.StatusUnprocessableEntity, "screening", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/clients/"+id+"/screening?"+url.Values{"set": {sc.SetID}, "done": {sc.ID}}.Encode(), "Screening recorded.")
}

// The JSON shapes of screenings.
type (
	apiAnswerOption struct {
		Value string `json:"value"`
		Label string `json:"label"`
	}
	apiQuestion struct {
		Key     string            `json:"key"`
		Text    string            `json:"text"`
		Hint    string            `json:"hint,omitempty"`
		Answers []apiAnswerOption `json:"answers"`
	}
	apiQuestionSet struct {
		ID        string        `json:"id"`
		Key       string        `json:"key"`
		Name      string        `json:"name"`
		Version   int           `json:"version"`
		Questions []apiQuestion `json:"questions"`
	}
	apiScreening struct {
		ID             string            `json:"id"`
		ClientID       string            `json:"client_id"`
		SetID          string            `json:"set_id"`
		SetKey         string            `json:"set_key"`
		SetVersion     int               `json:"set_version"`
		AskedBy        string            `json:"asked_by"`
		AskedAt        time.Time         `json:"asked_at"`
		Answers        map[string]string `json:"answers"`
		Notes          string            `json:"notes"`
		ProposedStatus string            `json:"proposed_status"`
	}
)

func toAPIScreening(sc *waymark.Screening) apiScreening {
	answers := sc.Answers
	if answers == nil {
		answers = map[string]string{}
	}
	return apiScreening{ID: sc.ID, ClientID: sc.ClientID, SetID: sc.SetID, SetKey: sc.SetKey, SetVersion: sc.SetVersion, AskedBy: sc.AskedBy,
		AskedAt: sc.AskedAt, Answers: answers, Notes: sc.Notes, ProposedStatus: string(sc.ProposedStatus)}
}

func (s *Server) apiQuestionSetIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	sets, err := s.svc.Screenings.FindQuestionSets(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	out := struct {
		Items []apiQuestionSet `json:"items"`
	}{Items: []apiQuestionSet{}}
	for _, set := range sets {
		as := apiQuestionSet{ID: set.ID, Key: set.Key, Name: set.Name, Version: set.Version, Questions: []apiQuestion{}}
		for _, q := range set.Questions {
			aq := apiQuestion{Key: q.Key, Text: q.Text, Hint: q.Hint, Answers: []apiAnswerOption{}}
			for _, o := range q.Options() {
				aq.Answers = append(aq.Answers, apiAnswerOption{Value: o.Value, Label: o.Label})
			}
			as.Questions = append(as.Questions, aq)
		}
		out.Items = append(out.Items, as)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiScreeningIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	list, err := s.svc.Screenings.FindScreenings(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := struct {
		Items []apiScreening `json:"items"`
	}{Items: []apiScreening{}}
	for _, sc := range list {
		out.Items = append(out.Items, toAPIScreening(sc))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiScreeningCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		SetID   string            `json:"set_id"`
		Answers map[string]string `json:"answers"`
		Notes   string            `json:"notes"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	sc, err := s.svc.Screenings.RecordScreening(r.Context(), apiActor(r, id), r.PathValue("id"), in.SetID, in.Answers, in.Notes)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIScreening(sc))
	return nil
}
