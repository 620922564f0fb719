package exec

import (
	"fmt"

	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/window"
)

// windowArity is the number of size arguments each window function takes.
var windowArity = map[string][2]int{
	"tumblingwindow": {1, 1}, "hoppingwindow": {2, 2}, "slidingwindow": {1, 2},
	"sessionwindow": {2, 2}, "countwindow": {1, 2},
}

// WindowSpec turns the planner's window definition into a state-machine spec.
func WindowSpec(d *plan.WindowDef, slidingTwice bool) (window.Spec, error) {
	s := window.Spec{Unit: window.Unit(d.Unit), SlidingTwice: slidingTwice}
	if d.Name == "statewindow" {
		s.Kind, s.SingleCondition = window.State, d.Single
		return s, s.Validate()
	}
	ar, ok := windowArity[d.Name]
	if !ok {
		return s, fmt.Errorf("%s: unknown window %s", d.At, d.Name)
	}
	if n := len(d.Ints); n < ar[0] || n > ar[1] {
		want := ar[1]
		if d.Name != "countwindow" {
			want++ // the time unit
		}
		return s, fmt.Errorf("%s: The arguments for %s should be %d.", d.At, d.Name, want)
	}
	switch d.Name {
	case "tumblingwindow":
		s.Kind, s.Size = window.Tumbling, d.Ints[0]
	case "hoppingwindow":
		s.Kind, s.Size, s.Hop = window.Hopping, d.Ints[0], d.Ints[1]
	case "slidingwindow":
		s.Kind, s.Size = window.Sliding, d.Ints[0]
		if len(d.Ints) > 1 {
			s.Delay = d.Ints[1]
		}
	case "sessionwindow":
		s.Kind, s.MaxDuration, s.Timeout = window.Session, d.Ints[0], d.Ints[1]
	case "countwindow":
		s.Kind, s.Size = window.Count, d.Ints[0]
		if len(d.Ints) > 1 {
			s.Hop = d.Ints[1]
		}
	}
	if err := s.Validate(); err != nil {
		return s, fmt.Errorf("%s: %w", d.At, err)
	}
	return s, nil
}
