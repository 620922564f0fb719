package sql

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// corpusEntry is one entry of a testdata file: the text between lines of
// "----", and the 1-based line it starts on.
type corpusEntry struct {
	Line int
	Text string
}

func readCorpus(t testing.TB, name string) []corpusEntry {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read corpus %s: %v", name, err)
	}
	var out []corpusEntry
	var cur []string
	start := 1
	flush := func(next int) {
		text := strings.Join(cur, "\n")
		if strings.TrimSpace(text) != "" {
			out = append(out, corpusEntry{Line: start, Text: text})
		}
		cur, start = nil, next
	}
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if line == "----" {
			flush(i + 2)
			continue
		}
		cur = append(cur, line)
	}
	flush(0)
	if len(out) == 0 {
		t.Fatalf("corpus %s is empty", name)
	}
	return out
}

// cosmetic fields record how something was written, not what it means; the
// printer normalises them, so round-trip comparison skips them.
var cosmetic = map[string]bool{"Single": true, "Quoted": true, "QuotedKey": true}

var posType = reflect.TypeOf(Pos{})

// astDiff compares two trees ignoring positions and cosmetic fields and
// returns the path of the first difference, or "".
func astDiff(a, b any) string {
	return diffValue(reflect.ValueOf(a), reflect.ValueOf(b), "root")
}

func diffValue(a, b reflect.Value, path string) string {
	if a.IsValid() != b.IsValid() {
		return path + ": validity differs"
	}
	if !a.IsValid() {
		return ""
	}
	if a.Type() != b.Type() {
		return fmt.Sprintf("%s: type %s vs %s", path, a.Type(), b.Type())
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path + ": nil differs"
			}
			return ""
		}
		return diffValue(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			f := a.Type().Field(i)
			if f.Type == posType || cosmetic[f.Name] {
				continue
			}
			if d := diffValue(a.Field(i), b.Field(i), path+"."+f.Name); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return fmt.Sprintf("%s: slice %d (nil %v) vs %d (nil %v)", path, a.Len(), a.IsNil(), b.Len(), b.IsNil())
		}
		for i := 0; i < a.Len(); i++ {
			if d := diffValue(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Float64:
		if a.Float() != b.Float() && !(a.Float() != a.Float() && b.Float() != b.Float()) {
			return fmt.Sprintf("%s: %v vs %v", path, a.Float(), b.Float())
		}
		return ""
	}
	if !reflect.DeepEqual(a.Interface(), b.Interface()) {
		return fmt.Sprintf("%s: %v vs %v", path, a.Interface(), b.Interface())
	}
	return ""
}

// roundTrip checks parse → Format → parse → Format: both texts identical and
// both trees equal. parse re-parses a printed text.
func roundTrip(n Node, parse func(string) (Node, error)) error {
	s1 := Format(n)
	n2, err := parse(s1)
	if err != nil {
		return fmt.Errorf("reparse of %q: %w", s1, err)
	}
	if s2 := Format(n2); s1 != s2 {
		return fmt.Errorf("format not stable:\n first: %s\nsecond: %s", s1, s2)
	}
	if d := astDiff(n, n2); d != "" {
		return fmt.Errorf("trees differ after round trip of %q: %s", s1, d)
	}
	return nil
}

func reparseStatement(s string) (Node, error) { return ParseStatement(s) }
func reparseExpr(s string) (Node, error)      { return ParseExpr(s) }

// sexpr renders an expression as a compact S-expression that makes the tree
// shape (precedence, associativity) visible in test tables.
func sexpr(e Expr) string {
	switch e := e.(type) {
	case nil:
		return "_"
	case *Ident:
		return e.Name
	case *IntLit:
		if e.Unsigned {
			return "u" + strconv.FormatUint(e.Uval, 10)
		}
		return strconv.FormatInt(e.Val, 10)
	case *FloatLit:
		return "f" + strconv.FormatFloat(e.Val, 'g', -1, 64)
	case *StringLit:
		return strconv.Quote(e.Val)
	case *BoolLit:
		return strings.ToUpper(strconv.FormatBool(e.Val))
	case *NullLit:
		return "NULL"
	case *TimeUnit:
		return "unit:" + e.Unit
	case *Star:
		return "*"
	case *Unary:
		return "(" + e.Op + " " + sexpr(e.X) + ")"
	case *Binary:
		return "(" + e.Op + " " + sexpr(e.L) + " " + sexpr(e.R) + ")"
	case *Access:
		op := "."
		if e.Arrow {
			op = "->"
		}
		return "(" + op + " " + sexpr(e.X) + " " + e.Key + ")"
	case *Index:
		return "([] " + sexpr(e.X) + " " + sexpr(e.Index) + ")"
	case *Slice:
		return "([:] " + sexpr(e.X) + " " + sexpr(e.Lo) + " " + sexpr(e.Hi) + ")"
	}
	return sexprMore(e)
}

func not(b bool) string {
	if b {
		return "NOT "
	}
	return ""
}

func sexprList(list []Expr) string {
	parts := make([]string, len(list))
	for i, x := range list {
		parts[i] = sexpr(x)
	}
	return strings.Join(parts, " ")
}

func sexprMore(e Expr) string {
	switch e := e.(type) {
	case *IsNull:
		return "(IS " + not(e.Not) + "NULL " + sexpr(e.X) + ")"
	case *In:
		if e.List == nil {
			return "(" + not(e.Not) + "IN " + sexpr(e.X) + " " + sexpr(e.Set) + ")"
		}
		return "(" + not(e.Not) + "IN " + sexpr(e.X) + " [" + sexprList(e.List) + "])"
	case *Between:
		return "(" + not(e.Not) + "BETWEEN " + sexpr(e.X) + " " + sexpr(e.Lo) + " " + sexpr(e.Hi) + ")"
	case *Like:
		return "(" + not(e.Not) + "LIKE " + sexpr(e.X) + " " + sexpr(e.Pattern) + ")"
	case *Case:
		s := "(CASE " + sexpr(e.Value)
		for _, w := range e.Whens {
			s += " (WHEN " + sexpr(w.Cond) + " " + sexpr(w.Result) + ")"
		}
		return s + " (ELSE " + sexpr(e.Else) + "))"
	case *Call:
		s := "(" + e.Name + "()"
		if len(e.Args) > 0 {
			s += " " + sexprList(e.Args)
		}
		if e.Filter != nil {
			s += " FILTER " + sexpr(e.Filter)
		}
		if o := e.Over; o != nil {
			s += " OVER[" + sexprList(o.PartitionBy) + "|" + sexpr(o.When) + "|"
			for _, it := range o.OrderBy {
				s += sexpr(it.X)
				if it.Desc {
					s += " DESC"
				}
			}
			s += "]"
		}
		return s + ")"
	}
	return fmt.Sprintf("?%T", e)
}
