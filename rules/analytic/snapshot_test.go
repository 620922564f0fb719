package analytic

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/value"
)

func TestWireValueRoundTrip(t *testing.T) {
	tz := time.FixedZone("X", 5*3600+1800)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	vals := []value.Value{
		null, B(true), B(false), I(-7), I(math.MaxInt64), value.FromUint(math.MaxUint64),
		F(1), F(0.1), F(math.NaN()), F(math.Inf(-1)), S(""), S("héllo\n"),
		value.FromBytes([]byte{0, 1, 255}), value.FromBytes(nil),
		value.FromTime(time.Date(2024, 1, 2, 3, 4, 5, 6, tz)),
		value.FromTime(time.Date(2024, 7, 2, 3, 4, 5, 0, ny)),
		value.FromTime(time.Date(2024, 7, 2, 3, 4, 5, 0, time.UTC)),
		value.FromArray([]value.Value{I(1), F(1), null, obj("k", S("v"))}),
		obj("a", I(1), "b", value.FromArray(nil)),
	}
	for _, v := range vals {
		p := build(t, "latest", col("x"))
		eval(t, p, "k", true, v)
		data, err := p.Snapshot()
		if err != nil {
			t.Fatalf("Snapshot(%s): %v", value.ToJSON(v), err)
		}
		q := build(t, "latest", col("x"))
		if err := q.Restore(data); err != nil {
			t.Fatalf("Restore(%s): %v", data, err)
		}
		got := eval(t, q, "k", false, null)
		if v.IsNull() {
			continue // latest ignores NULL
		}
		if got.Kind() != v.Kind() || value.ToJSON(got) != value.ToJSON(v) {
			t.Errorf("round trip of %s (%s) gave %s (%s)", value.ToJSON(v), v.Kind(), value.ToJSON(got), got.Kind())
		}
		if v.Kind() == value.Datetime && got.Time().Format(time.RFC3339Nano) != v.Time().Format(time.RFC3339Nano) {
			t.Errorf("datetime %v restored as %v", v.Time(), got.Time())
		}
	}
}

// snapshotCase drives one call: half the rows, snapshot, then the rest on both
// the original and a restored copy; the results must agree.
type snapshotCase struct {
	fn    string
	descs []argDesc
	rows  [][]value.Value
	keys  []string
}

func TestSnapshotRestoreContinues(t *testing.T) {
	cases := []snapshotCase{
		{"lag", []argDesc{col("x"), lit(I(2)), lit(S("d"))}, argRows(nil, []value.Value{I(2), S("d")}), nil},
		{"latest", []argDesc{col("x")}, argRows(nil, nil), nil},
		{"changed_col", []argDesc{lit(B(true)), col("x")}, argRows([]value.Value{B(true)}, nil), nil},
		{"had_changed", []argDesc{lit(B(true)), col("x"), star()}, starRows(), nil},
		{"changed_cols", []argDesc{lit(S("p_")), lit(B(false)), col("x"), star()}, starRowsCols(), nil},
		{"acc_avg", []argDesc{col("x")}, argRows(nil, nil), nil},
		{"acc_count", []argDesc{col("x"), expr(), expr()}, accRows(1, 2, 1, 3, -1, 1, 2, 5), nil},
	}
	for _, c := range cases {
		c.keys = []string{"", `"red"`, `"blue"`}
		orig := build(t, c.fn, c.descs...)
		half := len(c.rows) / 2
		for j, r := range c.rows[:half] {
			eval(t, orig, c.keys[j%3], true, r...)
		}
		data, err := orig.Snapshot()
		if err != nil {
			t.Fatalf("%s: Snapshot: %v", c.fn, err)
		}
		again, _ := orig.Snapshot()
		if string(again) != string(data) {
			t.Errorf("%s: snapshots of the same state differ", c.fn)
		}
		restored := build(t, c.fn, c.descs...)
		eval(t, restored, "stale", true, c.rows[0]...) // replaced by Restore
		if err := restored.Restore(data); err != nil {
			t.Fatalf("%s: Restore: %v", c.fn, err)
		}
		if restored.Len() != orig.Len() {
			t.Errorf("%s: %d partitions restored, want %d", c.fn, restored.Len(), orig.Len())
		}
		for j, r := range c.rows[half:] {
			key := c.keys[(half+j)%3]
			wantVal(t, c.fn+" after restore", eval(t, restored, key, true, r...), eval(t, orig, key, true, r...))
		}
	}
}

// argRows gives rows x = 1, 1, NULL, 2, 3, 3.0, 4, 5 with head before x and
// tail after it.
func argRows(head, tail []value.Value) [][]value.Value {
	xs := []value.Value{I(1), I(1), null, I(2), I(3), F(3), I(4), I(5)}
	out := make([][]value.Value, len(xs))
	for j, x := range xs {
		r := append(append(append([]value.Value{}, head...), x), tail...)
		out[j] = r
	}
	return out
}

func starRows() [][]value.Value {
	var out [][]value.Value
	for j := 0; j < 8; j++ {
		out = append(out, []value.Value{B(true), I(int64(j / 2)), obj("a", I(int64(j/3)), "b", S("s"))})
	}
	return out
}

func starRowsCols() [][]value.Value {
	var out [][]value.Value
	for j := 0; j < 8; j++ {
		o := obj("a", I(int64(j/3)))
		if j%2 == 0 {
			o = obj("a", I(int64(j/3)), "b", S("s"))
		}
		out = append(out, []value.Value{S("p_"), B(false), I(int64(j / 2)), o})
	}
	return out
}

func TestRestoreErrors(t *testing.T) {
	p := build(t, "lag", col("x"), lit(I(2)))
	eval(t, p, "k", true, I(1), I(2))
	good, _ := p.Snapshot()
	bad := map[string]string{
		"not JSON":      `{`,
		"other fn":      `{"fn":"latest","parts":{}}`,
		"ring too long": `{"fn":"lag","parts":{"k":{"r":[null,null,null],"h":0,"n":0}}}`,
		"head outside":  `{"fn":"lag","parts":{"k":{"r":[null,null],"h":2,"n":0}}}`,
		"bad value":     `{"fn":"lag","parts":{"k":{"r":[{"zz":1},null],"h":0,"n":0}}}`,
		"bad float":     `{"fn":"lag","parts":{"k":{"r":[{"f":"abc"},null],"h":0,"n":0}}}`,
	}
	for name, data := range bad {
		if err := p.Restore([]byte(data)); err == nil {
			t.Errorf("%s: Restore succeeded", name)
		}
	}
	// A failed restore leaves the state alone.
	after, _ := p.Snapshot()
	if string(after) != string(good) {
		t.Errorf("state changed by failed restores: %s", after)
	}
	q := build(t, "had_changed", lit(B(true)), col("a"))
	if err := q.Restore([]byte(`{"fn":"had_changed","parts":{"":{"p":[null,null],"w":[null,null]}}}`)); err == nil ||
		!strings.Contains(err.Error(), "recorded arguments") {
		t.Errorf("argument count mismatch: err = %v", err)
	}
}

func FuzzRestore(f *testing.F) {
	p := build(f, "had_changed", lit(B(true)), col("a"), star())
	eval(f, p, "k", true, B(true), I(1), obj("x", F(2)))
	seed, _ := p.Snapshot()
	f.Add(seed)
	f.Add([]byte(`{"fn":"had_changed","parts":{"":{"p":[{"t":{"n":1,"l":"Nowhere/X","z":"Q","o":60}}],"w":[null,{}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		q := build(t, "had_changed", lit(B(true)), col("a"), star())
		if err := q.Restore(data); err != nil {
			return
		}
		// Whatever restored must evaluate and snapshot without failing.
		if _, err := q.Eval("k", []value.Value{B(true), I(1), obj("x", F(2))}, true); err != nil {
			t.Fatalf("Eval after restore: %v", err)
		}
		if _, err := q.Snapshot(); err != nil {
			t.Fatalf("Snapshot after restore: %v", err)
		}
	})
}
