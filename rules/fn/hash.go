package fn

// Hashing functions of sql.md §12.4: lowercase hex digests of the text of
// the argument (the raw content for bytea, rather than its base64 text).

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"hash/crc32"
	"strconv"

	"github.com/oort-rules/oort/rules/value"
)

func hashInput(v value.Value) []byte {
	if v.Kind() == value.Bytes {
		return v.Bytes()
	}
	return value.AppendText(nil, v)
}

func digestFunc(name string, newHash func() hash.Hash, ex Example) *Func {
	return &Func{
		Name: name, Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(s)", Returns: "string",
		Doc: name + " digest of the text as lowercase hex", Validate: literalKinds(litString), Examples: []Example{ex},
		Eval: func(_ *Env, args []value.Value) (value.Value, error) {
			h := newHash()
			h.Write(hashInput(args[0]))
			return value.FromString(hex.EncodeToString(h.Sum(nil))), nil
		},
	}
}

func hashFuncs() []*Func {
	return []*Func{
		digestFunc("md5", md5.New, Example{`md5("abc")`, `"900150983cd24fb0d6963f7d28e17f72"`}),
		digestFunc("sha1", sha1.New, Example{`sha1("abc")`, `"a9993e364706816aba3e25717850c26c9cd0d89d"`}),
		digestFunc("sha256", sha256.New, Example{`sha256("abc")`, `"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"`}),
		digestFunc("sha384", sha512.New384, Example{`sha384("abc")`,
			`"cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"`}),
		digestFunc("sha512", sha512.New, Example{`sha512("abc")`,
			`"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"`}),
		{
			Name: "crc32", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(s)", Returns: "string",
			Doc: "IEEE CRC-32 of the text as lowercase hex (no leading zeros)", Validate: literalKinds(litString),
			Eval: func(_ *Env, args []value.Value) (value.Value, error) {
				sum := crc32.ChecksumIEEE(hashInput(args[0]))
				return value.FromString(strconv.FormatUint(uint64(sum), 16)), nil
			},
			Examples: []Example{{`crc32("The quick brown fox jumps over the lazy dog")`, `"414fa339"`}},
		},
	}
}
