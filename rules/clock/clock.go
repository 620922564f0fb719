// Package clock injects time into the engine: the service injects the wall
// clock (functions/wallclock), tests and the behaviour-script runner use
// Fake, whose timers fire only when the test advances it.
package clock

import (
	"sort"
	"sync"
	"time"
)

// Clock is the only source of time under rules/.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f (on its own goroutine for the wall clock,
	// synchronously inside Advance for Fake) once d has elapsed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer can be stopped before it fires.
type Timer interface{ Stop() bool }

// NowMs returns the clock's time in epoch milliseconds.
func NowMs(c Clock) int64 { return c.Now().UnixMilli() }

// After returns a channel closed once d has elapsed on c (time.After on the
// injected clock), and the timer that can cancel it.
func After(c Clock, d time.Duration) (<-chan struct{}, Timer) {
	ch := make(chan struct{})
	t := c.AfterFunc(d, func() { close(ch) })
	return ch, t
}

// Fake is a manually advanced clock for deterministic tests.
type Fake struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	timers []*fakeTimer
}

type fakeTimer struct {
	c       *Fake
	due     time.Time
	seq     int
	f       func()
	stopped bool
}

// NewFake returns a clock reading t.
func NewFake(t time.Time) *Fake { return &Fake{now: t} }

func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *Fake) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t := &fakeTimer{c: c, due: c.now.Add(d), seq: c.seq, f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// Advance moves the clock to t, firing every due timer in due-time order with
// the clock reading the timer's due time while it fires. Timers created by a
// firing timer are honoured if they fall due before t.
func (c *Fake) Advance(to time.Time) {
	for {
		c.mu.Lock()
		next := c.nextDue(to)
		if next == nil {
			if to.After(c.now) {
				c.now = to
			}
			c.mu.Unlock()
			return
		}
		next.stopped = true
		if next.due.After(c.now) {
			c.now = next.due
		}
		c.mu.Unlock()
		next.f()
	}
}

func (c *Fake) nextDue(to time.Time) *fakeTimer {
	live := c.timers[:0]
	for _, t := range c.timers {
		if !t.stopped {
			live = append(live, t)
		}
	}
	c.timers = live
	sort.SliceStable(c.timers, func(i, j int) bool {
		if !c.timers[i].due.Equal(c.timers[j].due) {
			return c.timers[i].due.Before(c.timers[j].due)
		}
		return c.timers[i].seq < c.timers[j].seq
	})
	if len(c.timers) > 0 && !c.timers[0].due.After(to) {
		return c.timers[0]
	}
	return nil
}

// Pending counts timers not yet fired or stopped, so tests can wait until a
// worker goroutine has armed its timer before advancing.
func (c *Fake) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.stopped {
			n++
		}
	}
	return n
}
