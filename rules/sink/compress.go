package sink

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/oort-rules/oort/rules/row"
)

// compressor compresses one payload (rules-api.md §2.2 compression).
type compressor func(src []byte) ([]byte, error)

func newCompressor(name string) (compressor, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "":
		return nil, nil
	case "zlib":
		return streamCompressor(func(w io.Writer) (io.WriteCloser, error) { return zlib.NewWriter(w), nil }), nil
	case "gzip":
		return streamCompressor(func(w io.Writer) (io.WriteCloser, error) { return gzip.NewWriter(w), nil }), nil
	case "flate":
		return streamCompressor(func(w io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(w, flate.DefaultCompression)
		}), nil
	case "zstd":
		enc, err := zstd.NewWriter(nil)
		if err != nil {
			return nil, fmt.Errorf("compression zstd: %w", err)
		}
		return func(src []byte) ([]byte, error) { return enc.EncodeAll(src, nil), nil }, nil
	}
	return nil, fmt.Errorf("compression %s is not supported", name)
}

func streamCompressor(open func(io.Writer) (io.WriteCloser, error)) compressor {
	return func(src []byte) ([]byte, error) {
		var buf bytes.Buffer
		w, err := open(&buf)
		if err != nil {
			return nil, fmt.Errorf("compression: %w", err)
		}
		if _, err := w.Write(src); err != nil {
			return nil, fmt.Errorf("compression: %w", err)
		}
		if err := w.Close(); err != nil {
			return nil, fmt.Errorf("compression: %w", err)
		}
		return buf.Bytes(), nil
	}
}

// compressing compresses payloads on their way to a byte connector.
type compressing struct {
	ByteConnector
	z compressor
}

func (c *compressing) SendBytes(ctx context.Context, payload []byte, first *row.Row) error {
	b, err := c.z(payload)
	if err != nil {
		return err
	}
	return c.ByteConnector.SendBytes(ctx, b, first)
}
