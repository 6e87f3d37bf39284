package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"waymark"
)

// statusFor maps each error code to its HTTP status, in one table.
var statusFor = map[string]int{
	waymark.EINVALID:      http.StatusUnprocessableEntity,
	waymark.EUNAUTHORIZED: http.StatusUnauthorized,
	waymark.EFORBIDDEN:    http.StatusForbidden,
	waymark.ENOTFOUND:     http.StatusNotFound,
	waymark.ECONFLICT:     http.StatusConflict,
	waymark.ETHROTTLED:    http.StatusTooManyRequests,
	waymark.EUNAVAILABLE:  http.StatusServiceUnavailable,
	waymark.EINTERNAL:     http.StatusInternalServerError,
}

// queryError marks a query string that cannot be read: 400 Bad Request, where a form or body
// that fails validation is 422. Its message and fields are the wrapped error's.
type queryError struct{ err error }

func (e queryError) Error() string { return e.err.Error() }
func (e queryError) Unwrap() error { return e.err }

func errorStatus(err error) int {
	if errors.As(err, new(queryError)) {
		return http.StatusBadRequest
	}
	if s, ok := statusFor[waymark.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorPage is the data of the error page.
type ErrorPage struct {
	Layout
	Status  int
	Heading string
	Message string
}

// renderError shows err as a page. Internal errors are logged and shown without their detail.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.writeAPIError(w, r, err)
		return
	}
	status := errorStatus(err)
	s.logError(r, err, status)
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		status = http.StatusRequestEntityTooLarge
		err = waymark.Errorf(waymark.EINVALID, "What you sent is too large. Shorten it and try again.")
	}
	data := ErrorPage{Status: status, Message: waymark.ErrorMessage(err)}
	switch status {
	case http.StatusNotFound:
		data.Heading = "Page not found"
		data.Message = "If you typed the web address, check it is correct. If you followed a link, the record may have been removed or you may not have access to it."
	case http.StatusUnauthorized:
		data.Heading = "Sign in to continue"
	case http.StatusForbidden:
		data.Heading = "You cannot do that"
	case http.StatusTooManyRequests:
		data.Heading = "Too many attempts"
	case http.StatusServiceUnavailable:
		data.Heading = "Sorry, the service is unavailable"
	case http.StatusInternalServerError:
		data.Heading = "Sorry, there is a problem with the service"
		data.Message = "Try again later. If it keeps happening, tell your organisation admin the time it happened."
	default:
		data.Heading = "There is a problem"
	}
	data.Layout = s.layout(w, r, data.Heading)
	if rerr := s.render(w, r, status, "error", data); rerr != nil {
		s.log.Error("rendering error page", "err", rerr)
		http.Error(w, data.Heading, status)
	}
}

func (s *Server) logError(r *http.Request, err error, status int) {
	if status >= 500 {
		// The error's own text may hold SQL or a driver message; it goes to the log only, never the response.
		s.log.Error("request failed", "method", r.Method, "route", s.route(r), "status", status, "err", err)
	}
}

// APIError is the JSON body of every API error.
type APIError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
	} `json:"error"`
}

func (s *Server) writeAPIError(w http.ResponseWriter, r *http.Request, err error) {
	status := errorStatus(err)
	s.logError(r, err, status)
	var body APIError
	body.Error.Code = waymark.ErrorCode(err)
	body.Error.Message = waymark.ErrorMessage(err)
	body.Error.Fields = waymark.ErrorFields(err)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="waymark"`)
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }
