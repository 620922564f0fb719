package table

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/membus"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

func openMemory(t testing.TB, reg *Registry, name, topic, key string) Lookup {
	t.Helper()
	l, err := reg.Open(context.Background(), Def{Name: name, Type: "memory", DataSource: topic, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func builtins(bus *membus.Bus) *Registry {
	reg := NewRegistry()
	RegisterBuiltins(reg, bus, clock.NewFake(time.UnixMilli(1_700_000_000_000)))
	return reg
}

func TestMemoryLookupRowKinds(t *testing.T) {
	bus := &membus.Bus{}
	l := openMemory(t, builtins(bus), "devices", "ref/devices", "id")
	defer l.Close()
	ctx := context.Background()
	bus.Publish("ref/devices", []*row.Row{mk("id", 1, "name", "a"), mk("id", 2, "name", "b")})
	got, err := l.Lookup(ctx, value.FromFloat(1)) // schemaless JSON numbers are floats
	wantRows(t, got, err, "[{id:1 name:a}]")

	bus.Publish("ref/devices", []*row.Row{
		withKind(mk("id", 1, "name", "A"), "update", 1),
		withKind(mk("id", 3, "name", "c"), "upsert", nil),
		withKind(mk("id", 2), "delete", nil),
		mk("name", "no key"), // dropped: nothing could find it
	})
	got, err = l.Lookup(ctx, value.FromInt(1))
	wantRows(t, got, err, "[{id:1 name:A}]")
	got, err = l.Lookup(ctx, value.FromInt(3))
	wantRows(t, got, err, "[{id:3 name:c}]")
	got, err = l.Lookup(ctx, value.FromInt(2))
	wantRows(t, got, err, "[]")
	// delete by the sink's key metadata alone
	bus.Publish("ref/devices", []*row.Row{withKind(mk("x", 0), "delete", 3)})
	got, err = l.Lookup(ctx, value.FromInt(3))
	wantRows(t, got, err, "[]")
	got, err = l.Lookup(ctx, value.NullValue)
	wantRows(t, got, err, "[]")
	got, err = l.Lookup(ctx, value.FromString("1"))
	wantRows(t, got, err, "[]")
}

func TestMemoryLookupIsSharedAndRefCounted(t *testing.T) {
	bus := &membus.Bus{}
	reg := builtins(bus)
	ctx := context.Background()
	a := openMemory(t, reg, "t", "topic", "k")
	b := openMemory(t, reg, "t", "topic", "k")
	other := openMemory(t, reg, "t2", "topic", "k") // another table: its own store
	bus.Publish("topic", []*row.Row{mk("k", "x", "v", 1)})
	for i, l := range []Lookup{a, b, other} {
		got, err := l.Lookup(ctx, value.FromString("x"))
		wantRows(t, got, err, "[{k:x v:1}]")
		_ = i
	}
	other.Close()
	// rows published before a second rule opened the table are visible to it
	c := openMemory(t, reg, "t", "topic", "k")
	got, err := c.Lookup(ctx, value.FromString("x"))
	wantRows(t, got, err, "[{k:x v:1}]")
	a.Close()
	a.Close() // idempotent: must not release b's reference
	c.Close()
	bus.Publish("topic", []*row.Row{mk("k", "y", "v", 2)})
	got, err = b.Lookup(ctx, value.FromString("y"))
	wantRows(t, got, err, "[{k:y v:2}]")
	b.Close()
	if bus.HasSubscribers("topic") {
		t.Fatal("store still subscribed after the last Close")
	}
	d := openMemory(t, reg, "t", "topic", "k")
	defer d.Close()
	got, err = d.Lookup(ctx, value.FromString("x"))
	wantRows(t, got, err, "[]")
}

func TestMemoryLookupErrors(t *testing.T) {
	reg := builtins(&membus.Bus{})
	_, err := reg.Open(context.Background(), Def{Name: "t", Type: "memory", DataSource: "x"})
	wantErr(t, err, `Option "key" is required for memory lookup table.`, "lookup table t")
	_, err = reg.Open(context.Background(), Def{Name: "t", Type: "MEMORY", Key: "k"})
	wantErr(t, err, "DATASOURCE")
	_, err = NewMemoryFactory(nil)(context.Background(), Def{Name: "t", DataSource: "x", Key: "k"})
	wantErr(t, err, "no bus")
}

func TestRegistry(t *testing.T) {
	reg := builtins(&membus.Bus{})
	_, err := reg.Open(context.Background(), Def{Name: "t", Type: "kafka"})
	wantErr(t, err, "lookup table type kafka is not supported")
	if n := len(reg.Types()); n != 4 {
		t.Fatalf("builtins registered %d types", n)
	}
	reg.Register("Fixed", func(_ context.Context, d Def) (Lookup, error) {
		if d.Type != "fixed" {
			return nil, fmt.Errorf("type not lower-cased: %s", d.Type)
		}
		return nil, fmt.Errorf("boom")
	})
	_, err = reg.Open(context.Background(), Def{Name: "t", Type: "FIXED"})
	wantErr(t, err, "lookup table t (type fixed): boom")
}

func BenchmarkMemoryLookup(b *testing.B) {
	bus := &membus.Bus{}
	l := openMemory(b, builtins(bus), "t", "bench", "id")
	defer l.Close()
	rows := make([]*row.Row, 1000)
	for i := range rows {
		rows[i] = mk("id", i, "name", fmt.Sprint("dev", i))
	}
	bus.Publish("bench", rows)
	ctx := context.Background()
	key := value.FromFloat(500)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if got, _ := l.Lookup(ctx, key); len(got) != 1 {
			b.Fatal("miss")
		}
	}
}
