package web

import (
	_ "embed"
	"net/http"
)

// openAPIDocument is written by hand, not generated from the routes, so that a test comparing the
// two catches a route added without documentation or documentation left for a removed route.
//
//go:embed openapi.json
var openAPIDocument []byte

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPIDocument)
}
