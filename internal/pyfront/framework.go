package pyfront

import (
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/source"
)

// framework is the seam between the framework-neutral reading of a
// routes.py (feature.go: deployless calls and decorators, the checks that
// tie them to routes) and one web framework's way of declaring routers and
// routes. flask.go and fastapi.go implement it.
type framework interface {
	// name is the framework's name in messages ("Flask").
	name() string
	// router is its word for a router in messages ("Blueprint").
	router() string
	// reader starts reading one feature (all its modules).
	reader() routeReader
	// constructor reports whether a resolved symbol ("flask.Blueprint")
	// makes one of its routers: an assignment of its call is a definition.
	constructor(sym string) bool
}

// routeReader reads one feature's routers and routes, across the modules
// of the feature. readFeature offers it every module-level assignment of
// every module first (define), then every statement in source order,
// module by module, before looking for deployless calls in it.
type routeReader interface {
	// define is offered each assignment (router definitions).
	define(sc *scope, st *Assign, idx int)
	// call is offered each call statement and reports whether it is the
	// framework's (a call on a router); deployless calls are then not
	// looked for in it.
	call(sc *scope, c *Call, idx int) bool
	// decorator is offered each decorator of a def and reports whether it
	// belongs to one of the feature's routers.
	decorator(sc *scope, dec Expr, idx int, fn string) bool
	// hidden is offered what deployless does not evaluate (the calls inside
	// a loop, an if, a def's body; a decorator applied by a call): a
	// registration among them is an E10 that says where it is.
	hidden(sc *scope, x Expr, idx int, where string)
	// finish returns the routers in definition order and the routes with
	// their prefixes applied, reporting the rules API Gateway cannot route.
	finish(sc *scope) ([]*Blueprint, []*Route)
}

var frameworks = map[string]framework{
	"flask":   flaskFramework{},
	"fastapi": fastapiFramework{},
}

// featureFramework decides a feature's framework by what its modules
// define at module level (SPEC.md, issue 13): a Blueprint makes it Flask,
// an APIRouter or a FastAPI app makes it FastAPI; both in one feature is
// an E10 (one function serves one app). With neither, the routes module's
// imports decide (a fastapi import: FastAPI, so the "no router" message
// speaks of APIRouter), else Flask.
func (an *analyzer) featureFramework(f *Feature, mods []*scope) string {
	var first [2]*Call // flask, fastapi
	for _, sc := range mods {
		for i, st := range sc.mod.Stmts {
			a, ok := st.(*Assign)
			if !ok {
				continue
			}
			c, ok := a.Value.(*Call)
			if !ok || !importRooted(sc, c.Func, i) {
				continue
			}
			s := sc.symOf(c.Func, i)
			if s == nil {
				continue
			}
			switch {
			case flaskFramework{}.constructor(s.String()) && first[0] == nil:
				first[0] = c
			case fastapiFramework{}.constructor(s.String()) && first[1] == nil:
				first[1] = c
			}
		}
	}
	switch {
	case first[0] != nil && first[1] != nil:
		an.diags.Add(diag.E10, first[1].Span, "feature %s defines both a Flask Blueprint and a FastAPI router; a feature is one framework's (its functions serve one app): move one of them to its own feature", f.Name).Note(first[0].Span, "the Blueprint")
		return "flask"
	case first[1] != nil:
		return "fastapi"
	case first[0] != nil:
		return "flask"
	}
	for _, sc := range mods[:min(len(mods), 2)] { // the package and routes.py
		for _, st := range sc.mod.Stmts {
			if imp, ok := st.(*Import); ok && (imp.Module == "fastapi" || strings.HasPrefix(imp.Module, "fastapi.")) && imp.Level == 0 {
				return "fastapi"
			}
		}
	}
	return "flask"
}

// routerSet is what every framework's reader keeps: the feature's routers
// by key and in definition order, and its routes before prefixes.
type routerSet struct {
	bps    map[string]*Blueprint // by key (module:var)
	order  []*Blueprint          // in definition order
	routes []pendingRoute
}

// pendingRoute is a route before router prefixes are applied.
type pendingRoute struct {
	bp       string // key
	rule     string // as written, before prefixes
	endpoint string // the endpoint's name (Flask's within the blueprint; FastAPI's name=)
	methods  []string
	fn       string
	span     source.Span
}

// routerArg resolves a register/include argument (a name, or module.name) to
// the key of a router of the feature, "" when it is none.
func (r *routerSet) routerArg(sc *scope, x Expr, idx int) string {
	switch x := x.(type) {
	case *Name:
		return r.blueprint(sc, x.Id, idx)
	case *Attribute:
		if s := sc.symOf(x.X, idx); s != nil && s.member == "" {
			if m := sc.an.module(s.module); m != nil {
				return r.blueprint(m, x.Attr, -1)
			}
		}
	}
	return ""
}

// blueprint resolves a name used in sc at statement idx to the key of the
// Blueprint it holds ("" when none), following from-imports and plain
// aliases across the project's modules.
func (r *routerSet) blueprint(sc *scope, name string, idx int) string {
	dsc, def, b := sc.definition(name, idx)
	if b == nil || b.assign == nil {
		return ""
	}
	if k := dsc.mod.Name + ":" + def; r.bps[k] != nil {
		return k
	}
	return ""
}

// method splits `bp.method` (or `module.bp.method`) where bp is a
// Blueprint of the feature.
func (r *routerSet) method(sc *scope, e Expr, idx int) (bp, method string, ok bool) {
	attr, ok := e.(*Attribute)
	if !ok {
		return "", "", false
	}
	switch x := attr.X.(type) {
	case *Name:
		bp = r.blueprint(sc, x.Id, idx)
	case *Attribute: // views.bp.route
		if !dotted(x.X) {
			break // never evaluate a call here: it could report (os.getenv)
		}
		if s := sc.symOf(x.X, idx); s != nil && s.member == "" {
			if m := sc.an.module(s.module); m != nil {
				bp = r.blueprint(m, x.Attr, -1)
			}
		}
	}
	return bp, attr.Attr, bp != ""
}

// methodList reads a methods= value: a list of strings, upper-cased, the
// first of each kept; false after an E10.
func methodList(sc *scope, v *Value) ([]string, bool) {
	if v.Kind != KList {
		sc.an.diags.Add(diag.E10, v.Span, "methods must be a list of strings, got %s", v.TypeName())
		return nil, false
	}
	out := []string{}
	seen := map[string]bool{}
	for _, it := range v.Items {
		if it.Kind != KStr {
			sc.an.diags.Add(diag.E10, it.Span, "methods must be a list of strings, got %s", it.TypeName())
			return nil, false
		}
		m := strings.ToUpper(it.Str)
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out, true
}

// hiddenRegistrations reports, for hidden (see routeReader), every call in
// x that registers a route or router (registrations, by method name) or
// makes a router (isRouter, by resolved symbol): deployless cannot
// evaluate it there. rule names a route's rule ("rule", "path") and
// define says how to define a router at module level; ctor names the
// router's constructor in the message ("" for the call as written).
func (r *routerSet) hiddenRegistrations(sc *scope, x Expr, idx int, where string, registrations map[string]bool,
	isRouter func(string) bool, rule, ctor, define string) {
	walkCalls(x, func(c *Call) {
		if !dotted(c.Func) {
			return
		}
		if _, method, ok := r.method(sc, c.Func, idx); ok && registrations[method] {
			sc.an.diags.Add(diag.E10, c.Span, "%s(...) is inside %s: deployless reads routes without running the code, so it cannot know what this registers; write each registration at module level, with a literal %s", short(exprText(c.Func)), where, rule)
		} else if !importRooted(sc, c.Func, idx) {
			return
		} else if s := sc.symOf(c.Func, idx); s != nil && isRouter(s.String()) {
			if ctor == "" {
				ctor = short(exprText(c.Func)) + "(...)"
			}
			sc.an.diags.Add(diag.E10, c.Span, "%s is inside %s: %s", ctor, where, define)
		}
	})
}

// applyAppPrefixes gives each root router the prefix the app factory (or
// the module-level app) registers it with, unless it has one already.
func (r *routerSet) applyAppPrefixes(sc *scope) {
	for _, bp := range r.order {
		if fp, ok := sc.an.factoryPrefix[bp.Key()]; ok && bp.Parent == "" && bp.RegPrefix == nil {
			sc.an.prefixUsed[bp.Key()] = true
			p := fp.prefix
			bp.RegPrefix, bp.RegSpan = &p, fp.span
		}
	}
}

// argExpr is the expression of positional argument pos (pos < 0: keyword
// only) or keyword name (the keyword wins, as Python would refuse both),
// nil when absent; it evaluates nothing.
func argExpr(call *Call, pos int, name string) Expr {
	var e Expr
	if pos >= 0 && pos < len(call.Args) {
		e = call.Args[pos]
	}
	for _, k := range call.Kwargs {
		if k.Name == name {
			e = k.Value
		}
	}
	return e
}
