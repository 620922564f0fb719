// Package errs carries eKuiper-compatible error codes through the engine so
// the REST layer can map them to HTTP statuses in one place.
package errs

import (
	"errors"
	"fmt"
)

// Codes of rules-api.md §3.2.
const (
	Undefined = 1000
	General   = 1001
	NotFound  = 1002
	IO        = 1003
	Codec     = 1004
	EOF       = 1005
	SQLParse  = 2001
	SQLPlan   = 2101
	SQLExec   = 2201
	Stream    = 3000
	Rule      = 4000
	ConfKey   = 5000
)

// Error is an error with a code. Msg is the full message shown to clients.
type Error struct {
	Code int
	Msg  string
	Err  error // wrapped cause, may be nil
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// New returns a coded error with a formatted message.
func New(code int, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// Wrap returns a coded error whose message is prefix + ": " + err.Error().
// An empty prefix keeps err's message.
func Wrap(code int, prefix string, err error) *Error {
	msg := err.Error()
	if prefix != "" {
		msg = prefix + ": " + msg
	}
	return &Error{Code: code, Msg: msg, Err: err}
}

// CodeOf returns the code of the outermost coded error in err's chain, or
// Undefined.
func CodeOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Undefined
}

// Direct returns the code only when err itself is a coded error (not one found
// deeper in the chain). eKuiper answers 404 only when the top error has code
// 1002 (rules-api.md §3.2), so the REST layer needs this distinction.
func Direct(err error) int {
	if e, ok := err.(*Error); ok {
		return e.Code
	}
	return Undefined
}
