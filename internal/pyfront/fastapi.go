package pyfront

import (
	"strings"

	"github.com/deployless/deployless/internal/diag"
)

// fastapiFramework reads FastAPI's shapes (issue 13): APIRouter(prefix=…)
// and FastAPI(...) instances, @router.get/post/put/patch/delete/head/
// options(path), @router.api_route(path, methods=[...]),
// router.add_api_route(path, endpoint, methods=[...]) and
// parent.include_router(child, prefix=…), in every module of the feature,
// as flask.go reads Blueprints. FastAPI's include_router prefix is added
// before the router's own (Flask's url_prefix replaces it). Before FastAPI
// 0.160 include_router copied the routes the child had at that moment (now
// it includes lazily), so a route added afterwards may not be served; the
// bootstrap refuses to start when a route of the template is not served.
type fastapiFramework struct{}

func (fastapiFramework) name() string   { return "FastAPI" }
func (fastapiFramework) router() string { return "APIRouter" }

func (fastapiFramework) reader() routeReader {
	return &fastapiReader{routerSet: routerSet{bps: map[string]*Blueprint{}}}
}

func (fastapiFramework) constructor(s string) bool {
	switch s {
	case "fastapi.APIRouter", "fastapi.routing.APIRouter", "fastapi.FastAPI", "fastapi.applications.FastAPI":
		return true
	}
	return false
}

// isFastAPIApp reports whether a resolved symbol is the FastAPI app class.
func isFastAPIApp(s string) bool {
	return s == "fastapi.FastAPI" || s == "fastapi.applications.FastAPI"
}

var fastapiShortcuts = map[string]string{"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH",
	"delete": "DELETE", "head": "HEAD", "options": "OPTIONS"}

// fastapiRegistrations are the router methods that add routes or routers;
// one where deployless cannot evaluate it is an E10.
var fastapiRegistrations = map[string]bool{"get": true, "post": true, "put": true, "patch": true, "delete": true,
	"head": true, "options": true, "trace": true, "api_route": true, "add_api_route": true, "add_route": true,
	"route": true, "include_router": true, "websocket": true, "add_api_websocket_route": true,
	"websocket_route": true, "add_websocket_route": true, "mount": true}

// fastapiUnservable are the registrations API Gateway's REST API cannot
// carry to a function, with why.
var fastapiUnservable = map[string]string{
	"websocket":               "a WebSocket route, which API Gateway's REST API cannot carry",
	"add_api_websocket_route": "a WebSocket route, which API Gateway's REST API cannot carry",
	"websocket_route":         "a WebSocket route, which API Gateway's REST API cannot carry",
	"add_websocket_route":     "a WebSocket route, which API Gateway's REST API cannot carry",
	"mount":                   "a mounted app, whose routes deployless cannot see, so the template would have no path for them; serve its files from S3 or declare its routes on the router",
	"trace":                   "a TRACE route, a method API Gateway does not route",
}

// fastapiReader collects one feature's routers and routes.
type fastapiReader struct {
	routerSet
}

// define records `router = APIRouter(...)` and `app = FastAPI(...)`.
func (r *fastapiReader) define(sc *scope, st *Assign, idx int) {
	call, ok := st.Value.(*Call)
	if !ok || !importRooted(sc, call.Func, idx) {
		return
	}
	s := sc.symOf(call.Func, idx)
	if s == nil || !(fastapiFramework{}).constructor(s.String()) {
		return
	}
	bp := &Blueprint{Module: sc.mod.Name, Span: call.Span, App: isFastAPIApp(s.String())}
	if !bp.App {
		if v := sc.argOrKw(call, idx, -1, "prefix"); v != nil {
			if checkPrefix(sc, v, "APIRouter prefix") {
				bp.URLPrefix = v.Str
			}
		}
	}
	for _, t := range st.Targets {
		b := *bp
		b.Var, b.Name = t, t
		r.bps[b.Key()] = &b
		r.order = append(r.order, &b)
	}
}

// checkPrefix applies FastAPI's own rule to a prefix (it asserts at import,
// so the Lambda would fail its cold start): a string that starts with "/"
// and does not end with one, or "".
func checkPrefix(sc *scope, v *Value, what string) bool {
	switch {
	case v.Kind != KStr:
		sc.an.diags.Add(diag.E10, v.Span, "%s must be a string, got %s", what, v.TypeName())
	case v.Str != "" && !strings.HasPrefix(v.Str, "/"):
		sc.an.diags.Add(diag.E10, v.Span, "%s %q must start with \"/\" (FastAPI refuses it at import)", what, v.Str)
	case strings.HasSuffix(v.Str, "/"):
		sc.an.diags.Add(diag.E10, v.Span, "%s %q must not end with \"/\" (FastAPI refuses it at import)", what, v.Str)
	default:
		return true
	}
	return false
}

// call claims every method call on a router and reads add_api_route and
// include_router.
func (r *fastapiReader) call(sc *scope, call *Call, idx int) bool {
	bp, method, ok := r.method(sc, call.Func, idx)
	if !ok {
		return false
	}
	switch {
	case fastapiUnservable[method] != "":
		sc.an.diags.Add(diag.E10, call.Span, "%s(...) adds %s", short(exprText(call.Func)), fastapiUnservable[method])
	case method == "add_api_route" || method == "add_route":
		r.addRoute(sc, call, idx, bp)
	case method == "include_router":
		r.include(sc, call, idx, bp)
	case fastapiShortcuts[method] != "" || method == "api_route" || method == "route":
		sc.an.diags.Add(diag.E10, call.Span, "%s(...) called as a statement registers nothing; use it as a decorator (@%s(...)) or call add_api_route", short(exprText(call.Func)), short(exprText(call.Func)))
	}
	return true
}

// decorator recognises @router.get(...) etc. and @router.api_route(...).
func (r *fastapiReader) decorator(sc *scope, dec Expr, idx int, fn string) bool {
	call, ok := dec.(*Call)
	if !ok {
		_, method, ok := r.method(sc, dec, idx)
		if ok && fastapiRegistrations[method] {
			sc.an.diags.Add(diag.E10, dec.Pos(), "@%s without arguments: a route needs its path, @%[1]s(\"/path\")", short(exprText(dec)))
		}
		return ok
	}
	bp, method, ok := r.method(sc, call.Func, idx)
	if !ok {
		return false
	}
	var methods []string
	switch {
	case fastapiUnservable[method] != "":
		sc.an.diags.Add(diag.E10, call.Span, "@%s(...) adds %s", short(exprText(call.Func)), fastapiUnservable[method])
		return true
	case method == "api_route" || method == "route":
		if methods = r.methodsKw(sc, call, idx); methods == nil {
			return true
		}
	case fastapiShortcuts[method] != "":
		methods = []string{fastapiShortcuts[method]}
	default:
		return true // exception_handler, middleware, on_event…: no route; they run as written
	}
	path := sc.argOrKw(call, idx, 0, "path")
	if path == nil {
		if len(call.Args) == 0 && !hasKw(call, "path") { // else argOrKw reported it
			sc.an.diags.Add(diag.E10, call.Span, "route decorator without a path")
		}
		return true
	}
	if path.Kind != KStr {
		sc.an.diags.Add(diag.E10, path.Span, "route path must be a string, got %s", path.TypeName())
		return true
	}
	endpoint := fn
	if v := sc.argOrKw(call, idx, -1, "name"); v != nil && v.Kind == KStr {
		endpoint = v.Str
	}
	r.routes = append(r.routes, pendingRoute{bp: bp, rule: path.Str, endpoint: endpoint, methods: methods, fn: fn,
		span: call.Span})
	return true
}

// addRoute reads router.add_api_route(path, endpoint, methods=[...]).
func (r *fastapiReader) addRoute(sc *scope, call *Call, idx int, bp string) {
	path := sc.argOrKw(call, idx, 0, "path")
	if path == nil || path.Kind != KStr {
		if path != nil {
			sc.an.diags.Add(diag.E10, path.Span, "add_api_route() path must be a string, got %s", path.TypeName())
		} else if len(call.Args) == 0 && !hasKw(call, "path") {
			sc.an.diags.Add(diag.E10, call.Span, "add_api_route() without a path")
		}
		return
	}
	endpoint := argExpr(call, 1, "endpoint")
	name, ok := endpoint.(*Name)
	if !ok {
		at := call.Span
		if endpoint != nil {
			at = endpoint.Pos()
		}
		sc.an.diags.Add(diag.E10, at, "add_api_route() endpoint must be a function's name; deployless cannot see which function this is (bind it to a name first)")
		return
	}
	methods := r.methodsKw(sc, call, idx)
	if methods == nil {
		return
	}
	ep := name.Id
	if v := sc.argOrKw(call, idx, -1, "name"); v != nil && v.Kind == KStr {
		ep = v.Str
	}
	r.routes = append(r.routes, pendingRoute{bp: bp, rule: path.Str, endpoint: ep, methods: methods, fn: name.Id,
		span: call.Span})
}

// include reads parent.include_router(child, prefix=...).
func (r *fastapiReader) include(sc *scope, call *Call, idx int, parent string) {
	arg := argExpr(call, 0, "router")
	if arg == nil {
		sc.an.diags.Add(diag.E10, call.Span, "include_router() needs the router to include")
		return
	}
	child := r.routerArg(sc, arg, idx)
	if child == "" {
		sc.an.diags.Add(diag.E10, arg.Pos(), "include_router() argument must be an APIRouter of this feature (defined in one of its modules or imported into it)")
		return
	}
	c := r.bps[child]
	if c.Parent != "" {
		sc.an.diags.Add(diag.E10, call.Span, "router %s is included twice; deployless serves each router at one prefix (define a second router for the other)", c.Var).Note(c.RegSpan, "first include_router")
		return
	}
	if child == parent {
		sc.an.diags.Add(diag.E10, call.Span, "router %s includes itself", c.Var)
		return
	}
	c.Parent, c.RegSpan = parent, call.Span
	if v := sc.argOrKw(call, idx, -1, "prefix"); v != nil {
		if !checkPrefix(sc, v, "include_router prefix") {
			return
		}
		p := v.Str
		c.RegPrefix = &p
	}
}

// methodsKw reads methods=[...] (a list, tuple or set of strings); GET when
// absent, as FastAPI does. HEAD next to GET is dropped: the bootstrap
// answers HEAD on every GET route (FastAPI's own answer 405). nil after an
// E10.
func (r *fastapiReader) methodsKw(sc *scope, call *Call, idx int) []string {
	v := sc.argOrKw(call, idx, -1, "methods")
	if v == nil || v.Kind == KNone {
		return []string{"GET"}
	}
	all, ok := methodList(sc, v)
	if !ok {
		return nil
	}
	out := []string{}
	get := false
	for _, it := range v.Items {
		if m := strings.ToUpper(it.Str); m == "TRACE" || m == "CONNECT" {
			sc.an.diags.Add(diag.E10, it.Span, "method %s is not one API Gateway routes", m)
			return nil
		}
	}
	for _, m := range all {
		get = get || m == "GET"
	}
	for _, m := range all {
		if m != "HEAD" || !get {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		sc.an.diags.Add(diag.E10, v.Span, "methods is empty: the route would answer nothing")
		return nil
	}
	return out
}

// hidden reports a FastAPI registration, or a router made, where deployless
// cannot evaluate it (see flaskReader.hidden).
func (r *fastapiReader) hidden(sc *scope, x Expr, idx int, where string) {
	r.hiddenRegistrations(sc, x, idx, where, fastapiRegistrations, fastapiFramework{}.constructor, "path", "",
		"deployless reads routers without running the code; define it at module level (router = APIRouter(...))")
}

// finish applies the prefixes the way FastAPI does: a route's path is the
// concatenation, from the app down, of each include_router prefix= and
// each router's own prefix=, then the path as written (no "/" is added or
// removed). The app's include_router prefix (app factory or module-level
// app) applies to a root router.
func (r *fastapiReader) finish(sc *scope) ([]*Blueprint, []*Route) {
	r.applyAppPrefixes(sc)
	var prefix func(k string, depth int) string
	prefix = func(k string, depth int) string {
		bp := r.bps[k]
		own := bp.URLPrefix
		if p := bp.RegPrefix; p != nil {
			own = *p + own
		}
		if bp.Parent == "" || depth > len(r.bps) {
			return own
		}
		return prefix(bp.Parent, depth+1) + own
	}
	var routes []*Route
	for _, fr := range r.routes {
		rule := prefix(fr.bp, 0) + fr.rule
		apigw, msg := fastapiPath(rule)
		if msg != "" {
			sc.an.diags.Add(diag.E34, fr.span, "%s", msg)
			continue
		}
		routes = append(routes, &Route{Methods: fr.methods, Rule: rule, LocalRule: fr.rule, Endpoint: fr.endpoint, Path: apigw, Func: fr.fn, Blueprint: fr.bp, Span: fr.span})
	}
	return r.order, routes
}

// fastapiPath converts a FastAPI (Starlette) path to an API Gateway
// resource path: {x} and {x:str|int|float|uuid} → {x}; {x:path} → {x+},
// which API Gateway only allows as the last segment.
func fastapiPath(rule string) (string, string) {
	return gatewayPath(rule, "route path", '{', '}', "a path parameter", func(inner string, last bool) (string, string) {
		name, conv, hasConv := strings.Cut(inner, ":")
		if !hasConv {
			conv = "str"
		}
		switch conv {
		case "str", "int", "float", "uuid":
			return "{" + name + "}", ""
		case "path":
			if !last {
				return "", "{" + name + ":path} must be the last segment of " + quote(rule) + " (API Gateway's {" + name + "+} is)"
			}
			return "{" + name + "+}", ""
		}
		return "", "path convertor " + quote(conv) + " in " + quote(rule) + " is not supported (use str, int, float, uuid or path)"
	})
}

// hasKw reports whether the call passes keyword name.
func hasKw(call *Call, name string) bool {
	for _, k := range call.Kwargs {
		if k.Name == name {
			return true
		}
	}
	return false
}
