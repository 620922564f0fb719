package table

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/value"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestFileLookupArray(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lookup.json")
	// the lookup.json example from eKuiper's table docs, plus a duplicate key
	writeFile(t, path, `[
	  {"id": 1541152486013, "name": "name1"},
	  {"name": "name2", "id": 1541152487632},
	  {"id": 1541152486013, "name": "again", "extra": {"z": 1, "a": [true]}},
	  {"name": "no id"}
	]`)
	ctx := context.Background()
	l, err := builtins(nil).Open(ctx, Def{Name: "ft", Type: "file", DataSource: path, Key: "id"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got, err := l.Lookup(ctx, value.FromInt(1541152486013))
	wantRows(t, got, err, `[{id:1541152486013 name:name1} {id:1541152486013 name:again extra:{"a":[true],"z":1}}]`)
	got, err = l.Lookup(ctx, value.FromFloat(1541152487632))
	wantRows(t, got, err, "[{name:name2 id:1541152487632}]") // file order kept
	got, err = l.Lookup(ctx, value.FromInt(7))
	wantRows(t, got, err, "[]")
}

func TestFileLookupJSONLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lookup.jsonl")
	writeFile(t, path, "{\"k\":\"a\",\"v\":1}\n\n{\"k\":\"b\",\"v\":2, \"k\":\"c\"}\n")
	l, err := NewFileFactory(clock.NewFake(time.UnixMilli(1_700_000_000_000)))(context.Background(), Def{Name: "ft", DataSource: path, Key: "k",
		Props: map[string]any{"useInt64ForWholeNumber": true}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got, err := l.Lookup(context.Background(), value.FromString("a"))
	wantRows(t, got, err, "[{k:a v:1}]")
	if v, _ := got[0].Get("v"); v.Kind() != value.Int {
		t.Errorf("useInt64ForWholeNumber ignored: %s", v.Kind())
	}
	got, err = l.Lookup(context.Background(), value.FromString("c"))
	wantRows(t, got, err, "[{k:c v:2}]")
}

func TestFileLookupBadInput(t *testing.T) {
	dir := t.TempDir()
	f := NewFileFactory(clock.NewFake(time.UnixMilli(1_700_000_000_000)))
	ctx := context.Background()
	cases := map[string][]string{
		`[{"id":1},`:         {"invalid JSON"},
		`[{"id":1}, 3]`:      {"array element 1", "expected a JSON object"},
		"{\"id\":1}\n{oops}": {"line 2", "invalid JSON"},
		`[{"id":1e999}]`:     {"field id", "out of range"},
	}
	for content, parts := range cases {
		path := filepath.Join(dir, "bad.json")
		writeFile(t, path, content)
		_, err := f(ctx, Def{Name: "ft", DataSource: path, Key: "id"})
		wantErr(t, err, append(parts, "lookup table ft", path)...)
	}
	_, err := f(ctx, Def{Name: "ft", DataSource: filepath.Join(dir, "absent.json"), Key: "id"})
	wantErr(t, err, "lookup table ft", "absent.json")
	_, err = f(ctx, Def{Name: "ft", DataSource: "x.json"})
	wantErr(t, err, "KEY")
	_, err = f(ctx, Def{Name: "ft", DataSource: "x.json", Key: "id", Props: map[string]any{"interval": "soon"}})
	wantErr(t, err, "property interval")
}

func TestFileLookupReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lookup.json")
	writeFile(t, path, `[{"id":1,"v":"old"}]`)
	clk := clock.NewFake(time.Unix(0, 0))
	ctx := context.Background()
	l, err := NewFileFactory(clk)(ctx, Def{Name: "ft", DataSource: path, Key: "id", Props: map[string]any{"interval": 1000}})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, `[{"id":1,"v":"new"},{"id":2,"v":"added"}]`)
	got, err := l.Lookup(ctx, value.FromInt(1))
	wantRows(t, got, err, "[{id:1 v:old}]")
	clk.Advance(time.Unix(1, 0))
	got, err = l.Lookup(ctx, value.FromInt(1))
	wantRows(t, got, err, "[{id:1 v:new}]")
	got, err = l.Lookup(ctx, value.FromInt(2))
	wantRows(t, got, err, "[{id:2 v:added}]")

	// a broken file keeps the previous content and reports the error
	writeFile(t, path, `[{"id":`)
	clk.Advance(time.Unix(2, 0))
	got, err = l.Lookup(ctx, value.FromInt(2))
	wantRows(t, got, err, "[{id:2 v:added}]")
	fl := l.(*fileLookup)
	wantErr(t, fl.LastError(), "invalid JSON")
	writeFile(t, path, `[{"id":3}]`)
	clk.Advance(time.Unix(3, 0))
	if fl.LastError() != nil {
		t.Fatalf("error not cleared: %v", fl.LastError())
	}
	got, err = l.Lookup(ctx, value.FromInt(3))
	wantRows(t, got, err, "[{id:3}]")

	l.Close()
	writeFile(t, path, `[{"id":4}]`)
	clk.Advance(time.Unix(10, 0))
	got, err = l.Lookup(ctx, value.FromInt(4))
	wantRows(t, got, err, "[]")
}
