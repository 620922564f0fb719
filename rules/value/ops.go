package value

// Operator semantics shared by the expression compiler and the functions.
// See sql.md §3.3 (operators by operand type), §3.4 (cast), §7 (NULL).

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

func (o ArithOp) String() string { return opText[o] }
