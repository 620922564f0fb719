package table

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/go-redis/redis/v8"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/value"
)

// redisFixture talks to the real local Redis (DB 0) with keys unique to the
// test, removed afterwards.
func redisFixture(t *testing.T) (*redis.Client, string) {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: defaultRedisAddr})
	ctx := context.Background()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("local redis 127.0.0.1:6379 is required: %v", err)
	}
	prefix := fmt.Sprintf("oort-table-test-%d-%d-", os.Getpid(), rand.Uint64())
	t.Cleanup(func() {
		keys, _ := c.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			c.Del(ctx, keys...)
		}
		c.Close()
	})
	return c, prefix
}

func TestRedisLookup(t *testing.T) {
	c, p := redisFixture(t)
	ctx := context.Background()
	c.Set(ctx, p+"1", `{"name":"dev1","size":3,"tags":["a"]}`, 0)
	c.Set(ctx, p+"2", `[{"b":1},{"a":2.5}]`, 0)
	c.HSet(ctx, p+"h", "zone", "north", "floor", "2")
	c.RPush(ctx, p+"l", `{"i":1}`, `{"i":2}`)
	c.Set(ctx, p+"bad", `{"name":`, 0)
	c.Set(ctx, p+"scalar", `42`, 0)
	c.SAdd(ctx, p+"set", "x")

	reg := builtins(nil)
	l, err := reg.Open(ctx, Def{Name: "rt", Type: "redis", DataSource: "0", Props: map[string]any{"addr": defaultRedisAddr}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got, err := l.Lookup(ctx, value.FromString(p+"1"))
	wantRows(t, got, err, `[{name:dev1 size:3 tags:["a"]}]`)
	if v, _ := got[0].Get("size"); v.Kind() != value.Float {
		t.Errorf("size should be a float as in schemaless JSON, got %s", value.TypeName(v))
	}
	got, err = l.Lookup(ctx, value.FromString(p+"2"))
	wantRows(t, got, err, "[{b:1} {a:2.5}]")
	got, err = l.Lookup(ctx, value.FromString(p+"h"))
	wantRows(t, got, err, "[{floor:2 zone:north}]")
	got, err = l.Lookup(ctx, value.FromString(p+"l"))
	wantRows(t, got, err, "[{i:1} {i:2}]")
	got, err = l.Lookup(ctx, value.FromString(p+"missing"))
	wantRows(t, got, err, "[]")
	_, err = l.Lookup(ctx, value.FromString(p+"bad"))
	wantErr(t, err, "lookup table rt", p+"bad", "invalid JSON")
	_, err = l.Lookup(ctx, value.FromString(p+"scalar"))
	wantErr(t, err, "expected a JSON object")
	_, err = l.Lookup(ctx, value.FromString(p+"set"))
	wantErr(t, err, "holds a set")
}

func TestRedisNumericKeyText(t *testing.T) {
	c, p := redisFixture(t)
	ctx := context.Background()
	// numeric keys are looked up by their text: a float 7 is "7"
	id := 1e8 + rand.Int64N(8e8)
	key := fmt.Sprint(id)
	c.Set(ctx, key, `{"v":true}`, 0)
	c.Set(ctx, p+"dummy", "1", 0)
	t.Cleanup(func() { c.Del(context.Background(), key) })
	l, err := NewRedisFactory(clock.NewFake(time.UnixMilli(1_700_000_000_000)))(ctx, Def{Name: "rt", DataSource: "", Props: map[string]any{"useInt64ForWholeNumber": "true"}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got, err := l.Lookup(ctx, value.FromFloat(float64(id)))
	wantRows(t, got, err, "[{v:true}]")
}

func TestRedisCache(t *testing.T) {
	c, p := redisFixture(t)
	ctx := context.Background()
	clk := clock.NewFake(time.Unix(1000, 0))
	c.Set(ctx, p+"k", `{"v":1}`, 0)
	l, err := NewRedisFactory(clk)(ctx, Def{Name: "rt", Props: map[string]any{"cache": true, "cacheTtl": 1000, "cacheMissingKey": true}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got, err := l.Lookup(ctx, value.FromString(p+"k"))
	wantRows(t, got, err, "[{v:1}]")
	got, err = l.Lookup(ctx, value.FromString(p+"new"))
	wantRows(t, got, err, "[]")
	c.Set(ctx, p+"k", `{"v":2}`, 0)
	c.Set(ctx, p+"new", `{"v":3}`, 0)
	got, err = l.Lookup(ctx, value.FromString(p+"k"))
	wantRows(t, got, err, "[{v:1}]")
	got, err = l.Lookup(ctx, value.FromString(p+"new"))
	wantRows(t, got, err, "[]")
	clk.Advance(time.Unix(1001, 0))
	got, err = l.Lookup(ctx, value.FromString(p+"k"))
	wantRows(t, got, err, "[{v:2}]")
	got, err = l.Lookup(ctx, value.FromString(p+"new"))
	wantRows(t, got, err, "[{v:3}]")
}

func TestRedisOpenErrors(t *testing.T) {
	ctx := context.Background()
	f := NewRedisFactory(clock.NewFake(time.UnixMilli(1_700_000_000_000)))
	_, err := f(ctx, Def{Name: "rt", DataSource: "zero"})
	wantErr(t, err, `DATASOURCE "zero" must be a redis database number`)
	_, err = f(ctx, Def{Name: "rt", Props: map[string]any{"addr": "127.0.0.1:1"}})
	wantErr(t, err, "cannot connect to redis 127.0.0.1:1")
	_, err = f(ctx, Def{Name: "rt", Props: map[string]any{"cache": "maybe"}})
	wantErr(t, err, "property cache")
}
