package web

import (
	"net/http"
	"strings"

	"waymark"
)

// ClientIndexPage lists the organisation's clients.
type ClientIndexPage struct {
	Layout
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
	name := strings.TrimSpace(r.URL.Query().Get("name"))
	if len(name) > 200 {
		name = name[:200]
	}
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
	return s.render(w, r, http.StatusOK, "client", ClientPage{Layout: s.layout(w, r, c.DisplayName()), Client: c})
}
