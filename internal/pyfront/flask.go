package pyfront

import (
	"strings"

	"github.com/deployless/deployless/internal/diag"
)

// flaskFramework reads Flask's shapes (SPEC.md §2): Blueprint(name,
// import_name, url_prefix=...), @bp.route(rule, methods=[...]),
// @bp.get/post/put/patch/delete(rule), bp.add_url_rule(rule, endpoint,
// view_func, methods=...) with a function or a View.as_view(...), and
// parent.register_blueprint(child, url_prefix=...), in every module of the
// feature: a Blueprint is known by the module that defines it, and a name
// imported from there (from .views import bp) is the same Blueprint. It
// knows nothing of deployless: feature.go reads those calls.
type flaskFramework struct{}

func (flaskFramework) name() string   { return "Flask" }
func (flaskFramework) router() string { return "Blueprint" }

func (flaskFramework) reader() routeReader {
	return &flaskReader{routerSet: routerSet{bps: map[string]*Blueprint{}}}
}

func (flaskFramework) constructor(s string) bool { return s == "flask.Blueprint" }

var flaskShortcuts = map[string]string{"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE"}

// flaskRegistrations are the Blueprint methods that add routes or
// Blueprints: one of them where deployless cannot evaluate it is an E10.
var flaskRegistrations = map[string]bool{"route": true, "get": true, "post": true, "put": true, "patch": true,
	"delete": true, "add_url_rule": true, "register_blueprint": true}

// flaskAppWide are the Blueprint hooks that act on the whole app
// (before_app_request, app_errorhandler, app_context_processor…): they are
// registered when the Blueprint is, so they run only in the functions that
// ship the feature's real code.
var flaskAppWide = map[string]bool{"before_app_request": true, "after_app_request": true, "teardown_app_request": true,
	"app_errorhandler": true, "app_context_processor": true, "app_template_filter": true, "app_template_global": true,
	"app_template_test": true, "app_url_defaults": true, "app_url_value_preprocessor": true, "before_app_first_request": true}

// viewMethods are the methods of a Flask View class that become HTTP
// methods (MethodView's rule; HEAD and OPTIONS are never separate events).
var viewMethods = []string{"get", "post", "put", "patch", "delete"}

// flaskReader collects one feature's Blueprints and routes, across its
// modules.
type flaskReader struct {
	routerSet
}

// define records `bp = Blueprint(...)` (every target of `a = b = ...`).
func (r *flaskReader) define(sc *scope, st *Assign, idx int) {
	call, ok := st.Value.(*Call)
	if !ok {
		return
	}
	if s := sc.symOf(call.Func, idx); s == nil || s.String() != "flask.Blueprint" {
		return
	}
	bp := &Blueprint{Module: sc.mod.Name, Span: call.Span}
	if v := sc.argOrKw(call, idx, 0, "name"); v != nil {
		if v.Kind != KStr {
			sc.an.diags.Add(diag.E10, v.Span, "Blueprint name must be a string, got %s", v.TypeName())
		}
		bp.Name = v.Str
	}
	if v := sc.argOrKw(call, idx, -1, "url_prefix"); v != nil {
		if v.Kind != KStr {
			sc.an.diags.Add(diag.E10, v.Span, "url_prefix must be a string, got %s", v.TypeName())
		}
		bp.URLPrefix = v.Str
	}
	for _, t := range st.Targets {
		b := *bp
		b.Var = t
		r.bps[b.Key()] = &b
		r.order = append(r.order, &b)
	}
}

// call claims every method call on a Blueprint and reads add_url_rule and
// register_blueprint.
func (r *flaskReader) call(sc *scope, call *Call, idx int) bool {
	bp, method, ok := r.method(sc, call.Func, idx)
	if !ok {
		return false
	}
	r.appWide(sc, call.Func, method)
	switch method {
	case "add_url_rule":
		r.addURLRule(sc, call, idx, bp)
	case "register_blueprint":
		r.register(sc, call, idx, bp)
	case "route", "get", "post", "put", "patch", "delete":
		sc.an.diags.Add(diag.E10, call.Span, "%s(...) called as a statement registers nothing; use it as a decorator (@%s(...)) or call add_url_rule", short(exprText(call.Func)), short(exprText(call.Func)))
	}
	return true
}

func (r *flaskReader) register(sc *scope, call *Call, idx int, parent string) {
	if len(call.Args) == 0 {
		sc.an.diags.Add(diag.E10, call.Span, "register_blueprint() needs the Blueprint to register")
		return
	}
	child := r.routerArg(sc, call.Args[0], idx)
	if child == "" {
		sc.an.diags.Add(diag.E10, call.Args[0].Pos(), "register_blueprint() argument must be a Blueprint of this feature (defined in one of its modules or imported into it)")
		return
	}
	c := r.bps[child]
	if c.Parent != "" {
		sc.an.diags.Add(diag.E10, call.Span, "Blueprint %s is registered twice", c.Var).Note(c.RegSpan, "first registration")
		return
	}
	c.Parent, c.RegSpan = parent, call.Span
	if v := sc.argOrKw(call, idx, -1, "url_prefix"); v != nil {
		if v.Kind != KStr {
			sc.an.diags.Add(diag.E10, v.Span, "url_prefix must be a string, got %s", v.TypeName())
			return
		}
		p := v.Str
		c.RegPrefix = &p
	}
}

// decorator recognises @bp.route(...) and @bp.get(...) etc.
func (r *flaskReader) decorator(sc *scope, dec Expr, idx int, fn string) bool {
	call, ok := dec.(*Call)
	if !ok {
		_, method, ok := r.method(sc, dec, idx)
		if ok && flaskRegistrations[method] {
			sc.an.diags.Add(diag.E10, dec.Pos(), "@%s without arguments: a route needs its rule, @%[1]s(\"/path\")", short(exprText(dec)))
			return true
		}
		if ok {
			r.appWide(sc, dec, method)
		}
		return ok
	}
	bp, method, ok := r.method(sc, call.Func, idx)
	if !ok {
		return false
	}
	var methods []string
	switch {
	case method == "route":
		methods = r.methodsKw(sc, call, idx)
	case flaskShortcuts[method] != "":
		methods = []string{flaskShortcuts[method]}
	default:
		r.appWide(sc, call.Func, method)
		return true // errorhandler, before_request…: no route; they run as written
	}
	rule := sc.argOrKw(call, idx, 0, "rule")
	if rule == nil {
		sc.an.diags.Add(diag.E10, call.Span, "route decorator without a rule")
		return true
	}
	if rule.Kind != KStr {
		sc.an.diags.Add(diag.E10, rule.Span, "route rule must be a string, got %s", rule.TypeName())
		return true
	}
	endpoint := fn
	if ep := sc.argOrKw(call, idx, -1, "endpoint"); ep != nil && ep.Kind == KStr {
		endpoint = ep.Str
	}
	if methods != nil {
		r.routes = append(r.routes, pendingRoute{bp: bp, rule: rule.Str, endpoint: endpoint, methods: methods, fn: fn, span: call.Span})
	}
	return true
}

func (r *flaskReader) addURLRule(sc *scope, call *Call, idx int, bp string) {
	rule := sc.argOrKw(call, idx, 0, "rule")
	if rule == nil || rule.Kind != KStr {
		if rule != nil {
			sc.an.diags.Add(diag.E10, rule.Span, "add_url_rule() rule must be a string, got %s", rule.TypeName())
		} else {
			sc.an.diags.Add(diag.E10, call.Span, "add_url_rule() without a rule")
		}
		return
	}
	view := argExpr(call, 2, "view_func")
	var fn, endpoint string
	var methods []string
	hasMethods := sc.argOrKw(call, idx, -1, "methods") != nil
	switch v := view.(type) {
	case nil:
	case *Name:
		fn = v.Id
	case *Call: // SomeView.as_view("name")
		cls, ok := r.asView(sc, v, idx)
		if !ok {
			return
		}
		fn = cls.name
		if ep := sc.argOrKw(v, idx, 0, "name"); ep != nil && ep.Kind == KStr {
			endpoint = ep.Str
		}
		if !hasMethods {
			methods = cls.methods
		}
	default:
		sc.an.diags.Add(diag.E10, view.Pos(), "add_url_rule() view_func must be a function's name or View.as_view(...); deployless cannot see which function this is (bind it to a name first)")
		return
	}
	if ep := sc.argOrKw(call, idx, 1, "endpoint"); ep != nil && ep.Kind == KStr {
		endpoint = ep.Str
	}
	if endpoint == "" {
		endpoint = fn
	}
	if fn == "" {
		fn = endpoint
	}
	if methods == nil {
		if methods = r.methodsKw(sc, call, idx); methods == nil {
			return
		}
	}
	r.routes = append(r.routes, pendingRoute{bp: bp, rule: rule.Str, endpoint: endpoint, methods: methods, fn: fn, span: call.Span})
}

// viewClass is what as_view's class tells: its name and HTTP methods.
type viewClass struct {
	name    string
	methods []string
}

// asView reads `Cls.as_view("name")`: the class must be a project class
// whose HTTP methods can be seen (a static `methods = [...]`, or the
// get/post/put/patch/delete methods it and its project bases define).
func (r *flaskReader) asView(sc *scope, call *Call, idx int) (viewClass, bool) {
	attr, ok := call.Func.(*Attribute)
	name, isName := func() (*Name, bool) {
		if !ok {
			return nil, false
		}
		n, ok := attr.X.(*Name)
		return n, ok
	}()
	if !ok || !isName || attr.Attr != "as_view" {
		sc.an.diags.Add(diag.E10, call.Span, "add_url_rule() view_func must be a function's name or View.as_view(...); deployless cannot see which function this call returns")
		return viewClass{}, false
	}
	csc, cd := classOf(sc, name.Id, idx)
	if cd == nil {
		sc.an.diags.Add(diag.E10, name.Span, "view class %s is not a class defined in the project, so deployless cannot see its HTTP methods; give add_url_rule methods=[...]", name.Id)
		return viewClass{}, false
	}
	if cd.MethodsAttr != nil {
		v, err := csc.value(cd.MethodsAttr, -1)
		if err != nil || v.Kind != KList {
			sc.an.diags.Add(diag.E10, cd.MethodsAttr.Pos(), "%s.methods must be a static list of strings", cd.Name)
			return viewClass{}, false
		}
		var out []string
		for _, it := range v.Items {
			if it.Kind == KStr && it.Str != "" {
				if m := strings.ToUpper(it.Str); m != "HEAD" && m != "OPTIONS" {
					out = append(out, m)
				}
			}
		}
		return viewClass{cd.Name, out}, true
	}
	seen := map[string]bool{}
	var visit func(sc *scope, cd *ClassDef, depth int)
	visit = func(sc *scope, cd *ClassDef, depth int) {
		for _, m := range cd.Methods {
			seen[m] = true
		}
		if depth > 16 {
			return
		}
		for _, b := range cd.Bases {
			if n, ok := b.(*Name); ok {
				if bsc, bcd := classOf(sc, n.Id, -1); bcd != nil {
					visit(bsc, bcd, depth+1)
				}
			}
		}
	}
	visit(csc, cd, 0)
	var out []string
	for _, m := range viewMethods {
		if seen[m] {
			out = append(out, strings.ToUpper(m))
		}
	}
	if len(out) == 0 {
		sc.an.diags.Add(diag.E10, cd.Span, "view class %s defines none of get, post, put, patch, delete, so deployless sees no route in it", cd.Name)
		return viewClass{}, false
	}
	return viewClass{cd.Name, out}, true
}

// classOf resolves a name to the project class it holds, following
// from-imports, with the scope that defines it.
func classOf(sc *scope, name string, idx int) (*scope, *ClassDef) {
	dsc, _, b := sc.definition(name, idx)
	if b == nil || b.class == nil {
		return nil, nil
	}
	return dsc, b.class
}

// methodsKw reads methods=[...]: default GET; HEAD and OPTIONS are never
// separate events (SPEC.md §2); duplicates are dropped. nil after an E10.
func (r *flaskReader) methodsKw(sc *scope, call *Call, idx int) []string {
	v := sc.argOrKw(call, idx, -1, "methods")
	if v == nil {
		return []string{"GET"}
	}
	all, ok := methodList(sc, v)
	if !ok {
		return nil
	}
	out := []string{}
	for _, m := range all {
		if m != "HEAD" && m != "OPTIONS" {
			out = append(out, m)
		}
	}
	return out
}

// hidden reports a Flask registration that deployless cannot evaluate:
// inside a loop, an if, a function's body, or a decorator applied by a
// call. It looks through x's calls (the function called, its arguments).
func (r *flaskReader) hidden(sc *scope, x Expr, idx int, where string) {
	r.hiddenRegistrations(sc, x, idx, where, flaskRegistrations, flaskFramework{}.constructor, "rule", "Blueprint(...)",
		"deployless reads Blueprints without running the code; define it at module level (name = Blueprint(...))")
}

// finish applies the prefixes: a registration prefix overrides the
// blueprint's own, and nested blueprints are joined under their parent's
// prefix, as Flask does.
func (r *flaskReader) finish(sc *scope) ([]*Blueprint, []*Route) {
	// The app factory's registration prefix applies to a root Blueprint.
	r.applyAppPrefixes(sc)
	var prefix func(k string, depth int) string
	prefix = func(k string, depth int) string {
		bp := r.bps[k]
		own := bp.URLPrefix
		if p := bp.RegPrefix; p != nil {
			own = *p
		}
		if bp.Parent == "" || depth > len(r.bps) {
			return own
		}
		return joinRule(prefix(bp.Parent, depth+1), own)
	}
	var routes []*Route
	for _, fr := range r.routes {
		rule := fr.rule
		if p := prefix(fr.bp, 0); p != "" {
			rule = joinRule(p, fr.rule)
		}
		apigw, msg := apigwPath(rule)
		if msg != "" {
			sc.an.diags.Add(diag.E34, fr.span, "%s", msg)
			continue
		}
		routes = append(routes, &Route{Methods: fr.methods, Rule: rule, LocalRule: fr.rule, Endpoint: fr.endpoint, Path: apigw, Func: fr.fn, Blueprint: fr.bp, Span: fr.span})
	}
	return r.order, routes
}

// exprText renders a dotted name (bp.route, views.bp.get) for messages;
// anything else is "…".
func exprText(e Expr) string {
	switch e := e.(type) {
	case *Name:
		return e.Id
	case *Attribute:
		return exprText(e.X) + "." + e.Attr
	case *Call:
		return exprText(e.Func) + "(...)"
	}
	return "…"
}

// dotted reports whether e is a name or a chain of attributes of one
// (pc.cron, views.bp.route): resolving it evaluates no call.
func dotted(e Expr) bool {
	for {
		switch x := e.(type) {
		case *Name:
			return true
		case *Attribute:
			e = x.X
		default:
			return false
		}
	}
}

// importRooted reports whether e is a dotted name whose first name is
// bound by an import (flask.Blueprint, pc.cron): resolving it evaluates
// nothing. A name bound by an assignment would evaluate its value, which
// may report (os.getenv of a secret) where nothing deployless is meant.
func importRooted(sc *scope, e Expr, idx int) bool {
	for {
		switch x := e.(type) {
		case *Name:
			b := sc.lookup(x.Id, idx)
			return b != nil && b.imp != nil
		case *Attribute:
			e = x.X
		default:
			return false
		}
	}
}

// appWide warns (W05) about an app-wide hook on a feature's Blueprint when
// the project has other features: their functions have no such hook (only
// a stand-in of the Blueprint, or nothing), so the app behaves differently
// there — a locale set in before_app_request, an app_errorhandler page.
func (r *flaskReader) appWide(sc *scope, at Expr, method string) {
	if !flaskAppWide[method] || len(sc.an.featureSet) < 2 {
		return
	}
	sc.an.diags.Warn(diag.W05, at.Pos(), "%s acts on the whole app but runs only in the functions of this feature (the others do not ship its code); register it in the app factory or an init_app hook so every function has it", short(exprText(at)))
}
