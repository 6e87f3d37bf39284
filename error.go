// Package waymark is the domain of Waymark: the nouns that homelessness services and their partners
// record about people at risk of modern slavery, the rules that keep those records valid, and the
// service contracts the storage and web layers implement and call. It imports only the standard library.
package waymark

import (
	"errors"
	"fmt"
)

// Error codes. The set is short and fixed: the web layer maps each to one HTTP status.
const (
	EINVALID      = "invalid"      // the input is wrong; Message and Fields say how to fix it
	EUNAUTHORIZED = "unauthorized" // not signed in, or the credentials are wrong
	EFORBIDDEN    = "forbidden"    // signed in, but the role may not do this
	ENOTFOUND     = "not_found"    // no such record, or one the actor may not know exists
	ECONFLICT     = "conflict"     // the change clashes with what is stored (a duplicate, say)
	ETHROTTLED    = "throttled"    // too many attempts; try again later
	EUNAVAILABLE  = "unavailable"  // the database cannot be reached
	EINTERNAL     = "internal"     // a fault; its detail is logged, never shown
)

// Error is the one error type of the application. Message is written for the person using Waymark
// and is safe to show; Err carries the underlying cause for the log only.
type Error struct {
	Code    string
	Message string
	// Fields holds a message per form field for validation errors, keyed by the field's name.
	Fields map[string]string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the given code and a formatted, user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a validation error with a message per field. The summary message lists nothing
// personal: it only says that the form needs correcting.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: "There is a problem: check the answers marked below.", Fields: fields}
}

// invalid returns the validation error for the messages in f, by field, or nil when there are none.
func invalid(f map[string]string) error {
	if len(f) == 0 {
		return nil
	}
	return Invalid(f)
}

// Internal wraps an unexpected fault. Its text is never shown to a user.
func Internal(err error) *Error {
	return &Error{Code: EINTERNAL, Message: "Sorry, there is a problem with the service. Try again later.", Err: err}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not an *Error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; faults get a generic message.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Sorry, there is a problem with the service. Try again later."
}

// ErrorFields returns the per-field messages of a validation error, or nil.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
