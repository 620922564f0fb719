package window

import "testing"

// BenchmarkTumblingAdd adds one row per ms to a 1 s tumbling window; the
// window fires every 1000 rows and hands over its buffer (one allocation per
// fire, none per row).
func BenchmarkTumblingAdd(b *testing.B) {
	w := mustNew(b, Spec{Kind: Tumbling, Unit: SS, Size: 1})
	w.Start(base)
	it := Item{Payload: nil, Trigger: true}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it.TS = base + int64(i)
		w.Add(it)
	}
}

// BenchmarkSlidingAdd: every row triggers a 100 ms sliding window at 1 row/ms.
func BenchmarkSlidingAdd(b *testing.B) {
	w := mustNew(b, Spec{Kind: Sliding, Unit: MS, Size: 100})
	w.Start(base)
	it := Item{Trigger: true}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it.TS = base + int64(i)
		w.Add(it)
	}
}

func TestTumblingAddAllocs(t *testing.T) {
	w := mustNew(t, Spec{Kind: Tumbling, Unit: SS, Size: 1})
	w.Start(base)
	ts := base
	allocs := testing.AllocsPerRun(10000, func() {
		ts++
		w.Add(Item{TS: ts})
	})
	if allocs > 0.01 {
		t.Fatalf("Tumbling Add: %.4f allocs per row, want ~0", allocs)
	}
}
