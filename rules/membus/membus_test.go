package membus

import (
	"fmt"
	"sync"
	"testing"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

func mkRow(i int64) *row.Row {
	return &row.Row{Cols: []row.Col{{Name: "i", Val: value.FromInt(i)}}}
}

type recorder struct {
	mu     sync.Mutex
	topics []string
	vals   []int64
}

func (r *recorder) fn(topic string, rows []*row.Row) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rw := range rows {
		r.topics = append(r.topics, topic)
		v, _ := rw.Get("i")
		r.vals = append(r.vals, v.Int())
	}
}

func TestPublishMatchesFilters(t *testing.T) {
	var b Bus
	var exact, wild, other recorder
	b.Subscribe("a/b", exact.fn)
	b.Subscribe("a/#", wild.fn)
	b.Subscribe("x/+", other.fn)
	b.Publish("a/b", []*row.Row{mkRow(1), mkRow(2)})
	b.Publish("a/c", []*row.Row{mkRow(3)})
	b.Publish("a", []*row.Row{mkRow(4)})
	if fmt.Sprint(exact.vals) != "[1 2]" {
		t.Errorf("exact got %v", exact.vals)
	}
	if fmt.Sprint(wild.vals) != "[1 2 3 4]" || fmt.Sprint(wild.topics) != "[a/b a/b a/c a]" {
		t.Errorf("wildcard got %v %v", wild.vals, wild.topics)
	}
	if len(other.vals) != 0 {
		t.Errorf("x/+ got %v", other.vals)
	}
	if !b.HasSubscribers("x/y") || b.HasSubscribers("y") {
		t.Errorf("HasSubscribers wrong")
	}
}

func TestRowsAreCopied(t *testing.T) {
	var b Bus
	var got []*row.Row
	b.Subscribe("t", func(_ string, rows []*row.Row) {
		rows[0].Topic = "changed"
		rows[0].PT = 99
		got = rows
	})
	in := mkRow(1)
	b.Publish("t", []*row.Row{in})
	if in.PT != 0 || in.Topic != "" {
		t.Fatalf("publisher's row was modified: %+v", in)
	}
	if got[0] == in || got[0].PT != 99 {
		t.Fatalf("subscriber did not get its own copy")
	}
}

func TestUnsubscribe(t *testing.T) {
	var b Bus
	var r recorder
	unsub := b.Subscribe("t", r.fn)
	b.Publish("t", []*row.Row{mkRow(1)})
	unsub()
	unsub() // idempotent
	b.Publish("t", []*row.Row{mkRow(2)})
	if fmt.Sprint(r.vals) != "[1]" {
		t.Fatalf("got %v", r.vals)
	}
}

func TestPublishFromSubscriberAndUnsubscribeInside(t *testing.T) {
	var b Bus
	var r recorder
	var unsub func()
	unsub = b.Subscribe("in", func(_ string, rows []*row.Row) {
		b.Publish("out", rows)
		unsub()
	})
	b.Subscribe("out", r.fn)
	b.Publish("in", []*row.Row{mkRow(7)})
	b.Publish("in", []*row.Row{mkRow(8)})
	if fmt.Sprint(r.vals) != "[7]" {
		t.Fatalf("got %v", r.vals)
	}
}

func TestConcurrentPublishKeepsPerPublisherOrder(t *testing.T) {
	var b Bus
	const pubs, n = 8, 500
	var mu sync.Mutex
	last := map[string]int64{}
	bad := 0
	b.Subscribe("p/+", func(topic string, rows []*row.Row) {
		mu.Lock()
		defer mu.Unlock()
		v, _ := rows[0].Get("i")
		if prev, ok := last[topic]; ok && v.Int() != prev+1 {
			bad++
		}
		last[topic] = v.Int()
	})
	var wg sync.WaitGroup
	for p := 0; p < pubs; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			tp := fmt.Sprintf("p/%d", p)
			for i := 0; i < n; i++ {
				b.Publish(tp, []*row.Row{mkRow(int64(i))})
			}
		}(p)
	}
	// Subscribing and unsubscribing concurrently must be safe too.
	for i := 0; i < 100; i++ {
		u := b.Subscribe("p/#", func(string, []*row.Row) {})
		u()
	}
	wg.Wait()
	if bad != 0 || len(last) != pubs {
		t.Fatalf("out of order deliveries: %d, topics %d", bad, len(last))
	}
	for tp, v := range last {
		if v != n-1 {
			t.Errorf("%s last = %d", tp, v)
		}
	}
}

func BenchmarkPublish(b *testing.B) {
	var bus Bus
	bus.Subscribe("a/b", func(string, []*row.Row) {})
	bus.Subscribe("a/#", func(string, []*row.Row) {})
	rows := []*row.Row{mkRow(1)}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		bus.Publish("a/b", rows)
	}
}
