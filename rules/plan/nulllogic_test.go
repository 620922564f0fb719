package plan_test

import (
	"testing"
)

// nullRow has x and b present but NULL; "missing" is absent altogether.
func nullRow() []any { return []any{"x", nil, "b", nil, "n", 3} }

// TestNullLogicTable checks every row of the table in sql.md §7.2, both as a
// condition (WHERE) and, where the table gives one, as a select value. Each
// case is run with x present-but-NULL and with x absent from the row.
func TestNullLogicTable(t *testing.T) {
	type tc struct {
		expr string
		// cond: does WHERE expr accept the row; value: the select value
		// (JSON text), "" when the table row does not state a value.
		cond  bool
		value string
	}
	cases := []struct {
		name string
		tc
	}{
		{"x = 1 condition", tc{"x = 1", false, "false"}},
		{"x != 1 condition and value", tc{"x != 1", false, "false"}},
		{"x < 1 condition", tc{"x < 1", false, "false"}},
		{"NOT (x = 1)", tc{"NOT (x = 1)", false, "false"}},
		{"b OR true (Oort improvement)", tc{"b OR true", true, "true"}},
		{"true OR b", tc{"true OR b", true, "true"}},
		{"b AND true", tc{"b AND true", false, "false"}},
		{"x IN (1, 2)", tc{"x IN (1, 2)", false, "false"}},
		{"x NOT IN (1, 2)", tc{"x NOT IN (1, 2)", false, "false"}},
		{"3 NOT IN (1, NULL) (kept for compatibility)", tc{"3 NOT IN (1, NULL)", true, "true"}},
		{"x BETWEEN 1 AND 5", tc{"x BETWEEN 1 AND 5", false, "false"}},
		{"x NOT BETWEEN 1 AND 5", tc{"x NOT BETWEEN 1 AND 5", false, "false"}},
		{"x LIKE (Oort improvement: no error)", tc{`x LIKE "a%"`, false, "false"}},
		{"x = NULL", tc{"x = NULL", false, "false"}},
	}
	for _, xPresent := range []bool{true, false} {
		for _, c := range cases {
			name := c.name
			r := mk("b", nil, "n", 3)
			if xPresent {
				r = mk(nullRow()...)
			} else {
				name += " (x absent)"
			}
			t.Run(name, func(t *testing.T) {
				if got := passes(t, c.expr, r); got != c.cond {
					t.Errorf("WHERE %s accepted=%v, want %v", c.expr, got, c.cond)
				}
				if c.value != "" {
					wantValue(t, c.expr, r, c.value == "true")
				}
			})
		}
	}
}

// TestNullArithmeticAndBitwise covers the value rows of §7.2: x + 1, x * 2
// and x & 1 are NULL (eKuiper gives false for the bitwise one).
func TestNullArithmeticAndBitwise(t *testing.T) {
	r := mk(nullRow()...)
	for _, e := range []string{"x + 1", "x * 2", "x & 1", "1 | x", "x ^ 1", "-x", "x || \"a\"", "x - 1", "x / 2", "x % 2"} {
		wantValue(t, e, r, nil)
	}
}

// TestNullEmptySetMembership: an array operand that is NULL or not an array
// makes IN false and NOT IN true (§6.5, §7.2 row "x IN ()-like").
func TestNullEmptySetMembership(t *testing.T) {
	r := mk("arr", nil, "s", "text", "n", 3)
	wantValue(t, "n IN arr", r, false)
	wantValue(t, "n NOT IN arr", r, true)
	wantValue(t, "n IN s", r, false)
	wantValue(t, "n NOT IN s", r, true)
	wantValue(t, "n IN missing", r, false)
	wantValue(t, "n NOT IN missing", r, true)
	if !passes(t, "n NOT IN arr", r) {
		t.Error("WHERE n NOT IN <NULL array> should accept the row")
	}
	if passes(t, "n IN arr", r) {
		t.Error("WHERE n IN <NULL array> should reject the row")
	}
}

// TestNullCaseWhenNotTaken: CASE WHEN x > 1 takes no branch for NULL x.
func TestNullCaseWhenNotTaken(t *testing.T) {
	r := mk(nullRow()...)
	wantValue(t, `CASE WHEN x > 1 THEN "big" ELSE "other" END`, r, "other")
	wantValue(t, `CASE WHEN x > 1 THEN "big" END`, r, nil)
	wantValue(t, `CASE WHEN b THEN "yes" ELSE "no" END`, r, "no")
	if passes(t, `CASE WHEN x > 1 THEN true END`, r) {
		t.Error("WHERE CASE ... END with no branch taken (NULL) should reject the row")
	}
}

// TestKleeneLogic checks rule 2 of §7.2 (FALSE AND x = FALSE, TRUE OR x =
// TRUE, NOT UNKNOWN = UNKNOWN) where the difference from two-valued logic is
// visible: through NOT.
func TestKleeneLogic(t *testing.T) {
	r := mk(nullRow()...)
	cases := []struct {
		cond string
		want bool
	}{
		{"NOT b", false},
		{"NOT (NOT b)", false},
		{"NOT (false AND b)", true},
		{"NOT (b AND false)", true},
		{"NOT (b AND true)", false},
		{"NOT (b OR false)", false},
		{"NOT (b OR true)", false},
		{"true OR b", true},
		{"b OR b", false},
		{"b AND b", false},
		{"NOT (x > 1) OR true", true},
		{"NOT (x > 1) AND true", false},
		{"b", false},
		{"n > 1 AND NOT (x = 1) ", false},
	}
	for _, c := range cases {
		if got := passes(t, c.cond, r); got != c.want {
			t.Errorf("WHERE %s accepted=%v, want %v", c.cond, got, c.want)
		}
	}
}

// TestNullCollapsesToFalseAsValue checks rule 4 of §7.2: a logical result
// used as a value (function argument, operand of a non-logical operator, IN
// element) is false, never NULL.
func TestNullCollapsesToFalseAsValue(t *testing.T) {
	r := mk(nullRow()...)
	wantValue(t, "isnull(x > 1)", r, false)
	wantValue(t, `cast(x > 1, "string")`, r, "false")
	wantValue(t, "(x > 1) = false", r, true)
	if !passes(t, "(x > 1) = false", r) {
		t.Error("WHERE (x > 1) = false should accept the row (UNKNOWN becomes false as an operand)")
	}
	if !passes(t, "false IN (x > 1)", r) {
		t.Error("WHERE false IN (x > 1) should accept the row (UNKNOWN becomes false as an IN element)")
	}
	// A NULL column is a value, not a logical result: it stays NULL.
	wantValue(t, "b", r, nil)
	// IS NULL is never NULL.
	wantValue(t, "x IS NULL", r, true)
	wantValue(t, "x IS NOT NULL", r, false)
	wantValue(t, "missing IS NULL", r, true)
	wantValue(t, "n IS NOT NULL", r, true)
}

// TestNullEmptyValuesAreNotNull: an empty string, array or struct is not NULL
// (§6.8 "an empty-but-present value is not NULL").
func TestNullEmptyValuesAreNotNull(t *testing.T) {
	r := mk("s", "", "a", []any{}, "o", map[string]any{})
	for _, c := range []string{"s", "a", "o"} {
		wantValue(t, c+" IS NULL", r, false)
		wantValue(t, "isnull("+c+")", r, false)
	}
}
