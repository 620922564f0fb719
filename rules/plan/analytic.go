package plan

import (
	"fmt"

	"github.com/oort-rules/oort/rules/analytic"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// anaSite is one analytic call of the query. Analytic functions are
// evaluated on every incoming row before WHERE (sql.md §8); the rest of the
// query reads the stored result from Ctx.Ana.
type anaSite struct {
	call   *sql.Call
	args   []compiled
	star   []bool
	part   []compiled
	when   *compiled
	parts  *analytic.Partitions
	keyBuf []byte
}

// analyticCall registers an analytic call site and compiles its reference.
// Arguments are compiled first, so nested analytic calls (lag(had_changed(...)))
// get lower indexes and are evaluated before their parents.
func (b *binder) analyticCall(n *sql.Call, f *fn.Func) compiled {
	spec, ok := analytic.Lookup(n.Name)
	if !ok {
		b.unsupported(n.At, "analytic function "+n.Name)
		return compiled{eval: nullEval}
	}
	site := &anaSite{call: n}
	lits := make([]value.Value, len(n.Args))
	oks := make([]bool, len(n.Args))
	names := make([]string, len(n.Args))
	for i, a := range n.Args {
		if _, star := a.(*sql.Star); star {
			site.args = append(site.args, compiled{eval: rowObject})
			site.star = append(site.star, true)
			names[i] = analytic.Wildcard
			continue
		}
		c := b.expr(a, asValue)
		site.args = append(site.args, c)
		site.star = append(site.star, false)
		info := b.argInfo(a, c)
		lits[i], oks[i], names[i] = info.Val, info.Literal, info.Name
	}
	if n.Over != nil {
		for _, p := range n.Over.PartitionBy {
			site.part = append(site.part, b.expr(p, asValue))
		}
		if n.Over.When != nil {
			w := b.expr(n.Over.When, asLogic)
			site.when = &w
		}
	}
	parts, err := analytic.NewPartitions(spec, lits, oks, names)
	if err != nil {
		b.errorf(n.At, "validate function %s error: %v", n.Name, err)
		return compiled{eval: nullEval}
	}
	site.parts = parts
	idx := len(b.ana)
	b.ana = append(b.ana, site)
	return compiled{eval: func(c *Ctx) (value.Value, error) { return c.Ana[idx], nil }}
}

// evalAnalytics computes every analytic call for the current row, in site
// order, storing the results in c.Ana.
func (p *Program) evalAnalytics(c *Ctx) error {
	for i, s := range p.ana {
		args := make([]value.Value, len(s.args))
		for j := range s.args {
			v, err := s.args[j].eval(c)
			if err != nil {
				return err
			}
			args[j] = v
		}
		key, err := s.key(c)
		if err != nil {
			return err
		}
		update := true
		if s.when != nil {
			if update, err = cond(s.when.eval, c); err != nil {
				return err
			}
		}
		v, err := s.parts.Eval(key, args, update)
		if err != nil {
			return at(s.call.At, fmt.Errorf("run function %s error: %w", s.call.Name, err))
		}
		c.Ana[i] = v
	}
	return nil
}

// key encodes the PARTITION BY values of the current row.
func (s *anaSite) key(c *Ctx) (string, error) {
	if len(s.part) == 0 {
		return "", nil
	}
	s.keyBuf = s.keyBuf[:0]
	for _, p := range s.part {
		v, err := p.eval(c)
		if err != nil {
			return "", err
		}
		s.keyBuf = value.AppendJSON(s.keyBuf, v)
		s.keyBuf = append(s.keyBuf, 0)
	}
	return string(s.keyBuf), nil
}
