package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
)

func tableDef(t *testing.T, text string) *engine.StreamDef {
	t.Helper()
	st, err := sql.ParseStatement(text)
	if err != nil {
		t.Fatal(err)
	}
	c := st.(*sql.Create)
	return &engine.StreamDef{Kind: engine.KindTable, Name: c.Name, Stmt: c}
}

func TestFileTableLoadsAndReloads(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "limits.json")
	if err := os.WriteFile(path, []byte(`[{"device":"d1","max":30},{"device":"d2","max":20.5}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.UnixMilli(0))
	var got []*row.Row
	f := NewFile(clk, obs.NopLogger{})
	stop, err := f(tableDef(t, `CREATE TABLE limits () WITH (TYPE="file")`), map[string]any{"datasource": path, "interval": "1s"},
		func(r *row.Row) { got = append(got, r) })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if len(got) != 2 {
		t.Fatalf("loaded %d rows", len(got))
	}
	if v, _ := got[1].Get("max"); v.Float() != 20.5 {
		t.Fatalf("row 2 max = %v", v)
	}
	if err := os.WriteFile(path, []byte("{\"device\":\"d3\",\"max\":1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.UnixMilli(1000))
	if len(got) != 3 {
		t.Fatalf("after reload %d rows, want 3 (JSON lines)", len(got))
	}
}

func TestFileSourceErrors(t *testing.T) {
	f := NewFile(clock.NewFake(time.UnixMilli(0)), obs.NopLogger{})
	stream := tableDef(t, `CREATE TABLE x () WITH (TYPE="file")`)
	stream.Kind = engine.KindStream
	if _, err := f(stream, map[string]any{"datasource": "x.json"}, func(*row.Row) {}); err == nil || !strings.Contains(err.Error(), "not supported for streams") {
		t.Fatalf("stream: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	_ = os.WriteFile(bad, []byte("[1,2]"), 0o644)
	if _, err := f(tableDef(t, `CREATE TABLE x () WITH (TYPE="file")`), map[string]any{"datasource": bad}, func(*row.Row) {}); err == nil || !strings.Contains(err.Error(), "element 0") {
		t.Fatalf("bad file: %v", err)
	}
}
