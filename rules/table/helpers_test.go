package table

import (
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// rowText renders rows as "{a:1 b:x}" lists so tests compare whole results,
// column order included.
func rowText(rows []*row.Row) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		cols := make([]string, len(r.Cols))
		for j, c := range r.Cols {
			cols[j] = c.Name + ":" + value.Text(c.Val)
		}
		parts[i] = "{" + strings.Join(cols, " ") + "}"
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func mk(cols ...any) *row.Row {
	r := &row.Row{}
	for i := 0; i+1 < len(cols); i += 2 {
		r.Set(cols[i].(string), value.FromGo(cols[i+1]), nil)
	}
	return r
}

func withKind(r *row.Row, kind string, key any) *row.Row {
	m := row.MapMeta{"rowkind": value.FromString(kind)}
	if key != nil {
		m["key"] = value.FromGo(key)
	}
	r.Meta = m
	return r
}

func wantRows(t *testing.T, got []*row.Row, err error, want string) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if s := rowText(got); s != want {
		t.Fatalf("got %s\nwant %s", s, want)
	}
}

func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("expected an error containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Fatalf("error %q does not contain %q", err, p)
		}
	}
}
