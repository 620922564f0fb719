package sql

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Option keys of CREATE ... WITH (sql.md §2.3), in the spec's order.
const (
	OptDatasource       = "DATASOURCE"
	OptType             = "TYPE"
	OptFormat           = "FORMAT"
	OptKey              = "KEY"
	OptConfKey          = "CONF_KEY"
	OptExtra            = "EXTRA"
	OptShared           = "SHARED"
	OptStrictValidation = "STRICT_VALIDATION"
	OptTimestamp        = "TIMESTAMP"
	OptTimestampFormat  = "TIMESTAMP_FORMAT"
	OptSchemaID         = "SCHEMAID"
	OptDelimiter        = "DELIMITER"
	OptRetainSize       = "RETAIN_SIZE"
	OptKind             = "KIND"
	OptVersion          = "VERSION"
	OptTemp             = "TEMP"
)

// OptionKeys lists every valid option key in the spec's order.
func OptionKeys() []string {
	return []string{OptDatasource, OptType, OptFormat, OptKey, OptConfKey, OptExtra, OptShared,
		OptStrictValidation, OptTimestamp, OptTimestampFormat, OptSchemaID, OptDelimiter,
		OptRetainSize, OptKind, OptVersion, OptTemp}
}

// CanonicalOptionKey upper-cases key and resolves the EdgeX UI aliases
// (confKey, strictValidation, timestampFormat, retainSize).
func CanonicalOptionKey(key string) string {
	k := strings.ToUpper(key)
	switch k {
	case "CONFKEY":
		return OptConfKey
	case "STRICTVALIDATION":
		return OptStrictValidation
	case "TIMESTAMPFORMAT":
		return OptTimestampFormat
	case "RETAINSIZE":
		return OptRetainSize
	}
	return k
}

// Option returns the option with key (any case or UI alias) and whether it is
// present.
func (c *Create) Option(key string) (Option, bool) {
	key = CanonicalOptionKey(key)
	for _, o := range c.Options {
		if o.Key == key {
			return o, true
		}
	}
	return Option{}, false
}

// OptionValue returns the value of option key, or "" when it is absent.
func (c *Create) OptionValue(key string) string {
	o, _ := c.Option(key)
	return o.Value
}

// OptionBool reports whether a boolean option is set to true.
func (c *Create) OptionBool(key string) bool {
	return strings.EqualFold(c.OptionValue(key), "true")
}

// Validate performs the statement-level checks of sql.md §2.2–2.3: the name,
// duplicate and DEFAULT-typed columns, known option keys, boolean and integer
// option values, EXTRA as JSON, the FORMAT and KIND rules. It returns an
// ErrorList with every problem, or nil.
func (c *Create) Validate() error {
	var errs ErrorList
	if !isEntityName(c.Name) {
		errs.Add(c.NameAt, fmt.Sprintf("invalid %s name %q, a name may contain only letters, digits, \"_\" and \"-\"",
			kindWord(c.Table), c.Name))
	}
	checkColumns(c.Columns, &errs)
	c.checkOptions(&errs)
	c.checkFormat(&errs)
	c.checkKind(&errs)
	errs.Sort()
	return errs.Err()
}

// isEntityName reports whether s matches ^[A-Za-z0-9_-]+$.
func isEntityName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func checkColumns(cols []ColumnDef, errs *ErrorList) {
	seen := make(map[string]bool, len(cols))
	for _, col := range cols {
		if seen[col.Name] {
			errs.Add(col.At, fmt.Sprintf("duplicate field name %s", col.Name))
		}
		seen[col.Name] = true
		if col.Type != nil && col.Type.Fields != nil {
			checkColumns(col.Type.Fields, errs)
		}
		for t := col.Type; t != nil && t.Elem != nil; t = t.Elem {
			if t.Elem.Fields != nil {
				checkColumns(t.Elem.Fields, errs)
			}
		}
		if col.Default != nil {
			checkDefault(col, errs)
		}
	}
}

// checkDefault enforces that DEFAULT appears only on STRING, BOOLEAN, FLOAT
// and BIGINT and that the literal matches the type (an integer is a valid
// FLOAT default).
func checkDefault(col ColumnDef, errs *ErrorList) {
	name := col.Type.Name
	ok := false
	switch col.Default.(type) {
	case *StringLit:
		ok = name == "string"
	case *BoolLit:
		ok = name == "boolean"
	case *FloatLit:
		ok = name == "float"
	case *IntLit:
		ok = name == "bigint" || name == "float"
	}
	switch {
	case name != "string" && name != "boolean" && name != "float" && name != "bigint":
		errs.Add(col.Default.Pos(), fmt.Sprintf("field %s of type %s cannot have a DEFAULT value", col.Name, col.Type))
	case !ok:
		errs.Add(col.Default.Pos(), fmt.Sprintf("default value %s does not match type %s of field %s", Format(col.Default), name, col.Name))
	}
}

func (c *Create) checkOptions(errs *ErrorList) {
	seen := map[string]bool{}
	for _, o := range c.Options {
		if seen[o.Key] {
			errs.Add(o.At, fmt.Sprintf("duplicate option %s", o.Key))
		}
		seen[o.Key] = true
		switch o.Key {
		case OptShared, OptStrictValidation, OptTemp:
			if !strings.EqualFold(o.Value, "true") && !strings.EqualFold(o.Value, "false") {
				errs.Add(o.At, fmt.Sprintf("option %s expects TRUE or FALSE, found %q", o.Key, o.Value))
			}
		case OptRetainSize:
			if _, err := strconv.Atoi(o.Value); err != nil {
				errs.Add(o.At, fmt.Sprintf("option %s expects an integer, found %q", o.Key, o.Value))
			}
		case OptExtra:
			var obj map[string]any
			if err := json.Unmarshal([]byte(o.Value), &obj); err != nil || obj == nil {
				errs.Add(o.At, fmt.Sprintf("option %s expects a JSON object, found %q", o.Key, o.Value))
			}
		case OptDatasource, OptType, OptFormat, OptKey, OptConfKey, OptTimestamp,
			OptTimestampFormat, OptSchemaID, OptDelimiter, OptKind, OptVersion:
		default:
			errs.Add(o.At, fmt.Sprintf("unknown option %s, valid options are %s", o.Key, strings.Join(OptionKeys(), ", ")))
		}
	}
}

// checkFormat applies the FORMAT rules; TYPE edgex ignores the format.
func (c *Create) checkFormat(errs *ErrorList) {
	o, ok := c.Option(OptFormat)
	if !ok || strings.EqualFold(c.OptionValue(OptType), "edgex") {
		return
	}
	switch strings.ToLower(o.Value) {
	case "", "json":
	case "binary":
		if c.Table {
			errs.Add(o.At, "format binary is only supported for streams")
		} else if len(c.Columns) > 1 || len(c.Columns) == 1 && c.Columns[0].Type.Name != "bytea" {
			errs.Add(o.At, "format binary needs no fields or exactly one BYTEA field")
		}
	default:
		errs.Add(o.At, fmt.Sprintf("format %s is not supported", o.Value))
	}
}

// checkKind applies the KIND rules: scan or lookup; lookup tables are
// memory, redis, sql, file or edgex (core-metadata devices, an Oort
// addition), and a memory lookup table needs KEY.
func (c *Create) checkKind(errs *ErrorList) {
	o, ok := c.Option(OptKind)
	if !ok {
		return
	}
	switch strings.ToLower(o.Value) {
	case "scan":
	case "lookup":
		typ := strings.ToLower(c.OptionValue(OptType))
		switch {
		case typ != "memory" && typ != "redis" && typ != "sql" && typ != "file" && typ != "edgex":
			if typ == "" {
				typ = "mqtt"
			}
			errs.Add(o.At, fmt.Sprintf("lookup table of type %s is not supported", typ))
		case c.OptionValue(OptKey) == "":
			errs.Add(o.At, `Option "key" is required for memory lookup table.`)
		}
	default:
		errs.Add(o.At, fmt.Sprintf("option KIND expects scan or lookup, found %q", o.Value))
	}
}
