package fn

import (
	"bytes"
	"compress/gzip"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/value"
)

// TestConversionConformance replays fn_cast_encode_trunc and the hex part of
// fn_conv_format_hex.
func TestConversionConformance(t *testing.T) {
	for _, c := range []p1Case{
		{"cast", []value.Value{p1F(1.2), p1S("bigint")}, "1"},
		{"cast", []value.Value{p1I(5), p1S("bigint")}, "5"},
		{"cast", []value.Value{p1F(1.2), p1S("string")}, `"1.2"`},
		{"cast", []value.Value{value.True, p1S("string")}, `"true"`},
		{"cast", []value.Value{p1S("true"), p1S("boolean")}, "true"},
		{"cast", []value.Value{p1S("1"), p1S("boolean")}, "true"},
		{"cast", []value.Value{p1F(0), p1S("boolean")}, "false"},
		{"encode", []value.Value{p1S("hello"), p1S("base64")}, `"aGVsbG8="`},
		{"trunc", []value.Value{p1F(3.1415), p1I(2)}, "3.14"},
		{"trunc", []value.Value{p1I(3), p1I(2)}, "3.0"},
	} {
		got, err := p1Lit(c.call, c.args...)
		p1Check(t, c.call, got, err, c.want)
	}
	p1RunCols(t, []p1Case{
		{"hex2dec(hx)", []value.Value{p1S("0x10")}, "16"},
		{"dec2hex(dx)", []value.Value{p1I(16)}, `"0x10"`},
	})
}

func TestConversionEdges(t *testing.T) {
	ts := value.FromTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	p1RunCols(t, []p1Case{
		{"cast(x, 'int')", []value.Value{p1I(1), p1S("int")}, "error"},
		{"cast(x, 1)", []value.Value{p1I(1), p1I(1)}, "error"},
		{"cast(arr, 'string')", []value.Value{value.FromArray([]value.Value{p1I(1)}), p1S("string")}, `"[1]"`},
		{"to_seconds(ts)", []value.Value{ts}, "1704164645"},
		{"to_seconds('x')", []value.Value{p1S("x")}, "error"},
		{"encode(bytes, 'base64')", []value.Value{value.FromBytes([]byte("hi")), p1S("base64")}, `"aGk="`},
		{"encode(1, 'base64')", []value.Value{p1I(1), p1S("base64")}, "error"},
		{"encode(s, method)", []value.Value{p1S("x"), p1S("hex")}, "error"},
		{"decode(1, 'base64')", []value.Value{p1I(1), p1S("base64")}, "error"},
		{"trunc(-1.99, 0)", []value.Value{p1F(-1.99), p1I(0)}, "-1.0"},
		{"trunc(0.29, 2)", []value.Value{p1F(0.29), p1I(2)}, "0.29"},
		{"trunc(1.23456, 40)", []value.Value{p1F(1.23456), p1I(40)}, "1.23456"},
		{"trunc(1.99, -3)", []value.Value{p1F(1.99), p1I(-3)}, "1.0"},
		{"trunc(1e300, 2)", []value.Value{p1F(1e300), p1I(2)}, "1e300"},
		{"trunc('1', 2)", []value.Value{p1S("1"), p1I(2)}, "error"},
		{"chr(65.0)", []value.Value{p1F(65)}, `"A"`},
		{"chr('é')", []value.Value{p1S("é")}, `"é"`},
		{"chr('ab')", []value.Value{p1S("ab")}, "error"},
		{"chr(0xD800)", []value.Value{p1I(0xD800)}, "error"},
		{"hex2dec('FFFFFFFFFFFFFFFF')", []value.Value{p1S("FFFFFFFFFFFFFFFF")}, "18446744073709551615"},
		{"hex2dec('-0x10')", []value.Value{p1S("-0x10")}, "-16"},
		{"hex2dec(16)", []value.Value{p1I(16)}, "error"},
		{"hex2dec('-0x8000000000000000')", []value.Value{p1S("-0x8000000000000000")}, "-9223372036854775808"},
		{"hex2dec('-0x8000000000000001')", []value.Value{p1S("-0x8000000000000001")}, "error"},
		{"hex2dec('0x')", []value.Value{p1S("0x")}, "error"},
		{"dec2hex(uint)", []value.Value{value.FromUint(1<<63 + 10)}, `"0x800000000000000a"`},
		{"dec2hex(-1)", []value.Value{p1I(-1)}, `"-0x1"`},
		{"dec2hex(1.5)", []value.Value{p1F(1.5)}, "error"},
	})
	got, err := p1Col("cast", p1I(1541152486013), p1S("datetime"))
	if err != nil || got.Kind() != value.Datetime || got.Time().UnixMilli() != 1541152486013 {
		t.Errorf("cast(epoch ms, datetime) = %s, %v", value.ToJSON(got), err)
	}
}

func TestConvertTZ(t *testing.T) {
	got, err := p1Lit("convert_tz", p1I(0), p1S("Asia/Shanghai"))
	if err != nil || got.Kind() != value.Datetime || value.Text(got) != "1970-01-01T08:00:00.000+08:00" {
		t.Fatalf("convert_tz literal zone = %s, %v", value.ToJSON(got), err)
	}
	got, err = p1Col("convert_tz", p1S("2024-01-01T00:00:00Z"), p1S("America/New_York"))
	if err != nil || value.Text(got) != "2023-12-31T19:00:00.000-05:00" {
		t.Fatalf("convert_tz column zone = %s, %v", value.ToJSON(got), err)
	}
	if _, err := p1Lit("convert_tz", p1I(0), p1S("Mars/Olympus")); err == nil || !strings.Contains(err.Error(), "unknown time zone") {
		t.Errorf("bad literal zone: %v", err)
	}
	if _, err := p1Col("convert_tz", p1I(0), p1S("Mars/Olympus")); err == nil {
		t.Error("bad column zone must be a runtime error")
	}
}

func TestCompressRoundTrip(t *testing.T) {
	payload := strings.Repeat("sensor reading 42; ", 200)
	for _, m := range []string{"zlib", "gzip", "flate", "zstd"} {
		packed, err := p1Lit("compress", p1S(payload), p1S(m))
		if err != nil || packed.Kind() != value.Bytes || len(packed.Bytes()) >= len(payload) {
			t.Fatalf("compress %s: %d bytes, %v", m, len(packed.Bytes()), err)
		}
		// column method: the codec is built per call
		back, err := p1Col("decompress", packed, p1S(m))
		if err != nil || string(back.Bytes()) != payload {
			t.Fatalf("decompress %s: %q, %v", m, back.Bytes(), err)
		}
		if _, err := p1Lit("decompress", p1S("not compressed at all"), p1S(m)); err == nil {
			t.Errorf("decompress %s of garbage must fail", m)
		}
	}
	if _, err := p1Lit("compress", p1S("x"), p1S("lz4")); err == nil || !strings.Contains(err.Error(), "unsupported compression method") {
		t.Errorf("unknown method: %v", err)
	}
	if _, err := p1Col("compress", p1I(1), p1S("zlib")); err == nil {
		t.Error("compressing a number must fail")
	}
}

// TestDecompressLimit checks that a small gzip bomb is refused.
func TestDecompressLimit(t *testing.T) {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	zeros := make([]byte, 1<<20)
	for i := 0; i < (maxInflated>>20)+1; i++ {
		w.Write(zeros)
	}
	w.Close()
	_, err := p1Lit("decompress", value.FromBytes(buf.Bytes()), p1S("gzip"))
	if err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Fatalf("bomb of %d bytes: %v", buf.Len(), err)
	}
}

// TestZstdNoGoroutines: binding zstd for many rules must not leave
// background goroutines behind.
func TestZstdNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	for i := 0; i < 20; i++ {
		if _, err := p1Lit("compress", p1S("abc"), p1S("zstd")); err != nil {
			t.Fatal(err)
		}
		if _, err := p1Lit("decompress", p1S("abc"), p1S("zstd")); err == nil {
			t.Fatal("garbage must not decode")
		}
	}
	if after := runtime.NumGoroutine(); after > before+2 {
		t.Errorf("goroutines grew from %d to %d", before, after)
	}
}
