package web

import (
	"net/http"
	"strconv"
	"strings"

	"waymark"
)

// ClientIndexPage lists the organisation's clients, or those matching a name search.
type ClientIndexPage struct {
	Layout
	// Name is the name searched for; its paging links are forms that post it again.
	Name    string
	Clients []*waymark.Client
	Pager   Pager
}

// ClientPage shows one client.
type ClientPage struct {
	Layout
	Client *waymark.Client
}

func (s *Server) handleClientIndex(w http.ResponseWriter, r *http.Request) error {
	p, n := pageFrom(r)
	return s.clientList(w, r, "", p, n)
}

// handleClientSearch searches by name. The name comes in a POST body, never the URL, so it stays
// out of browser history and proxy logs; paging re-posts it.
func (s *Server) handleClientSearch(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	if len(name) > 200 {
		name = name[:200]
	}
	n, err := strconv.Atoi(r.PostForm.Get("page"))
	if err != nil || n < 1 || n > 100000 {
		n = 1
	}
	return s.clientList(w, r, name, waymark.Page{Offset: (n - 1) * waymark.DefaultPageSize, Limit: waymark.DefaultPageSize}, n)
}

func (s *Server) clientList(w http.ResponseWriter, r *http.Request, name string, p waymark.Page, n int) error {
	clients, total, err := s.svc.Clients.FindClients(r.Context(), actor(r), waymark.ClientFilter{Name: name, Page: p})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "clients", ClientIndexPage{Layout: s.layout(w, r, "Clients"), Name: name, Clients: clients, Pager: pager(r, n, total)})
}

func (s *Server) handleClientView(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.Clients.FindClientByID(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "client", ClientPage{Layout: s.layout(w, r, "Client record"), Client: c})
}
