package pyfront

import (
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/source"
)

// The framework-neutral reading of one routes.py. Everything deployless
// (pc.configure, pc.shared_resource, @pc.route/@pc.cron/@pc.lambda_function
// and the resources bound to module-level names) is read here, once for
// every framework; the framework's routeReader only knows its routers and
// routes, so a second framework adds a reader and no deployless rules.

// featureReader holds what readFeature has seen of the deployless calls.
type featureReader struct {
	sc        *scope // the module being read
	f         *Feature
	fns       map[string]*Function // by Python name
	configure *Call                // the first pc.configure(...)
}

// readFeature fills f from the feature's modules: its package's
// __init__.py, routes.py and every module of the feature (or the shared
// folder) they import at module level, transitively (SPEC.md §9).
func readFeature(an *analyzer, routesSc *scope, f *Feature) {
	mods := an.featureModules(f, routesSc)
	f.Framework = an.featureFramework(f, mods)
	fw := frameworks[f.Framework]
	routes := fw.reader()
	for _, sc := range mods {
		for i, st := range sc.mod.Stmts {
			if a, ok := st.(*Assign); ok {
				routes.define(sc, a, i)
			}
		}
	}
	fr := &featureReader{f: f, fns: map[string]*Function{}}
	for _, sc := range mods {
		fr.sc = sc
		for i, st := range sc.mod.Stmts {
			switch st := st.(type) {
			case *Assign:
				if c, ok := st.Value.(*Call); ok {
					if s := sc.symOf(c.Func, i); s != nil && fw.constructor(s.String()) {
						continue // a definition
					}
				}
				routes.hidden(sc, st.Value, i, "an assignment")
				fr.hidden(st.Value, i, "an assignment", true)
			case *ExprStmt:
				call, ok := st.X.(*Call)
				if !ok {
					continue
				}
				if routes.call(sc, call, i) || fr.call(call, i) {
					continue
				}
				// bp.route("/x")(view), pc.cron(...)(job): a decorator
				// applied by a call.
				routes.hidden(sc, call.Func, i, "a decorator applied by a call")
				fr.hidden(call.Func, i, "a decorator applied by a call", false)
			case *FuncDef:
				// Python applies decorators bottom up, so a view's rules
				// register in that order (url_for builds the first one):
				// routes are read bottom up, deployless decorators top
				// down (the order the seed's rules speak of).
				claimed := make([]bool, len(st.Decorators))
				for j := len(st.Decorators) - 1; j >= 0; j-- {
					claimed[j] = routes.decorator(sc, st.Decorators[j], i, st.Name)
				}
				for j, dec := range st.Decorators {
					if !claimed[j] {
						fr.decorator(dec, i, st)
					}
				}
			case *Nested:
				for _, x := range st.Exprs {
					routes.hidden(sc, x, i, st.Kind)
					fr.hidden(x, i, st.Kind, false)
				}
			}
		}
	}
	f.Blueprints, f.Routes = routes.finish(routesSc)
	fr.sc = routesSc
	fr.link(fw)
	f.Declared = declaredResources(routesSc)
}

// featureModules lists the scopes of the feature's modules in the order
// Python runs them: the feature package, routes.py, then what they import
// (breadth first), keeping only modules of the feature's folder and the
// shared folder.
func (an *analyzer) featureModules(f *Feature, routes *scope) []*scope {
	var out []*scope
	seen := map[string]bool{}
	var queue []*scope
	inside := func(p, dir string) bool { return dir != "" && (p == dir || strings.HasPrefix(p, dir+"/")) }
	add := func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		if p := modulePath(name); !inside(p, f.Dir) && !inside(p, an.opts.SharedDir) {
			return
		}
		if sc := an.module(name); sc != nil {
			out = append(out, sc)
			queue = append(queue, sc)
		}
	}
	add(moduleName(f.Dir + "/__init__.py"))
	seen[routes.mod.Name] = true
	out = append(out, routes)
	queue = append(queue, routes)
	for len(queue) > 0 {
		sc := queue[0]
		queue = queue[1:]
		for _, st := range sc.mod.Stmts {
			imp, ok := st.(*Import)
			if !ok {
				continue
			}
			if !imp.From {
				add(imp.Module)
				continue
			}
			base := sc.resolveRelative(imp)
			add(base)
			for _, n := range imp.Names {
				add(base + "." + n.Name)
			}
		}
	}
	return out
}

// hidden reports a deployless call or decorator that deployless cannot
// evaluate where it is (inside a loop, an if, a def's body; applied by a
// call). In an assignment, resources are values (t = pc.DynamoDB(...)) and
// only the calls that declare functions or settings are refused.
func (fr *featureReader) hidden(x Expr, idx int, where string, assigned bool) {
	sc := fr.sc
	check := func(e Expr, span source.Span) {
		if !importRooted(sc, e, idx) {
			return // resolving it would evaluate a value (see importRooted)
		}
		s := sc.symOf(e, idx)
		if s == nil || s.module != "deployless" || s.member == "" {
			return
		}
		if _, isDecorator := kind.Decorator(s.member); assigned && !isDecorator && s.member != "configure" && s.member != "shared_resource" {
			return
		}
		sc.an.diags.Add(diag.E10, span, "pc.%s is inside %s: deployless reads it without running the code, so it cannot know whether or how often it runs; write it at module level (a decorator directly on a module-level def)", s.member, where)
	}
	switch x.(type) {
	case *Name, *Attribute: // a bare decorator, @pc.cron
		check(x, x.Pos())
		return
	}
	walkCalls(x, func(c *Call) { check(c.Func, c.Span) })
}

// walkCalls calls fn for every call in x: x itself, the function it calls
// and its arguments, recursively (bounded by the converter's depth limit).
func walkCalls(x Expr, fn func(*Call)) {
	var walk func(x Expr, depth int)
	walk = func(x Expr, depth int) {
		if x == nil || depth > MaxExprDepth {
			return
		}
		switch x := x.(type) {
		case *Call:
			fn(x)
			walk(x.Func, depth+1)
			for _, a := range x.Args {
				walk(a, depth+1)
			}
			for _, k := range x.Kwargs {
				walk(k.Value, depth+1)
			}
		case *Attribute:
			walk(x.X, depth+1)
		case *List:
			for _, e := range x.Elems {
				walk(e, depth+1)
			}
		case *Dict:
			for _, e := range x.Vals {
				walk(e, depth+1)
			}
		case *Binary:
			walk(x.X, depth+1)
			walk(x.Y, depth+1)
		case *Unary:
			walk(x.X, depth+1)
		case *Subscript:
			walk(x.X, depth+1)
			walk(x.Index, depth+1)
		}
	}
	walk(x, 0)
}

// call reads a pc.configure(...) or pc.shared_resource(...) statement and
// reports whether it was a deployless call.
func (fr *featureReader) call(call *Call, idx int) bool {
	s := fr.sc.symOf(call.Func, idx)
	if s == nil || s.module != "deployless" {
		return false
	}
	if s.member != "configure" && s.member != "shared_resource" {
		fr.sc.an.diags.Add(diag.E10, call.Span, "pc.%s(...) as a statement does nothing: %s", s.member, statementUse(s.member))
		return true
	}
	if s.member == "configure" {
		if fr.configure != nil {
			fr.sc.an.diags.Add(diag.E10, call.Span, "configure() is called more than once in this feature").Note(fr.configure.Span, "first call")
			return true
		}
		fr.configure = call
	}
	obj, err := fr.sc.deploylessCall(s.member, call, idx)
	if err != nil {
		fr.sc.report(err)
		return true
	}
	if s.member == "shared_resource" {
		fr.f.Shared = append(fr.f.Shared, obj)
	} else {
		fr.f.Configure = obj
	}
	return true
}

// statementUse says how a deployless name is used instead.
func statementUse(member string) string {
	if _, ok := kind.Decorator(member); ok {
		return "it is a decorator (@pc." + member + "(...) on a module-level def)"
	}
	return "bind it to a name (x = pc." + member + "(...)) or pass it where it is used"
}

// decorator reads a deployless decorator of def; one per function.
func (fr *featureReader) decorator(dec Expr, idx int, def *FuncDef) {
	fn := deploylessDecorator(fr.sc, dec, idx)
	if fn == nil {
		return
	}
	if prev := fr.fns[def.Name]; prev != nil {
		fr.sc.an.diags.Add(diag.E10, fn.Call.Span, "function %s has more than one deployless decorator", def.Name).Note(prev.Call.Span, "first one")
		return
	}
	fn.Name, fn.Span, fn.Module = def.Name, def.Span, fr.sc.mod.Name
	fr.fns[def.Name] = fn
	fr.f.Functions = append(fr.f.Functions, fn)
}

// link gives each split its routes and checks that splits, and only they,
// are routes, and that the feature declares something at all.
func (fr *featureReader) link(fw framework) {
	an, f := fr.sc.an, fr.f
	for _, r := range f.Routes {
		if fn := fr.fns[r.Func]; fn != nil {
			fn.Routes = append(fn.Routes, r)
		}
	}
	for _, fn := range f.Functions {
		switch {
		case fn.Kind == kind.Split && len(fn.Routes) == 0:
			an.diags.Add(diag.E10, fn.Call.Span, "@route() on %s, which has no %s route decorator", fn.Name, fw.name())
		case fn.Kind != kind.Split && len(fn.Routes) > 0:
			an.diags.Add(diag.E10, fn.Call.Span, "@%s() function %s must not also be a %s route", fn.Kind, fn.Name, fw.name())
		}
	}
	if len(f.Routes) == 0 && len(f.Functions) == 0 {
		if len(f.Blueprints) == 0 {
			an.diags.Add(diag.E10, source.At(f.RoutesPath, 1, 1), "no Flask Blueprint or FastAPI APIRouter found: routes.py must define one (bp = Blueprint(...) or router = APIRouter(...)) with at least one route, or a @cron/@lambda_function")
		} else {
			an.diags.Add(diag.E10, f.Blueprints[0].Span, "%s %s has no routes", fw.router(), f.Blueprints[0].Var)
		}
	}
}

// deploylessDecorator recognises @pc.route(...), @pc.cron(...) and
// @pc.lambda_function(...), with or without parentheses.
func deploylessDecorator(sc *scope, dec Expr, idx int) *Function {
	call, isCall := dec.(*Call)
	target := dec
	if isCall {
		target = call.Func
	}
	s := sc.symOf(target, idx)
	if s == nil || s.module != "deployless" {
		return nil
	}
	k, ok := kind.Decorator(s.member)
	if !ok {
		sc.an.diags.Add(diag.E10, dec.Pos(), "deployless.%s is not a decorator", s.member)
		return nil
	}
	if !isCall {
		return &Function{Kind: k, Call: &Object{Func: s.member, Span: dec.Pos()}}
	}
	obj, err := sc.deploylessCall(s.member, call, idx)
	if err != nil {
		sc.report(err)
		return nil
	}
	return &Function{Kind: k, Call: obj}
}

// declaredResources finds the module-level names of a routes.py bound to a
// deployless resource: `t = pc.DynamoDB(...)` (whose arguments must be
// static: E10 otherwise) and names imported from project modules that hold
// one (silently skipped when they are not static values).
func declaredResources(sc *scope) []*Object {
	var out []*Object
	seen := map[*Object]bool{}
	add := func(v *Value) {
		if v != nil && v.Kind == KObj && isResourceFunc(v.Obj.Func) && !seen[v.Obj] {
			seen[v.Obj] = true
			out = append(out, v.Obj)
		}
	}
	for i, st := range sc.mod.Stmts {
		switch st := st.(type) {
		case *Assign:
			call, ok := st.Value.(*Call)
			if !ok {
				continue
			}
			if s := sc.symOf(call.Func, i); s == nil || s.module != "deployless" || !isResourceFunc(s.member) {
				continue
			}
			for _, t := range st.Targets {
				v, _, err := sc.resolveBinding(sc.lookup(t, -1), &Name{Span: st.Span, Id: t})
				if err != nil {
					sc.report(err)
					break
				}
				add(v)
			}
		case *Import:
			if !st.From {
				continue
			}
			for _, n := range st.Names {
				name := n.Alias
				if name == "" {
					name = n.Name
				}
				if b := sc.lookup(name, -1); b != nil && b.imp != nil && b.imp.module != "deployless" {
					if v, _, err := sc.resolveBinding(b, &Name{Span: n.Span, Id: name}); err == nil {
						add(v)
					}
				}
			}
		}
	}
	return out
}

func isResourceFunc(fn string) bool {
	_, ok := kind.ResourceCall(fn)
	return ok
}
