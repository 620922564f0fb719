package plan_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
)

// selectSeeds returns the SELECT statements of rules/sql/testdata/*.sql.
func selectSeeds(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("..", "sql", "testdata", "*.sql"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no seed files under rules/sql/testdata: %v", err)
	}
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatalf("read %s: %v", f, err)
		}
		for _, e := range strings.Split(string(data), "\n----\n") {
			e = strings.TrimSpace(e)
			if strings.HasPrefix(strings.ToUpper(e), "SELECT") {
				out = append(out, e)
			}
		}
	}
	return out
}

// bigNumber finds integer literals large enough to make functions such as
// lpad or delay allocate or sleep without bound during fuzzing.
var bigNumber = regexp.MustCompile(`[0-9]{4,}`)

// fuzzRows are evaluated by every program that compiles.
func fuzzRows() []*row.Row {
	withMeta := mk("size", 3, "color", "red", "ts", 1541152486013)
	withMeta.Meta = row.MapMeta{"topic": v("mock"), "deviceName": v("d1")}
	return []*row.Row{
		mk(),
		withMeta,
		mk("a", 1, "b", 2.5, "s", "text", "arr", []any{1, "x", nil, []any{2}}, "obj", map[string]any{"k": map[string]any{"n": 1}},
			"x", 1, "y", 2, "arr2", []any{map[string]any{"a": 1}}, "n", nil, "temp", 20.5, "hum", 50),
		mk("a", "str", "b", true, "size", nil, "arr", "notarray", "obj", 3),
	}
}

// FuzzCompile: compiling any parsable SELECT against schemaless sources, and
// running it on a few rows, never panics.
func FuzzCompile(f *testing.F) {
	for _, s := range selectSeeds(f) {
		f.Add(s)
	}
	for _, s := range []string{
		"SELECT a AS b, b AS a, a + b AS c FROM demo",
		"SELECT meta(*), meta(a->b), mqtt(topic) FROM demo",
		`SELECT * EXCEPT(a) REPLACE(a * 2 AS a), unnest(arr) FROM demo WHERE a LIKE "x\\%"`,
		"SELECT CASE a WHEN 1 THEN 2 END, arr[-1], arr[1:], obj->k.n FROM demo LIMIT 0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		sel, err := sql.ParseSelect(src)
		if err != nil {
			return
		}
		srcs := []*plan.Source{{Name: sel.From.Name, Alias: sel.From.Alias}}
		for _, j := range sel.Joins {
			srcs = append(srcs, &plan.Source{Name: j.Src.Name, Alias: j.Src.Alias})
		}
		p, err := plan.Compile(sel, srcs, catalog, plan.Options{Env: testEnv()})
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("%q: empty compile error", src)
			}
			return
		}
		if strings.Contains(strings.ToLower(src), "delay") || bigNumber.MatchString(src) {
			return
		}
		ctx := p.NewCtx(testEnv(), false)
		for _, r := range fuzzRows() {
			runRow(p, ctx, r)
		}
	})
}
