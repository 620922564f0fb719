package eventrow

import "unsafe"

// arenaChunk is the size of one string chunk. Strings of many consecutive
// events share a chunk, so decoding allocates about once per chunk instead of
// once per string. The price: a chunk stays alive while any string in it is
// referenced, so a value kept for a long time (state of an analytic function)
// pins at most one chunk. 4 KiB keeps that bound small.
const (
	arenaChunk   = 4096
	arenaMaxPart = 512 // longer strings get their own allocation
)

// strArena copies transient bytes (views into a reused parser buffer) into
// immutable memory. Bytes once written are never modified, which is what
// makes handing out strings that alias the chunk safe.
type strArena struct {
	buf []byte
}

// str returns a durable copy of b (a transient view or an owned string).
func (a *strArena) str(b string) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > arenaMaxPart {
		return string(b)
	}
	if cap(a.buf)-len(a.buf) < len(b) {
		a.buf = make([]byte, 0, arenaChunk)
	}
	start := len(a.buf)
	a.buf = append(a.buf, b...)
	return unsafe.String(&a.buf[start], len(b))
}

// b2s views b as a string without copying. Only for strings that are consumed
// before the parser that owns b is reused (number parsing, comparisons).
func b2s(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
