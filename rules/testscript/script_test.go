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
			c := c
			t.Run(strings.TrimSuffix(filepath.Base(f), ".txt")+"/"+c.Name, func(t *testing.T) {
				r, err := NewRunner(reg, 0)
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				if err := r.Run(c); err != nil {
					if u, ok := err.(*ErrUnsupported); ok {
						t.Skipf("unsupported until windows/joins land: %s", u.Msg)
					}
					t.Fatal(err)
				}
			})
		}
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
		f := f
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			c, err := LoadConformance(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := RunConformance(reg, c); err != nil {
				if u, ok := err.(*ErrUnsupported); ok {
					t.Skipf("unsupported until windows/joins land: %s", u.Msg)
				}
				t.Fatalf("%s (%s): %v\nsql: %s", c.Name, c.Source, err, c.Rule.SQL)
			}
		})
	}
}
