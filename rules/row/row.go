// Package row defines the rows that flow through rules: ordered columns with
// optional provenance (the EdgeX reading a column came from), source metadata
// and timestamps.
package row

import "github.com/oort-rules/oort/rules/value"

// Prov records where a column came from, so sinks can reproduce the input's
// type information (an EdgeX valueType, its units and media type).
type Prov struct {
	ValueType string
	Units     string
	MediaType string
}

// Col is one named column.
type Col struct {
	Name string
	Val  value.Value
	Prov *Prov
}

// Meta exposes a row's source metadata to meta(). Implementations may build
// values lazily: most rows are never asked for their metadata.
type Meta interface {
	// Get returns the metadata value for key (event level).
	Get(key string) (value.Value, bool)
	// All returns the whole metadata map as a struct value.
	All() value.Value
}

// MapMeta is a Meta backed by a plain map.
type MapMeta map[string]value.Value

func (m MapMeta) Get(key string) (value.Value, bool) { v, ok := m[key]; return v, ok }
func (m MapMeta) All() value.Value                   { return value.FromObject(map[string]value.Value(m)) }

// Row is one decoded input record or one result row.
type Row struct {
	Cols  []Col
	Meta  Meta
	Topic string // topic the row arrived on (may be empty)
	PT    int64  // processing time, epoch ms
	ET    int64  // event time, epoch ms (0 when unknown)
	Err   error  // set on error rows: they are forwarded, never evaluated
}

// Index returns the position of column name, or -1. Rows are small (a handful
// of readings), so a linear scan beats a map and allocates nothing.
func (r *Row) Index(name string) int {
	for i := range r.Cols {
		if r.Cols[i].Name == name {
			return i
		}
	}
	return -1
}

// Get returns the value of column name; absent columns are NULL.
func (r *Row) Get(name string) (value.Value, bool) {
	if i := r.Index(name); i >= 0 {
		return r.Cols[i].Val, true
	}
	return value.NullValue, false
}

// Set replaces or appends a column.
func (r *Row) Set(name string, v value.Value, p *Prov) {
	if i := r.Index(name); i >= 0 {
		r.Cols[i] = Col{Name: name, Val: v, Prov: p}
		return
	}
	r.Cols = append(r.Cols, Col{Name: name, Val: v, Prov: p})
}

// Object returns the row's columns as a struct value.
func (r *Row) Object() value.Value {
	m := make(map[string]value.Value, len(r.Cols))
	for _, c := range r.Cols {
		m[c.Name] = c.Val
	}
	return value.FromObject(m)
}
