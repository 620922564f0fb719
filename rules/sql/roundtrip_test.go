package sql

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the .golden files of the round-trip corpus")

// TestCorpusRoundTrip parses every corpus entry, checks that printing and
// re-parsing is stable and tree-preserving, and compares the canonical text
// with the golden file (regenerate with -update after reviewing a change).
func TestCorpusRoundTrip(t *testing.T) {
	for _, name := range []string{"select.sql", "statements.sql"} {
		t.Run(name, func(t *testing.T) {
			var printed []string
			for _, e := range readCorpus(t, name) {
				st, err := ParseStatement(e.Text)
				if err != nil {
					t.Errorf("%s:%d: %v\n%s", name, e.Line, err, err.(ErrorList).Snippet(e.Text))
					continue
				}
				if err := roundTrip(st, reparseStatement); err != nil {
					t.Errorf("%s:%d: %v", name, e.Line, err)
				}
				printed = append(printed, Format(st))
			}
			checkGolden(t, strings.TrimSuffix(name, ".sql")+".golden", strings.Join(printed, "\n----\n")+"\n")
		})
	}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("write golden %s: %v", path, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden %s (run with -update to create it): %v", path, err)
	}
	if string(want) != got {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for i := 0; i < len(wl) || i < len(gl); i++ {
			var w, g string
			if i < len(wl) {
				w = wl[i]
			}
			if i < len(gl) {
				g = gl[i]
			}
			if w != g {
				t.Fatalf("%s differs at line %d:\nwant: %s\n got: %s", path, i+1, w, g)
			}
		}
	}
}

// TestCorpusSelectsAreSelects checks the SELECT corpus through ParseSelect,
// the entry point rules use.
func TestCorpusSelectsAreSelects(t *testing.T) {
	for _, e := range readCorpus(t, "select.sql") {
		s, err := ParseSelect(e.Text)
		if err != nil {
			t.Errorf("select.sql:%d: %v", e.Line, err)
			continue
		}
		if len(s.Fields) == 0 || s.From.Name == "" {
			t.Errorf("select.sql:%d: empty select list or source: %+v", e.Line, s)
		}
	}
}

// TestCorpusCreatesValidate checks that every CREATE of the statement corpus
// passes the statement-level validation.
func TestCorpusCreatesValidate(t *testing.T) {
	n := 0
	for _, e := range readCorpus(t, "statements.sql") {
		st, err := ParseStatement(e.Text)
		if err != nil {
			t.Errorf("statements.sql:%d: %v", e.Line, err)
			continue
		}
		if c, ok := st.(*Create); ok {
			n++
			if err := c.Validate(); err != nil {
				t.Errorf("statements.sql:%d: validate: %v", e.Line, err)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d CREATE statements in the corpus", n)
	}
}

// TestCorpusHasConformanceStatements guards that the corpus keeps every
// statement used by the conformance cases.
func TestCorpusHasConformanceStatements(t *testing.T) {
	have := map[string]bool{}
	for _, f := range []string{"select.sql", "statements.sql"} {
		for _, e := range readCorpus(t, f) {
			have[e.Text] = true
		}
	}
	for _, s := range []string{
		"SELECT collect(*)[0]->color as c, window_end() as we FROM demo GROUP BY COUNTWINDOW(3)",
		"select size, row_number() from demo group by countWindow(5)",
		"CREATE STREAM demoE3 () WITH (DATASOURCE=\"demoE3\", FORMAT=\"JSON\", TIMESTAMP=\"ts\")",
		"CREATE TABLE demoTable (device STRING, ts BIGINT) WITH (DATASOURCE=\"demoTable\", FORMAT=\"JSON\", RETAIN_SIZE=\"3\")",
	} {
		if !have[s] {
			t.Errorf("corpus lacks %q", s)
		}
	}
}

func TestParseStatementsMultiple(t *testing.T) {
	src := "CREATE STREAM a () WITH (TYPE=\"memory\");\n;SHOW STREAMS; SELECT x FROM a;"
	sts, err := ParseStatements(src)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, st := range sts {
		kinds = append(kinds, Format(st))
	}
	want := `CREATE STREAM a () WITH (TYPE="memory")|SHOW STREAMS|SELECT x FROM a`
	if got := strings.Join(kinds, "|"); got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
	if p := sts[2].Pos(); p.Line != 2 || p.Col != 16 {
		t.Errorf("third statement at %s, want 2:16", p)
	}
	sts, err = ParseStatements("  ; -- nothing\n")
	if err != nil || len(sts) != 0 {
		t.Errorf("empty input: %v, %v", sts, err)
	}
}
