package testscript

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// Property tests for time windows: the engine's emissions must match a direct
// bucketing of the same rows into windows laid out as sql.md §9.2, §9.3 and §10
// describe. The reference model below is written from the spec, not from the
// window package, so the two can only agree by both being right.

const (
	propSize = 2000 // ms: TUMBLINGWINDOW(ss, 2) / HOPPINGWINDOW(ss, 2, 2)
	propTol  = 1000 // ms: lateTolerance
)

type propRow struct{ t, v int64 }

// propWindow is one expected emission: [start, end) with its count and sum.
type propWindow struct{ start, end, c, s int64 }

// alignedEndSS is §9.2 for the SS unit: the next multiple of n seconds within
// the current minute, strictly after now.
func alignedEndSS(now, n int64) int64 {
	minute := now - now%60000
	sec := (now % 60000) / 1000
	return minute + n*(sec/n+1)*1000
}

// genRows draws about 200 rows over 20–30 s: mostly short gaps, equal
// timestamps, a few rows snapped exactly onto a window boundary, and (when
// bigGaps) a few gaps longer than a window so that some windows are empty.
func genRows(seed, start int64, n int, bigGaps bool) []propRow {
	rnd := rand.New(rand.NewSource(seed))
	rows := make([]propRow, 0, n)
	t := start + 1 + rnd.Int63n(200)
	for i := 0; i < n; i++ {
		rows = append(rows, propRow{t: t, v: rnd.Int63n(101) - 50})
		p := rnd.Float64()
		switch {
		case bigGaps && p < 0.02:
			t += 2000 + rnd.Int63n(1500)
		case p < 0.10:
			t += 120 + rnd.Int63n(480)
		case p < 0.15:
			t += propSize - t%propSize // exactly on the next boundary
		case p < 0.20: // same timestamp as the previous row
		default:
			t += 1 + rnd.Int63n(120)
		}
	}
	return rows
}

// bucket lays windows [ends[k-1], ends[k]) with ends[0] = firstStart and the
// first aligned end after alignFrom, and sums the rows into them. Only windows
// whose end is <= last are returned.
func bucket(rows []propRow, firstStart, alignFrom, last int64) []propWindow {
	first := alignedEndSS(alignFrom, propSize/1000)
	var out []propWindow
	for end := first; end <= last; end += propSize {
		start := end - propSize
		if end == first {
			start = firstStart
		}
		w := propWindow{start: start, end: end}
		for _, r := range rows {
			if r.t >= end-propSize && r.t < end || end == first && r.t < end {
				w.c++
				w.s += r.v
			}
		}
		out = append(out, w)
	}
	return out
}

func (w propWindow) want() value.Value {
	m := map[string]value.Value{"c": value.FromInt(w.c), "ws": value.FromInt(w.start), "we": value.FromInt(w.end)}
	if w.c > 0 { // sum over no rows is NULL, hence omitted
		m["s"] = value.FromInt(w.s)
	}
	return value.FromObject(m)
}

const propSelect = "SELECT count(*) AS c, sum(v) AS s, window_start() AS ws, window_end() AS we FROM s GROUP BY "

// propRun feeds rows to a fresh rule and returns its emissions plus, for each
// row, how many emissions existed right after it was delivered.
func propRun(t *testing.T, start int64, stream, opts, window string, rows []propRow, end int64) ([][]*row.Row, []int, *Runner) {
	t.Helper()
	r, err := NewRunner(fn.NewCatalog(), start)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	for _, s := range []Step{{Op: "stream", Arg: stream}, {Op: "options", Arg: opts}, {Op: "rule", Arg: propSelect + window}} {
		if err := r.step(s); err != nil {
			t.Fatalf("%s %s: %v", s.Op, s.Arg, err)
		}
	}
	seen := make([]int, len(rows))
	for i, pr := range rows {
		r.clk.Advance(time.UnixMilli(pr.t))
		rw, err := RowFromJSON([]byte(fmt.Sprintf(`{"v":%d,"ts":%d}`, pr.v, pr.t)), nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.eng.IngestStream("s", rw) == 0 {
			t.Fatal("no rule reads stream s")
		}
		seen[i] = len(r.out)
	}
	r.clk.Advance(time.UnixMilli(end))
	return r.out, seen, r
}

// checkWindows compares emissions with the expected windows, one row each.
func checkWindows(t *testing.T, r *Runner, got [][]*row.Row, want []propWindow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d emissions, want %d; first got %s", len(got), len(want), render(got[:min(3, len(got))]))
	}
	for k, w := range want {
		if err := r.compareEmission(got[k], []value.Value{w.want()}, false); err != nil {
			t.Fatalf("window %d [%d,%d): %v", k, w.start, w.end, err)
		}
	}
}

// checkProgress: after each row, exactly the windows with end <= limit(row)
// have been emitted (processing time: ticks up to the row's arrival, which
// fire before it; event time: ends up to the watermark).
func checkProgress(t *testing.T, rows []propRow, seen []int, want []propWindow, limit func(propRow) int64) {
	t.Helper()
	for i, pr := range rows {
		n := 0
		for _, w := range want {
			if w.end <= limit(pr) {
				n++
			}
		}
		if seen[i] != n {
			t.Fatalf("after row %d (t=%d): %d emissions, want %d", i, pr.t, seen[i], n)
		}
	}
}

const (
	memStream   = `CREATE STREAM s () WITH (TYPE="memory")`
	eventStream = `CREATE STREAM s () WITH (TYPE="memory", TIMESTAMP="ts")`
	eventOpts   = `{"isEventTime":true,"lateTolerance":1000}`
	tumbling2   = "TUMBLINGWINDOW(ss, 2)"
	hopping22   = "HOPPINGWINDOW(ss, 2, 2)"
)

// lastTick is the first processing-time tick after the last row, so every row
// has been emitted once the clock reaches it.
func lastTick(start int64, rows []propRow) int64 {
	e := alignedEndSS(start, propSize/1000)
	for e <= rows[len(rows)-1].t {
		e += propSize
	}
	return e
}

// TestPropTumblingProcessingTime: (a) count/sum per 2 s tumbling window equal
// a direct bucketing; the first window starts at the rule start (§9.3), the
// first end is aligned (§9.2), a row arriving exactly on a tick belongs to the
// next window (the tick fires first), empty windows give {c: 0}.
func TestPropTumblingProcessingTime(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			start := int64(100300) // second 40.3 of a minute: first end 102000
			rows := genRows(seed, start, 200, true)
			end := lastTick(start, rows)
			got, seen, r := propRun(t, start, memStream, "{}", tumbling2, rows, end)
			want := bucket(rows, start, start, end)
			checkWindows(t, r, got, want)
			checkProgress(t, rows, seen, want, func(p propRow) int64 { return p.t })
			checkCoverage(t, rows, want, true)
		})
	}
}

// TestPropTumblingEventTime: (c) the same with event time and rows in order:
// the first end is the aligned end of the first row, the first window starts
// at the first row's event time (§10), and a window is emitted once
// window_end <= watermark = largest ts - lateTolerance. Gaps stay below one
// window so that no window is empty (see the report: the form of an empty
// event-time window with aggregates is not pinned down by §9.4).
func TestPropTumblingEventTime(t *testing.T) {
	for seed := int64(11); seed <= 15; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			start := int64(100000)
			rows := genRows(seed, start, 200, false)
			last := rows[len(rows)-1].t
			got, seen, r := propRun(t, start, eventStream, eventOpts, tumbling2, rows, last)
			want := bucket(rows, rows[0].t, rows[0].t, last-propTol)
			checkWindows(t, r, got, want)
			checkProgress(t, rows, seen, want, func(p propRow) int64 { return p.t - propTol })
			checkCoverage(t, rows, want, false)
		})
	}
}

// TestPropHoppingEqualsTumbling: (b) HOPPINGWINDOW(ss, 2, 2) emits exactly
// what TUMBLINGWINDOW(ss, 2) emits, except window_start of the first window:
// tumbling reports the rule start (processing time, §9.3) or the first row's
// event time (event time, §10), both kept for compatibility, whereas hopping
// always reports window_end - size (Oort improvement). The two agree when the
// rule starts on a boundary, which the aligned start checks.
func TestPropHoppingEqualsTumbling(t *testing.T) {
	cases := []struct {
		name         string
		start        int64
		stream, opts string
		eventTime    bool
		seed         int64
	}{
		{"processing unaligned start", 100300, memStream, "{}", false, 21},
		{"processing aligned start", 100000, memStream, "{}", false, 22},
		{"event time", 100000, eventStream, eventOpts, true, 23},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows := genRows(c.seed, c.start, 200, true)
			end, firstWS := lastTick(c.start, rows), c.start
			if c.eventTime {
				end, firstWS = rows[len(rows)-1].t, rows[0].t
			}
			tum, _, r := propRun(t, c.start, c.stream, c.opts, tumbling2, rows, end)
			hop, _, _ := propRun(t, c.start, c.stream, c.opts, hopping22, rows, end)
			compareHopTum(t, r, tum, hop, firstWS)
		})
	}
}

func compareHopTum(t *testing.T, r *Runner, tum, hop [][]*row.Row, firstWS int64) {
	t.Helper()
	if len(tum) != len(hop) || len(tum) == 0 {
		t.Fatalf("tumbling gave %d emissions, hopping %d", len(tum), len(hop))
	}
	for k := range tum {
		if len(tum[k]) != 1 || len(hop[k]) != 1 {
			t.Fatalf("emission %d: tumbling %d rows, hopping %d rows", k, len(tum[k]), len(hop[k]))
		}
		tv, hv := r.visible(tum[k][0]), r.visible(hop[k][0])
		if k == 0 {
			we := tv.Obj()["we"].Int()
			if ws := tv.Obj()["ws"]; !Same(ws, value.FromInt(firstWS)) {
				t.Fatalf("tumbling first window_start %s, want %d", value.ToJSON(ws), firstWS)
			}
			if ws := hv.Obj()["ws"]; !Same(ws, value.FromInt(we-propSize)) {
				t.Fatalf("hopping first window_start %s, want window_end - size = %d", value.ToJSON(ws), we-propSize)
			}
			tv = withKey(tv, "ws", hv.Obj()["ws"])
		}
		if !Same(hv, tv) {
			t.Fatalf("emission %d: hopping %s, tumbling %s", k, value.ToJSON(hv), value.ToJSON(tv))
		}
	}
}

func withKey(v value.Value, k string, x value.Value) value.Value {
	m := make(map[string]value.Value, len(v.Obj()))
	for key, val := range v.Obj() {
		m[key] = val
	}
	m[k] = x
	return value.FromObject(m)
}

// checkCoverage makes sure the random input really exercised the edges: rows
// exactly on a window boundary, rows sharing a timestamp, and (when wanted)
// empty windows.
func checkCoverage(t *testing.T, rows []propRow, want []propWindow, wantEmpty bool) {
	t.Helper()
	onBoundary, ties, empty := 0, 0, 0
	for i, r := range rows {
		if r.t%propSize == 0 {
			onBoundary++
		}
		if i > 0 && rows[i-1].t == r.t {
			ties++
		}
	}
	for _, w := range want {
		if w.c == 0 {
			empty++
		}
	}
	if onBoundary == 0 || ties == 0 || len(want) < 8 || (wantEmpty && empty == 0) {
		t.Fatalf("weak input: %d windows, %d empty, %d rows on a boundary, %d ties", len(want), empty, onBoundary, ties)
	}
	t.Logf("%d windows (%d empty), %d rows on a boundary, %d ties, rows %d..%d", len(want), empty, onBoundary, ties, rows[0].t, rows[len(rows)-1].t)
}
