package eventrow

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// Short constructors for expected values.
func vI(i int64) value.Value   { return value.FromInt(i) }
func vU(u uint64) value.Value  { return value.FromUint(u) }
func vF(f float64) value.Value { return value.FromFloat(f) }
func vS(s string) value.Value  { return value.FromString(s) }
func vB(b bool) value.Value    { return value.FromBool(b) }
func vA(vs ...value.Value) value.Value {
	return value.FromArray(vs)
}
func vO(kv ...any) value.Value {
	m := map[string]value.Value{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].(value.Value)
	}
	return value.FromObject(m)
}

// show renders a value for failure messages.
func show(v value.Value) string {
	switch v.Kind() {
	case value.Null:
		return "NULL"
	case value.Bool:
		return fmt.Sprint(v.Bool())
	case value.Int:
		return fmt.Sprintf("%d", v.Int())
	case value.Uint:
		return fmt.Sprintf("%du", v.Uint())
	case value.Float:
		return fmt.Sprintf("%gf", v.Float())
	case value.String:
		return fmt.Sprintf("%q", v.Str())
	case value.Bytes:
		return fmt.Sprintf("0x%x", v.Bytes())
	case value.Array:
		parts := make([]string, len(v.Arr()))
		for i, e := range v.Arr() {
			parts[i] = show(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case value.Object:
		keys := make([]string, 0, len(v.Obj()))
		for k := range v.Obj() {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ":" + show(v.Obj()[k])
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return "?"
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeFile(t *testing.T, name string, opt Options) (*row.Row, Stats) {
	t.Helper()
	r, st, err := NewDecoder(opt).DecodeMessage("edgex/events/device/t/"+name, readFile(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r, st
}

func colNames(r *row.Row) []string {
	out := make([]string, len(r.Cols))
	for i, c := range r.Cols {
		out[i] = c.Name
	}
	return out
}

// recLogger records warnings.
type recLogger struct {
	mu    sync.Mutex
	warns []string
}

func (l *recLogger) Debugf(string, ...interface{}) {}
func (l *recLogger) Infof(string, ...interface{})  {}
func (l *recLogger) Errorf(string, ...interface{}) {}
func (l *recLogger) Warnf(f string, a ...interface{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.warns = append(l.warns, fmt.Sprintf(f, a...))
}

func isNoReadings(err error) bool { return errors.Is(err, ErrNoReadings) }
