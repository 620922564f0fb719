package fn

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/oort-rules/oort/rules/value"
)

func TestNullHandling(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	p2Run(t, r, env, []p2Case{
		{"isnull", p2Args(p2Null), value.True},
		{"isNull", p2Args(p2Arr()), value.False},
		{"isnull", p2Args(p2Obj()), value.False},
		{"isnull", p2Args(p2S("")), value.False},
		{"coalesce", p2Args(p2Null, p2S("myc")), p2S("myc")},
		{"coalesce", p2Args(p2Null, p2Null), p2Null},
		{"coalesce", p2Args(p2I(0), p2S("x")), p2I(0)},
	})
	if err := (&Func{MinArgs: 1, MaxArgs: -1}).CheckArity(0); err == nil {
		t.Fatal("arity check sanity")
	}
	f, _ := r.Lookup("coalesce")
	if err := f.CheckArity(0); err == nil {
		t.Errorf("coalesce() must be rejected")
	}
}

func TestIdentifiersAndContext(t *testing.T) {
	r := p2Registry()
	env, clk := p2Env()
	seen := map[string]bool{}
	for n := 0; n < 50; n++ {
		v, err := p2Invoke(r, env, true, "newuuid")
		if err != nil {
			t.Fatal(err)
		}
		id, err := uuid.Parse(v.Str())
		if err != nil || seen[v.Str()] || len(v.Str()) != 36 || id.Version() != 4 {
			t.Fatalf("newuuid gave %q (%v)", v.Str(), err)
		}
		seen[v.Str()] = true
	}
	p2Run(t, r, env, []p2Case{
		{"rule_id", nil, p2S("rule1")},
		{"rule_start", nil, p2I(1700000000000)},
		{"tstamp", nil, p2I(p2Now.UnixMilli())},
	})
	clk.Advance(p2Now.Add(2500 * time.Millisecond))
	p2Run(t, r, env, []p2Case{{"tstamp", nil, p2I(p2Now.UnixMilli() + 2500)}})
	p2Errors(t, r, nil, false, "no rule context", p2Case{name: "rule_id"}, p2Case{name: "rule_start"})
}

func TestKeyedState(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	p2Run(t, r, env, []p2Case{
		{"get_keyed_state", p2Args(p2S("count"), p2S("bigint"), p2I(0)), p2I(12)},
		{"get_keyed_state", p2Args(p2S("count"), p2S("string"), p2I(0)), p2S("12")},
		{"get_keyed_state", p2Args(p2S("temp"), p2S("float"), p2F(0)), p2F(21.5)},
		{"get_keyed_state", p2Args(p2S("missing"), p2S("boolean"), value.True), value.True},
		{"get_keyed_state", p2Args(p2S("missing"), p2S("bigint"), p2Null), p2Null},
	})
	env.State = nil
	p2Run(t, r, env, []p2Case{{"get_keyed_state", p2Args(p2S("count"), p2S("bigint"), p2I(7)), p2I(7)}})
	p2Errors(t, r, env, true, "expect one of following value for the 2nd parameter",
		p2Case{name: "get_keyed_state", args: p2Args(p2S("k"), p2S("bytea"), p2I(0))},
		p2Case{name: "get_keyed_state", args: p2Args(p2S("k"), p2I(1), p2I(0))})
	p2Errors(t, r, env, true, "expect string type for parameter 1",
		p2Case{name: "get_keyed_state", args: p2Args(p2I(1), p2S("bigint"), p2I(0))})
	env, _ = p2Env()
	p2Errors(t, r, env, false, `get_keyed_state: key "name"`,
		p2Case{name: "get_keyed_state", args: p2Args(p2S("name"), p2S("bigint"), p2I(0))})
	p2Errors(t, r, env, false, "unknown type",
		p2Case{name: "get_keyed_state", args: p2Args(p2S("temp"), p2S("bytea"), value.False)})
}

func TestDelayUsesTheClock(t *testing.T) {
	r := p2Registry()
	env, clk := p2Env()
	p2Run(t, r, env, []p2Case{{"delay", p2Args(p2I(0), p2S("x")), p2S("x")}, {"delay", p2Args(p2I(5), p2Null), p2Null}})
	done := make(chan value.Value)
	go func() {
		v, err := p2Invoke(r, env, false, "delay", p2I(1000), p2I(42))
		if err != nil {
			t.Error(err)
		}
		done <- v
	}()
	select {
	case <-done:
		t.Fatal("delay returned before the clock moved")
	case <-time.After(50 * time.Millisecond):
	}
	// The timer is registered from the delaying goroutine; advance until it fires.
	for try := 0; try < 500; try++ {
		clk.Advance(clk.Now().Add(time.Second))
		select {
		case v := <-done:
			if v.Int() != 42 {
				t.Errorf("delay returned %s", value.ToJSON(v))
			}
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatal("delay never returned")
}

func TestDelayErrors(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	p2Errors(t, r, env, true, "expect number", p2Case{name: "delay", args: p2Args(p2S("1"), p2I(1))})
	p2Errors(t, r, env, false, "delay: argument 1", p2Case{name: "delay", args: p2Args(p2S("1"), p2I(1))})
	p2Errors(t, r, env, false, "too long", p2Case{name: "delay", args: p2Args(p2F(1e300), p2I(1))})
	p2Errors(t, r, &Env{}, false, "no clock", p2Case{name: "delay", args: p2Args(p2I(1), p2I(1))})
}

func TestProps(t *testing.T) {
	r := p2Registry()
	env, clk := p2Env()
	p2Run(t, r, env, []p2Case{
		{"props", p2Args(p2S("vin")), p2S("L6T78")},
		{"props", p2Args(p2S("et")), p2S(strconv.FormatInt(p2Now.UnixMilli(), 10))},
	})
	var prev int64
	for n := 0; n < 5000; n++ {
		if n == 2500 {
			clk.Advance(p2Now.Add(time.Millisecond))
		}
		v, err := p2Invoke(r, env, true, "props", p2S("snowflake"))
		if err != nil {
			t.Fatal(err)
		}
		id, err := strconv.ParseInt(v.Str(), 10, 64)
		if err != nil || id <= prev || len(v.Str()) != 19 {
			t.Fatalf("snowflake %d: %q after %d (%v)", n, v.Str(), prev, err)
		}
		prev = id
	}
	if ms := prev>>22 + snowflakeEpoch; ms < p2Now.UnixMilli() || ms > p2Now.UnixMilli()+3 {
		t.Errorf("snowflake time %d, want about %d", ms, p2Now.UnixMilli())
	}
	p2Errors(t, r, env, false, `props: property "nope" not found`, p2Case{name: "props", args: p2Args(p2S("nope"))})
	p2Errors(t, r, env, true, "expect string type", p2Case{name: "props", args: p2Args(p2I(12))})
	p2Errors(t, r, env, false, "props: argument 1 should be a string", p2Case{name: "props", args: p2Args(p2I(12))})
}

func BenchmarkCoalesce(b *testing.B) {
	r := p2Registry()
	f, _ := r.Lookup("coalesce")
	in := []value.Value{p2Null, p2Null, p2S("x")}
	for i := 0; i < b.N; i++ {
		if v, _ := f.Eval(nil, in); v.Str() != "x" {
			b.Fatal(v)
		}
	}
}
