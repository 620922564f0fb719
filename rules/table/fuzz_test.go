package table

import "testing"

// FuzzParseRows checks that arbitrary file or redis content never panics and
// that every row produced has named columns.
func FuzzParseRows(f *testing.F) {
	for _, s := range []string{`[{"a":1}]`, "{\"a\":1}\n{\"b\":[2]}", `{"a":{"b":null}}`, `[1]`, `[{"a":1e999}]`, ``, `[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := parseOrderedRows(data, true)
		if err == nil {
			for _, r := range rows {
				for _, c := range r.Cols {
					_ = c.Val.Kind()
				}
			}
		}
		if rows, err := jsonRows(data, false); err == nil && len(rows) > 0 && rows[0] == nil {
			t.Fatal("nil row without error")
		}
	})
}
