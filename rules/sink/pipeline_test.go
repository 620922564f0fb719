package sink

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/row"
)

// runPipe sends one emission through a node with the given properties and
// returns the payloads the connector received (after Close has drained).
func runPipe(t *testing.T, props map[string]any, sendNil bool, rows []*row.Row) []string {
	t.Helper()
	c := &byteRec{}
	env := testEnv(nil)
	env.Options.SendNilField = sendNil
	n := openNode(t, NodeSpec{Type: "test", Props: props, Factory: factoryOf(c), Env: env})
	n.Send(rows)
	closeNode(t, n)
	return c.got()
}

func emission() []*row.Row {
	return []*row.Row{
		R("id", 1, "temp", 20.5, "unit", nil, "tag", "a"),
		R("id", 2, "temp", nil, "unit", "C", "tag", "b"),
	}
}

func TestPipelineMatrix(t *testing.T) {
	tmplSingle := `{"t":{{.temp}},"id":{{.id}}}`
	tmplList := `{{range $i, $r := .}}{{if $i}};{{end}}{{$r.id}}{{end}}`
	cases := []struct {
		name    string
		props   map[string]any
		sendNil bool
		rows    []*row.Row
		want    []string
	}{
		{"array", nil, false, emission(),
			[]string{`[{"id":1,"temp":20.5,"tag":"a"},{"id":2,"unit":"C","tag":"b"}]`}},
		{"array sendNil", nil, true, emission(),
			[]string{`[{"id":1,"temp":20.5,"unit":null,"tag":"a"},{"id":2,"temp":null,"unit":"C","tag":"b"}]`}},
		{"single", map[string]any{"sendSingle": true}, false, emission(),
			[]string{`{"id":1,"temp":20.5,"tag":"a"}`, `{"id":2,"unit":"C","tag":"b"}`}},
		{"single string flag", map[string]any{"sendSingle": "true"}, false, emission()[:1],
			[]string{`{"id":1,"temp":20.5,"tag":"a"}`}},
		{"fields order", map[string]any{"fields": []any{"tag", "id", "missing"}}, false, emission(),
			[]string{`[{"tag":"a","id":1},{"tag":"b","id":2}]`}},
		{"exclude", map[string]any{"excludeFields": []any{"temp", "unit"}, "sendSingle": true}, true, emission(),
			[]string{`{"id":1,"tag":"a"}`, `{"id":2,"tag":"b"}`}},
		{"template single", map[string]any{"sendSingle": true, "dataTemplate": tmplSingle}, true, emission()[:1],
			[]string{`{"t":20.5,"id":1}`}},
		{"template list", map[string]any{"dataTemplate": tmplList}, false, emission(),
			[]string{`1;2`}},
		{"template then fields", map[string]any{"sendSingle": true, "dataTemplate": tmplSingle, "fields": "id"}, false, emission()[:1],
			[]string{`{"id":1}`}},
		{"template then exclude", map[string]any{"sendSingle": true, "dataTemplate": tmplSingle, "excludeFields": []any{"id"}}, false, emission()[:1],
			[]string{`{"t":20.5}`}},
		{"template list fields", map[string]any{"dataTemplate": `[{{range $i, $r := .}}{{if $i}},{{end}}{"a":{{$r.id}},"b":"{{$r.tag}}"}{{end}}]`, "fields": []any{"b"}}, false, emission(),
			[]string{`[{"b":"a"},{"b":"b"}]`}},
		{"omitIfEmpty empty emission", map[string]any{"omitIfEmpty": true}, false, nil, nil},
		{"empty emission kept", nil, false, nil, []string{`[]`}},
		{"empty emission single", map[string]any{"sendSingle": true}, false, nil, nil},
		{"omitIfEmpty empty row", map[string]any{"omitIfEmpty": true, "sendSingle": true}, false,
			[]*row.Row{R("a", nil), R("a", 1)}, []string{`{"a":1}`}},
		{"empty row kept", map[string]any{"sendSingle": true}, false,
			[]*row.Row{R("a", nil)}, []string{`{}`}},
		{"empty row with sendNil not empty", map[string]any{"omitIfEmpty": true, "sendSingle": true}, true,
			[]*row.Row{R("a", nil)}, []string{`{"a":null}`}},
		{"omitIfEmpty drops empty rows in array", map[string]any{"omitIfEmpty": true}, false,
			[]*row.Row{R("a", nil), R("a", 2)}, []string{`[{"a":2}]`}},
		{"dataField", map[string]any{"dataField": "values"}, false,
			[]*row.Row{R("values", []any{map[string]any{"x": 1, "y": 2}}), R("values", []any{})},
			[]string{`[{"x":1,"y":2}]`}},
		{"dataField fields", map[string]any{"tableDataField": "values", "fields": []any{"y"}}, false,
			[]*row.Row{R("values", []any{map[string]any{"x": 1, "y": 2}})},
			[]string{`[{"y":2}]`}},
		{"template dataField", map[string]any{"sendSingle": true, "dataTemplate": `{"wrap":{"v":{{.id}},"w":true}}`, "dataField": "wrap", "fields": []any{"v"}}, false,
			emission()[:1], []string{`{"v":1}`}},
		{"template helpers", map[string]any{"sendSingle": true, "dataTemplate": `{{json .tag}}|{{base64 .tag}}|{{upper .tag}}`}, false,
			emission()[:1], []string{`"a"|YQ==|A`}},
		{"error row", map[string]any{"sendSingle": true}, false,
			[]*row.Row{{Err: errors.New("division by zero")}}, []string{`{"error":"division by zero"}`}},
		{"unicode keys", nil, false, []*row.Row{R("é\"k", "x\n")}, []string{`[{"é\"k":"x\n"}]`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := runPipe(t, c.props, c.sendNil, c.rows)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestPipelineDoesNotModifyInputRows(t *testing.T) {
	rows := emission()
	before := string(AppendRows(nil, rows))
	runPipe(t, map[string]any{"fields": []any{"id"}, "sendSingle": true}, false, rows)
	if after := string(AppendRows(nil, rows)); after != before {
		t.Fatalf("input rows changed: %s -> %s", before, after)
	}
}

func TestTemplateErrorIsCountedPerMessage(t *testing.T) {
	c := &byteRec{}
	env := testEnv(nil)
	props := map[string]any{"sendSingle": true, "dataTemplate": `{{if .bad}}{{index .bad 5}}{{else}}ok{{end}}`}
	n := openNode(t, NodeSpec{Type: "test", Props: props, Factory: factoryOf(c), Env: env})
	n.Send([]*row.Row{R("bad", []any{1}), R("good", 1)})
	closeNode(t, n)
	if got := c.got(); !reflect.DeepEqual(got, []string{"ok"}) {
		t.Fatalf("payloads %q", got)
	}
	m := env.Node
	if m.Exceptions.Load() != 1 || !strings.Contains(m.LastException(), "index") {
		t.Fatalf("exceptions %d %q", m.Exceptions.Load(), m.LastException())
	}
	if m.RecordsIn.Load() != 2 || m.RecordsOut.Load() != 1 || m.Processed.Load() != 1 {
		t.Fatalf("in %d out %d processed %d", m.RecordsIn.Load(), m.RecordsOut.Load(), m.Processed.Load())
	}
}

func TestRowConnectorPipeline(t *testing.T) {
	cases := []struct {
		name  string
		props map[string]any
		want  []string
	}{
		{"rows", nil, []string{`[{"id":1,"temp":20.5,"tag":"a"},{"id":2,"unit":"C","tag":"b"}]`}},
		{"single fields", map[string]any{"sendSingle": true, "fields": []any{"tag"}}, []string{`[{"tag":"a"}]`, `[{"tag":"b"}]`}},
		{"template object keeps key order", map[string]any{"sendSingle": true, "dataTemplate": `{"z":{{.id}},"a":"{{.tag}}","f":1.5,"n":null,"o":{"k":[1,"x"]}}`},
			[]string{`[{"z":1,"a":"a","f":1.5,"n":null,"o":{"k":[1,"x"]}}]`, `[{"z":2,"a":"b","f":1.5,"n":null,"o":{"k":[1,"x"]}}]`}},
		{"format ignored", map[string]any{"format": "protobuf", "sendSingle": true, "fields": "id"}, []string{`[{"id":1}]`, `[{"id":2}]`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rc := &rowRec{}
			n := openNode(t, NodeSpec{Type: "test", Props: c.props, Factory: factoryOf(rc)})
			n.Send(emission())
			closeNode(t, n)
			if got := rc.got(); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestRowConnectorTemplateMustBeObject(t *testing.T) {
	rc := &rowRec{}
	env := testEnv(nil)
	n := openNode(t, NodeSpec{Type: "test", Props: map[string]any{"sendSingle": true, "dataTemplate": `{{.id}}`}, Factory: factoryOf(rc), Env: env})
	n.Send(emission())
	closeNode(t, n)
	if len(rc.got()) != 0 || env.Node.Exceptions.Load() != 2 || !strings.Contains(env.Node.LastException(), "expected a JSON object") {
		t.Fatalf("got %q, exceptions %d %q", rc.got(), env.Node.Exceptions.Load(), env.Node.LastException())
	}
}
