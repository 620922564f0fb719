package table

import (
	"errors"
	"fmt"
	"testing"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

func TestScanRetention(t *testing.T) {
	s := NewScan(3)
	for i := 1; i <= 5; i++ {
		s.Add(mk("i", i))
	}
	wantRows(t, s.Snapshot(), nil, "[{i:3} {i:4} {i:5}]")
	if s.Len() != 3 {
		t.Fatalf("Len %d", s.Len())
	}
}

func TestScanDefaultRetainIsOne(t *testing.T) {
	s := NewScan(0)
	s.Add(mk("i", 1))
	s.Add(mk("i", 2))
	wantRows(t, s.Snapshot(), nil, "[{i:2}]")
}

func TestScanSnapshotIsStable(t *testing.T) {
	s := NewScan(2)
	s.Add(mk("i", 1))
	snap := s.Snapshot()
	for i := 2; i <= 10; i++ {
		s.Add(mk("i", i))
	}
	wantRows(t, snap, nil, "[{i:1}]")
	snap2 := s.Snapshot()
	s.SetKey("i").Add(withKind(mk("i", 10, "x", "y"), "update", nil))
	wantRows(t, snap2, nil, "[{i:9} {i:10}]")
	wantRows(t, s.Snapshot(), nil, "[{i:9} {i:10 x:y}]")
}

func TestScanIgnoresErrorRows(t *testing.T) {
	s := NewScan(2)
	s.Add(mk("i", 1))
	s.Add(&row.Row{Err: errors.New("bad payload")})
	s.Add(nil)
	wantRows(t, s.Snapshot(), nil, "[{i:1}]")
}

func TestScanRowKinds(t *testing.T) {
	s := NewScan(10).SetKey("id")
	s.Add(mk("id", 1, "v", "a"))
	s.Add(mk("id", 2, "v", "b"))
	s.Add(withKind(mk("id", 3, "v", "c"), "insert", nil))
	// update by the KEY column; numbers match across int and float
	s.Add(withKind(mk("id", 2.0, "v", "B"), "update", nil))
	// update of an absent key changes nothing
	s.Add(withKind(mk("id", 9, "v", "z"), "update", nil))
	wantRows(t, s.Snapshot(), nil, "[{id:1 v:a} {id:2 v:B} {id:3 v:c}]")
	s.Add(withKind(mk("id", 4, "v", "d"), "upsert", nil))
	s.Add(withKind(mk("id", 1, "v", "A"), "UPSERT", nil))
	wantRows(t, s.Snapshot(), nil, "[{id:1 v:A} {id:2 v:B} {id:3 v:c} {id:4 v:d}]")
	// delete by the sink's key metadata (the row may not even carry the column)
	s.Add(withKind(mk("other", 0), "delete", 3))
	wantRows(t, s.Snapshot(), nil, "[{id:1 v:A} {id:2 v:B} {id:4 v:d}]")
	// delete of a NULL key is ignored; upsert without a key is an insert
	s.Add(withKind(mk("v", "q"), "delete", nil))
	s.Add(withKind(mk("v", "q"), "upsert", nil))
	wantRows(t, s.Snapshot(), nil, "[{id:1 v:A} {id:2 v:B} {id:4 v:d} {v:q}]")
}

func TestScanUpsertRespectsRetention(t *testing.T) {
	s := NewScan(2).SetKey("id")
	s.Add(withKind(mk("id", 1), "upsert", nil))
	s.Add(withKind(mk("id", 2), "upsert", nil))
	s.Add(withKind(mk("id", 3), "upsert", nil))
	wantRows(t, s.Snapshot(), nil, "[{id:2} {id:3}]")
}

// TestScanConformanceJoin replays conformance case join_stream_scan_table:
// RETAIN_SIZE 3, each stream row joined with the table snapshot at arrival
// on demo.ts = demoTable.ts must give device2, device4, device5.
func TestScanConformanceJoin(t *testing.T) {
	type ev struct {
		at     int64
		table  bool
		device string
		ts     int64
	}
	evs := []ev{
		{1541152486013, false, "", 1541152486013},
		{1541152486501, true, "device1", 1541152486013},
		{1541152486502, true, "device2", 1541152486822},
		{1541152486822, false, "", 1541152486822},
		{1541152487632, false, "", 1541152487632},
		{1541152488001, true, "device3", 1541152487632},
		{1541152488002, true, "device4", 1541152488442},
		{1541152488003, true, "device5", 1541152489252},
		{1541152488442, false, "", 1541152488442},
		{1541152489252, false, "", 1541152489252},
	}
	s := NewScan(3)
	var out []string
	for _, e := range evs {
		if e.table {
			s.Add(&row.Row{Cols: []row.Col{{Name: "device", Val: value.FromString(e.device)}, {Name: "ts", Val: value.FromInt(e.ts)}}})
			continue
		}
		for _, r := range s.Snapshot() {
			ts, _ := r.Get("ts")
			if value.Loose(ts, value.FromInt(e.ts)) {
				d, _ := r.Get("device")
				out = append(out, d.Str())
			}
		}
	}
	if fmt.Sprint(out) != "[device2 device4 device5]" {
		t.Fatalf("got %v", out)
	}
}

func BenchmarkScanAdd(b *testing.B) {
	s := NewScan(100)
	r := mk("id", 1, "temp", 20.5)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s.Add(r)
	}
}

func BenchmarkScanAddSnapshot(b *testing.B) {
	s := NewScan(10)
	r := mk("id", 1, "temp", 20.5)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s.Add(r)
		_ = s.Snapshot()
	}
}
