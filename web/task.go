package web

import (
	"net/http"

	"waymark"
)

// TasksPage lists open tasks: the signed-in user's, or the organisation's overview.
type TasksPage struct {
	Layout
	Tasks []*waymark.Task
	// Overview is set on the organisation's page, which also shows who each task is for.
	Overview bool
	// Counts are the open tasks of each kind, in the order of Kinds, on the overview.
	Kinds  []waymark.TaskKind
	Counts map[waymark.TaskKind]int
	// Today is the London date, "YYYY-MM-DD", so that overdue tasks stand out.
	Today string
	// CanSeeOverview links the user's list to the organisation's.
	CanSeeOverview bool
}

func (s *Server) handleMyTasks(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	tasks, err := s.svc.Tasks.FindMyTasks(r.Context(), a)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "tasks", TasksPage{Layout: s.layout(w, r, "Your tasks"), Tasks: tasks, Today: s.today(),
		CanSeeOverview: a.Can(waymark.PermViewOrgTasks)})
}

func (s *Server) handleOrganisationTasks(w http.ResponseWriter, r *http.Request) error {
	tasks, err := s.svc.Tasks.FindOrganisationTasks(r.Context(), actor(r))
	if err != nil {
		return err
	}
	page := TasksPage{Layout: s.layout(w, r, "Your organisation's tasks"), Tasks: tasks, Overview: true, Today: s.today(),
		Kinds: waymark.TaskKinds(), Counts: map[waymark.TaskKind]int{}}
	for _, t := range tasks {
		page.Counts[t.Kind]++
	}
	return s.render(w, r, http.StatusOK, "tasks", page)
}

// today is the London date now, "YYYY-MM-DD".
func (s *Server) today() string { return waymark.Today(s.cfg.Now()) }

// apiTask is a task as the API shows it.
type apiTask struct {
	ID         string `json:"id"`
	ClientID   string `json:"client_id"`
	ClientName string `json:"client_name"`
	ClientRef  string `json:"client_reference"`
	Kind       string `json:"kind"`
	Label      string `json:"label"`
	DueOn      string `json:"due_on"`
	AssignedTo string `json:"assigned_to"`
}

func toAPITask(t *waymark.Task) apiTask {
	return apiTask{ID: t.ID, ClientID: t.ClientID, ClientName: t.ClientName, ClientRef: t.ClientReference, Kind: string(t.Kind), Label: t.Kind.Label(), DueOn: t.DueOn, AssignedTo: t.AssignedTo}
}

// writeTasks answers with the tasks as one page of the API's list envelope.
func writeTasks(w http.ResponseWriter, tasks []*waymark.Task) {
	writeJSON(w, http.StatusOK, mapList(tasks, len(tasks), waymark.Page{Limit: len(tasks)}, toAPITask))
}

func (s *Server) apiMyTasks(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	tasks, err := s.svc.Tasks.FindMyTasks(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	writeTasks(w, tasks)
	return nil
}

func (s *Server) apiOrganisationTasks(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	tasks, err := s.svc.Tasks.FindOrganisationTasks(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	writeTasks(w, tasks)
	return nil
}
