package eventrow

import (
	"os"
	"testing"
)

// FuzzDecodeMessage feeds arbitrary bytes (seeded with every testdata
// envelope) to the decoder: it must never panic, and a row it returns must
// be usable (columns, metadata).
func FuzzDecodeMessage(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if b, err := os.ReadFile("testdata/" + e.Name()); err == nil && !e.IsDir() {
			f.Add(b)
		}
	}
	d := NewDecoder(Options{Logger: &recLogger{}})
	opt := NewDecoder(Options{OptimizedPayload: true})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, dec := range []*Decoder{d, opt} {
			r, st, err := dec.DecodeMessage("fuzz", data)
			if err != nil {
				if r != nil {
					t.Fatalf("row and error together: %v", err)
				}
				continue
			}
			if r == nil || len(r.Cols) == 0 || st.Columns != len(r.Cols) {
				t.Fatalf("no error but row %v stats %+v", r, st)
			}
			_ = show(r.Object())
			_ = show(r.Meta.All())
		}
	})
}
