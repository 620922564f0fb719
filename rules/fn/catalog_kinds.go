package fn

// registerKinds registers the functions the planner treats specially: they are
// known names with documentation, but their evaluation lives in the planner
// (context functions) or in operators (aggregates, analytics, windows).
func registerKinds(r *Registry) {
	ctx := func(name, args, ret, doc string, min, max int) *Func {
		return &Func{Name: name, Kind: Context, MinArgs: min, MaxArgs: max, Args: args, Returns: ret, Doc: doc, NullSafe: true}
	}
	r.MustRegister(
		ctx("meta", "(key | src.key | reading->key | *)", "any", "source metadata of the current row", 1, 1),
		ctx("mqtt", "(topic | messageid)", "string", "MQTT metadata of the current row", 1, 1),
		ctx("event_time", "()", "bigint", "timestamp (ms) of the current row; the trigger time in an aggregate window", 0, 0),
		ctx("window_start", "()", "bigint", "start of the current window in ms; 0 outside windows", 0, 0),
		ctx("window_end", "()", "bigint", "end of the current window in ms; 0 outside windows", 0, 0),
		ctx("window_trigger", "()", "bigint", "trigger time of the current window in ms", 0, 0),
		ctx("last_hit_count", "()", "bigint", "number of earlier rows that passed WHERE", 0, 0),
		ctx("last_hit_time", "()", "bigint", "event time of the last row that passed WHERE", 0, 0),
	)
	agg := func(name string, min, max int, star bool, doc string, aliases ...string) *Func {
		return &Func{Name: name, Aliases: aliases, Kind: Aggregate, MinArgs: min, MaxArgs: max, Star: star, Doc: doc, NullSafe: true}
	}
	r.MustRegister(
		agg("count", 1, 1, true, "number of non-NULL values, or of rows with *"),
		agg("sum", 1, 1, false, "sum of the values"),
		agg("avg", 1, 1, false, "mean of the values (integer when the first value is an integer)"),
		agg("max", 1, 1, false, "largest value"),
		agg("min", 1, 1, false, "smallest value"),
		agg("collect", 1, 1, true, "array of the values or rows of the group"),
		agg("merge_agg", 1, 1, true, "shallow merge of struct values"),
		agg("last_value", 2, 2, true, "last value of the group"),
		agg("deduplicate", 2, 2, false, "rows deduplicated on a value"),
		agg("median", 1, 1, false, "median"),
		agg("stddev", 1, 1, false, "population standard deviation"),
		agg("stddevs", 1, 1, false, "sample standard deviation"),
		agg("var", 1, 1, false, "population variance"),
		agg("vars", 1, 1, false, "sample variance"),
		agg("percentile_cont", 2, 2, false, "continuous percentile", "percentile"),
		agg("percentile_disc", 2, 2, false, "discrete percentile"),
		agg("last_agg_hit_count", 0, 0, false, "earlier emissions that passed HAVING"),
		agg("last_agg_hit_time", 0, 0, false, "time of the last emission that passed HAVING"),
	)
	an := func(name string, min, max int, star bool, doc string) *Func {
		return &Func{Name: name, Kind: Analytic, MinArgs: min, MaxArgs: max, Star: star, Doc: doc, NullSafe: true}
	}
	r.MustRegister(
		an("lag", 1, 4, false, "value of x from offset qualifying rows ago"),
		an("latest", 1, 2, false, "most recent non-NULL value of x"),
		an("changed_col", 2, 2, false, "x if it changed since the previous row, else NULL"),
		an("had_changed", 2, -1, true, "whether any argument changed since the previous row"),
		an("acc_sum", 1, 3, false, "running sum"),
		an("acc_min", 1, 3, false, "running minimum"),
		an("acc_max", 1, 3, false, "running maximum"),
		an("acc_avg", 1, 3, false, "running mean"),
		an("acc_count", 1, 3, false, "running count of non-NULL values"),
	)
	other := func(name string, kind Kind, min, max int, star bool, doc string) *Func {
		return &Func{Name: name, Kind: kind, MinArgs: min, MaxArgs: max, Star: star, Doc: doc, NullSafe: true}
	}
	r.MustRegister(
		other("changed_cols", Multi, 3, -1, true, "the argument columns that changed, prefixed"),
		other("unnest", SetReturn, 1, 1, false, "one output row per array element"),
		other("extract", SetReturn, 1, 1, false, "merge the keys of a struct into the output row"),
		other("row_number", WindowFn, 0, 0, false, "1, 2, 3... within an emission"),
		other("tumblingwindow", WindowDef, 2, 2, false, "tumbling window (unit, size)"),
		other("hoppingwindow", WindowDef, 3, 3, false, "hopping window (unit, size, hop)"),
		other("slidingwindow", WindowDef, 2, 3, false, "sliding window (unit, size [, delay])"),
		other("sessionwindow", WindowDef, 3, 3, false, "session window (unit, maxDuration, timeout)"),
		other("countwindow", WindowDef, 1, 2, false, "count window (size [, step])"),
		other("statewindow", WindowDef, 1, 2, false, "state window (cond) or (begin, emit)"),
		other("dedup_trigger", Trigger, 4, 4, false, "expand rows into deduplicated time slots"),
	)
}
