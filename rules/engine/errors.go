package engine

import (
	"errors"

	"github.com/oort-rules/oort/rules/errs"
)

// ErrInvalidRuleJSON marks rule errors of validation steps 1–4 of
// rules-api.md §1.2 (body is not JSON, id missing/inconsistent/invalid, SQL
// does not parse or actions are missing, invalid options). The REST layer
// needs the mark to add "invalid rule json: " (POST /rules) or
// "Invalid rule json: " (PUT /rules/{id}) in front of the detail; the code
// stays 1000 because codes are contractual.
//
// The engine must return such errors with the sentinel in the chain while
// keeping the detail as the message, which InvalidRuleJSON does.
var ErrInvalidRuleJSON = errors.New("invalid rule json")

// InvalidRuleJSON wraps cause as a rule-JSON error: the message is cause's
// own (the REST layer adds the prefix), the code is errs.Undefined (1000)
// whatever the cause's code, and errors.Is(err, ErrInvalidRuleJSON) holds.
// The result is an *errs.Error at the top of the chain, so errs.Direct sees
// code 1000 and the reply status is 400.
func InvalidRuleJSON(cause error) *errs.Error {
	if cause == nil {
		cause = errors.New("unknown error")
	}
	return &errs.Error{
		Code: errs.Undefined,
		Msg:  cause.Error(),
		Err:  errors.Join(ErrInvalidRuleJSON, cause),
	}
}

// ErrReferenced marks the refusal to drop a stream or table that rules still
// read (rules-api.md §3.2). eKuiper raises it before the drop itself, so the
// reply carries no "delete stream error: " prefix; the REST layer checks the
// mark to reproduce that.
var ErrReferenced = errors.New("referenced by other rules")

// StreamReferenced returns the refusal for name. The text says "stream" for
// tables too (rules-api.md §3.5, kept for compatibility).
func StreamReferenced(name string) *errs.Error {
	return &errs.Error{
		Code: errs.Undefined,
		Msg:  "stream " + name + " has been referenced by other rules",
		Err:  ErrReferenced,
	}
}
