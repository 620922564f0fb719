package fn

// Conversion and transformation functions of sql.md §12.5.

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/zstd"

	"github.com/oort-rules/oort/rules/value"
)

// zoneOfEnv is the service time zone, UTC without an Env.
func zoneOfEnv(env *Env) *time.Location {
	if env == nil || env.TZ == nil {
		return time.UTC
	}
	return env.TZ
}

// literalString returns the value of argument i when it is a string literal.
func literalString(args []Arg, i int) (string, bool) {
	if i >= len(args) || !args[i].Literal || args[i].Val.Kind() != value.String {
		return "", false
	}
	return args[i].Val.Str(), true
}

// checkLiteral validates argument i with check when it is a string literal.
func checkLiteral(i int, check func(string) error) func([]Arg) error {
	return func(args []Arg) error {
		if s, ok := literalString(args, i); ok {
			return check(s)
		}
		return nil
	}
}

func conversionFuncs() []*Func {
	return []*Func{
		castFunc(),
		convertTZFunc(),
		{
			Name: "to_seconds", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(d)", Returns: "bigint",
			Doc: "Unix seconds of a datetime (a datetime, epoch-ms number or datetime string)", Eval: toSecondsImpl,
			Examples: []Example{{"to_seconds(1700000000123)", "1700000000"}, {`to_seconds("2024-01-01T00:00:00Z")`, "1704067200"}},
		},
		base64Func("encode", "base64 text of a string's UTF-8 bytes or of a bytea", encodeImpl,
			Example{`encode("hello", "base64")`, `"aGVsbG8="`}, Example{`encode("hello", "hex")`, "error"}),
		base64Func("decode", "bytea decoded from base64 text", decodeImpl,
			Example{`numbytes(decode("aGVsbG8=", "base64"))`, "5"}, Example{`decode("!!", "base64")`, "error"}),
		compressFunc("compress", "compress a string or bytea with zlib, gzip, flate or zstd; returns bytea", false,
			Example{`encode(decompress(compress("hello", "zstd"), "zstd"), "base64")`, `"aGVsbG8="`}),
		compressFunc("decompress", "inverse of compress; returns bytea", true,
			Example{`encode(decompress(compress("hello", "gzip"), "gzip"), "base64")`, `"aGVsbG8="`},
			Example{`decompress("hello", "zlib")`, "error"}),
		{
			Name: "trunc", Kind: Scalar, MinArgs: 2, MaxArgs: 2, Args: "(x, n)", Returns: "float",
			Doc:      "x truncated toward zero to n decimal places (n is clamped to 0-34)",
			Validate: literalKinds(litNumber, litInteger), Eval: truncImpl,
			Examples: []Example{{"trunc(3.1415, 2)", "3.14"}, {"trunc(3, 2)", "3.0"}, {"trunc(-1.99, 0)", "-1.0"}},
		},
		{
			Name: "chr", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(n)", Returns: "string",
			Doc:      "the character with code point n (a one-character string is returned as is)",
			Validate: literalKinds(litAny), Eval: chrImpl,
			Examples: []Example{{"chr(65)", `"A"`}, {"chr(20013)", `"中"`}, {"chr(-1)", "error"}},
		},
		{
			Name: "hex2dec", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(s)", Returns: "bigint",
			Doc:      `hexadecimal string ("0x10" or "10") to bigint`,
			Validate: literalKinds(litString), Eval: hex2decImpl,
			Examples: []Example{{`hex2dec("0x10")`, "16"}, {`hex2dec("ff")`, "255"}, {`hex2dec("xyz")`, "error"}},
		},
		{
			Name: "dec2hex", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(n)", Returns: "string",
			Doc:      `bigint to a "0x" prefixed lowercase hexadecimal string`,
			Validate: literalKinds(litInteger), Eval: dec2hexImpl,
			Examples: []Example{{"dec2hex(16)", `"0x10"`}, {"dec2hex(-255)", `"-0xff"`}},
		},
	}
}

func castFunc() *Func {
	return &Func{
		Name: "cast", Kind: Scalar, MinArgs: 2, MaxArgs: 2, Args: `(x, "type")`, Returns: "any",
		Doc: "convert x to bigint, float, string, boolean, datetime or bytea (sql.md §3.4)",
		Validate: allOf(literalKinds(litAny, litString), checkLiteral(1, func(t string) error {
			if !value.IsCastType(t) {
				return fmt.Errorf("expect one of bigint, float, string, boolean, datetime, bytea for parameter 2, found %q", t)
			}
			return nil
		})),
		Eval: func(env *Env, args []value.Value) (value.Value, error) {
			if args[1].Kind() != value.String {
				return value.NullValue, fmt.Errorf("cast: expect string type for parameter 2, found %s", value.TypeName(args[1]))
			}
			return value.CastIn(args[0], args[1].Str(), "", zoneOfEnv(env))
		},
		Examples: []Example{{`cast(1.2, "bigint")`, "1"}, {`cast(1.2, "string")`, `"1.2"`}, {`cast("1", "boolean")`, "true"},
			{`cast("abc", "float")`, "error"}},
	}
}

func loadZone(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	return loc, nil
}

func convertTZFunc() *Func {
	run := func(env *Env, d value.Value, loc *time.Location) (value.Value, error) {
		t, err := value.ToTime(d, zoneOfEnv(env))
		if err != nil {
			return value.NullValue, fmt.Errorf("convert_tz: %w", err)
		}
		return value.FromTime(t.In(loc)), nil
	}
	return &Func{
		Name: "convert_tz", Kind: Scalar, MinArgs: 2, MaxArgs: 2, Args: "(d, zone)", Returns: "datetime",
		Doc: "the same instant in another zone (IANA name, UTC or Local)",
		Validate: allOf(literalKinds(litAny, litString), checkLiteral(1, func(z string) error {
			_, err := loadZone(z)
			return err
		})),
		Bind: func(args []Arg) (Impl, error) {
			name, ok := literalString(args, 1)
			if !ok {
				return nil, nil
			}
			loc, err := loadZone(name)
			if err != nil {
				return nil, fmt.Errorf("convert_tz: %w", err)
			}
			return func(env *Env, a []value.Value) (value.Value, error) { return run(env, a[0], loc) }, nil
		},
		Eval: func(env *Env, args []value.Value) (value.Value, error) {
			loc, err := loadZone(value.Text(args[1]))
			if err != nil {
				return value.NullValue, fmt.Errorf("convert_tz: %w", err)
			}
			return run(env, args[0], loc)
		},
		Examples: []Example{{`cast(convert_tz(0, "Asia/Shanghai"), "string")`, `"1970-01-01T08:00:00.000+08:00"`},
			{`convert_tz(0, "Mars/Olympus")`, "error"}},
	}
}

func toSecondsImpl(env *Env, args []value.Value) (value.Value, error) {
	t, err := value.ToTime(args[0], zoneOfEnv(env))
	if err != nil {
		return value.NullValue, fmt.Errorf("to_seconds: %w", err)
	}
	return value.FromInt(t.Unix()), nil
}

func base64Func(name, doc string, eval Impl, ex ...Example) *Func {
	ret := "string"
	if name == "decode" {
		ret = "bytea"
	}
	return &Func{
		Name: name, Kind: Scalar, MinArgs: 2, MaxArgs: 2, Args: `(x, "base64")`, Returns: ret, Doc: doc,
		Validate: allOf(literalKinds(litString), checkLiteral(1, checkBase64Method)), Eval: eval, Examples: ex,
	}
}

func checkBase64Method(m string) error {
	if !strings.EqualFold(m, "base64") {
		return fmt.Errorf("only base64 is supported for parameter 2, found %q", m)
	}
	return nil
}

func encodeImpl(_ *Env, args []value.Value) (value.Value, error) {
	if err := checkBase64Method(value.Text(args[1])); err != nil {
		return value.NullValue, fmt.Errorf("encode: %w", err)
	}
	switch v := args[0]; v.Kind() {
	case value.String:
		return value.FromString(base64.StdEncoding.EncodeToString([]byte(v.Str()))), nil
	case value.Bytes:
		return value.FromString(base64.StdEncoding.EncodeToString(v.Bytes())), nil
	default:
		return value.NullValue, fmt.Errorf("encode: only string or bytea can be encoded, found %s", value.TypeName(v))
	}
}

func decodeImpl(_ *Env, args []value.Value) (value.Value, error) {
	if err := checkBase64Method(value.Text(args[1])); err != nil {
		return value.NullValue, fmt.Errorf("decode: %w", err)
	}
	if args[0].Kind() != value.String {
		return value.NullValue, fmt.Errorf("decode: only a string can be decoded, found %s", value.TypeName(args[0]))
	}
	b, err := base64.StdEncoding.DecodeString(args[0].Str())
	if err != nil {
		return value.NullValue, fmt.Errorf("decode: invalid base64: %w", err)
	}
	return value.FromBytes(b), nil
}

// maxInflated bounds decompress output so a small hostile payload cannot
// exhaust memory.
const maxInflated = 64 << 20

// codec is one compression method; both directions are safe for
// concurrent use.
type codec struct {
	pack   func([]byte) ([]byte, error)
	unpack func([]byte) ([]byte, error)
}

func newCodec(method string) (codec, error) {
	switch method {
	case "zlib":
		return streamCodec(func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) },
			func(r io.Reader) (io.ReadCloser, error) { return zlib.NewReader(r) }), nil
	case "gzip":
		return streamCodec(func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) },
			func(r io.Reader) (io.ReadCloser, error) { return gzip.NewReader(r) }), nil
	case "flate":
		return streamCodec(func(w io.Writer) io.WriteCloser {
			fw, _ := flate.NewWriter(w, flate.DefaultCompression) // only fails for a bad level
			return fw
		}, func(r io.Reader) (io.ReadCloser, error) { return flate.NewReader(r), nil }), nil
	case "zstd":
		return zstdCodec()
	}
	return codec{}, fmt.Errorf("unsupported compression method %q, expect zlib, gzip, flate or zstd", method)
}

func streamCodec(newW func(io.Writer) io.WriteCloser, newR func(io.Reader) (io.ReadCloser, error)) codec {
	return codec{
		pack: func(b []byte) ([]byte, error) {
			var buf bytes.Buffer
			w := newW(&buf)
			if _, err := w.Write(b); err != nil {
				return nil, err
			}
			if err := w.Close(); err != nil {
				return nil, err
			}
			return buf.Bytes(), nil
		},
		unpack: func(b []byte) ([]byte, error) {
			r, err := newR(bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			defer r.Close()
			out, err := io.ReadAll(io.LimitReader(r, maxInflated+1))
			if err != nil {
				return nil, err
			}
			if len(out) > maxInflated {
				return nil, fmt.Errorf("decompressed size exceeds %d bytes", maxInflated)
			}
			return out, nil
		},
	}
}

// zstdCodec uses EncodeAll/DecodeAll with concurrency 1: no background
// goroutines, so a codec can be dropped with its rule without Close.
func zstdCodec() (codec, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	if err != nil {
		return codec{}, fmt.Errorf("zstd encoder: %w", err)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxInflated))
	if err != nil {
		return codec{}, fmt.Errorf("zstd decoder: %w", err)
	}
	return codec{
		pack:   func(b []byte) ([]byte, error) { return enc.EncodeAll(b, nil), nil },
		unpack: func(b []byte) ([]byte, error) { return dec.DecodeAll(b, nil) },
	}, nil
}

func compressFunc(name, doc string, inverse bool, ex ...Example) *Func {
	run := func(c codec, x value.Value) (value.Value, error) {
		var in []byte
		switch x.Kind() {
		case value.String:
			in = []byte(x.Str())
		case value.Bytes:
			in = x.Bytes()
		default:
			return value.NullValue, fmt.Errorf("%s: expect string or bytea for parameter 1, found %s", name, value.TypeName(x))
		}
		op := c.pack
		if inverse {
			op = c.unpack
		}
		out, err := op(in)
		if err != nil {
			return value.NullValue, fmt.Errorf("%s: %w", name, err)
		}
		return value.FromBytes(out), nil
	}
	return &Func{
		Name: name, Kind: Scalar, MinArgs: 2, MaxArgs: 2, Args: "(x, method)", Returns: "bytea", Doc: doc, Examples: ex,
		Validate: allOf(literalKinds(litString), checkLiteral(1, func(m string) error {
			_, err := newCodec(m)
			return err
		})),
		// The codec is built once per rule when the method is a literal.
		Bind: func(args []Arg) (Impl, error) {
			m, ok := literalString(args, 1)
			if !ok {
				return nil, nil
			}
			c, err := newCodec(m)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			return func(_ *Env, a []value.Value) (value.Value, error) { return run(c, a[0]) }, nil
		},
		Eval: func(_ *Env, args []value.Value) (value.Value, error) {
			c, err := newCodec(value.Text(args[1]))
			if err != nil {
				return value.NullValue, fmt.Errorf("%s: %w", name, err)
			}
			return run(c, args[0])
		},
	}
}

// truncImpl cuts the shortest decimal form of x, so trunc(0.29, 2) is 0.29
// and not 0.28 as scaling the binary value by 100 would give.
func truncImpl(_ *Env, args []value.Value) (value.Value, error) {
	x, err := numberOf("trunc", 0, args[0])
	if err != nil {
		return value.NullValue, err
	}
	n, err := int64Of("trunc", 1, args[1])
	if err != nil {
		return value.NullValue, err
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return value.FromFloat(x), nil
	}
	n = max(0, min(n, 34))
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if dot := strings.IndexByte(s, '.'); dot >= 0 && len(s)-dot-1 > int(n) {
		s = s[:dot+1+int(n)]
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "."), 64)
	if err != nil {
		return value.NullValue, fmt.Errorf("trunc: %w", err)
	}
	return value.FromFloat(f), nil
}

func chrImpl(_ *Env, args []value.Value) (value.Value, error) {
	v := args[0]
	if v.Kind() == value.String {
		if utf8.RuneCountInString(v.Str()) != 1 {
			return value.NullValue, fmt.Errorf("chr: expect a single character, found %q", v.Str())
		}
		return v, nil
	}
	n, err := int64Of("chr", 0, v)
	if err != nil {
		return value.NullValue, err
	}
	if n < 0 || n > utf8.MaxRune || !utf8.ValidRune(rune(n)) {
		return value.NullValue, fmt.Errorf("chr: %d is not a valid code point", n)
	}
	return value.FromString(string(rune(n))), nil
}

func hex2decImpl(_ *Env, args []value.Value) (value.Value, error) {
	if args[0].Kind() != value.String {
		return value.NullValue, fmt.Errorf("hex2dec: expect string type for parameter 1, found %s", value.TypeName(args[0]))
	}
	s := strings.TrimSpace(args[0].Str())
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X") {
		s = s[2:]
	}
	u, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return value.NullValue, fmt.Errorf("hex2dec: %q is not a 64-bit hexadecimal number", args[0].Str())
	}
	if !neg {
		return value.FromUint(u), nil
	}
	v, err := value.Negate(value.FromUint(u))
	if err != nil {
		return value.NullValue, fmt.Errorf("hex2dec: %w", err)
	}
	return v, nil
}

func dec2hexImpl(_ *Env, args []value.Value) (value.Value, error) {
	v, err := integerOf("dec2hex", 0, args[0])
	if err != nil {
		return value.NullValue, err
	}
	if v.Kind() == value.Uint {
		return value.FromString("0x" + strconv.FormatUint(v.Uint(), 16)), nil
	}
	if i := v.Int(); i < 0 {
		return value.FromString("-0x" + strconv.FormatUint(uint64(-i), 16)), nil
	}
	return value.FromString("0x" + strconv.FormatInt(v.Int(), 16)), nil
}
