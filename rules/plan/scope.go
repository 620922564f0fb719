package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/sql"
)

// Source describes one FROM/JOIN input at plan time.
type Source struct {
	Name    string
	Alias   string
	Fields  []Column // declared schema; nil for a schemaless stream
	IsTable bool
	Lookup  bool   // a lookup table, queried per row by Key
	Key     string // the table's KEY option
}

// Column is a declared column of a stream or table.
type Column struct {
	Name string
	Type string // sql type name: bigint, float, string, datetime, boolean, bytea, array, struct
}

func (s *Source) ref() string {
	if s.Alias != "" {
		return s.Alias
	}
	return s.Name
}

func (s *Source) declares(name string, fold bool) (string, bool) {
	for _, c := range s.Fields {
		if c.Name == name || (fold && strings.EqualFold(c.Name, name)) {
			return c.Name, true
		}
	}
	return "", false
}

// Options tune binding.
type Options struct {
	IgnoreCase bool // case-insensitive column lookup (RulesEngine.IgnoreCase)
	EventTime  bool
	// Env is the rule's function environment; constant folding evaluates with
	// it so folded date functions see the rule's time zone and rule id.
	Env *fn.Env
}

// binder holds the state of one compilation.
type binder struct {
	reg     *fn.Registry
	opts    Options
	sources []*Source
	fields  []sql.Field
	aliases map[string]int // alias -> field index
	deps    [][]int        // alias dependency graph by name (field index -> field indexes)
	current int            // field being compiled, -1 outside the select list
	errs    []error
	unnest  int // index of the unnest field or -1
	ana     []*anaSite
	rn      []*rnSite
	aggs    []*aggSite
	hasAgg  bool
	// inAggregate is set while compiling an aggregate's arguments.
	inAggregate bool
}

func (b *binder) errorf(p sql.Pos, format string, args ...any) {
	b.errs = append(b.errs, &sql.Error{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// err returns the collected errors sorted by position, first one first.
func (b *binder) err() error {
	if len(b.errs) == 0 {
		return nil
	}
	list := make(sql.ErrorList, 0, len(b.errs))
	for _, e := range b.errs {
		if se, ok := e.(*sql.Error); ok {
			list = append(list, se)
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Pos.Off < list[j].Pos.Off })
	return list
}

// source returns the source named (or aliased) n.
func (b *binder) source(n string) *Source {
	for _, s := range b.sources {
		if s.ref() == n || s.Name == n {
			return s
		}
	}
	return nil
}

// collectAliases records select-item aliases and the name-level dependency
// graph used to resolve alias cycles (sql.md §5.4).
func (b *binder) collectAliases() {
	b.aliases = map[string]int{}
	for i, f := range b.fields {
		if f.Alias != "" {
			b.aliases[f.Alias] = i
		}
	}
	b.deps = make([][]int, len(b.fields))
	for i, f := range b.fields {
		if f.X == nil {
			continue
		}
		walk(f.X, func(e sql.Expr) bool {
			if id, ok := e.(*sql.Ident); ok {
				if j, ok := b.aliases[id.Name]; ok && j != i {
					b.deps[i] = append(b.deps[i], j)
				}
			}
			_, isCall := e.(*sql.Call)
			return !(isCall && strings.EqualFold(e.(*sql.Call).Name, "meta"))
		})
	}
}

// reaches reports whether field from depends on field to through aliases.
func (b *binder) reaches(from, to int) bool {
	seen := make([]bool, len(b.fields))
	stack := []int{from}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == to {
			return true
		}
		if seen[n] {
			continue
		}
		seen[n] = true
		stack = append(stack, b.deps[n]...)
	}
	return false
}

// aliasFor returns the select item an identifier refers to, or -1 when it is a
// source column: inside an alias's own definition, and for aliases depending
// on the one being defined, the source column wins.
func (b *binder) aliasFor(name string) int {
	j, ok := b.aliases[name]
	if !ok {
		return -1
	}
	if b.current >= 0 && (j == b.current || b.reaches(j, b.current)) {
		return -1
	}
	return j
}
