package sink

import (
	"testing"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// FuzzParseMessage: a corrupt cache page must yield an error, never a panic,
// and whatever parses must encode again.
func FuzzParseMessage(f *testing.F) {
	r := &row.Row{Cols: []row.Col{{Name: "a", Val: value.FromFloat(1.5)}, {Name: "b", Val: value.FromBytes([]byte("x"))}}}
	f.Add(appendMessage(nil, message{payload: []byte("p"), rows: []*row.Row{r}, n: 1}))
	f.Add([]byte(`{"n":1,"r":[{"c":[["a",{"o":{"k":{"t":"bad"}}}]]}]}`))
	f.Add([]byte(`{"r":[{"c":[[1]]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseMessage(data)
		if err != nil {
			return
		}
		if _, err := parseMessage(appendMessage(nil, m)); err != nil {
			t.Fatalf("re-encoded message does not parse: %v", err)
		}
	})
}

// FuzzTemplateToRows: any data template output either becomes rows or an
// error.
func FuzzTemplateToRows(f *testing.F) {
	f.Add(`{"a":1,"b":[1,2,{"c":null}]}`)
	f.Add(`[{"a":1},{"b":"x"}]`)
	f.Add(`1e400`)
	f.Fuzz(func(t *testing.T, text string) {
		p := &pipeline{structured: true, single: true}
		tm, err := parseTemplate("dataTemplate", "{{.x}}")
		if err != nil {
			t.Fatal(err)
		}
		p.tmpl = tm
		p.run([]*row.Row{R("x", text)}, func(m message) {
			for _, r := range m.rows {
				_ = AppendRow(nil, r)
			}
		}, func(error) {})
	})
}
