// Package wallclock is the service's real clock. The engine under rules/
// only knows the clock.Clock interface; app/ builds this one and injects it,
// so no code under rules/ reads the wall clock itself.
package wallclock

import (
	"time"

	"github.com/oort-rules/oort/rules/clock"
)

// Clock reads the wall clock; its timers run f on their own goroutine.
type Clock struct{}

var _ clock.Clock = Clock{}

func (Clock) Now() time.Time { return time.Now() }

func (Clock) AfterFunc(d time.Duration, f func()) clock.Timer { return time.AfterFunc(d, f) }
