package window

import "time"

// alignedEnd is the first window end after now per sql.md §9.2: the next
// multiple of n units within the enclosing unit (DD: midnight + n days).
// Unlike eKuiper it is always strictly after now: eKuiper returns a past time
// when the current second equals n.
func alignedEnd(now, n int64, unit Unit, loc *time.Location) int64 {
	t := time.UnixMilli(now).In(loc)
	y, mo, d := t.Date()
	var base time.Time
	var x int64
	switch unit {
	case DD:
		return time.Date(y, mo, d+int(n), 0, 0, 0, 0, loc).UnixMilli()
	case HH:
		base, x = time.Date(y, mo, d, 0, 0, 0, 0, loc), int64(t.Hour())
	case MI:
		base, x = time.Date(y, mo, d, t.Hour(), 0, 0, 0, loc), int64(t.Minute())
	case SS:
		base, x = time.Date(y, mo, d, t.Hour(), t.Minute(), 0, 0, loc), int64(t.Second())
	default:
		base, x = time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), 0, loc), int64(t.Nanosecond()/1e6)
	}
	gap := n * (x/n + 1)
	end := base.UnixMilli() + gap*unitMillis(unit)
	if end <= now { // DST fold or a base before now by more than gap: never go back
		end = now + unitMillis(unit)*n - (now-base.UnixMilli())%(unitMillis(unit)*n)
	}
	return end
}
