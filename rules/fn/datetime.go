package fn

// Date and time functions, sql.md §12.7. A "datetime argument" is a datetime
// value, an epoch-ms number (presented in the service zone) or a string read
// by auto-detection (zone-less strings are in the service zone). Literal
// arguments are accepted and checked at plan time (Oort improvement: eKuiper's
// validators reject them).

import (
	"fmt"
	"strconv"
	"time"

	"github.com/oort-rules/oort/rules/value"
)

const (
	layoutDateTime = "2006-01-02 15:04:05"
	layoutDate     = "2006-01-02"
	layoutTime     = "15:04:05"
)

// envLoc is the service time zone; UTC when the environment sets none.
func envLoc(env *Env) *time.Location {
	if env == nil || env.TZ == nil {
		return time.UTC
	}
	return env.TZ
}

// envNow reads the injected clock; a missing clock is a wiring error reported
// as a runtime error rather than a panic.
func envNow(name string, env *Env) (time.Time, error) {
	if env == nil || env.Clock == nil {
		return time.Time{}, fmt.Errorf("%s: no clock in the function environment", name)
	}
	return env.Clock.Now(), nil
}

// timeArg converts argument i (0-based) of function name to a time.
func timeArg(name string, env *Env, v value.Value, i int) (time.Time, error) {
	t, err := value.ToTime(v, envLoc(env))
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: argument %d: %w", name, i+1, err)
	}
	return t, nil
}

// intArg reads an integer argument (an integral float is accepted).
func intArg(name string, v value.Value, i int) (int64, error) {
	if v.Kind() == value.Int {
		return v.Int(), nil
	}
	if v.Kind() == value.Float {
		if n, ok := v.AsInt(); ok && float64(n) == v.Float() {
			return n, nil
		}
	}
	return 0, fmt.Errorf("%s: argument %d should be an integer, got %s(%s)", name, i+1, value.TypeName(v), value.Text(v))
}

// strArg reads a string argument.
func strArg(name string, v value.Value, i int) (string, error) {
	if v.Kind() != value.String {
		return "", fmt.Errorf("%s: argument %d should be a string, got %s(%s)", name, i+1, value.TypeName(v), value.Text(v))
	}
	return v.Str(), nil
}

// validateTimeLits checks the datetime literals among the given positions:
// numbers (epoch ms) and parseable strings pass, anything else is rejected.
func validateTimeLits(pos ...int) func(args []Arg) error {
	return func(args []Arg) error {
		for _, i := range pos {
			if i >= len(args) || !args[i].Literal || args[i].Val.IsNull() {
				continue
			}
			v := args[i].Val
			switch v.Kind() {
			case value.Int, value.Float, value.Datetime:
			case value.String:
				if _, err := value.ParseDatetime(v.Str(), "", time.UTC); err != nil {
					return fmt.Errorf("parameter %d: %w", i+1, err)
				}
			default:
				return fmt.Errorf("expect datetime type for parameter %d", i+1)
			}
		}
		return nil
	}
}

// validateIntLit rejects a literal argument at pos that is not an integer.
func validateIntLit(pos int) func(args []Arg) error {
	return func(args []Arg) error {
		if pos < len(args) && args[pos].Literal && !args[pos].Val.IsNull() {
			if _, err := intArg("", args[pos].Val, pos); err != nil {
				return fmt.Errorf("expect int type for parameter %d", pos+1)
			}
		}
		return nil
	}
}

// validateFsp accepts only an integer literal 0..6 as fractional precision.
func validateFsp(args []Arg) error {
	if len(args) == 0 {
		return nil
	}
	a := args[0]
	if !a.Literal || a.Val.Kind() != value.Int || a.Val.Int() < 0 || a.Val.Int() > 6 {
		return fmt.Errorf("expect an integer literal from 0 to 6 for parameter 1 (fractional seconds precision)")
	}
	return nil
}

// clockText renders the current time with layout plus fsp fraction digits.
func clockText(name, layout string) Impl {
	return func(env *Env, args []value.Value) (value.Value, error) {
		now, err := envNow(name, env)
		if err != nil {
			return value.NullValue, err
		}
		fsp := 0
		if len(args) > 0 {
			n, ok := args[0].AsInt()
			if !ok || n < 0 || n > 6 {
				return value.NullValue, fmt.Errorf("%s: fractional seconds precision should be 0 to 6, got %s", name, value.Text(args[0]))
			}
			fsp = int(n)
		}
		t := now.In(envLoc(env))
		buf := t.AppendFormat(make([]byte, 0, 32), layout)
		if fsp > 0 {
			frac := strconv.Itoa(1_000_000_000 + t.Nanosecond())
			buf = append(append(buf, '.'), frac[1:1+fsp]...)
		}
		return value.FromString(string(buf)), nil
	}
}

func currentTimeFuncs() []*Func {
	return []*Func{
		{
			Name: "now", Aliases: []string{"current_timestamp", "local_time", "local_timestamp"},
			MinArgs: 0, MaxArgs: 1, Args: "([fsp])", Returns: "string",
			Doc:      "current date-time in the service time zone as yyyy-MM-dd HH:mm:ss, with fsp (0-6) fractional digits",
			Examples: []Example{{"length(now())", "19"}, {"length(now(3))", "23"}},
			Validate: validateFsp, Eval: clockText("now", layoutDateTime),
		},
		{
			Name: "cur_date", Aliases: []string{"current_date"}, MinArgs: 0, MaxArgs: 0, Args: "()", Returns: "string",
			Doc:      "current date in the service time zone as yyyy-MM-dd",
			Examples: []Example{{"length(cur_date())", "10"}},
			Eval:     clockText("cur_date", layoutDate),
		},
		{
			Name: "cur_time", Aliases: []string{"current_time"}, MinArgs: 0, MaxArgs: 1, Args: "([fsp])", Returns: "string",
			Doc:      "current time of day in the service time zone as HH:mm:ss, with fsp (0-6) fractional digits",
			Examples: []Example{{"length(cur_time())", "8"}, {"length(cur_time(6))", "15"}},
			Validate: validateFsp, Eval: clockText("cur_time", layoutTime),
		},
	}
}

// formatTime formats with a pattern compiled at plan time when it is literal.
func formatTimeFunc() *Func {
	eval := func(env *Env, args []value.Value) (value.Value, error) {
		t, err := timeArg("format_time", env, args[0], 0)
		if err != nil {
			return value.NullValue, err
		}
		pattern, err := strArg("format_time", args[1], 1)
		if err != nil {
			return value.NullValue, err
		}
		s, err := value.FormatJava(t, pattern)
		if err != nil {
			return value.NullValue, fmt.Errorf("format_time: %w", err)
		}
		return value.FromString(s), nil
	}
	return &Func{
		Name: "format_time", MinArgs: 2, MaxArgs: 2, Args: "(d, pattern)", Returns: "string",
		Doc: "format a datetime argument with a Java-style pattern (yyyy, MM, dd, HH, mm, ss, SSS, EEE, a, z, Z, XXX ...)",
		Examples: []Example{
			{`format_time("2024-03-05 10:20:30.123", "yyyy/MM/dd HH:mm:ss.SSS")`, `"2024/03/05 10:20:30.123"`},
			{`format_time("2024-03-05 10:20:30", "EEEE d MMMM yy, h a")`, `"Tuesday 5 March 24, 10 AM"`},
		},
		Validate: func(args []Arg) error {
			if err := validateTimeLits(0)(args); err != nil || len(args) < 2 {
				return err
			}
			return validatePatternLit(args[1])
		},
		Bind: func(args []Arg) (Impl, error) {
			if len(args) < 2 || !args[1].Literal || args[1].Val.Kind() != value.String {
				return nil, nil
			}
			p, err := value.CompileJava(args[1].Val.Str())
			if err != nil {
				return nil, fmt.Errorf("format_time: %w", err)
			}
			return func(env *Env, args []value.Value) (value.Value, error) {
				t, err := timeArg("format_time", env, args[0], 0)
				if err != nil {
					return value.NullValue, err
				}
				return value.FromString(p.Format(t)), nil
			}, nil
		},
		Eval: eval,
	}
}

func validatePatternLit(a Arg) error {
	if !a.Literal || a.Val.IsNull() {
		return nil
	}
	if a.Val.Kind() != value.String {
		return fmt.Errorf("expect string type for parameter 2")
	}
	_, err := value.CompileJava(a.Val.Str())
	return err
}

func dateCalcFunc() *Func {
	return &Func{
		Name: "date_calc", MinArgs: 2, MaxArgs: 2, Args: "(d, duration)", Returns: "string",
		Doc: `add a Go duration ("1h30m", "-10s") to a datetime argument and return yyyy-MM-dd HH:mm:ss`,
		Examples: []Example{
			{`date_calc("2019-01-01 00:00:00", "24h")`, `"2019-01-02 00:00:00"`},
			{`date_calc("2019-01-01 00:00:00", "-1h30m")`, `"2018-12-31 22:30:00"`},
		},
		Validate: func(args []Arg) error {
			if err := validateTimeLits(0)(args); err != nil || len(args) < 2 {
				return err
			}
			a := args[1]
			if !a.Literal || a.Val.IsNull() {
				return nil
			}
			if a.Val.Kind() != value.String {
				return fmt.Errorf("expect string type for parameter 2")
			}
			if _, err := time.ParseDuration(a.Val.Str()); err != nil {
				return fmt.Errorf("parameter 2: %w", err)
			}
			return nil
		},
		Eval: func(env *Env, args []value.Value) (value.Value, error) {
			t, err := timeArg("date_calc", env, args[0], 0)
			if err != nil {
				return value.NullValue, err
			}
			s, err := strArg("date_calc", args[1], 1)
			if err != nil {
				return value.NullValue, err
			}
			d, err := time.ParseDuration(s)
			if err != nil {
				return value.NullValue, fmt.Errorf("date_calc: %w", err)
			}
			return value.FromString(t.Add(d).Format(layoutDateTime)), nil
		},
	}
}

func dateDiffFunc() *Func {
	return &Func{
		Name: "date_diff", MinArgs: 2, MaxArgs: 2, Args: "(d1, d2)", Returns: "bigint",
		Doc: "d2 - d1 in nanoseconds (eKuiper's documentation says days; kept for compatibility)",
		Examples: []Example{
			{`date_diff("2019-01-01 00:00:00", "2019-01-02 00:00:00")`, "86400000000000"},
			{`date_diff("2019-01-01T00:00:01Z", "2019-01-01T00:00:00Z")`, "-1000000000"},
		},
		Validate: validateTimeLits(0, 1),
		Eval: func(env *Env, args []value.Value) (value.Value, error) {
			a, err := timeArg("date_diff", env, args[0], 0)
			if err != nil {
				return value.NullValue, err
			}
			b, err := timeArg("date_diff", env, args[1], 1)
			if err != nil {
				return value.NullValue, err
			}
			return value.FromInt(int64(b.Sub(a))), nil
		},
	}
}

// partFunc builds a one-argument function reading one field of a datetime.
func partFunc(name string, aliases []string, ret, doc string, ex []Example, get func(time.Time) value.Value) *Func {
	return &Func{
		Name: name, Aliases: aliases, MinArgs: 1, MaxArgs: 1, Args: "(d)", Returns: ret, Doc: doc, Examples: ex,
		Validate: validateTimeLits(0),
		Eval: func(env *Env, args []value.Value) (value.Value, error) {
			t, err := timeArg(name, env, args[0], 0)
			if err != nil {
				return value.NullValue, err
			}
			return get(t), nil
		},
	}
}

func intOf(n int) value.Value { return value.FromInt(int64(n)) }

func datePartFuncs() []*Func {
	const d = `"2024-03-05 10:20:30.123456"`
	ex := func(call, want string) []Example { return []Example{{call, want}} }
	return []*Func{
		partFunc("day_name", nil, "string", "weekday name in English",
			[]Example{{`day_name("2019-01-01")`, `"Tuesday"`}, {`day_name("2024-03-09T12:00:00Z")`, `"Saturday"`}},
			func(t time.Time) value.Value { return value.FromString(t.Weekday().String()) }),
		partFunc("day_of_month", []string{"day"}, "bigint", "day of the month, 1-31",
			ex("day_of_month("+d+")", "5"), func(t time.Time) value.Value { return intOf(t.Day()) }),
		partFunc("day_of_week", nil, "bigint", "day of the week, 0 = Sunday ... 6 = Saturday (kept for compatibility)",
			ex(`day_of_week("2019-01-01")`, "2"), func(t time.Time) value.Value { return intOf(int(t.Weekday())) }),
		partFunc("day_of_year", nil, "bigint", "day of the year, 1-366",
			ex(`day_of_year("2024-12-31")`, "366"), func(t time.Time) value.Value { return intOf(t.YearDay()) }),
		partFunc("hour", nil, "bigint", "hour, 0-23",
			ex("hour("+d+")", "10"), func(t time.Time) value.Value { return intOf(t.Hour()) }),
		partFunc("minute", nil, "bigint", "minute, 0-59",
			ex("minute("+d+")", "20"), func(t time.Time) value.Value { return intOf(t.Minute()) }),
		partFunc("second", nil, "bigint", "second, 0-59",
			ex("second("+d+")", "30"), func(t time.Time) value.Value { return intOf(t.Second()) }),
		partFunc("microsecond", nil, "bigint", "microseconds within the second",
			ex("microsecond("+d+")", "123456"), func(t time.Time) value.Value { return intOf(t.Nanosecond() / 1000) }),
		partFunc("month", nil, "bigint", "month, 1-12",
			ex("month("+d+")", "3"), func(t time.Time) value.Value { return intOf(int(t.Month())) }),
		partFunc("month_name", nil, "string", "month name in English",
			ex("month_name("+d+")", `"March"`), func(t time.Time) value.Value { return value.FromString(t.Month().String()) }),
		partFunc("last_day", nil, "string", "last day of the month as yyyy-MM-dd",
			[]Example{{`last_day("2024-02-10")`, `"2024-02-29"`}, {`last_day("2023-12-01 23:00:00")`, `"2023-12-31"`}},
			func(t time.Time) value.Value {
				y, m, _ := t.Date()
				return value.FromString(time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Format(layoutDate))
			}),
	}
}

func fromDaysFunc() *Func {
	return &Func{
		Name: "from_days", MinArgs: 1, MaxArgs: 1, Args: "(n)", Returns: "string",
		Doc:      "date (yyyy-MM-dd) of day number n, counted so that 1 = 1970-01-01; 0 gives NULL",
		Examples: []Example{{"from_days(100)", `"1970-04-10"`}, {"from_days(1)", `"1970-01-01"`}, {"from_days(0)", "null"}},
		Validate: validateIntLit(0),
		Eval: func(env *Env, args []value.Value) (value.Value, error) {
			n, err := intArg("from_days", args[0], 0)
			if err != nil {
				return value.NullValue, err
			}
			if n == 0 {
				return value.NullValue, nil
			}
			if n > 3_000_000 || n < -3_000_000 {
				return value.NullValue, fmt.Errorf("from_days: day number %d is out of range", n)
			}
			day := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n-1))
			return value.FromString(day.Format(layoutDate)), nil
		},
	}
}

func fromUnixTimeFunc() *Func {
	return &Func{
		Name: "from_unix_time", MinArgs: 1, MaxArgs: 1, Args: "(s)", Returns: "string",
		Doc:      "Unix seconds as yyyy-MM-dd HH:mm:ss in the service time zone; 0 gives NULL",
		Examples: []Example{{"length(from_unix_time(1700000000))", "19"}, {"from_unix_time(0)", "null"}},
		Validate: validateIntLit(0),
		Eval: func(env *Env, args []value.Value) (value.Value, error) {
			s, err := intArg("from_unix_time", args[0], 0)
			if err != nil {
				return value.NullValue, err
			}
			if s == 0 {
				return value.NullValue, nil
			}
			t := time.Unix(s, 0).In(envLoc(env))
			return value.FromString(t.Format(layoutDateTime)), nil
		},
	}
}

func datetimeFuncs() []*Func {
	fs := currentTimeFuncs()
	fs = append(fs, formatTimeFunc(), dateCalcFunc(), dateDiffFunc(), fromDaysFunc(), fromUnixTimeFunc())
	return append(fs, datePartFuncs()...)
}
