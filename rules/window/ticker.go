package window

import "time"

// lateTick is how late (ms) a periodic tick may run before it is skipped and
// the timer re-aligned (sql.md §9.2).
const lateTick = 50

// ticker is the aligned periodic timer of tumbling, hopping and session windows.
type ticker struct {
	n      int64 // period in units, for alignment
	unit   Unit
	loc    *time.Location
	period int64 // ms
	exact  bool  // event time: time never jumps, so no tick is ever skipped
	armed  bool
	first  bool // next is an aligned first tick, which is never skipped
	next   int64
}

func newTicker(s Spec, n int64, exact bool) ticker {
	return ticker{n: n, unit: s.Unit, loc: s.loc(), period: s.millis(n), exact: exact}
}

func (t *ticker) start(now int64) {
	t.next = alignedEnd(now, t.n, t.unit, t.loc)
	t.armed, t.first = true, true
}

// due reports the next tick time, or 0 when none is armed.
func (t *ticker) due() int64 {
	if !t.armed {
		return 0
	}
	return t.next
}

// pop consumes the earliest tick at or before now. fire is false when the
// tick ran more than lateTick late: then it is skipped and the timer
// re-aligned from now, so buffered rows roll into the next window.
func (t *ticker) pop(now int64) (at int64, fire, ok bool) {
	if !t.armed || t.next > now {
		return 0, false, false
	}
	at = t.next
	if !t.first && !t.exact && now-at > lateTick {
		t.start(now)
		return at, false, true
	}
	t.first = false
	t.next = at + t.period
	return at, true, true
}
