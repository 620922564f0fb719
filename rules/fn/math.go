package fn

// Mathematical functions of sql.md §12.2. Numeric arguments accept bigint
// (signed or unsigned) and float; strings are never read as numbers here.

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/oort-rules/oort/rules/value"
)

// numberOf reads argument i (0-based) of fn as a float.
func numberOf(fn string, i int, v value.Value) (float64, error) {
	if f, ok := v.AsFloat(); ok {
		return f, nil
	}
	return 0, fmt.Errorf("%s: expect number type for parameter %d, found %s(%s)", fn, i+1, value.TypeName(v), value.Text(v))
}

// integerOf reads an integer argument; integral floats are accepted because
// schemaless JSON delivers whole numbers as floats (sql.md §3.2).
func integerOf(fn string, i int, v value.Value) (value.Value, error) {
	switch v.Kind() {
	case value.Int, value.Uint:
		return v, nil
	case value.Float:
		f := v.Float()
		if f == math.Trunc(f) && f >= -9223372036854775808.0 && f < 9223372036854775808.0 {
			return value.FromInt(int64(f)), nil
		}
	}
	return value.NullValue, fmt.Errorf("%s: expect bigint type for parameter %d, found %s(%s)", fn, i+1, value.TypeName(v), value.Text(v))
}

// int64Of is integerOf limited to the signed range (counts, scales, bases).
func int64Of(fn string, i int, v value.Value) (int64, error) {
	n, err := integerOf(fn, i, v)
	if err != nil {
		return 0, err
	}
	if n.Kind() == value.Uint {
		return 0, fmt.Errorf("%s: parameter %d out of range: %s", fn, i+1, value.Text(v))
	}
	return n.Int(), nil
}

// floatResult turns NaN into NULL (acos(2) is NULL, as in eKuiper).
func floatResult(f float64) value.Value {
	if math.IsNaN(f) {
		return value.NullValue
	}
	return value.FromFloat(f)
}

// mathUnary builds a float → float function.
func mathUnary(name, doc string, f func(float64) float64, ex ...Example) *Func {
	return &Func{
		Name: name, Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(x)", Returns: "float", Doc: doc,
		Examples: ex, Validate: literalKinds(litNumber),
		Eval: func(_ *Env, args []value.Value) (value.Value, error) {
			x, err := numberOf(name, 0, args[0])
			if err != nil {
				return value.NullValue, err
			}
			return floatResult(f(x)), nil
		},
	}
}

// mathBinary builds a (float, float) → float function.
func mathBinary(name, sig, doc string, f func(x, y float64) (value.Value, error), ex ...Example) *Func {
	return &Func{
		Name: name, Kind: Scalar, MinArgs: 2, MaxArgs: 2, Args: sig, Returns: "float", Doc: doc,
		Examples: ex, Validate: literalKinds(litNumber),
		Eval: func(_ *Env, args []value.Value) (value.Value, error) {
			x, err := numberOf(name, 0, args[0])
			if err != nil {
				return value.NullValue, err
			}
			y, err := numberOf(name, 1, args[1])
			if err != nil {
				return value.NullValue, err
			}
			return f(x, y)
		},
	}
}

// bitFunc builds bitand/bitor/bitxor on top of the '&', '|', '^' operators.
func bitFunc(name string, op value.ArithOp, doc string, ex ...Example) *Func {
	return &Func{
		Name: name, Kind: Scalar, MinArgs: 2, MaxArgs: 2, Args: "(a, b)", Returns: "bigint", Doc: doc,
		Examples: ex, Validate: literalKinds(litInteger),
		Eval: func(_ *Env, args []value.Value) (value.Value, error) {
			a, err := integerOf(name, 0, args[0])
			if err != nil {
				return value.NullValue, err
			}
			b, err := integerOf(name, 1, args[1])
			if err != nil {
				return value.NullValue, err
			}
			return value.Arith(op, a, b)
		},
	}
}

func withAliases(f *Func, aliases ...string) *Func {
	f.Aliases = aliases
	return f
}

func mathFuncs() []*Func {
	return append([]*Func{
		{
			Name: "abs", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(x)", Returns: "bigint | float",
			Doc: "absolute value; keeps the bigint or float kind", Validate: literalKinds(litNumber), Eval: absImpl,
			Examples: []Example{{"abs(-3)", "3"}, {"abs(-2.5)", "2.5"}},
		},
		bitFunc("bitand", value.OpBitAnd, "bitwise and of two integers", Example{"bitand(12, 10)", "8"}, Example{"bitand(-10, 2)", "2"}),
		bitFunc("bitor", value.OpBitOr, "bitwise or of two integers", Example{"bitor(12, 10)", "14"}),
		bitFunc("bitxor", value.OpBitXor, "bitwise exclusive or of two integers", Example{"bitxor(12, 10)", "6"}),
		{
			Name: "bitnot", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(a)", Returns: "bigint",
			Doc: "bitwise complement of an integer", Validate: literalKinds(litInteger), Eval: bitnotImpl,
			Examples: []Example{{"bitnot(-10)", "9"}, {"bitnot(0)", "-1"}},
		},
		withAliases(mathUnary("ceiling", "smallest integral value not below x, as a float", math.Ceil,
			Example{"ceiling(1.2)", "2.0"}, Example{"ceil(-10)", "-10.0"}), "ceil"),
		mathUnary("floor", "largest integral value not above x, as a float", math.Floor, Example{"floor(1.8)", "1.0"}, Example{"floor(-1.2)", "-2.0"}),
		mathBinary("mod", "(a, b)", "floating remainder of a / b with the sign of a; b = 0 is a runtime error",
			func(a, b float64) (value.Value, error) {
				if b == 0 {
					return value.NullValue, fmt.Errorf("mod: divided by zero")
				}
				return value.FromFloat(math.Mod(a, b)), nil
			},
			Example{"mod(10, 3)", "1.0"}, Example{"mod(-7.5, 2)", "-1.5"}),
		{
			Name: "pi", Kind: Scalar, MinArgs: 0, MaxArgs: 0, Args: "()", Returns: "float", Doc: "the constant π",
			Eval:     func(_ *Env, _ []value.Value) (value.Value, error) { return value.FromFloat(math.Pi), nil },
			Examples: []Example{{"pi()", "3.141592653589793"}},
		},
		{
			Name: "power", Aliases: []string{"pow"}, Kind: Scalar, MinArgs: 2, MaxArgs: 2, Args: "(a, b)", Returns: "float",
			Doc: "a raised to the power b; NULL when undefined (negative base, fractional exponent)", Validate: literalKinds(litNumber), Eval: powerImpl,
			Examples: []Example{{"power(10, 3)", "1000.0"}, {"pow(2, -1)", "0.5"}},
		},
		{
			Name: "rand", Kind: Scalar, MinArgs: 0, MaxArgs: 0, Args: "()", Returns: "float", Doc: "uniform random float in [0, 1)",
			Eval:     func(_ *Env, _ []value.Value) (value.Value, error) { return value.FromFloat(rand.Float64()), nil },
			Examples: []Example{{"floor(rand())", "0.0"}},
		},
		{
			Name: "round", Kind: Scalar, MinArgs: 1, MaxArgs: 2, Args: "(x [, s])", Returns: "float",
			Doc:      "round half away from zero to an integral value, or to s decimal places (s may be negative)",
			Validate: literalKinds(litNumber, litInteger), Eval: roundImpl,
			Examples: []Example{{"round(10.5)", "11.0"}, {"round(42.4382, 2)", "42.44"}, {"round(56788.34, -3)", "57000.0"}},
		},
		{
			Name: "sign", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(x)", Returns: "bigint",
			Doc: "-1, 0 or 1 according to the sign of x", Validate: literalKinds(litNumber), Eval: signImpl,
			Examples: []Example{{"sign(-10.5)", "-1"}, {"sign(0)", "0"}},
		},
		convFunc(),
	}, mathTrigFuncs()...)
}

// mathTrigFuncs are the trigonometric, exponential and logarithmic functions.
func mathTrigFuncs() []*Func {
	return []*Func{
		mathUnary("acos", "inverse cosine in radians; NULL outside [-1, 1]", math.Acos, Example{"acos(1)", "0.0"}, Example{"acos(2)", "null"}),
		mathUnary("asin", "inverse sine in radians; NULL outside [-1, 1]", math.Asin, Example{"asin(1)", "1.5707963267948966"}),
		mathUnary("atan", "inverse tangent in radians", math.Atan, Example{"atan(1)", "0.7853981633974483"}),
		mathBinary("atan2", "(y, x)", "angle in radians of the point (x, y); the first argument is y",
			func(y, x float64) (value.Value, error) { return floatResult(math.Atan2(y, x)), nil },
			Example{"atan2(1, 1)", "0.7853981633974483"}),
		mathUnary("cos", "cosine of x radians", math.Cos, Example{"cos(0)", "1.0"}),
		mathUnary("cosh", "hyperbolic cosine", math.Cosh, Example{"cosh(0)", "1.0"}),
		{
			Name: "cot", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(x)", Returns: "float",
			Doc: "cotangent of x radians; cot(0) is a runtime error", Validate: literalKinds(litNumber), Eval: cotImpl,
			Examples: []Example{{"cot(1)", "0.6420926159343306"}, {"cot(0)", "error"}},
		},
		mathUnary("degrees", "radians to degrees", func(x float64) float64 { return x * (180 / math.Pi) }, Example{"degrees(pi())", "180.0"}),
		mathUnary("exp", "e raised to the power x", math.Exp, Example{"exp(0)", "1.0"}, Example{"exp(1.2)", "3.3201169227365472"}),
		{
			Name: "ln", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(x)", Returns: "float",
			Doc: "natural logarithm; x <= 0 is a runtime error", Validate: literalKinds(litNumber), Eval: lnImpl,
			Examples: []Example{{"ln(1)", "0.0"}, {"ln(0)", "error"}},
		},
		{
			Name: "log", Kind: Scalar, MinArgs: 1, MaxArgs: 2, Args: "(x) | (b, x)", Returns: "float",
			Doc: "base-10 logarithm of x, or the base-b logarithm of x; non-positive input is a runtime error", Validate: literalKinds(litNumber), Eval: logImpl,
			Examples: []Example{{"log(100)", "2.0"}, {"log(2, 8)", "3.0"}, {"log(-1)", "error"}},
		},
		mathUnary("radians", "degrees to radians", func(x float64) float64 { return x * (math.Pi / 180) }, Example{"radians(180)", "3.141592653589793"}),
		mathUnary("sin", "sine of x radians", math.Sin, Example{"sin(0)", "0.0"}),
		mathUnary("sinh", "hyperbolic sine", math.Sinh, Example{"sinh(0)", "0.0"}),
		mathUnary("sqrt", "square root; NULL for negative input", math.Sqrt, Example{"sqrt(4)", "2.0"}, Example{"sqrt(-1)", "null"}),
		mathUnary("tan", "tangent of x radians", math.Tan, Example{"tan(0)", "0.0"}),
		mathUnary("tanh", "hyperbolic tangent", math.Tanh, Example{"tanh(1)", "0.7615941559557649"}),
	}
}

func absImpl(_ *Env, args []value.Value) (value.Value, error) {
	v := args[0]
	switch v.Kind() {
	case value.Int:
		if v.Int() < 0 {
			return value.Negate(v)
		}
		return v, nil
	case value.Uint:
		return v, nil
	case value.Float:
		return value.FromFloat(math.Abs(v.Float())), nil
	}
	_, err := numberOf("abs", 0, v)
	return value.NullValue, err
}

func bitnotImpl(_ *Env, args []value.Value) (value.Value, error) {
	v, err := integerOf("bitnot", 0, args[0])
	if err != nil {
		return value.NullValue, err
	}
	if v.Kind() == value.Uint {
		return value.FromUint(^v.Uint()), nil
	}
	return value.FromInt(^v.Int()), nil
}

func cotImpl(_ *Env, args []value.Value) (value.Value, error) {
	x, err := numberOf("cot", 0, args[0])
	if err != nil {
		return value.NullValue, err
	}
	r := real(cmplx.Cot(complex(x, 0))) // the complex form, as eKuiper computes it
	if math.IsInf(r, 0) {
		return value.NullValue, fmt.Errorf("cot: out of range for %v", x)
	}
	return floatResult(r), nil
}

func lnImpl(_ *Env, args []value.Value) (value.Value, error) {
	x, err := numberOf("ln", 0, args[0])
	if err != nil {
		return value.NullValue, err
	}
	if !(x > 0) {
		return value.NullValue, fmt.Errorf("ln: argument must be positive, found %v", x)
	}
	return value.FromFloat(math.Log(x)), nil
}

func logImpl(_ *Env, args []value.Value) (value.Value, error) {
	x, err := numberOf("log", len(args)-1, args[len(args)-1])
	if err != nil {
		return value.NullValue, err
	}
	if !(x > 0) {
		return value.NullValue, fmt.Errorf("log: argument must be positive, found %v", x)
	}
	if len(args) == 1 {
		return value.FromFloat(math.Log10(x)), nil
	}
	b, err := numberOf("log", 0, args[0])
	if err != nil {
		return value.NullValue, err
	}
	if !(b > 0) || b == 1 {
		return value.NullValue, fmt.Errorf("log: base must be positive and not 1, found %v", b)
	}
	return value.FromFloat(math.Log(x) / math.Log(b)), nil
}

func powerImpl(_ *Env, args []value.Value) (value.Value, error) {
	a, err := numberOf("power", 0, args[0])
	if err != nil {
		return value.NullValue, err
	}
	b, err := numberOf("power", 1, args[1])
	if err != nil {
		return value.NullValue, err
	}
	r := math.Pow(a, b)
	if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		return value.NullValue, fmt.Errorf("power: result of %v ^ %v out of range", a, b)
	}
	return floatResult(r), nil
}

func signImpl(_ *Env, args []value.Value) (value.Value, error) {
	x, err := numberOf("sign", 0, args[0])
	if err != nil {
		return value.NullValue, err
	}
	switch {
	case x > 0:
		return value.FromInt(1), nil
	case x < 0:
		return value.FromInt(-1), nil
	}
	return value.FromInt(0), nil
}

// roundImpl scales by 10^s like eKuiper (so round(1.005, 2) is 1.0, the
// binary value being below 1.005), guarding the ranges where the scaling
// overflows or underflows.
func roundImpl(_ *Env, args []value.Value) (value.Value, error) {
	x, err := numberOf("round", 0, args[0])
	if err != nil {
		return value.NullValue, err
	}
	var s int64
	if len(args) == 2 {
		if s, err = int64Of("round", 1, args[1]); err != nil {
			return value.NullValue, err
		}
	}
	if s == 0 {
		return value.FromFloat(math.Round(x)), nil
	}
	factor := math.Pow(10, float64(s))
	if factor == 0 {
		return value.FromFloat(math.Copysign(0, x)), nil
	}
	scaled := x * factor
	if math.IsInf(factor, 0) || math.IsInf(scaled, 0) {
		return value.FromFloat(x), nil // no digits exist at that scale
	}
	return value.FromFloat(math.Round(scaled) / factor), nil
}

func convFunc() *Func {
	return &Func{
		Name: "conv", Kind: Scalar, MinArgs: 3, MaxArgs: 3, Args: "(x, from, to)", Returns: "string",
		Doc: "convert a number or numeric string between bases 2-36 (MySQL semantics: a negative base " +
			"reads or writes signed values; parsing stops at the first invalid digit; NULL for a bad base)",
		Validate: literalKinds(litAny, litInteger, litInteger), Eval: convImpl,
		Examples: []Example{{`conv("a", 16, 2)`, `"1010"`}, {`conv("6E", 18, 8)`, `"172"`}, {`conv("-17", 10, -18)`, `"-H"`}},
	}
}

func convImpl(_ *Env, args []value.Value) (value.Value, error) {
	from, err := int64Of("conv", 1, args[1])
	if err != nil {
		return value.NullValue, err
	}
	to, err := int64Of("conv", 2, args[2])
	if err != nil {
		return value.NullValue, err
	}
	fromSigned, toSigned := from < 0, to < 0
	from, to = absInt(from), absInt(to)
	if from < 2 || from > 36 || to < 2 || to > 36 {
		return value.NullValue, nil
	}
	digits := validDigits(strings.TrimSpace(value.Text(args[0])), from)
	if digits == "" {
		return value.FromString("0"), nil
	}
	neg := digits[0] == '-'
	if neg {
		digits = digits[1:]
	}
	u, err := strconv.ParseUint(digits, int(from), 64)
	if err != nil {
		return value.NullValue, fmt.Errorf("conv: %q in base %d out of range", digits, from)
	}
	if fromSigned {
		if neg && u > 1<<63 {
			u = 1 << 63
		} else if !neg && u > math.MaxInt64 {
			u = math.MaxInt64
		}
	}
	if neg {
		u = -u // two's complement, as MySQL reads negative input
	}
	out := ""
	if toSigned && int64(u) < 0 {
		out = "-" + strconv.FormatUint(-u, int(to))
	} else {
		out = strconv.FormatUint(u, int(to))
	}
	return value.FromString(strings.ToUpper(out)), nil
}

func absInt(i int64) int64 {
	if i < 0 {
		return -i
	}
	return i
}

// validDigits returns the longest prefix of s that is an optionally signed
// number in base; a leading '+' is dropped.
func validDigits(s string, base int64) string {
	end := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c == '+' || c == '-') && i == 0 {
			continue
		}
		d := int64(36)
		switch {
		case c >= '0' && c <= '9':
			d = int64(c - '0')
		case c >= 'a' && c <= 'z':
			d = int64(c-'a') + 10
		case c >= 'A' && c <= 'Z':
			d = int64(c-'A') + 10
		}
		if d >= base {
			break
		}
		end = i + 1
	}
	if end > 1 && s[0] == '+' {
		return s[1:end]
	}
	return s[:end]
}
