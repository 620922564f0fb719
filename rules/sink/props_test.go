package sink

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestPropsDecoding(t *testing.T) {
	p := Props{
		"s": "x", "n": 12.0, "ns": " 12 ", "nf": "1e3", "b": true, "bs": "TRUE", "b1": 1.0, "null": nil,
		"empty": "", "frac": 1.5, "jn": json.Number("7"), "Mixed": "m",
		"list": []any{"a", "b"}, "lists": "a, b ,c", "listj": `["x","y"]`,
		"map": map[string]any{"k": "v", "n": 1.0, "o": map[string]any{"z": true}}, "maps": `{"k":"v"}`,
		"d": 1500.0, "ds": "2s", "dn": "250",
	}
	str := func(k, def string) string { s, err := p.String(k, def); must(t, err); return s }
	num := func(k string, def int) int { n, err := p.Int(k, def); must(t, err); return n }
	bl := func(k string, def bool) bool { b, err := p.Bool(k, def); must(t, err); return b }
	dur := func(k string) time.Duration { d, err := p.Duration(k, time.Minute); must(t, err); return d }
	checks := []struct {
		got, want any
	}{
		{str("s", ""), "x"}, {str("n", ""), "12"}, {str("b", ""), "true"}, {str("null", "def"), "def"}, {str("absent", "def"), "def"},
		{str("mixed", ""), "m"},
		{num("n", 0), 12}, {num("ns", 0), 12}, {num("nf", 0), 1000}, {num("empty", 5), 5}, {num("null", 5), 5}, {num("jn", 0), 7},
		{bl("b", false), true}, {bl("bs", false), true}, {bl("b1", false), true}, {bl("empty", true), true}, {bl("null", true), true},
		{dur("d"), 1500 * time.Millisecond}, {dur("ds"), 2 * time.Second}, {dur("dn"), 250 * time.Millisecond}, {dur("null"), time.Minute},
		{p.Has("null"), false}, {p.Has("s"), true},
	}
	for i, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("check %d: got %v, want %v", i, c.got, c.want)
		}
	}
	for key, want := range map[string][]string{"list": {"a", "b"}, "lists": {"a", "b", "c"}, "listj": {"x", "y"}, "null": nil} {
		got, err := p.Strings(key)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Strings(%s) = %v, %v", key, got, err)
		}
	}
	m, err := p.StringMap("map")
	if err != nil || !reflect.DeepEqual(m, map[string]string{"k": "v", "n": "1", "o": `{"z":true}`}) {
		t.Errorf("StringMap = %v, %v", m, err)
	}
	if m, err := p.StringMap("maps"); err != nil || m["k"] != "v" {
		t.Errorf("StringMap(string) = %v, %v", m, err)
	}
	for _, bad := range []func() error{
		func() error { _, err := p.Int("frac", 0); return err },
		func() error { _, err := p.Int("s", 0); return err },
		func() error { _, err := p.Bool("s", false); return err },
		func() error { _, err := p.Bool("n", false); return err },
		func() error { _, err := p.String("list", ""); return err },
		func() error { _, err := p.Strings("n"); return err },
		func() error { _, err := p.Map("s"); return err },
		func() error { _, err := p.Duration("s", 0); return err },
	} {
		if bad() == nil {
			t.Errorf("bad value accepted")
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
