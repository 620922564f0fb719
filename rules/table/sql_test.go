package table

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/value"
)

const testPGURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// pgFixture creates a uniquely named table in the real local PostgreSQL and
// drops it afterwards.
func pgFixture(t *testing.T) (*sql.DB, string) {
	t.Helper()
	db, err := sql.Open("postgres", testPGURL)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(); err != nil {
		t.Fatalf("local PostgreSQL (%s) is required: %v", testPGURL, err)
	}
	name := fmt.Sprintf("oort_lookup_%d_%d", os.Getpid(), rand.Uint32())
	_, err = db.Exec(`CREATE TABLE ` + name + ` (
		id integer PRIMARY KEY, name text, score double precision, ok boolean,
		blob bytea, ts timestamptz, doc jsonb, amount numeric, big bigint, code varchar(8))`)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Exec(`DROP TABLE IF EXISTS ` + name)
		db.Close()
	})
	_, err = db.Exec(`INSERT INTO ` + name + ` VALUES
		(1, 'dev1', 1.5, true, '\x0102', '2024-01-02T03:04:05.678Z', '{"a":[1,2],"b":"x"}', 12.25, 9007199254740993, 'A1'),
		(2, NULL, NULL, NULL, NULL, NULL, NULL, 7, NULL, NULL)`)
	if err != nil {
		t.Fatal(err)
	}
	return db, name
}

func TestSQLLookup(t *testing.T) {
	_, tbl := pgFixture(t)
	ctx := context.Background()
	l, err := builtins(nil).Open(ctx, Def{Name: "st", Type: "sql", DataSource: tbl, Key: "id", Props: map[string]any{"url": testPGURL}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got, err := l.Lookup(ctx, value.FromFloat(1)) // a schemaless float key matches the integer column
	wantRows(t, got, err, `[{id:1 name:dev1 score:1.5 ok:true blob:AQI= ts:2024-01-02T03:04:05.678Z doc:{"a":[1,2],"b":"x"} amount:12.25 big:9007199254740993 code:A1}]`)
	kinds := map[string]value.Kind{"id": value.Int, "score": value.Float, "ok": value.Bool, "blob": value.Bytes,
		"ts": value.Datetime, "doc": value.Object, "amount": value.Float, "big": value.Int, "code": value.String}
	for col, k := range kinds {
		if v, _ := got[0].Get(col); v.Kind() != k {
			t.Errorf("column %s: kind %s, want %s", col, v.Kind(), k)
		}
	}
	got, err = l.Lookup(ctx, value.FromInt(2))
	wantRows(t, got, err, "[{id:2 name: score: ok: blob: ts: doc: amount:7 big: code:}]")
	if v, _ := got[0].Get("amount"); v.Kind() != value.Int {
		t.Errorf("integral numeric should be bigint, got %s", v.Kind())
	}
	for _, miss := range []value.Value{value.FromInt(3), value.FromString("abc"), value.FromFloat(1.5), value.NullValue} {
		got, err = l.Lookup(ctx, miss)
		wantRows(t, got, err, "[]")
	}
}

func nameOf(t *testing.T, l Lookup, key int64) string {
	t.Helper()
	got, err := l.Lookup(context.Background(), value.FromInt(key))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		return "<none>"
	}
	v, _ := got[0].Get("name")
	return value.Text(v)
}

func TestSQLCache(t *testing.T) {
	db, tbl := pgFixture(t)
	ctx := context.Background()
	clk := clock.NewFake(time.Unix(1000, 0))
	l, err := NewSQLFactory(clk)(ctx, Def{Name: "st", DataSource: "public." + tbl, Key: "id",
		Props: map[string]any{"url": testPGURL, "cache": "true", "cacheTtl": "2s"}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if n := nameOf(t, l, 1); n != "dev1" {
		t.Fatalf("got %s", n)
	}
	if n := nameOf(t, l, 5); n != "<none>" {
		t.Fatalf("got %s", n)
	}
	db.Exec(`UPDATE ` + tbl + ` SET name = 'renamed' WHERE id = 1`)
	db.Exec(`INSERT INTO ` + tbl + ` (id, name) VALUES (5, 'five')`)
	if n := nameOf(t, l, 1); n != "dev1" {
		t.Fatalf("cached row expected, got %s", n)
	}
	// missing keys are not cached without cacheMissingKey
	if n := nameOf(t, l, 5); n != "five" {
		t.Fatalf("got %s", n)
	}
	clk.Advance(time.Unix(1002, 0))
	if n := nameOf(t, l, 1); n != "renamed" {
		t.Fatalf("expired entry not refreshed, got %s", n)
	}
}

func TestSQLOpenErrors(t *testing.T) {
	_, tbl := pgFixture(t)
	ctx := context.Background()
	f := NewSQLFactory(clock.NewFake(time.UnixMilli(1_700_000_000_000)))
	_, err := f(ctx, Def{Name: "st", DataSource: tbl, Key: "id", Props: map[string]any{"url": "mysql://root:secret@localhost/db"}})
	wantErr(t, err, "only postgres:// URLs are supported", "root:xxxxx@")
	_, err = f(ctx, Def{Name: "st", DataSource: tbl, Props: map[string]any{"url": testPGURL}})
	wantErr(t, err, "DATASOURCE (the table name) and KEY")
	_, err = f(ctx, Def{Name: "st", DataSource: tbl, Key: "nokey", Props: map[string]any{"url": testPGURL}})
	wantErr(t, err, "prepare", `"nokey"`)
	_, err = f(ctx, Def{Name: "st", DataSource: tbl + `"; DROP TABLE x; --`, Key: "id", Props: map[string]any{"url": testPGURL}})
	wantErr(t, err, "does not exist")
}
