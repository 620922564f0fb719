package eventrow

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds nesting in skipped JSON values, so hostile input cannot
// exhaust the stack.
const maxDepth = 128

// SyntaxError is malformed JSON at a byte offset of the decoded text.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.Offset, e.Msg)
}

var errDepth = errors.New("nesting deeper than 128 levels")

// scanner is a strict, allocation-free JSON reader for the fixed shape of
// EdgeX messages. It reads only what a row needs and skips (while still
// validating) everything else, instead of building a tree of the whole
// message first. Strings are returned as views into the input, or into the
// conv scratch when they contain escapes; both stay valid for the message.
type scanner struct {
	b   []byte
	i   int
	err error
	c   *conv
}

func (s *scanner) fail(msg string) {
	if s.err == nil {
		s.err = &SyntaxError{Offset: s.i, Msg: msg}
	}
	s.i = len(s.b) // stop every loop
}

func (s *scanner) ws() {
	if s.i < len(s.b) && s.b[s.i] > ' ' {
		return
	}
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte (0 at the end).
func (s *scanner) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// iter walks the members of an object or the elements of an array.
type iter struct {
	s     *scanner
	close byte
	n     int
}

// open starts an object ('{') or array ('['); the caller has checked peek.
func (s *scanner) open(c byte) iter {
	if s.peek() != c {
		s.fail(fmt.Sprintf("expected %q", c))
		return iter{s: s}
	}
	s.i++
	end := byte('}')
	if c == '[' {
		end = ']'
	}
	return iter{s: s, close: end}
}

// next reports whether another member follows, consuming the separator.
func (it *iter) next() bool {
	s := it.s
	if s.err != nil || it.close == 0 {
		return false
	}
	c := s.peek()
	if c == it.close {
		s.i++
		it.close = 0
		return false
	}
	if it.n > 0 {
		if c != ',' {
			s.fail("expected ',' or '" + string(it.close) + "'")
			return false
		}
		s.i++
	}
	it.n++
	return true
}

// key reads a member name and its colon.
func (s *scanner) key() string {
	k := s.str()
	if s.peek() != ':' {
		s.fail("expected ':' after object key")
		return ""
	}
	s.i++
	return k
}

// str reads a string value. Raw control characters inside strings are
// tolerated (as fastjson and most producers' parsers do): rejecting them would
// cost a byte loop over every string of every message.
func (s *scanner) str() string {
	if s.peek() != '"' {
		s.fail("expected a string")
		return ""
	}
	s.i++
	start := s.i
	// Keys and most values are short: a plain loop beats the call overhead of
	// bytes.IndexByte, which takes over for long strings.
	end := min(start+24, len(s.b))
	for j := start; j < end; j++ {
		switch s.b[j] {
		case '"':
			s.i = j + 1
			return b2s(s.b[start:j])
		case '\\':
			return s.escaped(start)
		}
	}
	n := bytes.IndexByte(s.b[end:], '"')
	if n < 0 {
		s.fail("unterminated string")
		return ""
	}
	n += end - start
	if bytes.IndexByte(s.b[end:start+n], '\\') >= 0 {
		return s.escaped(start)
	}
	s.i = start + n + 1
	return b2s(s.b[start : start+n])
}

// escaped reads a string containing escapes from its start, unescaping it
// into the conv scratch (append-only for the message, so earlier views stay
// valid).
func (s *scanner) escaped(start int) string {
	c := s.c
	from := len(c.num)
	s.i = start
	for s.i < len(s.b) {
		ch := s.b[s.i]
		switch {
		case ch == '"':
			s.i++
			return b2s(c.num[from:])
		case ch != '\\':
			c.num = append(c.num, ch)
			s.i++
			continue
		}
		if s.i+1 >= len(s.b) {
			break
		}
		s.i += 2
		switch e := s.b[s.i-1]; e {
		case '"', '\\', '/':
			c.num = append(c.num, e)
		case 'b':
			c.num = append(c.num, '\b')
		case 'f':
			c.num = append(c.num, '\f')
		case 'n':
			c.num = append(c.num, '\n')
		case 'r':
			c.num = append(c.num, '\r')
		case 't':
			c.num = append(c.num, '\t')
		case 'u':
			if !s.unicode() {
				return ""
			}
		default:
			s.i -= 2
			s.fail("invalid escape")
			return ""
		}
	}
	s.fail("unterminated string")
	return ""
}

// unicode decodes \uXXXX (the "\u" consumed), joining surrogate pairs.
func (s *scanner) unicode() bool {
	r, ok := s.hex4()
	if !ok {
		return false
	}
	if utf16.IsSurrogate(r) {
		if s.i+6 <= len(s.b) && s.b[s.i] == '\\' && s.b[s.i+1] == 'u' {
			s.i += 2
			r2, ok := s.hex4()
			if !ok {
				return false
			}
			r = utf16.DecodeRune(r, r2)
		} else {
			r = utf8.RuneError
		}
	}
	s.c.num = utf8.AppendRune(s.c.num, r)
	return true
}

func (s *scanner) hex4() (rune, bool) {
	if s.i+4 > len(s.b) {
		s.fail("short \\u escape")
		return 0, false
	}
	var r rune
	for _, h := range s.b[s.i : s.i+4] {
		switch {
		case h >= '0' && h <= '9':
			r = r<<4 | rune(h-'0')
		case h >= 'a' && h <= 'f':
			r = r<<4 | rune(h-'a'+10)
		case h >= 'A' && h <= 'F':
			r = r<<4 | rune(h-'A'+10)
		default:
			s.fail("invalid \\u escape")
			return 0, false
		}
	}
	s.i += 4
	return r, true
}

// number reads a number literal (JSON grammar) and returns its text.
func (s *scanner) number() string {
	s.ws()
	start := s.i
	if s.i < len(s.b) && s.b[s.i] == '-' {
		s.i++
	}
	if !s.digits() {
		s.fail("invalid number")
		return ""
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if !s.digits() {
			s.fail("invalid number fraction")
			return ""
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if !s.digits() {
			s.fail("invalid number exponent")
			return ""
		}
	}
	return b2s(s.b[start:s.i])
}

func (s *scanner) digits() bool {
	start := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	return s.i > start
}

// literal consumes true, false or null.
func (s *scanner) literal(word string) {
	if len(s.b)-s.i < len(word) || b2s(s.b[s.i:s.i+len(word)]) != word {
		s.fail("invalid literal")
		return
	}
	s.i += len(word)
}

// skip validates and skips any value.
func (s *scanner) skip(depth int) {
	if depth > maxDepth {
		if s.err == nil {
			s.err = &SyntaxError{Offset: s.i, Msg: errDepth.Error()}
		}
		s.i = len(s.b)
		return
	}
	switch s.peek() {
	case '{':
		for it := s.open('{'); it.next(); {
			s.key()
			s.skip(depth + 1)
		}
	case '[':
		for it := s.open('['); it.next(); {
			s.skip(depth + 1)
		}
	case '"':
		s.str()
	case 't':
		s.literal("true")
	case 'f':
		s.literal("false")
	case 'n':
		s.literal("null")
	case 0:
		s.fail("unexpected end of input")
	default:
		s.number()
	}
}

// raw skips a value and returns its JSON text.
func (s *scanner) raw() string {
	s.ws()
	start := s.i
	s.skip(0)
	return b2s(s.b[start:s.i])
}

// end checks that only white space follows the top-level value.
func (s *scanner) end() {
	if s.err == nil && s.peek() != 0 {
		s.fail("unexpected data after the top-level value")
	}
}
