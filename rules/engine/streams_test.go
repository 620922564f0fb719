package engine_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/errs"
)

// TestStreamStatementReplies follows sql.md §2.1 and the exact texts of
// rules-api.md §3.2 (the engine returns the detail without the REST prefix).
func TestStreamStatementReplies(t *testing.T) {
	f := newFixture(t)
	e := f.e
	if out, err := e.ExecStreamSQL(engine.KindStream, "SHOW STREAMS"); err != nil || out != "No stream definitions are found." {
		t.Errorf("SHOW STREAMS empty = %q, %v", out, err)
	}
	if out, err := e.ExecStreamSQL(engine.KindTable, "SHOW TABLES"); err != nil || out != "No table definitions are found." {
		t.Errorf("SHOW TABLES empty = %q, %v", out, err)
	}
	if out := f.exec(t, `CREATE STREAM demo () WITH (TYPE="edgex")`); out != "Stream demo is created." {
		t.Errorf("create stream reply %q", out)
	}
	if out := f.exec(t, `CREATE STREAM abc () WITH (TYPE="memory", DATASOURCE="abc")`); out != "Stream abc is created." {
		t.Errorf("create stream reply %q", out)
	}
	if out, err := e.ExecStreamSQL(engine.KindTable, `CREATE TABLE t1 (a BIGINT) WITH (TYPE="memory", DATASOURCE="t1")`); err != nil || out != "Table t1 is created." {
		t.Errorf("create table reply %q %v", out, err)
	}
	_, err := e.ExecStreamSQL(engine.KindStream, `CREATE STREAM demo () WITH (TYPE="edgex")`)
	wantErr(t, err, errs.Stream, "Create stream fails: Item demo already exists.")
	// Streams and tables share one namespace.
	_, err = e.ExecStreamSQL(engine.KindTable, `CREATE TABLE demo () WITH (TYPE="memory")`)
	wantErr(t, err, errs.Stream, "Create table fails: Item demo already exists.")
	_, err = e.ExecStreamSQL(engine.KindStream, `CREATE STREAM t1 () WITH (TYPE="memory")`)
	wantErr(t, err, errs.Stream, "Create stream fails: Item t1 already exists.")

	if out := f.exec(t, "SHOW STREAMS"); out != "abc\ndemo" {
		t.Errorf("SHOW STREAMS = %q, want ascending names", out)
	}
	if out, _ := e.ExecStreamSQL(engine.KindTable, "SHOW TABLES"); out != "t1" {
		t.Errorf("SHOW TABLES = %q", out)
	}
	if got := e.ListStreams(engine.KindStream, ""); strings.Join(got, ",") != "abc,demo" {
		t.Errorf("ListStreams = %v", got)
	}
	if got := e.ListStreams(engine.KindTable, ""); strings.Join(got, ",") != "t1" {
		t.Errorf("ListStreams tables = %v", got)
	}

	_, err = e.ExecStreamSQL(engine.KindStream, "DESCRIBE STREAM nosuch")
	wantErr(t, err, errs.Stream, "Describe stream fails, nosuch is not found.")
	_, err = e.ExecStreamSQL(engine.KindStream, "DESCRIBE TABLE demo")
	wantErr(t, err, errs.Stream, "Describe table fails, demo is not found.")
	_, err = e.DescribeStream(engine.KindStream, "nosuch")
	wantErr(t, err, errs.Stream, "Describe stream fails, nosuch is not found.")

	if out := f.exec(t, "DROP STREAM abc"); out != "Stream abc is dropped." {
		t.Errorf("drop reply %q", out)
	}
	if out, err := e.ExecStreamSQL(engine.KindTable, "DROP TABLE t1"); err != nil || out != "Table t1 is dropped." {
		t.Errorf("drop table reply %q %v", out, err)
	}
	_, err = e.ExecStreamSQL(engine.KindStream, "DROP STREAM nosuch")
	wantErr(t, err, errs.NotFound, "stream nosuch is not found")
	_, err = e.DropStream(engine.KindTable, "demo", false)
	wantErr(t, err, errs.NotFound, "table demo is not found")
}

// TestStreamStatementErrors: syntax and validation errors carry code 3000.
func TestStreamStatementErrors(t *testing.T) {
	f := newFixture(t)
	cases := []struct{ stmt, frag string }{
		{"CREATE STREAM demo (", "1:"},
		{`CREATE STREAM demo () WITH (FORMAT="protobuf")`, "format protobuf is not supported"},
		{`CREATE STREAM demo () WITH (NOSUCH="x")`, "NOSUCH"},
		{"SELECT * FROM demo", "only stream and table statements are allowed here"},
	}
	for _, c := range cases {
		_, err := f.e.ExecStreamSQL(engine.KindStream, c.stmt)
		if err == nil {
			t.Errorf("%s: accepted", c.stmt)
			continue
		}
		if errs.Direct(err) != errs.Stream || !strings.Contains(err.Error(), c.frag) {
			t.Errorf("%s: error %d %q, want code 3000 containing %q", c.stmt, errs.Direct(err), err, c.frag)
		}
	}
	if got := f.e.ListStreams(engine.KindStream, ""); len(got) != 0 {
		t.Errorf("failed statements created %v", got)
	}
}

// TestDescribeText follows the CLI layout of sql.md §2.6.
func TestDescribeText(t *testing.T) {
	f := newFixture(t)
	f.exec(t, `CREATE STREAM demo (id BIGINT, name STRING DEFAULT "n/a", tags ARRAY(STRING), pos STRUCT(x FLOAT, y FLOAT)) `+
		`WITH (TYPE="edgex", FORMAT="JSON", DATASOURCE="demo", VERSION="V1", CONF_KEY="c1")`)
	want := "Fields\n" + strings.Repeat("-", 80) + "\n" +
		"id\tbigint\n" +
		"name\tstring\tDEFAULT\t\"n/a\"\n" +
		"tags\tarray(string)\n" +
		"pos\tstruct(x float, y float)\n" +
		"\n" +
		"CONF_KEY: c1\n" +
		"DATASOURCE: demo\n" +
		"FORMAT: JSON\n" +
		"TYPE: edgex\n" +
		"VERSION: V1\n"
	if got := f.exec(t, "DESCRIBE STREAM demo"); got != want {
		t.Errorf("DESCRIBE\n got %q\nwant %q", got, want)
	}
}

// TestExplainStream: the DESCRIBE text followed by the effective source
// settings (sql.md §2.1 Oort improvement, §2.4 topic filter order).
func TestExplainStream(t *testing.T) {
	f := newFixture(t, func(c *engine.Config) {
		c.SourceConf = func(typ, key string) (map[string]any, bool) {
			if typ == "edgex" && key == "c1" {
				return map[string]any{"topic": "edgex/events/#"}, true
			}
			return nil, false
		}
	})
	f.exec(t, `CREATE STREAM a () WITH (TYPE="edgex", DATASOURCE="edgex/events/device/+/+/dev1/#")`)
	f.exec(t, `CREATE STREAM b () WITH (TYPE="edgex", CONF_KEY="c1", DATASOURCE="x/y")`)
	f.exec(t, `CREATE STREAM c () WITH (TYPE="edgex", CONF_KEY="c1", EXTRA="{\"topic\":\"t/1\"}")`)
	f.exec(t, `CREATE STREAM d () WITH (TYPE="edgex", DATASOURCE="demo")`)
	cases := map[string][]string{
		"a": {"type: edgex\n", "connection section: RulesEngine.Sources.edgex.default\n", "topic filter: edgex/events/device/+/+/dev1/#\n"},
		"b": {"connection section: RulesEngine.Sources.edgex.c1\n", "topic filter: edgex/events/#\n"},
		"c": {"topic filter: t/1\n"},
		"d": {"topic filter: (none"},
	}
	for name, frags := range cases {
		got := f.exec(t, "EXPLAIN STREAM "+name)
		desc := f.exec(t, "DESCRIBE STREAM "+name)
		if !strings.HasPrefix(got, desc+"\nEffective source settings\n") {
			t.Errorf("EXPLAIN %s does not start with DESCRIBE + header:\n%s", name, got)
		}
		for _, fr := range frags {
			if !strings.Contains(got, fr) {
				t.Errorf("EXPLAIN %s lacks %q:\n%s", name, fr, got)
			}
		}
	}
	if !strings.Contains(f.log.Text(), `DATASOURCE "demo" is not a topic filter`) {
		t.Errorf("no warning for an edgex DATASOURCE without a topic filter:\n%s", f.log.Text())
	}
	_, err := f.e.ExecStreamSQL(engine.KindStream, "EXPLAIN STREAM nosuch")
	wantErr(t, err, errs.Stream, "Explain stream fails, nosuch is not found.")
}

// TestDescribeStreamJSON checks the definition JSON of GET /streams/{name}
// byte for byte (rules-api.md §3.4): key order, null StreamFields for
// schemaless streams, only set options, typed booleans and retainSize.
func TestDescribeStreamJSON(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		kind      engine.Kind
		name, sql string
		want      string
	}{
		{engine.KindStream, "demo",
			`CREATE STREAM demo (id BIGINT, name STRING DEFAULT "n/a", tags ARRAY(STRING), pos STRUCT(x FLOAT)) ` +
				`WITH (DATASOURCE="demo", FORMAT="JSON", TYPE="edgex", CONF_KEY="c1", SHARED="true")`,
			`{"Name":"demo","StreamFields":[{"FieldType":"bigint","Name":"id"},` +
				`{"FieldType":"string","Name":"name","DefaultClause":"\"n/a\""},` +
				`{"FieldType":{"Type":"array","ElementType":"string"},"Name":"tags"},` +
				`{"FieldType":{"Type":"struct","Fields":[{"FieldType":"float","Name":"x"}]},"Name":"pos"}],` +
				`"Options":{"datasource":"demo","format":"JSON","confKey":"c1","type":"edgex","shared":true},` +
				`"StreamType":0,"Statement":null}`},
		{engine.KindStream, "s", `CREATE STREAM s () WITH (TYPE="edgex")`,
			`{"Name":"s","StreamFields":null,"Options":{"type":"edgex"},"StreamType":0,"Statement":null}`},
		{engine.KindStream, "ui", `CREATE STREAM ui (a BIGINT) WITH (confKey="k", strictValidation="true", timestampFormat="yyyy", ` +
			`TIMESTAMP="ts", SHARED=FALSE, VERSION="V2", EXTRA="{}", SCHEMAID="x", KEY="a", DELIMITER=";")`,
			`{"Name":"ui","StreamFields":[{"FieldType":"bigint","Name":"a"}],"Options":{"key":"a","confKey":"k","strictValidation":true,` +
				`"timestamp":"ts","timestampFormat":"yyyy","schemaid":"x","version":"v2","extra":"{}","delimiter":";"},` +
				`"StreamType":0,"Statement":null}`},
		{engine.KindStream, "nested", `CREATE STREAM nested (m ARRAY(ARRAY(BIGINT)), r ARRAY(STRUCT(k STRING))) WITH (TEMP="true")`,
			`{"Name":"nested","StreamFields":[{"FieldType":{"Type":"array","ElementType":{"Type":"array","ElementType":"bigint"}},"Name":"m"},` +
				`{"FieldType":{"Type":"array","ElementType":{"Type":"struct","Fields":[{"FieldType":"string","Name":"k"}]}},"Name":"r"}],` +
				`"Options":{"temp":true},"StreamType":0,"Statement":null}`},
		{engine.KindTable, "t1", `CREATE TABLE t1 (a BIGINT) WITH (TYPE="memory", DATASOURCE="t", KIND="LOOKUP", KEY="a", RETAIN_SIZE="3")`,
			`{"Name":"t1","StreamFields":[{"FieldType":"bigint","Name":"a"}],"Options":{"datasource":"t","key":"a","type":"memory",` +
				`"retainSize":3,"kind":"lookup"},"StreamType":1,"Statement":null}`},
	}
	for _, c := range cases {
		if _, err := f.e.ExecStreamSQL(c.kind, c.sql); err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		got, err := f.e.DescribeStream(c.kind, c.name)
		if err != nil {
			t.Errorf("describe %s: %v", c.name, err)
			continue
		}
		if string(got) != c.want {
			t.Errorf("definition JSON of %s\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	if _, err := f.e.DescribeStream(engine.KindStream, "t1"); err == nil {
		t.Error("DescribeStream(stream, <table>) must fail")
	}
}

// TestStreamSchemaJSON follows rules-api.md §3.4: per field type, items,
// properties and an always-present index, in eKuiper's key order; null for a
// schemaless stream.
func TestStreamSchemaJSON(t *testing.T) {
	f := newFixture(t)
	f.exec(t, `CREATE STREAM demo (id BIGINT, tags ARRAY(STRING), pos STRUCT(x FLOAT)) WITH (TYPE="edgex")`)
	f.exec(t, `CREATE STREAM s () WITH (TYPE="edgex")`)
	f.exec(t, `CREATE STREAM d (name STRING DEFAULT "n/a") WITH (TYPE="edgex")`)
	got, err := f.e.StreamSchema(engine.KindStream, "demo")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":{"type":"bigint","index":0},"pos":{"type":"struct","properties":{"x":{"type":"float","index":0}},"index":0},` +
		`"tags":{"type":"array","items":{"type":"string","index":0},"index":0}}`
	if string(got) != want {
		t.Errorf("schema\n got %s\nwant %s", got, want)
	}
	if got, _ := f.e.StreamSchema(engine.KindStream, "s"); string(got) != "null" {
		t.Errorf("schemaless schema = %s", got)
	}
	if got, _ := f.e.StreamSchema(engine.KindStream, "d"); !strings.Contains(string(got), `"default":"\"n/a\""`) {
		t.Errorf("schema with DEFAULT = %s", got)
	}
	_, err = f.e.StreamSchema(engine.KindStream, "nosuch")
	wantErr(t, err, errs.Stream, "Describe stream fails, nosuch is not found.")
}

// TestStreamDetails: type and format lower-cased with defaults mqtt/json;
// tables filter by kind (rules-api.md §3.4, §3.5).
func TestStreamDetails(t *testing.T) {
	f := newFixture(t)
	f.exec(t, `CREATE STREAM b () WITH (TYPE="EdgeX", FORMAT="JSON")`)
	f.exec(t, `CREATE STREAM a () WITH (DATASOURCE="x")`)
	f.e.ExecStreamSQL(engine.KindTable, `CREATE TABLE t2 () WITH (TYPE="memory", DATASOURCE="t2", KIND="lookup", KEY="id")`)
	f.e.ExecStreamSQL(engine.KindTable, `CREATE TABLE t1 () WITH (TYPE="memory", DATASOURCE="t1")`)
	got := f.e.StreamDetails(engine.KindStream, "")
	if len(got) != 2 || got[0] != (engine.StreamInfo{Name: "a", Type: "mqtt", Format: "json"}) ||
		got[1] != (engine.StreamInfo{Name: "b", Type: "edgex", Format: "json"}) {
		t.Errorf("StreamDetails = %+v", got)
	}
	if got := f.e.ListStreams(engine.KindTable, "lookup"); strings.Join(got, ",") != "t2" {
		t.Errorf("lookup tables = %v", got)
	}
	if got := f.e.ListStreams(engine.KindTable, "scan"); strings.Join(got, ",") != "t1" {
		t.Errorf("scan tables = %v", got)
	}
	if got := f.e.StreamDetails(engine.KindTable, "lookup"); len(got) != 1 || got[0].Type != "memory" {
		t.Errorf("table details = %+v", got)
	}
}

// TestReplaceStream follows sql.md §2.6 and rules-api.md §3.2 (replace rules
// and exact errors).
func TestReplaceStream(t *testing.T) {
	f := newFixture(t)
	e := f.e
	out, err := e.ReplaceStream(engine.KindStream, "demo", `CREATE STREAM demo () WITH (TYPE="edgex")`)
	if err != nil || out != "Stream demo is replaced." {
		t.Fatalf("replace creating: %q %v", out, err)
	}
	if got := f.mem().keys(engine.BucketStreams); strings.Join(got, ",") != "demo" {
		t.Errorf("replace-created stream not persisted: %v", got)
	}
	_, err = e.ReplaceStream(engine.KindStream, "demo", `CREATE STREAM other () WITH (TYPE="edgex")`)
	wantErr(t, err, errs.Stream, "Replace demo fails: the sql statement must update the demo source.")
	_, err = e.ReplaceStream(engine.KindStream, "demo", `DROP STREAM demo`)
	wantErr(t, err, errs.Stream, "Replace demo fails: the sql statement must update the demo source.")
	_, err = e.ReplaceStream(engine.KindStream, "demo", `CREATE TABLE demo () WITH (TYPE="memory")`)
	wantErr(t, err, errs.NotFound, "stream demo is not found")
	e.ExecStreamSQL(engine.KindTable, `CREATE TABLE t1 () WITH (TYPE="memory", DATASOURCE="t1")`)
	_, err = e.ReplaceStream(engine.KindStream, "t1", `CREATE STREAM t1 () WITH (TYPE="memory")`)
	wantErr(t, err, errs.NotFound, "stream t1 is not found")
	out, err = e.ReplaceStream(engine.KindTable, "t1", `CREATE TABLE t1 (a BIGINT) WITH (TYPE="memory", DATASOURCE="t1")`)
	if err != nil || out != "Table t1 is replaced." {
		t.Errorf("replace table: %q %v", out, err)
	}

	// TEMP cannot be set, SHARED cannot change.
	if _, err := e.ReplaceStream(engine.KindStream, "demo", `CREATE STREAM demo () WITH (TYPE="edgex", TEMP="true")`); err == nil {
		t.Error("replace setting TEMP accepted")
	}
	if _, err := e.ReplaceStream(engine.KindStream, "demo", `CREATE STREAM demo () WITH (TYPE="edgex", SHARED="true")`); err == nil {
		t.Error("replace changing SHARED accepted")
	}
	// VERSION: only a lexically greater version is accepted (both empty: ok).
	steps := []struct {
		version string
		ok      bool
	}{{"", true}, {"2", true}, {"10", false}, {"2", false}, {"3", true}, {"", false}, {"a", true}}
	for _, s := range steps {
		stmt := `CREATE STREAM demo () WITH (TYPE="edgex")`
		if s.version != "" {
			stmt = `CREATE STREAM demo () WITH (TYPE="edgex", VERSION="` + s.version + `")`
		}
		_, err := e.ReplaceStream(engine.KindStream, "demo", stmt)
		if (err == nil) != s.ok {
			t.Errorf("replace with version %q: err=%v, want ok=%v", s.version, err, s.ok)
		}
	}
	js, _ := e.DescribeStream(engine.KindStream, "demo")
	if !strings.Contains(string(js), `"version":"a"`) {
		t.Errorf("definition after replaces: %s", js)
	}
}

// TestDropReferencedStream: drop is refused while a rule references the
// stream (running or not), unless forced (rules-api.md §3.2, §3.4).
func TestDropReferencedStream(t *testing.T) {
	f := newFixture(t)
	f.exec(t, `CREATE STREAM demo () WITH (TYPE="edgex")`)
	f.exec(t, `CREATE STREAM other () WITH (TYPE="edgex")`)
	f.rule(t, "r1", "SELECT * FROM demo", nil)
	f.rule(t, "r2", "SELECT * FROM other", map[string]any{"triggered": false})
	_, err := f.e.DropStream(engine.KindStream, "demo", false)
	wantErr(t, err, errs.Undefined, "stream demo has been referenced by other rules")
	if !errors.Is(err, engine.ErrReferenced) {
		t.Error("refusal does not carry engine.ErrReferenced")
	}
	_, err = f.e.ExecStreamSQL(engine.KindStream, "DROP STREAM other")
	wantErr(t, err, errs.Undefined, "stream other has been referenced by other rules")
	if got := f.e.ListStreams(engine.KindStream, ""); len(got) != 2 {
		t.Errorf("refused drops removed streams: %v", got)
	}
	out, err := f.e.DropStream(engine.KindStream, "demo", true)
	if err != nil || out != "Stream demo is dropped." {
		t.Errorf("forced drop: %q %v", out, err)
	}
	if _, ok, _ := f.store.Get(engine.BucketStreams, "demo"); ok {
		t.Error("dropped stream still persisted")
	}
	if err := f.e.DeleteRule("r2"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.e.DropStream(engine.KindStream, "other", false); err != nil {
		t.Errorf("drop after the rule is deleted: %v", err)
	}
	// The rule whose stream was force-dropped fails to restart with the
	// planning error (rules-api.md §1.4).
	if err := f.e.RestartRule("r1"); err != nil {
		t.Fatal(err)
	}
	_, m := statusOf(t, f.e, "r1")
	if m["status"] != engine.StatusError || m["message"] != "fail to get stream demo, please check if stream is created" {
		t.Errorf("status after restart without stream: %v / %v", m["status"], m["message"])
	}
}

// TestReplaceKeepsRunningDefinition: running rules keep the old definition
// until restarted (sql.md §2.6).
func TestReplaceKeepsRunningDefinition(t *testing.T) {
	f := newFixture(t)
	f.exec(t, `CREATE STREAM demo (a BIGINT) WITH (TYPE="edgex")`)
	c := f.attached(t, "r1", "SELECT * FROM demo", nil)
	if _, err := f.e.ReplaceStream(engine.KindStream, "demo", `CREATE STREAM demo (a BIGINT, b BIGINT) WITH (TYPE="edgex")`); err != nil {
		t.Fatal(err)
	}
	f.e.IngestStream("demo", in("a", 1, "b", 2, "c", 3))
	if got := c.String(); got != "[{a:1}]" {
		t.Errorf("running rule after replace emitted %s, want the old definition's columns", got)
	}
}

// TestReplaceNewRulesUseNewDefinition: after a replace, a rule started
// afterwards reads the new definition while an older running rule keeps the
// old one (sql.md §2.6), on both ingest paths.
func TestReplaceNewRulesUseNewDefinition(t *testing.T) {
	f := newFixture(t)
	f.exec(t, `CREATE STREAM demo (a BIGINT) WITH (TYPE="edgex")`)
	old := f.attached(t, "r1", "SELECT * FROM demo", nil)
	if _, err := f.e.ReplaceStream(engine.KindStream, "demo", `CREATE STREAM demo (a BIGINT, b BIGINT) WITH (TYPE="edgex")`); err != nil {
		t.Fatal(err)
	}
	nu := f.attached(t, "r2", "SELECT * FROM demo", nil)
	f.e.IngestStream("demo", in("a", 1, "b", 2))
	r := in("a", 3, "b", 4)
	r.Topic = "edgex/events/x"
	f.e.IngestEdgeX(r, 0)
	if got := old.String(); got != "[{a:1}][{a:3}]" {
		t.Errorf("rule started before the replace: %s", got)
	}
	if got := nu.String(); got != "[{a:1 b:2}][{a:3 b:4}]" {
		t.Errorf("rule started after the replace: %s, want the new definition's columns", got)
	}
}
