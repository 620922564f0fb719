package table

import (
	"strings"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// Row kinds set by the memory sink's rowkindField (rules-api.md §2.4.7).
const (
	kindInsert = "insert"
	kindUpdate = "update"
	kindUpsert = "upsert"
	kindDelete = "delete"
)

// rowKind reads the "rowkind" metadata the memory sink attaches; rows without
// it (every other source) are inserts.
func rowKind(r *row.Row) string {
	if r.Meta == nil {
		return kindInsert
	}
	v, ok := r.Meta.Get("rowkind")
	if !ok || v.IsNull() {
		return kindInsert
	}
	switch k := strings.ToLower(value.Text(v)); k {
	case kindUpdate, kindUpsert, kindDelete:
		return k
	}
	return kindInsert
}

// rowKey is the row's key: the "key" metadata from a memory sink's keyField
// when present, else the value of the table's KEY column.
func rowKey(r *row.Row, keyCol string) (value.Value, bool) {
	if r.Meta != nil {
		if v, ok := r.Meta.Get("key"); ok && !v.IsNull() {
			return v, true
		}
	}
	if keyCol == "" {
		return value.NullValue, false
	}
	v, ok := r.Get(keyCol)
	return v, ok && !v.IsNull()
}
