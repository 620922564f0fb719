package sql

import (
	"fmt"
	"strconv"
	"strings"
)

// lexer turns source text into tokens. It never stops early: an error is
// recorded and an illegal token emitted, so the parser reports the first
// problem and the list still counts every lexical one.
type lexer struct {
	src  string
	off  int
	line int
	col  int
	errs *ErrorList
}

// tokenize returns all tokens of src, ending with one EOF token.
func tokenize(src string, errs *ErrorList) []token {
	lx := &lexer{src: src, line: 1, col: 1, errs: errs}
	toks := make([]token, 0, len(src)/3+8) // about one token per three bytes of SQL
	for {
		t := lx.next()
		toks = append(toks, t)
		if t.Kind == tkEOF {
			return toks
		}
	}
}

func (lx *lexer) pos() Pos { return Pos{Off: lx.off, Line: lx.line, Col: lx.col} }

// peek returns the byte i positions ahead, or 0 past the end.
func (lx *lexer) peek(i int) byte {
	if lx.off+i < len(lx.src) {
		return lx.src[lx.off+i]
	}
	return 0
}

// advance consumes n bytes, keeping line and (rune) column up to date.
func (lx *lexer) advance(n int) {
	for ; n > 0 && lx.off < len(lx.src); n-- {
		c := lx.src[lx.off]
		lx.off++
		switch {
		case c == '\n':
			lx.line++
			lx.col = 1
		case c&0xC0 != 0x80: // count only the first byte of a UTF-8 sequence
			lx.col++
		}
	}
}

func (lx *lexer) errorf(p Pos, format string, args ...any) {
	lx.errs.Add(p, fmt.Sprintf(format, args...))
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace skips whitespace and comments. A comment starts only when its two
// characters are adjacent (sql.md §1.5), so "a - -1" is a subtraction.
func (lx *lexer) skipSpace() {
	for lx.off < len(lx.src) {
		c := lx.peek(0)
		switch {
		case isSpace(c):
			lx.advance(1)
		case c == '-' && lx.peek(1) == '-':
			for lx.off < len(lx.src) && lx.peek(0) != '\n' {
				lx.advance(1)
			}
		case c == '/' && lx.peek(1) == '*':
			start := lx.pos()
			end := strings.Index(lx.src[lx.off+2:], "*/")
			if end < 0 {
				lx.errorf(start, "comment not terminated")
				lx.advance(len(lx.src) - lx.off)
				return
			}
			lx.advance(end + 4)
		default:
			return
		}
	}
}

// next scans one token.
func (lx *lexer) next() token {
	lx.skipSpace()
	p := lx.pos()
	if lx.off >= len(lx.src) {
		return token{Kind: tkEOF, Pos: p}
	}
	c := lx.peek(0)
	switch {
	case isLetter(c):
		return lx.word(p)
	case isDigit(c) || c == '.' && isDigit(lx.peek(1)):
		return lx.number(p)
	case c == '"' || c == '\'':
		return lx.str(p, c)
	case c == '`':
		return lx.quotedIdent(p)
	}
	return lx.operator(p)
}

func (lx *lexer) word(p Pos) token {
	start := lx.off
	for lx.off < len(lx.src) {
		c := lx.peek(0)
		if !isLetter(c) && !isDigit(c) && c != '_' {
			break
		}
		lx.advance(1)
	}
	return token{Kind: tkIdent, Text: lx.src[start:lx.off], Pos: p}
}

func (lx *lexer) digits() {
	for isDigit(lx.peek(0)) {
		lx.advance(1)
	}
}

// number scans 12, 1.5, .5, 3., 1e3, 2.5E-4.
func (lx *lexer) number(p Pos) token {
	start := lx.off
	kind := tkInt
	lx.digits()
	if lx.peek(0) == '.' {
		kind = tkFloat
		lx.advance(1)
		lx.digits()
	}
	if e := lx.peek(0); e == 'e' || e == 'E' {
		if isDigit(lx.peek(1)) || (lx.peek(1) == '+' || lx.peek(1) == '-') && isDigit(lx.peek(2)) {
			kind = tkFloat
			lx.advance(2)
			lx.digits()
		}
	}
	if c := lx.peek(0); isLetter(c) || c == '_' {
		for c := lx.peek(0); isLetter(c) || isDigit(c) || c == '_'; c = lx.peek(0) {
			lx.advance(1)
		}
		lx.errorf(p, "invalid number literal %q", lx.src[start:lx.off])
		return token{Kind: tkIllegal, Text: lx.src[start:lx.off], Pos: p}
	}
	return token{Kind: kind, Text: lx.src[start:lx.off], Pos: p}
}

// str scans a '...' or "..." string. Escapes follow Go; \' and \" are accepted
// in both kinds of quotes. A raw line break is an error.
func (lx *lexer) str(p Pos, q byte) token {
	start := lx.off
	lx.advance(1)
	for {
		c := lx.peek(0)
		if lx.off >= len(lx.src) || c == '\n' || c == '\r' {
			lx.errorf(p, "string literal not terminated")
			return token{Kind: tkIllegal, Text: lx.src[start:lx.off], Pos: p}
		}
		if c == q {
			break
		}
		if c == '\\' && lx.off+1 < len(lx.src) && lx.peek(1) != '\n' && lx.peek(1) != '\r' {
			lx.advance(1)
		}
		lx.advance(1)
	}
	lx.advance(1)
	text := lx.src[start:lx.off]
	val, err := unescape(text[1:len(text)-1], q)
	if err != nil {
		lx.errorf(p, "invalid escape in string literal %s", clip(text))
		return token{Kind: tkIllegal, Text: text, Pos: p}
	}
	return token{Kind: tkString, Text: text, Val: val, Single: q == '\'', Pos: p}
}

// unescape decodes the body of a string literal quoted with q.
func unescape(body string, q byte) (string, error) {
	if !strings.ContainsRune(body, '\\') {
		return body, nil
	}
	var b strings.Builder
	for len(body) > 0 {
		if len(body) > 1 && body[0] == '\\' && (body[1] == '\'' || body[1] == '"') {
			b.WriteByte(body[1])
			body = body[2:]
			continue
		}
		r, multi, tail, err := strconv.UnquoteChar(body, q)
		if err != nil {
			return "", err
		}
		if r < 0x80 || multi {
			b.WriteRune(r)
		} else {
			b.WriteByte(byte(r)) // \xHH and octal escapes are bytes
		}
		body = tail
	}
	return b.String(), nil
}

func (lx *lexer) quotedIdent(p Pos) token {
	start := lx.off
	end := strings.IndexByte(lx.src[lx.off+1:], '`')
	if end < 0 {
		lx.advance(len(lx.src) - lx.off)
		lx.errorf(p, "quoted identifier not terminated")
		return token{Kind: tkIllegal, Text: lx.src[start:], Pos: p}
	}
	lx.advance(end + 2)
	text := lx.src[start:lx.off]
	if end == 0 {
		lx.errorf(p, "empty quoted identifier")
		return token{Kind: tkIllegal, Text: text, Pos: p}
	}
	return token{Kind: tkQIdent, Text: text, Val: text[1 : len(text)-1], Pos: p}
}

// spacedPair reports whether the byte at i (after optional whitespace) is
// want, returning the offset just past it. It implements the compatibility
// spellings "! =", "< =", "> =" and "- >".
func (lx *lexer) spacedPair(want byte) (int, bool) {
	i := 1
	for isSpace(lx.peek(i)) {
		i++
	}
	if lx.peek(i) == want {
		return i + 1, true
	}
	return 0, false
}

// spacedSecond returns the second character of a two-character operator that
// may be written with whitespace inside, or 0.
func spacedSecond(c byte) byte {
	switch c {
	case '!', '<', '>':
		return '='
	case '-':
		return '>'
	}
	return 0
}

// twoChar maps the adjacent two-character operators to their canonical form.
var twoChar = map[string]string{"!=": "!=", "<>": "!=", "<=": "<=", ">=": ">=", "->": "->", "||": "||"}

func (lx *lexer) operator(p Pos) token {
	if lx.off+2 <= len(lx.src) {
		if op, ok := twoChar[lx.src[lx.off:lx.off+2]]; ok {
			raw := lx.src[lx.off : lx.off+2]
			lx.advance(2)
			return token{Kind: tkOp, Text: op, Val: raw, Pos: p}
		}
	}
	c := lx.peek(0)
	if want := spacedSecond(c); want != 0 {
		if n, ok := lx.spacedPair(want); ok {
			raw := lx.src[lx.off : lx.off+n]
			lx.advance(n)
			return token{Kind: tkOp, Text: string([]byte{c, want}), Val: raw, Pos: p}
		}
	}
	if strings.IndexByte("+-*/%&|^=<>.,;()[]:#", c) >= 0 {
		lx.advance(1)
		return token{Kind: tkOp, Text: string(c), Val: string(c), Pos: p}
	}
	lx.advance(1)
	for lx.off < len(lx.src) && lx.src[lx.off]&0xC0 == 0x80 {
		lx.advance(1)
	}
	text := lx.src[p.Off:lx.off]
	if c == '!' {
		lx.errorf(p, `found "!", expected "!="`)
	} else {
		lx.errorf(p, "illegal character %q", text)
	}
	return token{Kind: tkIllegal, Text: text, Pos: p}
}
