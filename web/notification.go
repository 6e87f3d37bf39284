package web

import (
	"net/http"
	"time"

	"waymark"
)

// NotificationsPage lists the tasks that came to the signed-in user, newest first, and whether
// they want to hear of them by email.
type NotificationsPage struct {
	Layout
	Notifications []*waymark.Notification
	WantsEmail    bool
}

// countUnread counts the signed-in user's unread notifications for the navigation. Only staff who
// see clients get notifications, so nobody else pays for the query. A failure costs the count,
// never the page.
func (s *Server) countUnread(r *http.Request, id *waymark.Identity) int {
	// Notifications is unset only in tests of pages that do not need it.
	if s.svc.Notifications == nil || !id.User.Role.Can(waymark.PermViewClients) {
		return 0
	}
	n, err := s.svc.Notifications.CountUnread(r.Context(), id.Actor(clientAddr(r), "web"))
	if err != nil {
		s.log.Warn("counting unread notifications", "err", err)
		return 0
	}
	return n
}

func (s *Server) handleNotifications(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Notifications.FindNotifications(r.Context(), actor(r))
	if err != nil {
		return err
	}
	email, err := s.svc.Notifications.WantsEmail(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "notifications", NotificationsPage{Layout: s.layout(w, r, "Notifications"), Notifications: list, WantsEmail: email})
}

// handleEmailNotices records whether the user wants email notices: the form's email is "yes" or "no".
func (s *Server) handleEmailNotices(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	on := r.PostForm.Get("email") == "yes"
	if !on && r.PostForm.Get("email") != "no" {
		return waymark.Errorf(waymark.EINVALID, "Choose yes or no: whether you want an email when something new comes to you.")
	}
	if err := s.svc.Notifications.SetWantsEmail(r.Context(), actor(r), on); err != nil {
		return err
	}
	msg := "You will get an email when something new comes to you."
	if !on {
		msg = "You will not get emails about new notifications."
	}
	return redirect(w, r, "/notifications", msg)
}

func (s *Server) handleNotificationsRead(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PostForm.Get("id")
	if err := s.svc.Notifications.MarkRead(r.Context(), actor(r), id); err != nil {
		return err
	}
	msg := "Marked as read."
	if id == "" {
		msg = "All your notifications are marked as read."
	}
	return redirect(w, r, "/notifications", msg)
}

// apiNotification is a notification as the API shows it.
type apiNotification struct {
	ID         string     `json:"id"`
	TaskID     string     `json:"task_id"`
	Kind       string     `json:"kind"`
	Label      string     `json:"label"`
	ClientID   string     `json:"client_id"`
	ClientName string     `json:"client_name"`
	ClientRef  string     `json:"client_reference"`
	Path       string     `json:"path"`
	DueOn      string     `json:"due_on"`
	Done       bool       `json:"done"`
	CreatedAt  time.Time  `json:"created_at"`
	ReadAt     *time.Time `json:"read_at"`
}

func toAPINotification(n *waymark.Notification) apiNotification {
	return apiNotification{ID: n.ID, TaskID: n.TaskID, Kind: string(n.Kind), Label: n.Kind.Label(), ClientID: n.ClientID, ClientName: n.ClientName,
		ClientRef: n.ClientReference, Path: "/clients/" + n.ClientID + n.Kind.Path(), DueOn: n.DueOn, Done: n.Done, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
}

func (s *Server) apiNotifications(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	list, err := s.svc.Notifications.FindNotifications(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(list, len(list), waymark.Page{Limit: len(list)}, toAPINotification))
	return nil
}

// apiEmailNotices is whether the user wants email notices.
type apiEmailNotices struct {
	Email *bool `json:"email"`
}

func (s *Server) apiNotificationSettings(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	on, err := s.svc.Notifications.WantsEmail(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiEmailNotices{Email: &on})
	return nil
}

func (s *Server) apiNotificationSettingsSet(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiEmailNotices
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Email == nil {
		return waymark.Invalid(map[string]string{"email": "Give email as true or false"})
	}
	if err := s.svc.Notifications.SetWantsEmail(r.Context(), apiActor(r, id), *in.Email); err != nil {
		return err
	}
	return s.apiNotificationSettings(w, r, id)
}

func (s *Server) apiNotificationsRead(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		ID string `json:"id"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.svc.Notifications.MarkRead(r.Context(), apiActor(r, id), in.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
