package fn

// Argument helpers shared by the array functions (array.go).

import (
	"fmt"

	"github.com/oort-rules/oort/rules/value"
)

// maxBuiltElems caps arrays built from a count (repeat, sequence) so a bad
// argument is a runtime error instead of exhausting memory.
const maxBuiltElems = 1 << 20

// describe renders a value for error messages, shortened.
func describe(v value.Value) string {
	s := value.Text(v)
	if len(s) > 64 {
		s = s[:61] + "..."
	}
	return value.TypeName(v) + "(" + s + ")"
}

func arrayArg(name string, v value.Value, i int) ([]value.Value, error) {
	if v.Kind() != value.Array {
		return nil, fmt.Errorf("%s: argument %d should be an array, got %s", name, i+1, describe(v))
	}
	return v.Arr(), nil
}

// matches is element equality for searches: a NULL needle finds NULL
// elements (as in eKuiper), anything else uses SQL equality.
func matches(elem, needle value.Value) bool {
	if needle.IsNull() {
		return elem.IsNull()
	}
	return value.Loose(elem, needle)
}

// valueSet is a set under SQL equality. Scalars that can only equal values of
// their own family (numbers, strings, booleans, NULL) are hashed; the rest
// (datetimes, which also equal numbers and strings, bytes, arrays, structs)
// are compared one by one.
