package pyfront

// wellFormed reports whether a decoded module has the shape the converter
// produces (every required expression present, dict keys and values
// paired, at least one assignment target…). The evaluator relies on that
// shape, so a cache entry that decodes to anything else is a miss, whatever
// damage or forgery produced it.
func wellFormed(m *Module) bool {
	for _, st := range m.Stmts {
		switch st := st.(type) {
		case *Import:
			if st.Level < 0 {
				return false
			}
			for _, n := range st.Names {
				if n.Name == "" {
					return false
				}
			}
		case *Assign:
			if len(st.Targets) == 0 || !wellFormedExpr(st.Value, 0) {
				return false
			}
			for _, t := range st.Targets {
				if t == "" {
					return false
				}
			}
		case *ExprStmt:
			if !wellFormedExpr(st.X, 0) {
				return false
			}
		case *FuncDef:
			for _, d := range st.Decorators {
				if !wellFormedExpr(d, 0) {
					return false
				}
			}
		case *ClassDef:
			for _, b := range st.Bases {
				if !wellFormedExpr(b, 0) {
					return false
				}
			}
			if st.Name == "" || st.MethodsAttr != nil && !wellFormedExpr(st.MethodsAttr, 0) {
				return false
			}
		case *Nested:
			for _, x := range st.Exprs {
				if !wellFormedExpr(x, 0) {
					return false
				}
			}
			for _, imp := range st.Imports {
				if imp == nil || imp.Level < 0 {
					return false
				}
				for _, n := range imp.Names {
					if n.Name == "" {
						return false
					}
				}
			}
		default:
			return false
		}
	}
	return true
}

func wellFormedExpr(e Expr, depth int) bool {
	if depth > MaxExprDepth {
		return false
	}
	ok := func(xs ...Expr) bool {
		for _, x := range xs {
			if !wellFormedExpr(x, depth+1) {
				return false
			}
		}
		return true
	}
	switch e := e.(type) {
	case *Name:
		return e.Id != ""
	case *Attribute:
		return e.Attr != "" && ok(e.X)
	case *Call:
		for _, k := range e.Kwargs {
			if k.Name == "" || !ok(k.Value) {
				return false
			}
		}
		return ok(e.Func) && ok(e.Args...)
	case *Str:
		for _, p := range e.Parts {
			if p.Expr != nil && !ok(p.Expr) {
				return false
			}
		}
		return true
	case *Int, *Float, *Const, *Other:
		return true
	case *List:
		return ok(e.Elems...)
	case *Dict:
		if len(e.Keys) != len(e.Vals) {
			return false
		}
		for _, k := range e.Keys {
			if k != nil && !ok(k) { // a nil key marks a **splat
				return false
			}
		}
		return ok(e.Vals...)
	case *Unary:
		return ok(e.X)
	case *Binary:
		return ok(e.X, e.Y)
	case *Subscript:
		return ok(e.X, e.Index)
	}
	return false // nil or unknown
}
