package fn

import (
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/value"
)

type p2Case struct {
	name string
	args []value.Value
	want value.Value
}

// runCases calls each function with literal arguments (so Validate and Bind
// run too) and compares strictly (kinds included).
func p2Run(t *testing.T, r *Registry, env *Env, cases []p2Case) {
	t.Helper()
	for _, c := range cases {
		got, err := p2Invoke(r, env, true, c.name, c.args...)
		if err != nil {
			t.Errorf("%s%s: %v", c.name, p2ArgText(c.args), err)
			continue
		}
		if !value.Identical(got, c.want) {
			t.Errorf("%s%s = %s (%s), want %s (%s)", c.name, p2ArgText(c.args), value.ToJSON(got), value.TypeName(got), value.ToJSON(c.want), value.TypeName(c.want))
		}
	}
}

// expectErrors checks that each call fails, as a literal call (plan time)
// when lit is set, else at run time, with a message containing sub.
func p2Errors(t *testing.T, r *Registry, env *Env, lit bool, sub string, calls ...p2Case) {
	t.Helper()
	for _, c := range calls {
		got, err := p2Invoke(r, env, lit, c.name, c.args...)
		if err == nil {
			t.Errorf("%s%s: want an error, got %s", c.name, p2ArgText(c.args), value.ToJSON(got))
		} else if !strings.Contains(err.Error(), sub) {
			t.Errorf("%s%s: error %q does not mention %q", c.name, p2ArgText(c.args), err, sub)
		}
	}
}

func p2ArgText(args []value.Value) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = value.ToJSON(a)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

var (
	p2S    = value.FromString
	p2I    = value.FromInt
	p2F    = value.FromFloat
	p2Null = value.NullValue
)

func TestCurrentTime(t *testing.T) {
	r := p2Registry()
	env, clk := p2Env()
	p2Run(t, r, env, []p2Case{
		{"now", nil, p2S("2024-03-05 10:20:30")},
		{"now", []value.Value{p2I(0)}, p2S("2024-03-05 10:20:30")},
		{"now", []value.Value{p2I(3)}, p2S("2024-03-05 10:20:30.123")},
		{"current_timestamp", []value.Value{p2I(6)}, p2S("2024-03-05 10:20:30.123456")},
		{"local_time", nil, p2S("2024-03-05 10:20:30")},
		{"local_timestamp", []value.Value{p2I(1)}, p2S("2024-03-05 10:20:30.1")},
		{"cur_date", nil, p2S("2024-03-05")},
		{"current_date", nil, p2S("2024-03-05")},
		{"cur_time", nil, p2S("10:20:30")},
		{"current_time", []value.Value{p2I(2)}, p2S("10:20:30.12")},
		{"tstamp", nil, p2I(p2Now.UnixMilli())},
	})
	clk.Advance(p2Now.Add(14 * time.Hour))
	env.TZ = time.FixedZone("CST", 8*3600)
	p2Run(t, r, env, []p2Case{
		{"now", nil, p2S("2024-03-06 08:20:30")},
		{"cur_date", nil, p2S("2024-03-06")},
		{"cur_time", nil, p2S("08:20:30")},
	})
	for _, bad := range [][]value.Value{{p2I(7)}, {p2I(-1)}, {p2F(1.5)}, {p2S("3")}} {
		if _, err := p2Invoke(r, env, true, "now", bad...); err == nil || !strings.Contains(err.Error(), "0 to 6") {
			t.Errorf("now%s: want a plan-time fsp error, got %v", p2ArgText(bad), err)
		}
	}
	p2Errors(t, r, env, false, "0 to 6", p2Case{name: "cur_time", args: []value.Value{p2I(3)}})
	p2Errors(t, r, &Env{}, false, "no clock", p2Case{name: "now"}, p2Case{name: "tstamp"})
}

func TestFormatTime(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	dt := value.FromTime(time.Date(2020, 1, 16, 2, 14, 24, 913000000, time.FixedZone("CST", 8*3600)))
	p2Run(t, r, env, []p2Case{
		{"format_time", []value.Value{dt, p2S("yyyy-MM-dd HH:mm:ss.SSS XXX")}, p2S("2020-01-16 02:14:24.913 +08:00")},
		{"format_time", []value.Value{dt, p2S("YYYY-MM-dd HH:mm:ssSSS")}, p2S("2020-01-16 02:14:24.913")},
		{"format_time", []value.Value{p2I(1579140864913), p2S("yyyy-MM-dd HH:mm:ss")}, p2S("2020-01-16 02:14:24")},
		{"format_time", []value.Value{p2S("2020-01-16T02:14:24Z"), p2S("EEE, d MMM yyyy h:mm a")}, p2S("Thu, 16 Jan 2020 2:14 AM")},
		{"format_time", []value.Value{p2Null, p2S("yyyy")}, p2Null},
		{"format_time", []value.Value{dt, p2Null}, p2Null},
	})
	// A literal pattern is compiled by Bind; the result is the same.
	got, err := invoke(r, env, "format_time", []value.Value{dt, p2S("dd/MM/yy")}, []bool{false, true})
	if err != nil || got.Str() != "16/01/20" {
		t.Errorf("bound format_time = %v, %v", value.ToJSON(got), err)
	}
	p2Errors(t, r, env, true, "invalid time format", p2Case{name: "format_time", args: []value.Value{dt, p2S("yyyyy")}})
	p2Errors(t, r, env, true, "expect string type for parameter 2", p2Case{name: "format_time", args: []value.Value{dt, p2I(1)}})
	p2Errors(t, r, env, true, "expect datetime type for parameter 1", p2Case{name: "format_time", args: []value.Value{value.True, p2S("yyyy")}})
	p2Errors(t, r, env, false, "invalid time format", p2Case{name: "format_time", args: []value.Value{dt, p2S("yyy\\")}})
	p2Errors(t, r, env, false, "cannot parse", p2Case{name: "format_time", args: []value.Value{p2S("yesterday"), p2S("yyyy")}})
	p2Errors(t, r, env, false, "should be a string", p2Case{name: "format_time", args: []value.Value{dt, p2I(3)}})
}

func TestDateCalcAndDiff(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	p2Run(t, r, env, []p2Case{
		{"date_calc", []value.Value{p2S("2019-01-01 00:00:00"), p2S("24h")}, p2S("2019-01-02 00:00:00")},
		{"date_calc", []value.Value{p2S("2019-01-01 00:00:00"), p2S("-24h")}, p2S("2018-12-31 00:00:00")},
		{"date_calc", []value.Value{p2I(0), p2S("1h30m15s")}, p2S("1970-01-01 01:30:15")},
		{"date_calc", []value.Value{p2S("2019-01-01T00:00:00+02:00"), p2S("1s")}, p2S("2019-01-01 00:00:01")},
		{"date_diff", []value.Value{p2S("2019-01-01 00:00:00"), p2S("2019-01-02 00:00:00")}, p2I(86400 * 1e9)},
		{"date_diff", []value.Value{p2I(1000), p2I(0)}, p2I(-1e9)},
		{"date_diff", []value.Value{value.FromTime(p2Now), value.FromTime(p2Now.Add(1500 * time.Microsecond))}, p2I(1500000)},
	})
	p2Errors(t, r, env, true, "parameter 2", p2Case{name: "date_calc", args: []value.Value{p2I(0), p2S("1 day")}})
	p2Errors(t, r, env, false, "date_calc", p2Case{name: "date_calc", args: []value.Value{p2I(0), p2S("1 day")}})
	p2Errors(t, r, env, true, "expect datetime type for parameter 2", p2Case{name: "date_diff", args: []value.Value{p2I(0), value.False}})
}

func TestDateParts(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	d := p2S("2019-01-01 00:00:00")
	ts := p2S("2024-02-29 23:59:58.654321")
	one := func(v value.Value) []value.Value { return []value.Value{v} }
	p2Run(t, r, env, []p2Case{
		{"day_name", one(d), p2S("Tuesday")},
		{"day_of_month", one(d), p2I(1)},
		{"day", one(ts), p2I(29)},
		{"day_of_week", one(d), p2I(2)},
		{"day_of_week", one(p2S("2024-03-03")), p2I(0)},
		{"day_of_year", one(ts), p2I(60)},
		{"hour", one(ts), p2I(23)},
		{"minute", one(ts), p2I(59)},
		{"second", one(ts), p2I(58)},
		{"microsecond", one(ts), p2I(654321)},
		{"month", one(ts), p2I(2)},
		{"month_name", one(ts), p2S("February")},
		{"last_day", one(ts), p2S("2024-02-29")},
		{"last_day", one(p2S("2023-02-01")), p2S("2023-02-28")},
		{"last_day", one(p2S("2023-12-31T23:00:00Z")), p2S("2023-12-31")},
		{"hour", one(value.FromTime(p2Now)), p2I(10)},
		{"hour", one(p2Null), p2Null},
	})
	// Epoch numbers and zone-less strings use the service zone; strings with
	// a zone keep theirs.
	env.TZ = time.FixedZone("CST", 8*3600)
	p2Run(t, r, env, []p2Case{
		{"hour", one(p2I(0)), p2I(8)},
		{"hour", one(p2F(3600000.5)), p2I(9)},
		{"hour", one(p2S("2024-01-01 05:00:00")), p2I(5)},
		{"hour", one(p2S("2024-01-01T05:00:00Z")), p2I(5)},
		{"day_name", one(p2I(-1)), p2S("Thursday")},
	})
	p2Errors(t, r, env, true, "parameter 1", p2Case{name: "day_name", args: one(p2S("x"))})
	p2Errors(t, r, env, true, "expect datetime type", p2Case{name: "month", args: one(value.True)}, p2Case{name: "hour", args: one(value.FromArray(nil))})
	p2Errors(t, r, env, false, "hour: argument 1", p2Case{name: "hour", args: one(p2S("x"))}, p2Case{name: "hour", args: one(value.True)})
}

func TestFromDaysAndUnixTime(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	one := func(v value.Value) []value.Value { return []value.Value{v} }
	p2Run(t, r, env, []p2Case{
		{"from_days", one(p2I(100)), p2S("1970-04-10")},
		{"from_days", one(p2I(1)), p2S("1970-01-01")},
		{"from_days", one(p2F(366)), p2S("1971-01-01")},
		{"from_days", one(p2I(-1)), p2S("1969-12-30")},
		{"from_days", one(p2I(0)), p2Null},
		{"from_unix_time", one(p2I(1700000000)), p2S("2023-11-14 22:13:20")},
		{"from_unix_time", one(p2I(0)), p2Null},
	})
	env.TZ = time.FixedZone("CST", 8*3600)
	p2Run(t, r, env, []p2Case{{"from_unix_time", one(p2I(1700000000)), p2S("2023-11-15 06:13:20")}})
	p2Errors(t, r, env, true, "expect int type", p2Case{name: "from_days", args: one(p2F(1.5))}, p2Case{name: "from_unix_time", args: one(p2S("1"))})
	p2Errors(t, r, env, false, "should be an integer", p2Case{name: "from_days", args: one(p2F(1.5))})
	p2Errors(t, r, env, false, "out of range", p2Case{name: "from_days", args: one(p2I(1 << 40))})
}

func BenchmarkFormatTimeBound(b *testing.B) {
	r := p2Registry()
	env, _ := p2Env()
	f, _ := r.Lookup("format_time")
	impl, err := f.Bind([]Arg{{}, {Literal: true, Val: p2S("yyyy-MM-dd HH:mm:ss.SSS")}})
	if err != nil || impl == nil {
		b.Fatalf("bind: %v", err)
	}
	args := []value.Value{p2I(1579140864913), p2S("yyyy-MM-dd HH:mm:ss.SSS")}
	for i := 0; i < b.N; i++ {
		if _, err := impl(env, args); err != nil {
			b.Fatal(err)
		}
	}
}
