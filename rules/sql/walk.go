package sql

// Inspect traverses the tree rooted at n depth-first, calling f for each
// node before its children; when f returns false the children are skipped.
// Nil children are not visited. Struct-valued parts (Field, When, SortItem,
// Source, Join, ColumnDef, Option) are passed as pointers into their parent,
// so a visitor may rewrite them in place.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || isNilNode(n) || !f(n) {
		return
	}
	for _, c := range children(n) {
		Inspect(c, f)
	}
}

// isNilNode catches typed nil pointers stored in a Node.
func isNilNode(n Node) bool {
	switch n := n.(type) {
	case *Over:
		return n == nil
	case *StarField:
		return n == nil
	case *Type:
		return n == nil
	case *IntLit:
		return n == nil
	}
	return false
}

func exprNodes(list []Expr) []Node {
	out := make([]Node, 0, len(list))
	for _, x := range list {
		out = append(out, x)
	}
	return out
}

// nodes drops nil expressions so children lists stay clean.
func nodes(ns ...Node) []Node {
	out := ns[:0]
	for _, n := range ns {
		if n == nil { // a nil Expr converts to a nil Node
			continue
		}
		out = append(out, n)
	}
	return out
}

func children(n Node) []Node {
	switch n := n.(type) {
	case *Access:
		return nodes(n.X)
	case *Index:
		return nodes(n.X, n.Index)
	case *Slice:
		return nodes(n.X, n.Lo, n.Hi)
	case *Unary:
		return nodes(n.X)
	case *Binary:
		return nodes(n.L, n.R)
	case *IsNull:
		return nodes(n.X)
	case *In:
		return append(append(nodes(n.X), exprNodes(n.List)...), nodes(n.Set)...)
	case *Between:
		return nodes(n.X, n.Lo, n.Hi)
	case *Like:
		return nodes(n.X, n.Pattern)
	case *When:
		return nodes(n.Cond, n.Result)
	case *Case:
		out := nodes(n.Value)
		for i := range n.Whens {
			out = append(out, &n.Whens[i])
		}
		return append(out, nodes(n.Else)...)
	case *Call:
		out := append(exprNodes(n.Args), nodes(n.Filter)...)
		if n.Over != nil {
			out = append(out, n.Over)
		}
		return out
	case *Over:
		out := append(exprNodes(n.PartitionBy), nodes(n.When)...)
		return append(out, sortNodes(n.OrderBy)...)
	case *SortItem:
		return nodes(n.X)
	}
	return stmtChildren(n)
}

func sortNodes(list []SortItem) []Node {
	out := make([]Node, len(list))
	for i := range list {
		out[i] = &list[i]
	}
	return out
}

func stmtChildren(n Node) []Node {
	switch n := n.(type) {
	case *Select:
		var out []Node
		for i := range n.Fields {
			out = append(out, &n.Fields[i])
		}
		out = append(out, &n.From)
		for i := range n.Joins {
			out = append(out, &n.Joins[i])
		}
		out = append(out, nodes(n.Where)...)
		out = append(out, exprNodes(n.GroupBy)...)
		out = append(out, nodes(n.Having)...)
		out = append(out, sortNodes(n.OrderBy)...)
		if n.Limit != nil {
			out = append(out, n.Limit)
		}
		return out
	case *Field:
		if n.Star != nil {
			return []Node{n.Star}
		}
		return nodes(n.X)
	case *StarField:
		out := make([]Node, len(n.Replace))
		for i := range n.Replace {
			out[i] = &n.Replace[i]
		}
		return out
	case *Join:
		return append([]Node{&n.Src}, nodes(n.On)...)
	}
	return defChildren(n)
}

func defChildren(n Node) []Node {
	switch n := n.(type) {
	case *Create:
		var out []Node
		for i := range n.Columns {
			out = append(out, &n.Columns[i])
		}
		for i := range n.Options {
			out = append(out, &n.Options[i])
		}
		return out
	case *ColumnDef:
		var out []Node
		if n.Type != nil {
			out = append(out, n.Type)
		}
		return append(out, nodes(n.Default)...)
	case *Type:
		var out []Node
		if n.Elem != nil {
			out = append(out, n.Elem)
		}
		for i := range n.Fields {
			out = append(out, &n.Fields[i])
		}
		return out
	}
	return nil
}
