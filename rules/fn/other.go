package fn

// The pure "other" functions of sql.md §12.13: NULL handling, identifiers,
// rule context read from Env, keyed state, delay and global properties. The
// row-context ones (meta, event_time, window_*) belong to the planner.

import (
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/oort-rules/oort/rules/value"
)

func isNull(_ *Env, args []value.Value) (value.Value, error) {
	return value.FromBool(args[0].IsNull()), nil
}

func coalesce(_ *Env, args []value.Value) (value.Value, error) {
	for _, a := range args {
		if !a.IsNull() {
			return a, nil
		}
	}
	return value.NullValue, nil
}

// newUUID returns a random (version 4) UUID; eKuiper uses version 1, which
// would read the wall clock and the host's MAC address.
func newUUID(_ *Env, _ []value.Value) (value.Value, error) {
	id, err := uuid.NewRandom()
	if err != nil {
		return value.NullValue, fmt.Errorf("newuuid: %w", err)
	}
	return value.FromString(id.String()), nil
}

func tstamp(env *Env, _ []value.Value) (value.Value, error) {
	now, err := envNow("tstamp", env)
	if err != nil {
		return value.NullValue, err
	}
	return value.FromInt(now.UnixMilli()), nil
}

func ruleID(env *Env, _ []value.Value) (value.Value, error) {
	if env == nil {
		return value.NullValue, fmt.Errorf("rule_id: no rule context")
	}
	return value.FromString(env.RuleID), nil
}

func ruleStart(env *Env, _ []value.Value) (value.Value, error) {
	if env == nil {
		return value.NullValue, fmt.Errorf("rule_start: no rule context")
	}
	return value.FromInt(env.RuleStart), nil
}

// keyedStateTypes are the target types get_keyed_state accepts.
var keyedStateTypes = [...]string{"bigint", "float", "string", "boolean", "datetime"}

func isKeyedStateType(t string) bool {
	for _, k := range keyedStateTypes {
		if k == t {
			return true
		}
	}
	return false
}

func validateKeyedState(args []Arg) error {
	if len(args) > 0 && args[0].Literal && !args[0].Val.IsNull() && args[0].Val.Kind() != value.String {
		return fmt.Errorf("expect string type for parameter 1")
	}
	if len(args) < 2 || !args[1].Literal || args[1].Val.IsNull() {
		return nil
	}
	if args[1].Val.Kind() != value.String || !isKeyedStateType(args[1].Val.Str()) {
		return fmt.Errorf("expect one of following value for the 2nd parameter: bigint, float, string, boolean, datetime")
	}
	return nil
}

// getKeyedState reads key from the state store, converted to typ; with
// nothing stored (or no store) the default is returned.
func getKeyedState(env *Env, args []value.Value) (value.Value, error) {
	key, err := strArg("get_keyed_state", args[0], 0)
	if err != nil {
		return value.NullValue, err
	}
	typ, err := strArg("get_keyed_state", args[1], 1)
	if err != nil {
		return value.NullValue, err
	}
	if !isKeyedStateType(typ) {
		return value.NullValue, fmt.Errorf("get_keyed_state: unknown type %q, expect bigint, float, string, boolean or datetime", typ)
	}
	if env == nil || env.State == nil {
		return args[2], nil
	}
	v, ok := env.State.Get(key)
	if !ok {
		return args[2], nil
	}
	r, err := value.CastIn(v, typ, "", envLoc(env))
	if err != nil {
		return value.NullValue, fmt.Errorf("get_keyed_state: key %q: %w", key, err)
	}
	return r, nil
}

// delayImpl waits on the injected clock, so a fake clock controls it in
// tests; it stalls the rule, which is what this testing aid is for.
func delayImpl(env *Env, args []value.Value) (value.Value, error) {
	ms, ok := args[0].AsFloat()
	if !ok {
		return value.NullValue, fmt.Errorf("delay: argument 1 should be a number of milliseconds, got %s", describe(args[0]))
	}
	if ms > float64(math.MaxInt64/int64(time.Millisecond)) {
		return value.NullValue, fmt.Errorf("delay: %s ms is too long", value.Text(args[0]))
	}
	if ms >= 1e-6 {
		if env == nil || env.Clock == nil {
			return value.NullValue, fmt.Errorf("delay: no clock in the function environment")
		}
		done := make(chan struct{})
		env.Clock.AfterFunc(time.Duration(ms*float64(time.Millisecond)), func() { close(done) })
		<-done
	}
	return args[1], nil
}

func validateDelay(args []Arg) error {
	if len(args) > 0 && args[0].Literal && !args[0].Val.IsNull() && !args[0].Val.IsNumber() {
		return fmt.Errorf("expect number - float or int type for parameter 1")
	}
	return nil
}

// snowflake generates eKuiper-compatible snowflake ids (41 bits of ms since
// 2010-11-04, 10 bits of node, 12 bits of sequence) from the injected clock.
// One generator belongs to one registry, never to the package.
type snowflake struct {
	mu     sync.Mutex
	lastMs int64
	seq    int64
}

const (
	snowflakeEpoch = 1288834974657
	snowflakeNode  = 1
)

func (s *snowflake) next(nowMs int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ms := nowMs - snowflakeEpoch
	if ms <= s.lastMs {
		// Same millisecond (or the clock went back): continue the sequence,
		// borrowing the next millisecond when it is exhausted, since a fake
		// clock cannot be waited for.
		ms = s.lastMs
		s.seq = (s.seq + 1) & 0xfff
		if s.seq == 0 {
			ms++
		}
	} else {
		s.seq = 0
	}
	s.lastMs = ms
	return ms<<22 | snowflakeNode<<12 | s.seq
}

// propsImpl reads a global property; "et" (now in ms) and "snowflake" are
// computed, as in eKuiper.
func propsImpl(sf *snowflake) Impl {
	return func(env *Env, args []value.Value) (value.Value, error) {
		name, err := strArg("props", args[0], 0)
		if err != nil {
			return value.NullValue, err
		}
		switch name {
		case "et", "snowflake":
			now, err := envNow("props", env)
			if err != nil {
				return value.NullValue, err
			}
			if name == "et" {
				return value.FromString(strconv.FormatInt(now.UnixMilli(), 10)), nil
			}
			return value.FromString(strconv.FormatInt(sf.next(now.UnixMilli()), 10)), nil
		}
		if env != nil && env.Props != nil {
			if v, ok := env.Props(name); ok {
				return value.FromString(v), nil
			}
		}
		return value.NullValue, fmt.Errorf("props: property %q not found (set KUIPER_PROPS_%s or OORT_PROPS_%s)", name, name, name)
	}
}

func validateStrLit(pos int) func(args []Arg) error {
	return func(args []Arg) error {
		if pos < len(args) && args[pos].Literal && !args[pos].Val.IsNull() && args[pos].Val.Kind() != value.String {
			return fmt.Errorf("expect string type for parameter %d", pos+1)
		}
		return nil
	}
}
