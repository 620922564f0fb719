package sink

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// viaTemplate renders the data template. Its text is the payload unless
// dataField/fields/excludeFields or a row connector need it as JSON; then it
// is parsed with fastjson, which keeps key order.
func (p *pipeline) viaTemplate(group []*row.Row) (message, error) {
	var data any
	if p.single {
		data = RowMap(group[0])
	} else {
		data = RowMaps(group)
	}
	text, err := execTemplate(p.tmpl, data)
	if err != nil {
		return message{}, err
	}
	if !p.structured && p.dataField == "" && len(p.fields) == 0 && len(p.exclude) == 0 {
		return message{payload: text}, nil
	}
	jv, err := p.parser.ParseBytes(text)
	if err != nil {
		return message{}, fmt.Errorf("dataTemplate output %q is not JSON: %w", clip(text), err)
	}
	p.arena.Reset()
	if p.dataField != "" {
		jv = p.fjDataField(jv)
	}
	jv = p.fjSelect(jv)
	if !p.structured {
		return message{payload: jv.MarshalTo(nil)}, nil
	}
	var first *row.Row
	if len(group) > 0 {
		first = group[0]
	}
	rows, err := rowsFromFJ(jv, first)
	if err != nil {
		return message{}, fmt.Errorf("dataTemplate output %q: %w", clip(text), err)
	}
	return message{rows: rows}, nil
}

func (p *pipeline) fjDataField(v *fastjson.Value) *fastjson.Value {
	if v.Type() == fastjson.TypeArray {
		a, _ := v.Array()
		if len(a) == 0 {
			return p.arena.NewNull()
		}
		v = a[0]
	}
	if x := v.Get(p.dataField); x != nil {
		return x
	}
	return p.arena.NewNull()
}

func (p *pipeline) fjSelect(v *fastjson.Value) *fastjson.Value {
	if len(p.fields) == 0 && len(p.exclude) == 0 {
		return v
	}
	switch v.Type() {
	case fastjson.TypeObject:
		o, _ := v.Object()
		out := p.arena.NewObject()
		if len(p.fields) > 0 {
			for _, f := range p.fields {
				if x := o.Get(f); x != nil && !p.exclude[f] {
					out.Set(f, x)
				}
			}
			return out
		}
		o.Visit(func(k []byte, x *fastjson.Value) {
			if !p.exclude[string(k)] {
				out.Set(string(k), x)
			}
		})
		return out
	case fastjson.TypeArray:
		a, _ := v.Array()
		out := p.arena.NewArray()
		for i, x := range a {
			out.SetArrayItem(i, p.fjSelect(x))
		}
		return out
	}
	return v
}

// rowsFromFJ turns a JSON object into a row (keys in document order); a list
// of objects becomes several rows. Timestamps and metadata come from the
// emission's first row.
func rowsFromFJ(v *fastjson.Value, base *row.Row) ([]*row.Row, error) {
	switch v.Type() {
	case fastjson.TypeObject:
		o, _ := v.Object()
		r := newRowLike(base, o.Len())
		o.Visit(func(k []byte, x *fastjson.Value) {
			r.Cols = append(r.Cols, row.Col{Name: string(k), Val: fromFJ(x)})
		})
		return []*row.Row{r}, nil
	case fastjson.TypeArray:
		a, _ := v.Array()
		out := make([]*row.Row, 0, len(a))
		for i, x := range a {
			if x.Type() != fastjson.TypeObject {
				return nil, fmt.Errorf("element %d is not a JSON object", i)
			}
			rs, _ := rowsFromFJ(x, base)
			out = append(out, rs...)
		}
		return out, nil
	}
	return nil, fmt.Errorf("expected a JSON object, got %s", v.Type())
}

// rowsFromValue is rowsFromFJ for an already decoded value; object keys are
// sorted because a map has no order.
func rowsFromValue(v value.Value, base *row.Row) ([]*row.Row, error) {
	switch v.Kind() {
	case value.Object:
		m := v.Obj()
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		r := newRowLike(base, len(keys))
		for _, k := range keys {
			r.Cols = append(r.Cols, row.Col{Name: k, Val: m[k]})
		}
		return []*row.Row{r}, nil
	case value.Array:
		out := make([]*row.Row, 0, len(v.Arr()))
		for i, x := range v.Arr() {
			if x.Kind() != value.Object {
				return nil, fmt.Errorf("element %d is not an object", i)
			}
			rs, _ := rowsFromValue(x, base)
			out = append(out, rs...)
		}
		return out, nil
	}
	return nil, fmt.Errorf("expected an object, got %s", v.Kind())
}

func newRowLike(base *row.Row, n int) *row.Row {
	r := &row.Row{Cols: make([]row.Col, 0, n)}
	if base != nil {
		r.Meta, r.Topic, r.PT, r.ET = base.Meta, base.Topic, base.PT, base.ET
	}
	return r
}

// fromFJ converts a parsed JSON value; integer literals stay integers.
func fromFJ(v *fastjson.Value) value.Value {
	switch v.Type() {
	case fastjson.TypeObject:
		o, _ := v.Object()
		m := make(map[string]value.Value, o.Len())
		o.Visit(func(k []byte, x *fastjson.Value) { m[string(k)] = fromFJ(x) })
		return value.FromObject(m)
	case fastjson.TypeArray:
		a, _ := v.Array()
		out := make([]value.Value, len(a))
		for i, x := range a {
			out[i] = fromFJ(x)
		}
		return value.FromArray(out)
	case fastjson.TypeString:
		return value.FromString(string(v.GetStringBytes()))
	case fastjson.TypeNumber:
		return numberFromFJ(v)
	case fastjson.TypeTrue:
		return value.True
	case fastjson.TypeFalse:
		return value.False
	}
	return value.NullValue
}

func numberFromFJ(v *fastjson.Value) value.Value {
	raw := string(v.MarshalTo(nil))
	if !strings.ContainsAny(raw, ".eE") {
		if i, err := strconv.ParseInt(raw, 10, 64); err == nil {
			return value.FromInt(i)
		}
		if u, err := strconv.ParseUint(raw, 10, 64); err == nil {
			return value.FromUint(u)
		}
	}
	return value.FromFloat(v.GetFloat64())
}

// clip shortens text for error messages.
func clip(b []byte) string {
	const max = 200
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}
