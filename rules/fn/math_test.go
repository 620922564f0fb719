package fn

import (
	"math"
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

type p1Case struct {
	call string
	args []value.Value
	want string
}

func p1RunCols(t *testing.T, cases []p1Case) {
	t.Helper()
	for _, c := range cases {
		name := c.call[:strings.IndexByte(c.call, '(')]
		got, err := p1Col(name, c.args...)
		p1Check(t, c.call, got, err, c.want)
	}
}

var (
	p1I = value.FromInt
	p1F = value.FromFloat
	p1S = value.FromString
)

// TestMathConformanceRow replays fn_math_rounding_bits: the arguments are
// columns of one row {a:-10, b:2, f:10.5, g:-10.5, h:25.987, k:56788.34}.
func TestMathConformanceRow(t *testing.T) {
	a, b, f, g, h, k := p1I(-10), p1I(2), p1F(10.5), p1F(-10.5), p1F(25.987), p1F(56788.34)
	p1RunCols(t, []p1Case{
		{"abs(a)", []value.Value{a}, "10"},
		{"ceil(a)", []value.Value{a}, "-10.0"},
		{"floor(a)", []value.Value{a}, "-10.0"},
		{"power(a, b)", []value.Value{a, b}, "100.0"},
		{"mod(a, b)", []value.Value{a, b}, "0.0"},
		{"round(a, b)", []value.Value{a, b}, "-10.0"},
		{"sign(a)", []value.Value{a}, "-1"},
		{"bitand(a, b)", []value.Value{a, b}, "2"},
		{"bitor(a, b)", []value.Value{a, b}, "-10"},
		{"bitxor(a, b)", []value.Value{a, b}, "-12"},
		{"bitnot(a)", []value.Value{a}, "9"},
		{"abs(f)", []value.Value{f}, "10.5"},
		{"ceil(f)", []value.Value{f}, "11.0"},
		{"floor(f)", []value.Value{f}, "10.0"},
		{"power(f, b)", []value.Value{f, b}, "110.25"},
		{"mod(f, b)", []value.Value{f, b}, "0.5"},
		{"sign(g)", []value.Value{g}, "-1"},
		{"round(f)", []value.Value{f}, "11.0"},
		{"round(g)", []value.Value{g}, "-11.0"},
		{"round(h, 2)", []value.Value{h, b}, "25.99"},
		{"round(k, -3)", []value.Value{k, p1I(-3)}, "57000.0"},
	})
}

// TestMathConformanceLiterals replays fn_math_trig_log (literal arguments).
func TestMathConformanceLiterals(t *testing.T) {
	for _, c := range []p1Case{
		{"acos", []value.Value{p1I(1)}, "0.0"},
		{"asin", []value.Value{p1I(1)}, "1.5707963267948966"},
		{"atan", []value.Value{p1I(1)}, "0.7853981633974483"},
		{"atan2", []value.Value{p1I(1), p1I(1)}, "0.7853981633974483"},
		{"cos", []value.Value{p1I(0)}, "1.0"},
		{"cosh", []value.Value{p1I(0)}, "1.0"},
		{"exp", []value.Value{p1F(1.2)}, "3.3201169227365472"},
		{"ln", []value.Value{p1I(1)}, "0.0"},
		{"log", []value.Value{p1I(10)}, "1.0"},
		{"sin", []value.Value{p1I(0)}, "0.0"},
		{"sinh", []value.Value{p1I(0)}, "0.0"},
		{"sqrt", []value.Value{p1I(4)}, "2.0"},
		{"tan", []value.Value{p1I(0)}, "0.0"},
		{"tanh", []value.Value{p1I(1)}, "0.7615941559557649"},
		{"ceil", []value.Value{p1F(1.6)}, "2.0"},
		{"mod", []value.Value{p1I(10), p1I(3)}, "1.0"},
		{"power", []value.Value{p1I(10), p1I(3)}, "1000.0"},
		{"round", []value.Value{p1F(10.2)}, "10.0"},
	} {
		got, err := p1Lit(c.call, c.args...)
		p1Check(t, c.call, got, err, c.want)
	}
}

func TestMathEdges(t *testing.T) {
	big := value.FromUint(1<<63 + 1)
	p1RunCols(t, []p1Case{
		{"abs(minint)", []value.Value{p1I(math.MinInt64)}, "9223372036854775808"},
		{"abs(uint)", []value.Value{big}, "9223372036854775809"},
		{"abs(str)", []value.Value{p1S("3")}, "error"},
		{"acos(2)", []value.Value{p1I(2)}, "null"},
		{"sqrt(-4)", []value.Value{p1I(-4)}, "null"},
		{"ln(-1)", []value.Value{p1I(-1)}, "error"},
		{"log(0)", []value.Value{p1F(0)}, "error"},
		{"log(1, 8)", []value.Value{p1I(1), p1I(8)}, "error"},
		{"log(2, 8)", []value.Value{p1I(2), p1I(8)}, "3.0"},
		{"log(2, -8)", []value.Value{p1I(2), p1I(-8)}, "error"},
		{"mod(1, 0)", []value.Value{p1I(1), p1I(0)}, "error"},
		{"power(-8, 0.5)", []value.Value{p1I(-8), p1F(0.5)}, "null"},
		{"power(10, 400)", []value.Value{p1I(10), p1I(400)}, "error"},
		{"round(1.5, 400)", []value.Value{p1F(1.5), p1I(400)}, "1.5"},
		{"round(1e300, 10)", []value.Value{p1F(1e300), p1I(10)}, "1e300"},
		{"round(123.4, -400)", []value.Value{p1F(123.4), p1I(-400)}, "0.0"},
		{"round(2.5, 1.5)", []value.Value{p1F(2.5), p1F(1.5)}, "error"},
		{"round(-2.5)", []value.Value{p1F(-2.5)}, "-3.0"},
		{"sign(0.0)", []value.Value{p1F(0)}, "0"},
		{"sign(uint)", []value.Value{big}, "1"},
		{"bitand(uint, -1)", []value.Value{big, p1I(-1)}, "9223372036854775809"},
		{"bitor(6.0, 1)", []value.Value{p1F(6), p1I(1)}, "7"},
		{"bitxor(1.5, 1)", []value.Value{p1F(1.5), p1I(1)}, "error"},
		{"bitnot(uint)", []value.Value{big}, "9223372036854775806"},
		{"cot(0)", []value.Value{p1I(0)}, "error"},
		{"degrees(pi)", []value.Value{p1F(math.Pi)}, "180.0"},
		{"radians(90)", []value.Value{p1I(90)}, "1.5707963267948966"},
	})
	for i := 0; i < 100; i++ {
		v, err := p1Col("rand")
		if err != nil || v.Kind() != value.Float || v.Float() < 0 || v.Float() >= 1 {
			t.Fatalf("rand() = %s, %v", value.ToJSON(v), err)
		}
	}
}

func TestConv(t *testing.T) {
	p1RunCols(t, []p1Case{
		// fn_conv_format_hex
		{"conv(h1, 16, 2)", []value.Value{p1S("a"), p1I(16), p1I(2)}, `"1010"`},
		{"conv(h2, 18, 8)", []value.Value{p1S("6E"), p1I(18), p1I(8)}, `"172"`},
		{"conv(h3, 10, -18)", []value.Value{p1S("-17"), p1I(10), p1I(-18)}, `"-H"`},
		{"conv(h4, 16, 10)", []value.Value{p1S("  FF "), p1I(16), p1I(10)}, `"255"`},
		{"conv(h5, 10, 2)", []value.Value{p1S("aa"), p1I(10), p1I(2)}, `"0"`},
		// MySQL semantics
		{"conv(-17, 10, 16)", []value.Value{p1I(-17), p1I(10), p1I(16)}, `"FFFFFFFFFFFFFFEF"`},
		{"conv('+1z', 36, 10)", []value.Value{p1S("+1z"), p1I(36), p1I(10)}, `"71"`},
		{"conv('12x3', 10, 10)", []value.Value{p1S("12x3"), p1I(10), p1I(10)}, `"12"`},
		{"conv(255.9, 10, 16)", []value.Value{p1F(255.9), p1I(10), p1I(16)}, `"FF"`},
		{"conv('FFFFFFFFFFFFFFFF', 16, -10)", []value.Value{p1S("FFFFFFFFFFFFFFFF"), p1I(16), p1I(-10)}, `"-1"`},
		{"conv('FFFFFFFFFFFFFFFF', -16, 10)", []value.Value{p1S("FFFFFFFFFFFFFFFF"), p1I(-16), p1I(10)}, `"9223372036854775807"`},
		{"conv('1', 1, 10)", []value.Value{p1S("1"), p1I(1), p1I(10)}, "null"},
		{"conv('1', 10, 37)", []value.Value{p1S("1"), p1I(10), p1I(37)}, "null"},
		{"conv(huge, 10, 2)", []value.Value{p1S("99999999999999999999999"), p1I(10), p1I(2)}, "error"},
		{"conv('-', 10, 2)", []value.Value{p1S("-"), p1I(10), p1I(2)}, `"0"`},
	})
}

func TestMathValidation(t *testing.T) {
	for _, c := range []struct {
		name string
		args []value.Value
		msg  string
	}{
		{"abs", []value.Value{p1S("x")}, "validate function abs error: expect number type for parameter 1, found string"},
		{"sin", []value.Value{value.True}, "expect number type for parameter 1"},
		{"bitand", []value.Value{p1F(1.5), p1I(1)}, "expect bigint type for parameter 1"},
		{"round", []value.Value{p1F(1.5), p1S("2")}, "expect bigint type for parameter 2"},
		{"conv", []value.Value{p1S("a"), p1F(16), p1I(2)}, "expect bigint type for parameter 2"},
		{"pi", []value.Value{p1I(1)}, "expect 0 arguments but found 1"},
		{"log", []value.Value{p1I(1), p1I(2), p1I(3)}, "expect 1 to 2 arguments but found 3"},
	} {
		_, err := p1Lit(c.name, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.msg)
		}
	}
	// NULL literals pass validation and give NULL
	if v, err := p1Lit("abs", value.NullValue); err != nil || !v.IsNull() {
		t.Errorf("abs(NULL) = %s, %v", value.ToJSON(v), err)
	}
}
