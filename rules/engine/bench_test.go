package engine_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/oort-rules/oort/rules/row"
)

// BenchmarkEngineIngestStream measures IngestStream into a synchronous
// engine: routing, schema shaping and one filter+project per reading rule.
func BenchmarkEngineIngestStream(b *testing.B) {
	for _, rules := range []int{1, 4} {
		for _, schema := range []string{"()", "(deviceName STRING, temperature FLOAT, humidity BIGINT)"} {
			name := fmt.Sprintf("rules=%d/schemaless=%v", rules, schema == "()")
			b.Run(name, func(b *testing.B) {
				f := newFixture(b)
				f.exec(b, `CREATE STREAM demo `+schema+` WITH (TYPE="edgex")`)
				var n atomic.Int64
				for i := 0; i < rules; i++ {
					id := fmt.Sprint("r", i)
					f.rule(b, id, "SELECT temperature * 1.8 + 32 AS f, deviceName FROM demo WHERE humidity < 90", map[string]any{"triggered": false})
					if err := f.e.AttachEmit(id, func([]*row.Row) { n.Add(1) }); err != nil {
						b.Fatal(err)
					}
				}
				r := in("deviceName", "dev1", "temperature", 25.5, "humidity", 60)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					f.e.IngestStream("demo", r)
				}
				b.StopTimer()
				if n.Load() != int64(b.N*rules) {
					b.Fatalf("%d emissions for %d rows", n.Load(), b.N)
				}
			})
		}
	}
}
