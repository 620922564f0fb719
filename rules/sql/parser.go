package sql

import (
	"fmt"
	"strings"
)

// maxDepth bounds expression nesting so hostile input cannot exhaust the
// stack.
const maxDepth = 400

// parser is a recursive-descent parser over a pre-scanned token slice. On the
// first syntax error in a statement it records the error and unwinds with a
// bailout panic, recovered at the statement boundary; bad input therefore
// never escapes as a panic.
type parser struct {
	toks  []token
	i     int
	depth int
	errs  ErrorList
}

// bailout unwinds the parser after an error has been recorded.
type bailout struct{}

func newParser(src string) *parser {
	p := &parser{}
	p.toks = tokenize(src, &p.errs)
	return p
}

// ParseStatements parses statements separated by ';'. After an error it skips
// to the next ';' and goes on, so the error list covers every statement.
func ParseStatements(src string) ([]Statement, error) {
	p := newParser(src)
	var out []Statement
	for {
		for p.acceptOp(";") {
		}
		if p.tok().Kind == tkEOF {
			break
		}
		if st, ok := p.guard(p.statementEnd); ok {
			out = append(out, st)
			continue
		}
		p.skipPast(";")
	}
	if err := p.result(); err != nil {
		return nil, err
	}
	return out, nil
}

// ParseStatement parses exactly one statement; a trailing ';' is allowed.
func ParseStatement(src string) (Statement, error) {
	p := newParser(src)
	st, _ := p.guard(p.single)
	if err := p.result(); err != nil {
		return nil, err
	}
	return st, nil
}

// ParseSelect parses exactly one SELECT statement; a trailing ';' is allowed.
func ParseSelect(src string) (*Select, error) {
	p := newParser(src)
	st, _ := p.guard(func() Statement {
		if t := p.tok(); !t.isKeyword("SELECT") {
			p.fail(t, "SELECT")
		}
		return p.single()
	})
	if err := p.result(); err != nil {
		return nil, err
	}
	return st.(*Select), nil
}

// ParseExpr parses one expression that must span the whole input.
func ParseExpr(src string) (Expr, error) {
	p := newParser(src)
	var x Expr
	p.guard(func() Statement {
		x = p.expr()
		if t := p.tok(); t.Kind != tkEOF {
			p.fail(t, "EOF")
		}
		return nil
	})
	if err := p.result(); err != nil {
		return nil, err
	}
	return x, nil
}

// guard runs f, converting a bailout into ok=false.
func (p *parser) guard(f func() Statement) (st Statement, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, isBail := r.(bailout); !isBail {
				panic(r)
			}
			st, ok = nil, false
		}
	}()
	p.depth = 0
	return f(), true
}

func (p *parser) result() error {
	if len(p.errs) == 0 {
		return nil
	}
	p.errs.Sort()
	return p.errs
}

// single parses one statement, an optional ';' and the end of input.
func (p *parser) single() Statement {
	st := p.statement()
	p.acceptOp(";")
	if t := p.tok(); t.Kind != tkEOF {
		p.fail(t, "end of statement")
	}
	return st
}

// statementEnd parses one statement followed by ';' or the end of input.
func (p *parser) statementEnd() Statement {
	st := p.statement()
	if t := p.tok(); t.Kind != tkEOF && !t.isOp(";") {
		p.fail(t, `";" or end of statement`)
	}
	return st
}

func (p *parser) statement() Statement {
	t := p.tok()
	switch {
	case t.isKeyword("SELECT"):
		return p.selectStmt()
	case t.isKeyword("CREATE"):
		return p.createStmt()
	case t.isKeyword("DROP"):
		return p.dropStmt()
	case t.isKeyword("SHOW"):
		return p.showStmt()
	case t.isKeyword("DESCRIBE"):
		return p.describeStmt()
	case t.isKeyword("EXPLAIN"):
		return p.explainStmt()
	}
	p.fail(t, "SELECT, CREATE, DROP, SHOW, DESCRIBE or EXPLAIN")
	return nil
}

// ---------------------------------------------------------------- token helpers

func (p *parser) tok() token { return p.toks[p.i] }

// peek returns the token n positions ahead (the EOF token past the end).
func (p *parser) peek(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.Kind != tkEOF {
		p.i++
	}
	return t
}

func (p *parser) acceptOp(op string) bool {
	if p.tok().isOp(op) {
		p.i++
		return true
	}
	return false
}

func (p *parser) acceptKeyword(kw string) bool {
	if p.tok().isKeyword(kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expectOp(op string) token {
	t := p.tok()
	if !t.isOp(op) {
		p.fail(t, fmt.Sprintf("%q", op))
	}
	p.i++
	return t
}

func (p *parser) expectKeyword(kw string) token {
	t := p.tok()
	if !t.isKeyword(kw) {
		p.fail(t, kw)
	}
	p.i++
	return t
}

// skipPast moves past the next op token (or to EOF).
func (p *parser) skipPast(op string) {
	for t := p.next(); t.Kind != tkEOF && !t.isOp(op); t = p.next() {
	}
}

// fail records "found X, expected Y" at t and unwinds. An illegal token was
// already reported by the lexer, so it only unwinds.
func (p *parser) fail(t token, expected string) {
	if t.Kind != tkIllegal {
		p.errs.Add(t.Pos, "found "+t.describe()+", expected "+expected)
	}
	panic(bailout{})
}

// failMsg records msg at pos and unwinds.
func (p *parser) failMsg(pos Pos, msg string) {
	p.errs.Add(pos, msg)
	panic(bailout{})
}

// name parses an identifier usable as a name (reserved words need
// back-quotes).
func (p *parser) name(what string) (string, token) {
	t := p.tok()
	if !t.isName() {
		p.fail(t, what)
	}
	p.i++
	return t.name(), t
}

// enter guards recursion depth; leave must be deferred by the caller.
func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.failMsg(p.tok().Pos, "expression nested too deeply")
	}
}

func (p *parser) leave() { p.depth-- }

// upper is strings.ToUpper, named for the many keyword comparisons.
func upper(s string) string { return strings.ToUpper(s) }
