package sink

import (
	"errors"
	"fmt"
	"text/template"

	"github.com/valyala/fastjson"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// message is one unit handed to a connector (and cached when that fails).
type message struct {
	payload []byte     // encoded body, byte connectors only
	rows    []*row.Row // row connectors: the rows; byte connectors: the first row (dynamic properties), may be empty
	n       int        // result rows the message carries, for records_out
}

// errSkip marks a message that has nothing to send (not a failure).
var errSkip = errors.New("nothing to send")

// pipeline is the per-emission transformation of rules-api.md §2.2. It is used
// by one goroutine (the node's worker): the JSON parser and arena are reused.
type pipeline struct {
	sendNil     bool
	omitIfEmpty bool
	single      bool
	tmpl        *template.Template
	dataField   string
	fields      []string
	exclude     map[string]bool
	structured  bool // the connector takes rows, not bytes

	parser fastjson.Parser
	arena  fastjson.Arena
}

// run turns one emission into messages. A failure affects only its message:
// with sendSingle one bad row does not hold back the others.
func (p *pipeline) run(rows []*row.Row, emit func(message), fail func(error)) {
	rows = p.prepare(rows)
	if len(rows) == 0 && (p.omitIfEmpty || p.single || p.structured) {
		return
	}
	if !p.single {
		p.one(rows, emit, fail)
		return
	}
	for _, r := range rows {
		p.one([]*row.Row{r}, emit, fail)
	}
}

func (p *pipeline) one(group []*row.Row, emit func(message), fail func(error)) {
	var m message
	var err error
	switch {
	case p.tmpl != nil:
		m, err = p.viaTemplate(group)
	case p.dataField != "":
		m, err = p.viaDataField(group)
	default:
		m = p.direct(group)
	}
	if errors.Is(err, errSkip) {
		return
	}
	if err != nil {
		fail(err)
		return
	}
	m.n = len(group)
	if !p.structured && len(group) > 0 {
		m.rows = group[:1]
	}
	emit(m)
}

// prepare turns error rows into {"error": msg} rows, drops NULL columns unless
// sendNilField, and drops empty rows under omitIfEmpty. Input rows are shared
// with the rule's other actions, so changed rows are copies.
func (p *pipeline) prepare(rows []*row.Row) []*row.Row {
	out := make([]*row.Row, 0, len(rows))
	for _, r := range rows {
		if r == nil {
			continue
		}
		if r.Err != nil && len(r.Cols) == 0 {
			e := *r
			e.Cols = []row.Col{{Name: "error", Val: value.FromString(r.Err.Error())}}
			e.Err = nil
			r = &e
		}
		if !p.sendNil {
			r = dropNulls(r)
		}
		if p.omitIfEmpty && len(r.Cols) == 0 {
			continue
		}
		out = append(out, r)
	}
	return out
}

func dropNulls(r *row.Row) *row.Row {
	n := 0
	for i := range r.Cols {
		if r.Cols[i].Val.IsNull() {
			n++
		}
	}
	if n == 0 {
		return r
	}
	c := *r
	c.Cols = make([]row.Col, 0, len(r.Cols)-n)
	for _, col := range r.Cols {
		if !col.Val.IsNull() {
			c.Cols = append(c.Cols, col)
		}
	}
	return &c
}

func (p *pipeline) direct(group []*row.Row) message {
	sel := group
	if len(p.fields) > 0 || len(p.exclude) > 0 {
		sel = make([]*row.Row, len(group))
		for i, r := range group {
			sel[i] = p.selectRow(r)
		}
	}
	if p.structured {
		return message{rows: sel}
	}
	if p.single {
		return message{payload: AppendRow(nil, sel[0])}
	}
	return message{payload: AppendRows(nil, sel)}
}

// selectRow applies fields (in the order given) and excludeFields.
func (p *pipeline) selectRow(r *row.Row) *row.Row {
	c := *r
	c.Cols = make([]row.Col, 0, len(r.Cols))
	if len(p.fields) > 0 {
		for _, f := range p.fields {
			if i := r.Index(f); i >= 0 && !p.exclude[f] {
				c.Cols = append(c.Cols, r.Cols[i])
			}
		}
		return &c
	}
	for _, col := range r.Cols {
		if !p.exclude[col.Name] {
			c.Cols = append(c.Cols, col)
		}
	}
	return &c
}

// viaDataField sends the value of one column (of the first row when several),
// then applies fields/excludeFields to it when it is an object or a list of
// objects (eKuiper's TransItem).
func (p *pipeline) viaDataField(group []*row.Row) (message, error) {
	if len(group) == 0 {
		return message{}, errSkip
	}
	v, _ := group[0].Get(p.dataField)
	v = p.selectValue(v)
	if !p.structured {
		return message{payload: value.AppendJSON(nil, v)}, nil
	}
	rows, err := rowsFromValue(v, group[0])
	if err != nil {
		return message{}, fmt.Errorf("dataField %s: %w", p.dataField, err)
	}
	return message{rows: rows}, nil
}

func (p *pipeline) selectValue(v value.Value) value.Value {
	if len(p.fields) == 0 && len(p.exclude) == 0 {
		return v
	}
	switch v.Kind() {
	case value.Object:
		m := v.Obj()
		out := make(map[string]value.Value, len(m))
		if len(p.fields) > 0 {
			for _, f := range p.fields {
				if x, ok := m[f]; ok && !p.exclude[f] {
					out[f] = x
				}
			}
			return value.FromObject(out)
		}
		for k, x := range m {
			if !p.exclude[k] {
				out[k] = x
			}
		}
		return value.FromObject(out)
	case value.Array:
		a := v.Arr()
		out := make([]value.Value, len(a))
		for i, x := range a {
			out[i] = p.selectValue(x)
		}
		return value.FromArray(out)
	}
	return v
}
