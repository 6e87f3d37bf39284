package web

import (
	"net/http"

	"waymark"
)

// AuditIndexPage lists audit entries.
type AuditIndexPage struct {
	Layout
	Entries []*waymark.AuditEntry
	Pager   Pager
	All     bool
}

func (s *Server) handleAuditIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	p, n := pageFrom(r)
	f := waymark.AuditFilter{Page: p}
	if a.Can(waymark.PermViewAllAudit) {
		f.OrgID = r.URL.Query().Get("org")
	}
	entries, total, err := s.svc.Audit.FindAuditEntries(r.Context(), a, f)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "audit", AuditIndexPage{Layout: s.layout(w, r, "Audit log"), Entries: entries, Pager: pager(r, n, total), All: f.OrgID == "" && a.Can(waymark.PermViewAllAudit)})
}
