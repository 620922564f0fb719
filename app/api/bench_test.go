package api

import (
	"testing"

	"github.com/oort-rules/oort/rules/obs"
)

// BenchmarkStatusJSON measures the pretty status body of a rule with a
// source, three operators and a sink.
func BenchmarkStatusJSON(b *testing.B) {
	kvs := []obs.KV{{Key: "status", Val: "running"}, {Key: "message", Val: ""}}
	for _, n := range []*obs.Node{
		{Name: "source_demo", Kind: "source"}, {Name: "op_2_filter", Kind: "op"},
		{Name: "op_3_window", Kind: "op"}, {Name: "op_4_project", Kind: "op"}, {Name: "sink_log_0", Kind: "sink"},
	} {
		kvs = append(kvs, n.Metrics()...)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := statusJSON(kvs, true); err != nil {
			b.Fatal(err)
		}
	}
}
