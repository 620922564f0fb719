package sql

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Error is one syntax or statement error at a position.
type Error struct {
	Pos Pos
	Msg string
}

// Error returns "line:col: msg".
func (e *Error) Error() string {
	if !e.Pos.IsValid() {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// ErrorList is a list of errors, sorted by position once Sort is called. The
// parser always returns it sorted.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos Pos, msg string) { *l = append(*l, &Error{Pos: pos, Msg: msg}) }

// Len, Less and Swap implement sort.Interface (by offset, then message).
func (l ErrorList) Len() int      { return len(l) }
func (l ErrorList) Swap(i, j int) { l[i], l[j] = l[j], l[i] }
func (l ErrorList) Less(i, j int) bool {
	if l[i].Pos.Off != l[j].Pos.Off {
		return l[i].Pos.Off < l[j].Pos.Off
	}
	return l[i].Msg < l[j].Msg
}

// Sort sorts the list by position and drops exact duplicates.
func (l *ErrorList) Sort() {
	sort.Stable(*l)
	out := (*l)[:0]
	for i, e := range *l {
		if i > 0 && e.Pos == out[len(out)-1].Pos && e.Msg == out[len(out)-1].Msg {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

// Error returns the first error plus a count of the others, as go/scanner
// does.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	case 2:
		return fmt.Sprintf("%s (and 1 more error)", l[0])
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Err returns nil for an empty list, else the list itself.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Unwrap exposes the individual errors to errors.Is/As.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Snippet renders every error with the offending source line and a caret
// under its column, for people reading CLI output or logs.
func (l ErrorList) Snippet(src string) string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
		if c := Caret(src, e.Pos); c != "" {
			b.WriteByte('\n')
			b.WriteString(c)
		}
	}
	return b.String()
}

// Caret returns the source line of p, indented, with a caret under its
// column on the next line ("" when src has no such line).
func Caret(src string, p Pos) string {
	line, ok := sourceLine(src, p.Line)
	if !ok {
		return ""
	}
	return "    " + line + "\n    " + caretPad(line, p.Col) + "^"
}

// sourceLine returns line n (1-based) of src without its line break.
func sourceLine(src string, n int) (string, bool) {
	if n < 1 {
		return "", false
	}
	lines := strings.Split(src, "\n")
	if n > len(lines) {
		return "", false
	}
	return strings.TrimRight(lines[n-1], "\r"), true
}

// caretPad returns the padding that puts a caret under column col of line,
// copying tabs so the caret lines up whatever the tab width.
func caretPad(line string, col int) string {
	var b strings.Builder
	for i, n := 0, 1; n < col && i < len(line); n++ {
		r, size := utf8.DecodeRuneInString(line[i:])
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		i += size
	}
	return b.String()
}
