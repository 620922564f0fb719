package fn

// NewCatalog returns a registry holding every built-in function of sql.md §12.
// Callers build one per engine; nothing here is global.
func NewCatalog() *Registry {
	r := NewRegistry()
	registerPart1(r)
	registerPart2(r)
	registerKinds(r)
	return r
}

// Volatile reports functions whose result changes between calls with the same
// arguments; the planner never folds them into constants.
func Volatile(name string) bool {
	switch name {
	case "rand", "newuuid", "now", "current_timestamp", "local_time", "local_timestamp",
		"cur_date", "current_date", "cur_time", "current_time", "tstamp", "rule_start",
		"delay", "props", "get_keyed_state", "array_shuffle":
		return true
	}
	return false
}
