package sink

import (
	"testing"

	"github.com/oort-rules/oort/rules/row"
)

func benchRow() *row.Row {
	return R("deviceName", "Random-Integer-Device", "temperature", 21.5, "humidity", 40, "ok", true, "tags", map[string]any{"a": "b"})
}

func BenchmarkAppendRow(b *testing.B) {
	r := benchRow()
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = AppendRow(buf[:0], r)
	}
}

func BenchmarkAppendRows10(b *testing.B) {
	rows := make([]*row.Row, 10)
	for i := range rows {
		rows[i] = benchRow()
	}
	buf := make([]byte, 0, 2048)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = AppendRows(buf[:0], rows)
	}
}

func benchPipeline(b *testing.B, props map[string]any) {
	n, err := NewNode(NodeSpec{Type: "test", Props: props, Factory: factoryOf(&byteRec{}), Env: testEnv(nil)})
	if err != nil {
		b.Fatal(err)
	}
	rows := []*row.Row{benchRow()}
	var out int
	emit := func(m message) { out += len(m.payload) }
	fail := func(err error) { b.Fatal(err) }
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n.pipe.run(rows, emit, fail)
	}
	if out == 0 {
		b.Fatal("no output")
	}
}

func BenchmarkPipelineSingleRow(b *testing.B) {
	benchPipeline(b, map[string]any{"sendSingle": true})
}

func BenchmarkPipelineSingleRowFields(b *testing.B) {
	benchPipeline(b, map[string]any{"sendSingle": true, "fields": []any{"temperature", "deviceName"}})
}

func BenchmarkPipelineSingleRowTemplate(b *testing.B) {
	benchPipeline(b, map[string]any{"sendSingle": true, "dataTemplate": `{"t":{{.temperature}},"d":"{{.deviceName}}"}`})
}
