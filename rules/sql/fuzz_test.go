package sql

import (
	"errors"
	"testing"
)

// FuzzParse feeds arbitrary text to the parser: it must never panic, every
// error must carry a position inside the input, and everything that parses
// must survive Format → parse unchanged.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"select.sql", "statements.sql", "errors.txt", "exprs.txt"} {
		for _, e := range readCorpus(f, name) {
			input, _ := splitEntry(e.Text)
			f.Add(input)
		}
	}
	for _, s := range []string{"a - -1", "-(5).x", "x IN -3 .y", "3 .x", "- -9223372036854775808", "a->b.`c d`[1:]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		sts, err := ParseStatements(src)
		checkFuzzError(t, src, err)
		for _, st := range sts {
			if err := roundTrip(st, reparseStatement); err != nil {
				t.Fatalf("input %q: %v", src, err)
			}
			if c, ok := st.(*Create); ok {
				_ = c.Validate()
			}
		}
		x, err := ParseExpr(src)
		checkFuzzError(t, src, err)
		if err == nil {
			if err := roundTrip(x, reparseExpr); err != nil {
				t.Fatalf("expression %q: %v", src, err)
			}
		}
	})
}

func checkFuzzError(t *testing.T, src string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("input %q: error %T %v is not a non-empty ErrorList", src, err, err)
	}
	for _, e := range list {
		if e.Pos.Line < 1 || e.Pos.Col < 1 || e.Pos.Off < 0 || e.Pos.Off > len(src) {
			t.Fatalf("input %q: error %q has a bad position %+v", src, e.Msg, e.Pos)
		}
	}
	_ = list.Snippet(src)
}
