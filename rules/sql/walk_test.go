package sql

import (
	"strings"
	"testing"
)

func TestInspectVisitsEveryExpression(t *testing.T) {
	s, err := ParseSelect("SELECT a, f(b) FILTER (WHERE c) OVER (PARTITION BY d WHEN e ORDER BY g), " +
		"CASE h WHEN i THEN j ELSE k END, * REPLACE (l AS m) FROM s JOIN t ON n " +
		"WHERE o IN (p, q) AND r BETWEEN u AND v GROUP BY w HAVING x ORDER BY y LIMIT 1")
	if err != nil {
		t.Fatal(err)
	}
	var idents []string
	Inspect(s, func(n Node) bool {
		if id, ok := n.(*Ident); ok {
			idents = append(idents, id.Name)
		}
		return true
	})
	want := "a b c d e g h i j k l n o p q r u v w x y"
	if got := strings.Join(idents, " "); got != want {
		t.Errorf("visited %s\nwant    %s", got, want)
	}
}

func TestInspectSkipAndRewrite(t *testing.T) {
	s, err := ParseSelect("SELECT f(a + b) AS x, c FROM s WHERE d")
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	Inspect(s, func(n Node) bool {
		switch n := n.(type) {
		case *Call:
			seen = append(seen, n.Name)
			return false // do not look inside calls
		case *Ident:
			seen = append(seen, n.Name)
		case *Field:
			n.Alias = strings.ToUpper(n.Alias)
		}
		return true
	})
	if got := strings.Join(seen, " "); got != "f c d" {
		t.Errorf("visited %q, want %q", got, "f c d")
	}
	if got := Format(s); got != "SELECT f(a + b) AS X, c FROM s WHERE d" {
		t.Errorf("rewritten select: %s", got)
	}
}

func TestInspectCreate(t *testing.T) {
	st, err := ParseStatement(`CREATE STREAM s (a ARRAY(STRUCT(b BIGINT)), c STRING DEFAULT "x") WITH (TYPE="memory")`)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	Inspect(st, func(n Node) bool {
		switch n := n.(type) {
		case *ColumnDef:
			kinds = append(kinds, "col:"+n.Name)
		case *Type:
			kinds = append(kinds, n.Name)
		case *StringLit:
			kinds = append(kinds, "default:"+n.Val)
		case *Option:
			kinds = append(kinds, "opt:"+n.Key)
		}
		return true
	})
	want := "col:a array struct col:b bigint col:c string default:x opt:TYPE"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("visited %s\nwant    %s", got, want)
	}
}
