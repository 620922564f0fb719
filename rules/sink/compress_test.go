package sink

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/oort-rules/oort/rules/row"
)

func TestCompression(t *testing.T) {
	readers := map[string]func([]byte) (io.Reader, error){
		"gzip": func(b []byte) (io.Reader, error) { return gzip.NewReader(bytes.NewReader(b)) },
		"zlib": func(b []byte) (io.Reader, error) { return zlib.NewReader(bytes.NewReader(b)) },
		"flate": func(b []byte) (io.Reader, error) {
			return flate.NewReader(bytes.NewReader(b)), nil
		},
		"zstd": func(b []byte) (io.Reader, error) { return zstd.NewReader(bytes.NewReader(b)) },
	}
	for name, open := range readers {
		c := &byteRec{}
		n := openNode(t, NodeSpec{Type: "test", Factory: factoryOf(c), Props: map[string]any{"compression": name, "sendSingle": true}})
		n.Send([]*row.Row{R("a", 1)})
		closeNode(t, n)
		got := c.got()
		if len(got) != 1 {
			t.Fatalf("%s: %d messages", name, len(got))
		}
		r, err := open([]byte(got[0]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		plain, err := io.ReadAll(r)
		if err != nil || string(plain) != `{"a":1}` {
			t.Fatalf("%s: %q %v", name, plain, err)
		}
	}
}
