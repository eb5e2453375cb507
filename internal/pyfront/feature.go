package pyfront

import (
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
	sc        *scope
	f         *Feature
	fns       map[string]*Function // by Python name
	configure *Call                // the first pc.configure(...)
}

// readFeature fills f from the parsed routes.py module.
func readFeature(sc *scope, fw framework, f *Feature) {
	fr := &featureReader{sc: sc, f: f, fns: map[string]*Function{}}
	routes := fw.reader(sc)
	for i, st := range sc.mod.Stmts {
		switch st := st.(type) {
		case *Assign:
			routes.assign(st, i)
		case *ExprStmt:
			if call, ok := st.X.(*Call); ok && !routes.call(call, i) {
				fr.call(call, i)
			}
		case *FuncDef:
			for _, dec := range st.Decorators {
				if !routes.decorator(dec, i, st.Name) {
					fr.decorator(dec, i, st)
				}
			}
		}
	}
	f.Blueprints, f.Routes = routes.finish()
	fr.link(fw)
	f.Declared = declaredResources(sc)
}

// call reads a pc.configure(...) or pc.shared_resource(...) statement.
func (fr *featureReader) call(call *Call, idx int) {
	s := fr.sc.symOf(call.Func, idx)
	if s == nil || s.module != "deployless" || (s.member != "configure" && s.member != "shared_resource") {
		return
	}
	if s.member == "configure" {
		if fr.configure != nil {
			fr.sc.an.diags.Add(diag.E10, call.Span, "configure() is called more than once in this feature").Note(fr.configure.Span, "first call")
			return
		}
		fr.configure = call
	}
	obj, err := fr.sc.deploylessCall(s.member, call, idx)
	if err != nil {
		fr.sc.report(err)
		return
	}
	if s.member == "shared_resource" {
		fr.f.Shared = append(fr.f.Shared, obj)
	} else {
		fr.f.Configure = obj
	}
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
	fn.Name, fn.Span = def.Name, def.Span
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
			an.diags.Add(diag.E10, source.At(f.RoutesPath, 1, 1), "no %s %s found: routes.py must define a %[2]s with at least one route (or a @cron/@lambda_function)", fw.name(), fw.router())
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
