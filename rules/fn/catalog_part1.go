package fn

// registerPart1 registers the functions of sql.md §12.2–§12.6:
// mathematical, string, hashing, conversion and JSON.
func registerPart1(r *Registry) {
	r.MustRegister(mathFuncs()...)
	r.MustRegister(stringFuncs()...)
	r.MustRegister(hashFuncs()...)
	r.MustRegister(conversionFuncs()...)
	r.MustRegister(jsonFuncs()...)
}
