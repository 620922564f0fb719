package value

// Operator semantics shared by the expression compiler and the functions.
// See sql.md §3.3 (operators by operand type), §3.4 (cast), §7 (NULL).

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// ArithOp is a binary arithmetic or bitwise operator.
type ArithOp uint8

const (
	OpAdd ArithOp = iota
	OpSub
	OpMul
	OpDiv
	OpMod
	OpBitAnd // '&': integers bitwise, booleans logical
	OpBitOr  // '|'
	OpBitXor // '^'
)

var opText = [...]string{"+", "-", "*", "/", "%", "&", "|", "^"}

func (o ArithOp) String() string {
	if int(o) < len(opText) {
		return opText[o]
	}
	return "?"
}

// ErrDivideByZero and ErrIntegerOverflow are the runtime errors of §3.3;
// callers may test for them with errors.Is.
var (
	ErrDivideByZero    = errors.New("divided by zero")
	ErrIntegerOverflow = errors.New("integer overflow")
)

// TypeName is the SQL type name of v used in messages ("bigint", "float" ...).
func TypeName(v Value) string { return v.k.String() }

// describe renders a value as <type>(<text>) for error messages.
func describe(v Value) string {
	return TypeName(v) + "(" + Text(v) + ")"
}

func invalidOp(op string, a, b Value) error {
	return fmt.Errorf("invalid operation %s %s %s", describe(a), op, describe(b))
}

// Arith applies op to two non-NULL operands (callers handle NULL).
func Arith(op ArithOp, a, b Value) (Value, error) {
	if op > OpBitXor {
		return NullValue, fmt.Errorf("unknown arithmetic operator %d", op)
	}
	if op >= OpBitAnd {
		return bitwise(op, a, b)
	}
	isInt := func(v Value) bool { return v.k == Int || v.k == Uint }
	var (
		r   Value
		err error
	)
	switch {
	case a.k == Int && b.k == Int:
		r, err = intArith(op, int64(a.n), int64(b.n))
	case isInt(a) && isInt(b):
		r, err = wideArith(op, toWide(a), toWide(b))
	case a.IsNumber() && b.IsNumber():
		x, _ := a.AsFloat()
		y, _ := b.AsFloat()
		return floatArith(op, x, y)
	default:
		return NullValue, invalidOp(op.String(), a, b)
	}
	if errors.Is(err, ErrIntegerOverflow) {
		return NullValue, fmt.Errorf("%w: %s %s %s", err, describe(a), op, describe(b))
	}
	return r, err
}

// intArith is the fast path for two int64 operands; on overflow it retries
// in wide arithmetic, which also finds results that only fit in uint64.
func intArith(op ArithOp, x, y int64) (Value, error) {
	switch op {
	case OpAdd:
		r := x + y
		if (x^r)&(y^r) >= 0 {
			return FromInt(r), nil
		}
	case OpSub:
		r := x - y
		if (x^y)&(x^r) >= 0 {
			return FromInt(r), nil
		}
	case OpMul:
		if x == 0 || y == 0 {
			return FromInt(0), nil
		}
		r := x * y
		if r/y == x && !(x == -1 && y == math.MinInt64) && !(y == -1 && x == math.MinInt64) {
			return FromInt(r), nil
		}
	case OpDiv, OpMod:
		if y == 0 {
			return NullValue, ErrDivideByZero
		}
		if y == -1 {
			break // MinInt64 / -1 does not fit int64: let the wide path decide
		}
		if op == OpDiv {
			return FromInt(x / y), nil
		}
		return FromInt(x % y), nil
	}
	return wideArith(op, wideOfInt(x), wideOfInt(y))
}

// wide is a sign-magnitude integer covering both int64 and uint64, so mixed
// signed/unsigned arithmetic is exact without big.Int.
type wide struct {
	neg bool
	m   uint64
}

func wideOfInt(i int64) wide {
	if i < 0 {
		return wide{neg: true, m: uint64(-i)} // two's complement: exact even for MinInt64
	}
	return wide{m: uint64(i)}
}

func toWide(v Value) wide {
	if v.k == Uint {
		return wide{m: v.n}
	}
	return wideOfInt(int64(v.n))
}

func (w wide) value() (Value, error) {
	if !w.neg || w.m == 0 {
		return FromUint(w.m), nil
	}
	if w.m <= 1<<63 {
		return FromInt(int64(-w.m)), nil
	}
	return NullValue, ErrIntegerOverflow
}

func wideAdd(a, b wide) (wide, bool) {
	if a.neg == b.neg {
		s, carry := bits.Add64(a.m, b.m, 0)
		return wide{neg: a.neg, m: s}, carry == 0
	}
	if a.m >= b.m {
		return wide{neg: a.neg, m: a.m - b.m}, true
	}
	return wide{neg: b.neg, m: b.m - a.m}, true
}

func wideArith(op ArithOp, a, b wide) (Value, error) {
	var r wide
	ok := true
	switch op {
	case OpAdd:
		r, ok = wideAdd(a, b)
	case OpSub:
		r, ok = wideAdd(a, wide{neg: !b.neg, m: b.m})
	case OpMul:
		hi, lo := bits.Mul64(a.m, b.m)
		r, ok = wide{neg: a.neg != b.neg, m: lo}, hi == 0
	case OpDiv:
		if b.m == 0 {
			return NullValue, ErrDivideByZero
		}
		r = wide{neg: a.neg != b.neg, m: a.m / b.m}
	case OpMod:
		if b.m == 0 {
			return NullValue, ErrDivideByZero
		}
		r = wide{neg: a.neg, m: a.m % b.m}
	}
	if !ok {
		return NullValue, ErrIntegerOverflow
	}
	return r.value()
}

func floatArith(op ArithOp, x, y float64) (Value, error) {
	switch op {
	case OpAdd:
		return FromFloat(x + y), nil
	case OpSub:
		return FromFloat(x - y), nil
	case OpMul:
		return FromFloat(x * y), nil
	case OpDiv:
		if y == 0 {
			return NullValue, ErrDivideByZero
		}
		return FromFloat(x / y), nil
	default: // OpMod
		if y == 0 {
			return NullValue, ErrDivideByZero
		}
		return FromFloat(math.Mod(x, y)), nil
	}
}

// bitwise handles & | ^: logical on two booleans, bitwise on two integers.
// With an unsigned operand the result is read as unsigned, so bit patterns
// above MaxInt64 are kept rather than turned negative.
func bitwise(op ArithOp, a, b Value) (Value, error) {
	if a.k == Bool && b.k == Bool {
		x, y := a.Bool(), b.Bool()
		switch op {
		case OpBitAnd:
			return FromBool(x && y), nil
		case OpBitOr:
			return FromBool(x || y), nil
		default:
			return FromBool(x != y), nil
		}
	}
	isInt := func(v Value) bool { return v.k == Int || v.k == Uint }
	if !isInt(a) || !isInt(b) {
		return NullValue, invalidOp(op.String(), a, b)
	}
	var r uint64
	switch op {
	case OpBitAnd:
		r = a.n & b.n
	case OpBitOr:
		r = a.n | b.n
	default:
		r = a.n ^ b.n
	}
	if a.k == Uint || b.k == Uint {
		return FromUint(r), nil
	}
	return FromInt(int64(r)), nil
}

// Negate is unary minus on a non-NULL number. -MinInt64 becomes the unsigned
// 9223372036854775808; the unsigned 9223372036854775808 negates back to MinInt64.
func Negate(a Value) (Value, error) {
	switch a.k {
	case Int:
		return wide{neg: int64(a.n) >= 0, m: toWide(a).m}.value()
	case Uint:
		v, err := wide{neg: true, m: a.n}.value()
		if err != nil {
			return NullValue, fmt.Errorf("negate %s: %w", describe(a), err)
		}
		return v, nil
	case Float:
		return FromFloat(-a.Float()), nil
	}
	return NullValue, fmt.Errorf("invalid operation -%s", describe(a))
}
