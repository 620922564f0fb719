package sql

import (
	"strconv"
	"strings"
)

// tokKind is the lexical class of a token. Keywords are not separate kinds:
// they are tkIdent tokens compared case-insensitively by the parser, because
// IS, NULL and OUTER are contextual and most statement words are not reserved.
type tokKind uint8

const (
	tkEOF     tokKind = iota
	tkIllegal         // already reported by the lexer
	tkIdent           // plain identifier or keyword
	tkQIdent          // back-quoted identifier
	tkInt
	tkFloat
	tkString
	tkOp // operator or punctuation; Text holds its canonical spelling
)

// token is one lexical token. Text is the canonical text (operators) or the
// text as written (others); Val is the decoded value of strings and quoted
// identifiers.
type token struct {
	Kind   tokKind
	Text   string
	Val    string
	Single bool // string written with '...'
	Pos    Pos
}

// reserved holds the words that must be back-quoted to be used as names
// (sql.md §1.3).
var reserved = map[string]bool{
	"SELECT": true, "AS": true, "FROM": true, "WHERE": true, "AND": true, "OR": true,
	"GROUP": true, "HAVING": true, "ORDER": true, "BY": true, "DESC": true, "ASC": true,
	"FILTER": true, "INNER": true, "LEFT": true, "RIGHT": true, "FULL": true, "CROSS": true,
	"JOIN": true, "ON": true, "CASE": true, "WHEN": true, "THEN": true, "DEFAULT": true,
	"ELSE": true, "END": true, "IN": true, "NOT": true, "BETWEEN": true, "LIKE": true,
	"OVER": true, "PARTITION": true, "REPLACE": true, "EXCEPT": true, "INVISIBLE": true,
	"TRUE": true, "FALSE": true, "LIMIT": true, "DD": true, "HH": true, "MI": true,
	"SS": true, "MS": true,
}

// timeUnits are the reserved time unit keywords.
var timeUnits = map[string]bool{"DD": true, "HH": true, "MI": true, "SS": true, "MS": true}

// IsReserved reports whether word (any case) is a reserved keyword.
func IsReserved(word string) bool { return reserved[strings.ToUpper(word)] }

// isKeyword reports whether t is the unquoted word kw (kw upper-case).
func (t token) isKeyword(kw string) bool {
	return t.Kind == tkIdent && len(t.Text) == len(kw) && strings.EqualFold(t.Text, kw)
}

// isOp reports whether t is the operator op.
func (t token) isOp(op string) bool { return t.Kind == tkOp && t.Text == op }

// isName reports whether t can be used as a name: a back-quoted identifier or
// a plain word that is not reserved.
func (t token) isName() bool {
	return t.Kind == tkQIdent || (t.Kind == tkIdent && !reserved[strings.ToUpper(t.Text)])
}

// name returns the identifier a name token stands for.
func (t token) name() string {
	if t.Kind == tkQIdent {
		return t.Val
	}
	return t.Text
}

// describe renders t for "found X" in error messages.
func (t token) describe() string {
	switch t.Kind {
	case tkEOF:
		return "EOF"
	case tkQIdent:
		return strconv.Quote("`" + clip(t.Val) + "`")
	case tkOp:
		return strconv.Quote(t.Val)
	case tkString:
		return "string " + clip(t.Text) // already quoted; quoting again only adds backslashes
	}
	return strconv.Quote(clip(t.Text))
}

// clip shortens long token texts in messages.
func clip(s string) string {
	const max = 32
	if len(s) <= max {
		return s
	}
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max]) + "..."
}

// isPlainIdent reports whether s is a plain identifier [A-Za-z][A-Za-z0-9_]*.
func isPlainIdent(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '_' {
			return false
		}
	}
	return true
}

// needsQuote reports whether name must be back-quoted to be read back as the
// same identifier in operand position.
func needsQuote(name string) bool {
	return !isPlainIdent(name) || reserved[strings.ToUpper(name)] || strings.EqualFold(name, "NULL")
}

// QuoteIdent returns name as SQL: plain when possible, else back-quoted.
func QuoteIdent(name string) string {
	if needsQuote(name) {
		return "`" + name + "`"
	}
	return name
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
