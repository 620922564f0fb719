package fn

import (
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

// TestHashConformance replays fn_hash.
func TestHashConformance(t *testing.T) {
	a := p1S("The quick brown fox jumps over the lazy dog")
	p1RunCols(t, []p1Case{
		{"md5(a)", []value.Value{a}, `"9e107d9d372bb6826bd81d3542a419d6"`},
		{"sha1(a)", []value.Value{a}, `"2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"`},
		{"sha256(a)", []value.Value{a}, `"d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"`},
		{"sha384(a)", []value.Value{a}, `"ca737f1014a48f4c0b6dd43cb177b0afd9e5169367544c494011e3317dbf9a509cb1e5dc1e85a941bbee3d7f2afbc9b1"`},
		{"sha512(a)", []value.Value{a}, `"07e547d9586f6a73f73fbac0435ed76951218fb7d0c8d788a309d785436bbb642e93a252a954f23912547d1e8a3b5ed6e1bfd7097821233fa0538f3db854fee6"`},
		{"crc32(a)", []value.Value{a}, `"414fa339"`},
	})
}

func TestHashInputs(t *testing.T) {
	p1RunCols(t, []p1Case{
		// numbers hash their text; bytea its raw content
		{"md5(12)", []value.Value{p1I(12)}, `"c20ad4d76fe97759aa27a0c99bff6710"`},
		{"md5(bytes)", []value.Value{value.FromBytes([]byte("12"))}, `"c20ad4d76fe97759aa27a0c99bff6710"`},
		{"crc32('')", []value.Value{p1S("")}, `"0"`},
		{"sha1('')", []value.Value{p1S("")}, `"da39a3ee5e6b4b0d3255bfef95601890afd80709"`},
	})
	if _, err := p1Lit("md5", p1I(1)); err == nil {
		t.Error("md5 of a numeric literal must fail validation")
	}
}
