package exec

import (
	"fmt"

	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// failer handles runtime errors the same way in every runner: the row is
// dropped and, with sendError, the sinks receive {"error": "<message>"}
// instead (sql.md §7.4).
type failer struct {
	ruleID    string
	sendError bool
	log       obs.Logger
	emit      Emit
}

func (f failer) fail(err error) {
	msg := fmt.Sprintf("rule %s: %v", f.ruleID, err)
	f.log.Debugf("rule=%s runtime error: %v", f.ruleID, err)
	if f.sendError {
		f.emit([]*row.Row{{Cols: []row.Col{{Name: "error", Val: value.FromString(msg)}}}})
	}
}

// accept counts a row arriving at a source node; an error row (a decode or
// validation failure) is recorded and failed instead of processed.
func (f failer) accept(sn *obs.Node, r *row.Row, nowMs int64) bool {
	sn.RecordsIn.Add(1)
	sn.LastInvocation.Store(nowMs)
	if r.Err != nil {
		sn.Exception(r.Err, nowMs)
		f.fail(r.Err)
		return false
	}
	sn.RecordsOut.Add(1)
	sn.Processed.Add(1)
	return true
}
