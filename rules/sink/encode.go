package sink

import (
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// AppendRow appends r as a JSON object whose keys follow column order. Rows
// are never encoded through a map: map encoding would sort the keys.
func AppendRow(dst []byte, r *row.Row) []byte {
	dst = append(dst, '{')
	for i, c := range r.Cols {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = value.AppendJSONString(dst, c.Name)
		dst = append(dst, ':')
		dst = value.AppendJSON(dst, c.Val)
	}
	return append(dst, '}')
}

// AppendRows appends rows as a JSON array of objects.
func AppendRows(dst []byte, rows []*row.Row) []byte {
	dst = append(dst, '[')
	for i, r := range rows {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendRow(dst, r)
	}
	return append(dst, ']')
}
