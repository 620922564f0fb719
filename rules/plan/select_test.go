package plan_test

import (
	"testing"

	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

func projectOne(t *testing.T, q string, r *row.Row) string {
	t.Helper()
	res := run(t, q, r)
	if res.err != nil {
		t.Fatalf("%s: %v", q, res.err)
	}
	return renderAll(res.rows)
}

// TestOutputNames follows sql.md §5.3, including the kuiper_field_<n>
// counter over unnamed items only.
func TestOutputNames(t *testing.T) {
	r := mk("a", 1, "b", 2, "o", map[string]any{"k": 3}, "arr", []any{4, 5})
	cases := []struct{ q, want string }{
		{"SELECT a, b FROM demo", "{a:1 b:2}"},
		{"SELECT demo.a FROM demo", "{a:1}"},
		{"SELECT d.a FROM demo AS d", "{a:1}"},
		{"SELECT a + 1, b AS x, b * 2, a FROM demo", "{kuiper_field_0:2 x:2 kuiper_field_1:4 a:1}"},
		{"SELECT o->k, o.k, arr[0], 7, \"s\" FROM demo", `{kuiper_field_0:3 kuiper_field_1:3 kuiper_field_2:4 kuiper_field_3:7 kuiper_field_4:"s"}`},
		{"SELECT CASE WHEN a > 0 THEN 1 END FROM demo", "{kuiper_field_0:1}"},
		{"SELECT abs(a), UPPER(\"x\") FROM demo", `{abs:1 upper:"X"}`},
		{"SELECT abs(a), abs(b) FROM demo", "{abs:2}"}, // the later one wins
		{"SELECT a AS b, b AS a FROM demo", "{b:1 a:2}"},
		{"SELECT a > 0 FROM demo", "{kuiper_field_0:true}"},
	}
	for _, c := range cases {
		if got := projectOne(t, c.q, r); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.q, got, c.want)
		}
	}
}

// TestAliases follows sql.md §5.4: references in any position, in WHERE,
// self-reference, chains, shadowing and cycles.
func TestAliases(t *testing.T) {
	r := mk("size", 3, "a", 10, "b", 20, "c", 30)
	cases := []struct{ q, want string }{
		{"SELECT size + 1 AS size, size + 1 AS b FROM demo", "{size:4 b:5}"},
		{"SELECT size AS a, a + 1 AS b FROM demo", "{a:3 b:4}"},
		{"SELECT a + 1 AS b, size AS a FROM demo", "{b:4 a:3}"}, // forward reference
		{"SELECT a AS b, b AS a FROM demo", "{b:10 a:20}"},      // cycle swaps
		{"SELECT c AS a, a AS b, b AS c FROM demo", "{a:30 b:10 c:20}"},
		{"SELECT b + 1 AS a, a + 1 AS b FROM demo", "{a:21 b:11}"},
		{"SELECT size * 2 AS d, d + 1 AS e, e + 1 AS f FROM demo", "{d:6 e:7 f:8}"},
		{"SELECT size AS s INVISIBLE, s * 10 AS t FROM demo", "{t:30}"},
		{"SELECT size AS a FROM demo WHERE a = 3", "{a:3}"},
		{"SELECT size AS a FROM demo WHERE a = 10", ""}, // alias shadows the column in WHERE
		{"SELECT abs(size) AS x, x + 1 AS y FROM demo", "{x:3 y:4}"},
		{"SELECT * REPLACE(size * 2 AS size) FROM demo", "{size:6 a:10 b:20 c:30}"},
	}
	for _, c := range cases {
		if got := projectOne(t, c.q, r); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.q, got, c.want)
		}
	}
}

// TestAliasEvaluatedOncePerRow: an alias referenced several times is
// evaluated once per row, so a volatile expression has one value per row.
func TestAliasEvaluatedOncePerRow(t *testing.T) {
	p := mustCompile(t, "SELECT rand() AS x, x AS y, x = y AS same FROM demo")
	ctx := p.NewCtx(testEnv(), false)
	for i := 0; i < 5; i++ {
		res := runRow(p, ctx, mk())
		if res.err != nil {
			t.Fatal(res.err)
		}
		same, _ := res.rows[0].Get("same")
		if !same.Bool() {
			t.Fatalf("row %d: alias evaluated twice: %s", i, render(res.rows[0]))
		}
	}
}

// TestStarForms covers *, src.*, EXCEPT and REPLACE (§5.2).
func TestStarForms(t *testing.T) {
	r := mk("a", 1, "b", 2, "c", 3)
	cases := []struct{ q, want string }{
		{"SELECT * FROM demo", "{a:1 b:2 c:3}"},
		{"SELECT demo.* FROM demo", "{a:1 b:2 c:3}"},
		{"SELECT d.* FROM demo AS d", "{a:1 b:2 c:3}"},
		{"SELECT * EXCEPT(b) FROM demo", "{a:1 c:3}"},
		{"SELECT * REPLACE(a * 10 AS a, a + b AS z) FROM demo", "{a:10 b:2 c:3 z:3}"},
		{"SELECT * EXCEPT(a) REPLACE(a * 10 AS a) FROM demo", "{b:2 c:3 a:10}"}, // REPLACE wins
		{"SELECT *, a + 1 AS a2 FROM demo", "{a:1 b:2 c:3 a2:2}"},
	}
	for _, c := range cases {
		if got := projectOne(t, c.q, r); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.q, got, c.want)
		}
	}
	if got := compileErr("SELECT nosuch.* FROM demo"); got == "" {
		t.Error("nosuch.* must be rejected")
	}
}

// TestSchemaStar: with declared fields rows are shaped by the source, and a
// name not declared is a compile error "unknown field" (sql.md §4).
func TestSchemaColumns(t *testing.T) {
	src := &plan.Source{Name: "demo", Fields: []plan.Column{{Name: "a", Type: "bigint"}, {Name: "b", Type: "string"}}}
	if got := compileErr("SELECT a, c FROM demo", src); got != "1:11: unknown field c" {
		t.Errorf("unknown field error = %q", got)
	}
	if got := compileErr("SELECT demo.c FROM demo", src); got != "1:8: unknown field c" {
		t.Errorf("unknown qualified field error = %q", got)
	}
	if got := compileErr("SELECT a AS c, c FROM demo", src); got != "" {
		t.Errorf("an alias is not an unknown field: %q", got)
	}
	if got := compileErr("SELECT a FROM demo WHERE z > 1", src); got != "1:26: unknown field z" {
		t.Errorf("unknown field in WHERE = %q", got)
	}
}

// TestIgnoreCase: with IgnoreCase column lookup is case-insensitive both at
// compile time (declared fields) and at run time (schemaless rows).
func TestIgnoreCase(t *testing.T) {
	src := &plan.Source{Name: "demo", Fields: []plan.Column{{Name: "Temperature", Type: "float"}}}
	if _, err := compileQ("SELECT temperature FROM demo", plan.Options{}, src); err == nil {
		t.Error("case-sensitive lookup should reject temperature vs Temperature")
	}
	p, err := compileQ("SELECT temperature FROM demo WHERE TEMPERATURE > 1", plan.Options{IgnoreCase: true}, src)
	if err != nil {
		t.Fatalf("IgnoreCase compile: %v", err)
	}
	res := runRow(p, p.NewCtx(testEnv(), false), mk("Temperature", 2.5))
	if res.err != nil || !res.pass || renderAll(res.rows) != "{temperature:2.5}" {
		t.Errorf("IgnoreCase declared: pass=%v rows=%s err=%v", res.pass, renderAll(res.rows), res.err)
	}
	p, err = compileQ("SELECT Hum FROM demo WHERE hum > 1", plan.Options{IgnoreCase: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := p.NewCtx(testEnv(), false)
	for _, r := range []*row.Row{mk("HUM", 5), mk("hum", 6), mk("x", 1, "Hum", 7)} {
		res := runRow(p, ctx, r)
		if res.err != nil || !res.pass || len(res.rows) != 1 {
			t.Errorf("IgnoreCase schemaless %s: pass=%v err=%v", render(r), res.pass, res.err)
			continue
		}
		if got, _ := res.rows[0].Get("Hum"); value.ToJSON(got) != value.ToJSON(r.Cols[len(r.Cols)-1].Val) {
			t.Errorf("IgnoreCase schemaless %s: got %s", render(r), render(res.rows[0]))
		}
	}
	p = mustCompile(t, "SELECT Hum FROM demo")
	res = runRow(p, p.NewCtx(testEnv(), false), mk("hum", 5))
	if got, _ := res.rows[0].Get("Hum"); !got.IsNull() {
		t.Errorf("without IgnoreCase Hum must not match hum, got %s", value.ToJSON(got))
	}
}

// TestUnnestAndExtract follows sql.md §12.10.
func TestUnnestAndExtract(t *testing.T) {
	r := mk("x", 1, "arr", []any{1, 2}, "objs", []any{map[string]any{"k": "a", "v": 1}, map[string]any{"k": "b", "v": 2}},
		"o", map[string]any{"p": 1, "q": "z"}, "n", nil, "s", "str")
	cases := []struct{ q, want string }{
		{"SELECT unnest(arr), x FROM demo", "{x:1 unnest:1},{x:1 unnest:2}"},
		{"SELECT unnest(arr) AS e, x FROM demo", "{x:1 e:1},{x:1 e:2}"},
		{"SELECT x, unnest(objs) FROM demo", `{x:1 k:"a" v:1},{x:1 k:"b" v:2}`},
		{"SELECT unnest(n) FROM demo", ""},
		{"SELECT x, extract(o) FROM demo", `{x:1 p:1 q:"z"}`},
		{"SELECT x, extract(n) FROM demo", "{x:1}"},
	}
	for _, c := range cases {
		if got := projectOne(t, c.q, r); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.q, got, c.want)
		}
	}
	res := run(t, "SELECT unnest(s) FROM demo", r)
	if res.err == nil || res.err.Error() != "the argument for the unnest function should be array" {
		t.Errorf("unnest of a string: err = %v", res.err)
	}
	if got := compileErr("SELECT unnest(arr), unnest(objs) FROM demo"); got == "" {
		t.Error("two set-returning functions must be rejected")
	}
	if got := compileErr("SELECT x FROM demo WHERE unnest(arr) = 1"); got == "" {
		t.Error("unnest outside the select list must be rejected")
	}
}

// TestLimitZero: LIMIT 0 emits nothing; LIMIT n keeps the single row of a
// non-window emission (§9.7).
func TestLimit(t *testing.T) {
	r := mk("a", 1)
	if got := projectOne(t, "SELECT a FROM demo LIMIT 0", r); got != "" {
		t.Errorf("LIMIT 0 emitted %s", got)
	}
	if got := projectOne(t, "SELECT a FROM demo LIMIT 1", r); got != "{a:1}" {
		t.Errorf("LIMIT 1 emitted %s", got)
	}
}

// TestMetaAndContextFunctions covers meta() forms (§6.10), mqtt(topic) and
// event_time()/last_hit_count().
func TestMetaAndContextFunctions(t *testing.T) {
	r := mk("a", 1)
	r.Meta = row.MapMeta{"deviceName": v("d1"), "temperature": v(map[string]any{"origin": 42})}
	r.Topic = "edgex/events/x"
	r.ET = 99
	got := projectOne(t, "SELECT meta(deviceName) AS d, meta(temperature->origin) AS o, meta(temperature.origin) AS o2, "+
		"meta(demo.deviceName) AS d2, meta(nosuch) AS n, mqtt(topic) AS t, event_time() AS et FROM demo", r)
	want := `{d:"d1" o:42 o2:42 d2:"d1" n:null t:"edgex/events/x" et:1700000000000}`
	if got != want {
		t.Errorf("meta\n got %s\nwant %s", got, want)
	}
	all := projectOne(t, "SELECT meta(*) AS m FROM demo", r)
	if all != `{m:{"deviceName":"d1","temperature":{"origin":42}}}` {
		t.Errorf("meta(*) = %s", all)
	}
	p := mustCompile(t, "SELECT event_time() AS et FROM demo")
	ctx := p.NewCtx(testEnv(), true)
	if res := runRow(p, ctx, r); renderAll(res.rows) != "{et:99}" {
		t.Errorf("event time mode: %s", renderAll(res.rows))
	}
	noMeta := mk("a", 1)
	if got := projectOne(t, "SELECT meta(deviceName) AS d, meta(*) AS m FROM demo", noMeta); got != "{d:null m:null}" {
		t.Errorf("meta without metadata = %s", got)
	}
}

// TestHavingWithoutWindow: HAVING without any window treats each row as a
// group and may use aliases (sql.md §9.6).
func TestHavingWithoutWindow(t *testing.T) {
	q := "SELECT a * 10 AS x FROM demo HAVING x > 10"
	if got := projectOne(t, q, mk("a", 2)); got != "{x:20}" {
		t.Errorf("a=2: %s", got)
	}
	if got := projectOne(t, q, mk("a", 1)); got != "" {
		t.Errorf("a=1: %s (HAVING must reject)", got)
	}
	if got := projectOne(t, "SELECT a FROM demo HAVING missing > 1", mk("a", 1)); got != "" {
		t.Errorf("UNKNOWN HAVING: %s", got)
	}
}

// TestEmptyInList: an empty list makes IN false and NOT IN true (§6.5).
func TestEmptyInList(t *testing.T) {
	r := mk("a", 1, "n", nil)
	wantValue(t, "a IN ()", r, false)
	wantValue(t, "a NOT IN ()", r, true)
	wantValue(t, "n NOT IN ()", r, false) // NULL x: UNKNOWN
}
