package table

import (
	"fmt"
	"sort"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// objectRow turns a JSON object value into a row with its keys in sorted
// order: a decoded object has no order of its own, and results must be
// deterministic.
func objectRow(v value.Value) (*row.Row, error) {
	if v.Kind() != value.Object {
		return nil, fmt.Errorf("expected a JSON object, got %s", value.TypeName(v))
	}
	m := v.Obj()
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	r := &row.Row{Cols: make([]row.Col, len(names))}
	for i, k := range names {
		r.Cols[i] = row.Col{Name: k, Val: m[k]}
	}
	return r, nil
}

// jsonRows decodes a JSON object (one row) or an array of objects (one row
// each).
func jsonRows(data []byte, wholeAsInt bool) ([]*row.Row, error) {
	v, err := value.ParseJSON(data, wholeAsInt)
	if err != nil {
		return nil, err
	}
	if v.Kind() != value.Array {
		r, err := objectRow(v)
		if err != nil {
			return nil, err
		}
		return []*row.Row{r}, nil
	}
	items := v.Arr()
	out := make([]*row.Row, 0, len(items))
	for i, it := range items {
		r, err := objectRow(it)
		if err != nil {
			return nil, fmt.Errorf("array element %d: %w", i, err)
		}
		out = append(out, r)
	}
	return out, nil
}
