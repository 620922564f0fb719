package window

import (
	"fmt"
	"strconv"
	"testing"
)

func encodeInt(p any) ([]byte, error) { return []byte(strconv.Itoa(p.(int))), nil }
func decodeInt(b []byte) (any, error) { return strconv.Atoi(string(b)) }

// TestEventWindowSnapshotRoundTrip: a restored event-time window emits what
// the original would have, from released and still-pending rows alike.
func TestEventWindowSnapshotRoundTrip(t *testing.T) {
	spec := Spec{Kind: Tumbling, Unit: SS, Size: 1}
	feed := func(w EventWindow, ts ...int64) {
		for i, x := range ts {
			w.Add(Item{TS: x, Payload: int(x) + i*0})
		}
	}
	orig, _ := NewEvent(spec)
	feed(orig, 10100, 10500, 11200)
	orig.Advance(10900) // releases 10100 and 10500 into [10000?,11000); 11200 still pending
	snap, err := orig.Snapshot(encodeInt)
	if err != nil {
		t.Fatal(err)
	}
	restored, _ := NewEvent(spec)
	if err := restored.Restore(snap, decodeInt); err != nil {
		t.Fatal(err)
	}
	if restored.Watermark() != 10900 {
		t.Fatalf("watermark %d, want 10900", restored.Watermark())
	}
	a, b := orig.Advance(12500), restored.Advance(12500)
	if fmt.Sprint(summary(a)) != fmt.Sprint(summary(b)) {
		t.Fatalf("restored fires %v, original %v", summary(b), summary(a))
	}
	if len(a) != 2 {
		t.Fatalf("fires %v, want two windows", summary(a))
	}
}

func summary(fs []Fire) []string {
	var out []string
	for _, f := range fs {
		s := fmt.Sprintf("[%d,%d)", f.Start, f.End)
		for _, it := range f.Items {
			s += fmt.Sprintf(" %d", it.TS)
		}
		out = append(out, s)
	}
	return out
}

func TestWatermarkSnapshotRoundTrip(t *testing.T) {
	w := NewWatermark(2, 1000)
	w.Observe(0, 5000)
	w.Observe(1, 7000)
	snap, err := w.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	r := NewWatermark(2, 1000)
	if err := r.Restore(snap); err != nil {
		t.Fatal(err)
	}
	if r.Current() != w.Current() || r.Observe(0, 9000) != w.Observe(0, 9000) {
		t.Fatalf("restored watermark %d, original %d", r.Current(), w.Current())
	}
	if err := NewWatermark(3, 0).Restore(snap); err == nil {
		t.Fatal("a snapshot with another number of inputs must be refused")
	}
}
