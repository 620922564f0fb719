package window

import (
	"math"
	"strings"
	"time"

	"github.com/oort-rules/oort/rules/errs"
)

// unitMillis is the length of one unit in ms (a day is nominal: DD alignment
// uses the calendar, the fixed period after it uses 24 h as eKuiper does).
func unitMillis(u Unit) int64 {
	switch u {
	case DD:
		return 24 * 3600 * 1000
	case HH:
		return 3600 * 1000
	case MI:
		return 60 * 1000
	case SS:
		return 1000
	case MS:
		return 1
	}
	return 0
}

func normUnit(u Unit) Unit { return Unit(strings.ToUpper(strings.TrimSpace(string(u)))) }

func (s Spec) loc() *time.Location {
	if s.TZ == nil {
		return time.UTC
	}
	return s.TZ
}

// millis converts n units of the spec to ms; Validate guarantees no overflow.
func (s Spec) millis(n int64) int64 { return n * unitMillis(normUnit(s.Unit)) }

// Validate checks the arguments the way the SQL parser reports them.
func (s Spec) Validate() error {
	name := s.Kind.String()
	switch s.Kind {
	case Tumbling, Hopping, Sliding, Session:
		return s.validateTime(name)
	case Count:
		if s.Size <= 0 {
			return errs.New(errs.SQLParse, "%s: the size must be greater than 0, got %d", name, s.Size)
		}
		if s.Hop < 0 {
			return errs.New(errs.SQLParse, "%s: the step must be greater than 0, got %d", name, s.Hop)
		}
		if s.Hop > s.Size {
			return errs.New(errs.SQLParse, "The second parameter value %d should be less than the first parameter %d.", s.Hop, s.Size)
		}
		return nil
	case State:
		return nil
	}
	return errs.New(errs.SQLParse, "window: unknown window kind %d", int(s.Kind))
}

func (s Spec) validateTime(name string) error {
	um := unitMillis(normUnit(s.Unit))
	if um == 0 {
		return errs.New(errs.SQLParse, "%s: invalid time unit %q (want DD, HH, MI, SS or MS)", name, string(s.Unit))
	}
	check := func(what string, v int64, min int64) error {
		if v < min {
			return errs.New(errs.SQLParse, "%s: the %s must be at least %d, got %d", name, what, min, v)
		}
		if v > math.MaxInt64/um/4 {
			return errs.New(errs.SQLParse, "%s: the %s %d %s is too large", name, what, v, string(s.Unit))
		}
		return nil
	}
	switch s.Kind {
	case Tumbling:
		return check("size", s.Size, 1)
	case Hopping:
		if err := check("size", s.Size, 1); err != nil {
			return err
		}
		return check("hop", s.Hop, 1)
	case Sliding:
		if err := check("size", s.Size, 1); err != nil {
			return err
		}
		return check("delay", s.Delay, 0)
	default:
		if err := check("maximum duration", s.MaxDuration, 1); err != nil {
			return err
		}
		return check("timeout", s.Timeout, 1)
	}
}
