package plan_test

import (
	"testing"

	"github.com/oort-rules/oort/rules/row"
)

// BenchmarkCompiledFilterProject measures the per-row cost of a compiled
// program: plan.Compile runs once, then Filter and Project run per row.
func BenchmarkCompiledFilterProject(b *testing.B) {
	cases := []struct{ name, q string }{
		{"arith", "SELECT temperature * 1.8 + 32 AS f, deviceName, humidity FROM demo WHERE temperature > 20 AND humidity < 90"},
		{"star", "SELECT * FROM demo WHERE humidity < 90"},
		{"like-case", `SELECT CASE WHEN deviceName LIKE "dev%" THEN "d" ELSE "o" END AS k, humidity FROM demo WHERE deviceName LIKE "%1"`},
		{"alias-chain", "SELECT temperature AS t, t * 2 AS t2, t2 + humidity AS s FROM demo WHERE s > 0"},
		{"reject", "SELECT temperature FROM demo WHERE temperature > 100"},
	}
	in := mk("deviceName", "dev1", "temperature", 25.5, "humidity", 60, "pressure", 1013.2, "status", "ok")
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			p := mustCompile(b, c.q)
			ctx := p.NewCtx(testEnv(), false)
			var out []*row.Row
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ctx.Reset(in)
				ok, err := p.Filter(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if !ok {
					continue
				}
				if out, err = p.Project(ctx); err != nil {
					b.Fatal(err)
				}
			}
			_ = out
		})
	}
}
