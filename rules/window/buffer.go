package window

import "sort"

// buffer is a FIFO of items. Dropping from the front only moves head; the
// backing array is compacted when the dead prefix dominates, so pushes stay
// allocation-free once the buffer has reached its working size.
type buffer struct {
	items []Item
	head  int
}

func (b *buffer) push(it Item) {
	if b.head > 32 && b.head*2 >= len(b.items) {
		n := copy(b.items, b.items[b.head:])
		clear(b.items[n:])
		b.items = b.items[:n]
		b.head = 0
	}
	b.items = append(b.items, it)
}

func (b *buffer) len() int      { return len(b.items) - b.head }
func (b *buffer) view() []Item  { return b.items[b.head:] }
func (b *buffer) first() Item   { return b.items[b.head] }
func (b *buffer) at(i int) Item { return b.items[b.head+i] }

// drop removes the n oldest items.
func (b *buffer) drop(n int) {
	if n <= 0 {
		return
	}
	if n >= b.len() {
		b.reset()
		return
	}
	clear(b.items[b.head : b.head+n]) // release payloads to the GC
	b.head += n
}

// dropBefore removes the leading items with TS < cutoff (items are in time order).
func (b *buffer) dropBefore(cutoff int64) {
	n := 0
	for n < b.len() && b.at(n).TS < cutoff {
		n++
	}
	b.drop(n)
}

func (b *buffer) reset() {
	clear(b.items)
	b.items = b.items[:0]
	b.head = 0
}

// take hands the content over to a fire and starts a fresh backing array of
// the same capacity: one allocation per fire, none per row.
func (b *buffer) take() []Item {
	if b.len() == 0 {
		b.reset()
		return nil
	}
	out := b.items[b.head:len(b.items):len(b.items)]
	b.items = make([]Item, 0, cap(b.items))
	b.head = 0
	return out
}

// between returns a copy of the items with lo <= TS < hi. Items are in time
// order (arrival order in processing time, release order in event time), so
// the range is found by binary search and copied with one allocation.
func (b *buffer) between(lo, hi int64) []Item {
	v := b.view()
	i := sort.Search(len(v), func(k int) bool { return v[k].TS >= lo })
	j := i + sort.Search(len(v)-i, func(k int) bool { return v[i+k].TS >= hi })
	if i == j {
		return nil
	}
	return append([]Item(nil), v[i:j]...)
}
