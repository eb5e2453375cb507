package pyfront

import (
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/source"
)

// flaskFramework reads Flask's shapes (SPEC.md §2): Blueprint(name,
// import_name, url_prefix=...), @bp.route(rule, methods=[...]),
// @bp.get/post/put/patch/delete(rule), bp.add_url_rule(rule, endpoint,
// view_func, methods=...) and parent.register_blueprint(child, url_prefix=...).
// It knows nothing of deployless: feature.go reads those calls.
type flaskFramework struct{}

func (flaskFramework) name() string   { return "Flask" }
func (flaskFramework) router() string { return "Blueprint" }

func (flaskFramework) reader(sc *scope) routeReader {
	return &flaskReader{sc: sc, bps: map[string]*Blueprint{}, regPrefix: map[string]*string{}}
}

var flaskShortcuts = map[string]string{"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE"}

// flaskReader collects one module's Blueprints and routes.
type flaskReader struct {
	sc        *scope
	bps       map[string]*Blueprint // by variable
	order     []*Blueprint          // in source order
	regPrefix map[string]*string    // child var → url_prefix given at registration
	routes    []flaskRoute
}

// flaskRoute is a route before blueprint prefixes are applied.
type flaskRoute struct {
	bp       string
	rule     string // as written, before prefixes
	endpoint string // Flask's endpoint within the blueprint
	methods  []string
	fn       string
	span     source.Span
}

// assign records `bp = Blueprint(...)` (every target of `a = b = ...`).
func (r *flaskReader) assign(st *Assign, idx int) {
	sc := r.sc
	call, ok := st.Value.(*Call)
	if !ok {
		return
	}
	if s := sc.symOf(call.Func, idx); s == nil || s.String() != "flask.Blueprint" {
		return
	}
	bp := &Blueprint{Var: st.Targets[0], Module: sc.mod.Name, Span: call.Span}
	if v := sc.argOrKw(call, idx, 0, "name"); v != nil {
		bp.Name = v.Str
	}
	if v := sc.argOrKw(call, idx, -1, "url_prefix"); v != nil && v.Kind == KStr {
		bp.URLPrefix = v.Str
	}
	for _, t := range st.Targets {
		b := *bp
		b.Var = t
		r.bps[t] = &b
		r.order = append(r.order, &b)
	}
}

// call claims every method call on a Blueprint and reads add_url_rule and
// register_blueprint.
func (r *flaskReader) call(call *Call, idx int) bool {
	bp, method, ok := r.method(call.Func)
	if !ok {
		return false
	}
	switch method {
	case "add_url_rule":
		r.addURLRule(call, idx, bp)
	case "register_blueprint":
		r.register(call, idx, bp)
	}
	return true
}

// method splits `bp.method` where bp is a Blueprint of the module.
func (r *flaskReader) method(e Expr) (bp, method string, ok bool) {
	attr, ok := e.(*Attribute)
	if !ok {
		return "", "", false
	}
	x, ok := attr.X.(*Name)
	if !ok || r.bps[x.Id] == nil {
		return "", "", false
	}
	return x.Id, attr.Attr, true
}

func (r *flaskReader) register(call *Call, idx int, parent string) {
	if len(call.Args) == 0 {
		return
	}
	child, ok := call.Args[0].(*Name)
	if !ok || r.bps[child.Id] == nil {
		r.sc.an.diags.Add(diag.E10, call.Args[0].Pos(), "register_blueprint() argument must be a Blueprint defined in this module")
		return
	}
	r.bps[child.Id].Parent = parent
	if v := r.sc.argOrKw(call, idx, -1, "url_prefix"); v != nil && v.Kind == KStr {
		p := v.Str
		r.regPrefix[child.Id] = &p
		r.bps[child.Id].RegPrefix = &p
	}
}

// decorator recognises @bp.route(...) and @bp.get(...) etc.
func (r *flaskReader) decorator(dec Expr, idx int, fn string) bool {
	sc := r.sc
	call, ok := dec.(*Call)
	if !ok {
		return false
	}
	bp, method, ok := r.method(call.Func)
	if !ok {
		return false
	}
	var methods []string
	switch {
	case method == "route":
		methods = r.methodsKw(call, idx)
	case flaskShortcuts[method] != "":
		methods = []string{flaskShortcuts[method]}
	default:
		return false
	}
	rule := sc.argOrKw(call, idx, 0, "rule")
	if rule == nil {
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
	r.routes = append(r.routes, flaskRoute{bp: bp, rule: rule.Str, endpoint: endpoint, methods: methods, fn: fn, span: call.Span})
	return true
}

func (r *flaskReader) addURLRule(call *Call, idx int, bp string) {
	sc := r.sc
	rule := sc.argOrKw(call, idx, 0, "rule")
	if rule == nil || rule.Kind != KStr {
		if rule != nil {
			sc.an.diags.Add(diag.E10, rule.Span, "add_url_rule() rule must be a string")
		}
		return
	}
	var fn string
	if len(call.Args) > 2 {
		if n, ok := call.Args[2].(*Name); ok {
			fn = n.Id
		}
	}
	for _, k := range call.Kwargs {
		if n, ok := k.Value.(*Name); ok && k.Name == "view_func" {
			fn = n.Id
		}
	}
	endpoint := fn
	if ep := sc.argOrKw(call, idx, 1, "endpoint"); ep != nil && ep.Kind == KStr {
		endpoint = ep.Str
	}
	if fn == "" {
		fn = endpoint
	}
	r.routes = append(r.routes, flaskRoute{bp: bp, rule: rule.Str, endpoint: endpoint, methods: r.methodsKw(call, idx), fn: fn, span: call.Span})
}

// methodsKw reads methods=[...]: default GET; HEAD and OPTIONS are never
// separate events (SPEC.md §2); duplicates are dropped.
func (r *flaskReader) methodsKw(call *Call, idx int) []string {
	sc := r.sc
	v := sc.argOrKw(call, idx, -1, "methods")
	if v == nil {
		return []string{"GET"}
	}
	if v.Kind != KList {
		sc.an.diags.Add(diag.E10, v.Span, "methods must be a list of strings, got %s", v.TypeName())
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, it := range v.Items {
		if it.Kind != KStr {
			sc.an.diags.Add(diag.E10, it.Span, "methods must be a list of strings, got %s", it.TypeName())
			continue
		}
		m := strings.ToUpper(it.Str)
		if m == "HEAD" || m == "OPTIONS" || seen[m] {
			continue
		}
		seen[m] = true
		out = append(out, m)
	}
	return out
}

// finish applies the prefixes: a registration prefix overrides the
// blueprint's own, and nested blueprints are joined under their parent's
// prefix, as Flask does.
func (r *flaskReader) finish() ([]*Blueprint, []*Route) {
	var prefix func(v string, depth int) string
	prefix = func(v string, depth int) string {
		bp := r.bps[v]
		own := bp.URLPrefix
		if p := r.regPrefix[v]; p != nil {
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
			r.sc.an.diags.Add(diag.E34, fr.span, "%s", msg)
			continue
		}
		routes = append(routes, &Route{Methods: fr.methods, Rule: rule, LocalRule: fr.rule, Endpoint: fr.endpoint, Path: apigw, Func: fr.fn, Blueprint: fr.bp, Span: fr.span})
	}
	return r.order, routes
}
