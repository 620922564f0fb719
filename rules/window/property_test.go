package window

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"testing"
)

// randomArrivals returns n non-decreasing times in [from, from+span).
func randomArrivals(r *rand.Rand, from, span int64, n int) []int64 {
	ts := make([]int64, n)
	for i := range ts {
		ts[i] = from + r.Int63n(span)
	}
	for i := 1; i < n; i++ { // sort small slices by insertion
		for j := i; j > 0 && ts[j] < ts[j-1]; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
	return ts
}

func TestPropertyHoppingEqualsTumbling(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for round := 0; round < 200; round++ {
		size := 1 + r.Int63n(5)
		start := base + r.Int63n(60000)
		in := rows(randomArrivals(r, start, 20000, r.Intn(60))...)
		end := start + 25000
		tum := flat(drive(t, mustNew(t, Spec{Kind: Tumbling, Unit: SS, Size: size}), start, in, end))
		hop := flat(drive(t, mustNew(t, Spec{Kind: Hopping, Unit: SS, Size: size, Hop: size}), start, in, end))
		if len(tum) == 0 || len(tum) != len(hop) {
			t.Fatalf("round %d: %d tumbling fires, %d hopping fires", round, len(tum), len(hop))
		}
		// only the first tumbling window starts at the rule start instead of end - size
		tum[0].Start = hop[0].Start
		if !reflect.DeepEqual(tum, hop) {
			t.Fatalf("round %d size %d start %d:\ntumbling %+v\nhopping  %+v", round, size, start, tum, hop)
		}
	}
}

func TestPropertyTumblingCounts(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	for round := 0; round < 200; round++ {
		size := 1 + r.Int63n(3)
		sizeMS := size * 1000
		start := base + r.Int63n(60000)
		ts := randomArrivals(r, start, 30000, r.Intn(200))
		end := start + 31000
		fires := drive(t, mustNew(t, Spec{Kind: Tumbling, Unit: SS, Size: size}), start, rows(ts...), end)
		total := 0
		for i, f := range fires {
			want := 0
			for _, v := range ts {
				if v >= f.End-sizeMS && v < f.End {
					want++
				}
			}
			if i == 0 { // first window: from the rule start
				want = 0
				for _, v := range ts {
					if v < f.End {
						want++
					}
				}
			}
			if len(f.Items) != want {
				t.Fatalf("round %d window ending %d: %d rows, want %d", round, f.End, len(f.Items), want)
			}
			if f.End-f.Start > sizeMS || (i > 0 && f.End-f.Start != sizeMS) {
				t.Fatalf("round %d: bounds [%d,%d) for size %d", round, f.Start, f.End, sizeMS)
			}
			total += want
		}
		inFired := 0
		for _, v := range ts {
			if len(fires) > 0 && v < fires[len(fires)-1].End {
				inFired++
			}
		}
		if total != inFired {
			t.Fatalf("round %d: fires hold %d rows, %d arrived before the last end", round, total, inFired)
		}
	}
}

// Event time with in-order rows and no tolerance equals processing time from
// the first row on (except the 50 ms skip, which never happens when driven exactly).
func TestPropertyEventEqualsProcessing(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	specs := []Spec{
		{Kind: Tumbling, Unit: SS, Size: 2},
		{Kind: Hopping, Unit: SS, Size: 3, Hop: 1},
		{Kind: Sliding, Unit: SS, Size: 1, Delay: 1},
		{Kind: Count, Size: 4, Hop: 2},
	}
	for round := 0; round < 100; round++ {
		s := specs[round%len(specs)]
		ts := randomArrivals(r, base, 20000, 1+r.Intn(50))
		in := rows(ts...)
		for i := range in {
			in[i].Trigger = r.Intn(2) == 0
		}
		last := ts[len(ts)-1]
		proc := flat(drive(t, mustNew(t, s), ts[0], in, last))
		ew := mustEvent(t, s)
		var ev []Fire
		for _, it := range in {
			ew.Add(it)
			ev = append(ev, ew.Advance(it.TS)...)
		}
		if got := flat(ev); !reflect.DeepEqual(got, proc) {
			t.Fatalf("round %d %s:\nevent      %+v\nprocessing %+v", round, s.Kind, got, proc)
		}
	}
}

func TestSnapshotRestore(t *testing.T) {
	enc := func(p any) ([]byte, error) { return json.Marshal(p) }
	dec := func(b []byte) (any, error) {
		var v int64
		err := json.Unmarshal(b, &v)
		return v, err
	}
	specs := []Spec{
		{Kind: Tumbling, Unit: SS, Size: 2},
		{Kind: Hopping, Unit: SS, Size: 3, Hop: 1},
		{Kind: Sliding, Unit: SS, Size: 1, Delay: 2},
		{Kind: Session, Unit: SS, MaxDuration: 10, Timeout: 5},
		{Kind: Count, Size: 4, Hop: 3},
		{Kind: State, SingleCondition: true},
	}
	for _, s := range specs {
		a := mustNew(t, s)
		first := stateRows([]int64{base + 100, base + 200, base + 300}, []bool{true, false, true}, []bool{true, false, true})
		drive(t, a, base, first, base+300)
		snap, err := a.Snapshot(enc)
		if err != nil {
			t.Fatalf("%s: Snapshot: %v", s.Kind, err)
		}
		b := mustNew(t, s)
		if err := b.Restore(snap, dec); err != nil {
			t.Fatalf("%s: Restore: %v", s.Kind, err)
		}
		b.Start(base + 300)
		a.Start(base + 300) // same re-alignment on both
		more := stateRows([]int64{base + 400, base + 500, base + 600, base + 700}, []bool{false, true, false, true}, []bool{false, true, false, true})
		fa := flat(drive(t, a, base+300, more, base+20000))
		fb := flat(drive(t, b, base+300, more, base+20000))
		if !reflect.DeepEqual(fa, fb) || len(fa) == 0 {
			t.Fatalf("%s: restored window differs:\norig     %+v\nrestored %+v", s.Kind, fa, fb)
		}
		if err := mustNew(t, Spec{Kind: State}).Restore(snap, dec); err == nil && s.Kind != State {
			t.Fatalf("%s: snapshot restored into a state window", s.Kind)
		}
	}
	if _, err := mustNew(t, Spec{Kind: Count, Size: 1}).Snapshot(nil); err == nil {
		t.Fatal("Snapshot without encoder succeeded")
	}
	if err := mustNew(t, Spec{Kind: Count, Size: 1}).Restore([]byte("{"), func([]byte) (any, error) { return nil, nil }); err == nil {
		t.Fatal("Restore of garbage succeeded")
	}
}
