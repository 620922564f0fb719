package exec

import (
	"fmt"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/table"
	"github.com/oort-rules/oort/rules/value"
)

// deviceRows builds one row per device, cycled by the benchmarks.
func deviceRows(n int) []*row.Row {
	rows := make([]*row.Row, n)
	for i := range rows {
		rows[i] = &row.Row{Cols: []row.Col{
			{Name: "deviceName", Val: value.FromString(fmt.Sprintf("device-%04d", i))},
			{Name: "temperature", Val: value.FromFloat(20 + float64(i%17))},
		}}
	}
	return rows
}

func windowRunner(b *testing.B, sqlText string, clk *clock.Fake, emitted *int, srcs ...*plan.Source) Runner {
	emit := func(rows []*row.Row) { *emitted += len(rows) }
	if prog, env := testProgram(b, sqlText, clk, srcs); prog.Window() == nil {
		return NewPipeline(prog, env, Options{RuleID: "b"}, clk, obs.NopLogger{}, emit)
	}
	return testWindowPipeline(b, sqlText, false, clk, emit, srcs...)
}

// BenchmarkTumblingGroupBy1000Devices: the goal — a 10 s tumbling
// window computing avg/count/max per device over 1,000 devices, at least
// 1,000,000 rows/s on one core with allocations per row near zero.
func BenchmarkTumblingGroupBy1000Devices(b *testing.B) {
	clk := clock.NewFake(time.UnixMilli(1_700_000_000_000))
	emitted := 0
	r := windowRunner(b, "SELECT deviceName, avg(temperature) AS a, count(*) AS c, max(temperature) AS m FROM s GROUP BY deviceName, TUMBLINGWINDOW(ss, 10)", clk, &emitted)
	r.Start(clk.Now().UnixMilli())
	rows := deviceRows(1000)
	runStream(b, r, rows, clk, 10*time.Second, 200_000)
	if b.N > 400_000 && emitted == 0 {
		b.Fatal("no window emitted")
	}
}

// BenchmarkEventTimeTumbling1000Devices: the same aggregate in event time
// (lateTolerance 1 s), rows arriving up to 500 ms out of order: rows wait
// only until the watermark passes them, then fold into per-group state.
func BenchmarkEventTimeTumbling1000Devices(b *testing.B) {
	clk := clock.NewFake(time.UnixMilli(1_700_000_000_000))
	emitted := 0
	sel, err := sql.ParseSelect("SELECT deviceName, avg(temperature) AS a, count(*) AS c, max(temperature) AS m FROM s GROUP BY deviceName, TUMBLINGWINDOW(ss, 10)")
	if err != nil {
		b.Fatal(err)
	}
	env := &fn.Env{Clock: clk, TZ: time.UTC}
	prog, err := plan.Compile(sel, []*plan.Source{{Name: "s"}}, fn.NewCatalog(), plan.Options{Env: env, EventTime: true})
	if err != nil {
		b.Fatal(err)
	}
	spec, _ := WindowSpec(prog.Window(), false)
	r, err := NewWindowPipeline(prog, env, WindowOptions{Options: Options{RuleID: "b", EventTime: true}, Spec: spec,
		LateTolerance: 1000, Timestamps: []TimestampField{{Field: "ts"}}}, clk, obs.NopLogger{}, func(rows []*row.Row) { emitted += len(rows) })
	if err != nil {
		b.Fatal(err)
	}
	rows := deviceRows(1000)
	for _, rw := range rows {
		rw.Cols = append(rw.Cols, row.Col{Name: "ts"})
	}
	base := clk.Now().UnixMilli()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rw := rows[i%len(rows)]
		// 100 rows per ms of event time, jittered up to 500 ms back
		rw.Cols[2].Val = value.FromInt(base + int64(i/100) - int64(i%7)*70)
		r.Process(0, rw)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	if b.N > 2_000_000 && emitted == 0 {
		b.Fatal("no window emitted")
	}
}

// BenchmarkSlidingWindow1s: a 1 s sliding window; every row triggers an
// emission over the rows of the last second.
func BenchmarkSlidingWindow1s(b *testing.B) {
	clk := clock.NewFake(time.UnixMilli(1_700_000_000_000))
	emitted := 0
	r := windowRunner(b, "SELECT count(*) AS c, avg(temperature) AS a FROM s GROUP BY SLIDINGWINDOW(ss, 1)", clk, &emitted)
	r.Start(clk.Now().UnixMilli())
	runStream(b, r, deviceRows(100), clk, time.Millisecond, 1) // 1 row per ms: ~1,000 rows in each window
}

// BenchmarkStreamTableJoin: each stream row joined with a 1,000-row scan table.
func BenchmarkStreamTableJoin(b *testing.B) {
	clk := clock.NewFake(time.UnixMilli(1_700_000_000_000))
	emitted := 0
	srcs := []*plan.Source{{Name: "s"}, {Name: "t", IsTable: true}}
	r := windowRunner(b, "SELECT s.deviceName, temperature, maxTemp FROM s INNER JOIN t ON s.deviceName = t.deviceName WHERE temperature > maxTemp", clk, &emitted, srcs...)
	scan := table.NewScan(1000)
	for i := 0; i < 1000; i++ {
		scan.Add(&row.Row{Cols: []row.Col{{Name: "deviceName", Val: value.FromString(fmt.Sprintf("device-%04d", i))},
			{Name: "maxTemp", Val: value.FromFloat(30)}}})
	}
	r.(interface{ SetTables(Tables) }).SetTables(Tables{Scan: map[int]*table.Scan{1: scan}})
	runStream(b, r, deviceRows(1000), clk, time.Millisecond, 1000)
}

// runStream feeds rows in a loop, advancing the fake clock by step every
// `every` rows so time windows fire.
func runStream(b *testing.B, r Runner, rows []*row.Row, clk *clock.Fake, step time.Duration, every int) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%every == 0 && i > 0 {
			clk.Advance(clk.Now().Add(step))
			r.Tick(clk.Now().UnixMilli())
		}
		rw := rows[i%len(rows)]
		rw.PT = clk.Now().UnixMilli()
		r.Process(0, rw)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
