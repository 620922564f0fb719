package exec

import (
	"fmt"
	"math"

	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// TimestampField is where a source's event time comes from: a column
// (TIMESTAMP, with TIMESTAMP_FORMAT for strings) or, when Field is empty, the
// row's own event time (the EdgeX event origin, an Oort improvement).
type TimestampField struct {
	Field  string
	Format string
}

// eventTime reads a row's event time in epoch ms (sql.md §10).
func eventTime(r *row.Row, tf TimestampField, env *fn.Env) (int64, error) {
	if tf.Field == "" || (tf.Field == "origin" && r.Index("origin") < 0) {
		if r.ET != 0 {
			return r.ET, nil
		}
		return 0, fmt.Errorf("event time is missing: the stream has no TIMESTAMP and the row carries no origin")
	}
	v, ok := r.Get(tf.Field)
	if !ok || v.IsNull() {
		return 0, fmt.Errorf("event time field %s is missing", tf.Field)
	}
	switch v.Kind() {
	case value.Int:
		return v.Int(), nil
	case value.Uint:
		return 0, fmt.Errorf("event time field %s: %d is out of range", tf.Field, v.Uint())
	case value.Float:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, fmt.Errorf("event time field %s: %v is not a time", tf.Field, f)
		}
		return int64(f), nil
	case value.Datetime:
		return v.Time().UnixMilli(), nil
	case value.String:
		t, err := value.ParseDatetime(v.Str(), tf.Format, env.TZ)
		if err != nil {
			return 0, fmt.Errorf("event time field %s: %w", tf.Field, err)
		}
		return t.UnixMilli(), nil
	}
	return 0, fmt.Errorf("event time field %s: %s is not a time", tf.Field, value.TypeName(v))
}
