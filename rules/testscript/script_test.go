package testscript

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/fn"
)

// TestScripts runs every behaviour script under testdata/.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts found: %v", err)
	}
	reg := fn.NewCatalog()
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		cases, err := Parse(filepath.Base(f), fh)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			for _, buffered := range []bool{false, true} {
				c, buffered := c, buffered
				name := strings.TrimSuffix(filepath.Base(f), ".txt") + "/" + c.Name
				if buffered {
					name += "/buffered"
				}
				t.Run(name, func(t *testing.T) { runCase(t, reg, c, buffered) })
			}
		}
	}
}

// runCase runs one script case; buffered disables incremental aggregation,
// which must never change results (sql.md §9.8).
func runCase(t *testing.T, reg *fn.Registry, c Case, buffered bool) {
	r, err := newRunner(reg, 0, buffered)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Run(c); err != nil {
		if u, ok := err.(*ErrUnsupported); ok {
			t.Skipf("unsupported: %s", u.Msg)
		}
		t.Fatal(err)
	}
}

// conformanceDir is ../shared/conformance/cases beside the repository, as CI
// lays it out; OORT_CONFORMANCE_DIR overrides it.
func conformanceDir() string {
	if d := os.Getenv("OORT_CONFORMANCE_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "conformance", "cases")
}

// TestConformance runs every shared conformance case. Cases that need a
// feature the engine still refuses are skipped with the feature named.
func TestConformance(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(conformanceDir(), "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance cases in %s (set OORT_CONFORMANCE_DIR): %v", conformanceDir(), err)
	}
	reg := fn.NewCatalog()
	for _, f := range files {
		for _, buffered := range []bool{false, true} {
			f, buffered := f, buffered
			name := strings.TrimSuffix(filepath.Base(f), ".json")
			if buffered {
				name += "/buffered"
			}
			t.Run(name, func(t *testing.T) { runConformanceFile(t, reg, f, buffered) })
		}
	}
}

func runConformanceFile(t *testing.T, reg *fn.Registry, f string, buffered bool) {
	c, err := LoadConformance(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := RunConformance(reg, c, buffered); err != nil {
		if u, ok := err.(*ErrUnsupported); ok {
			t.Skipf("unsupported: %s", u.Msg)
		}
		t.Fatalf("%s (%s): %v\nsql: %s", c.Name, c.Source, err, c.Rule.SQL)
	}
}
