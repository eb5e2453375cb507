package pyfront

import (
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/source"
)

// flaskFramework reads Flask's shapes (SPEC.md §2): Blueprint(name,
// import_name, url_prefix=...), @bp.route(rule, methods=[...]),
// @bp.get/post/put/patch/delete(rule), bp.add_url_rule(rule, endpoint,
// view_func, methods=...) and parent.register_blueprint(child, url_prefix=...).
type flaskFramework struct{}

var flaskShortcuts = map[string]string{"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE"}

// flaskRoute is a route before blueprint prefixes are applied.
type flaskRoute struct {
	bp      string
	rule    string
	methods []string
	fn      string
	span    source.Span
}

func (flaskFramework) extract(sc *scope, f *Feature) {
	an := sc.an
	bps := map[string]*Blueprint{}
	regPrefix := map[string]*string{} // child var → url_prefix given at registration
	var routes []flaskRoute
	fnIndex := map[string]*Function{}
	var firstConfigure *Call
	e10 := func(err *evalErr) { an.diags.Add(diag.E10, err.span, "%s", err.msg) }

	for i, st := range sc.mod.Stmts {
		switch st := st.(type) {
		case *Assign:
			call, ok := st.Value.(*Call)
			if !ok {
				continue
			}
			if s := sc.symOf(call.Func, i); s == nil || s.String() != "flask.Blueprint" {
				continue
			}
			bp := &Blueprint{Var: st.Targets[0], Span: call.Span}
			if v := argOrKw(sc, call, i, 0, "name", e10); v != nil {
				bp.Name = v.Str
			}
			if v := argOrKw(sc, call, i, -1, "url_prefix", e10); v != nil && v.Kind == KStr {
				bp.URLPrefix = v.Str
			}
			for _, t := range st.Targets {
				b := *bp
				b.Var = t
				bps[t] = &b
				f.Blueprints = append(f.Blueprints, &b)
			}
		case *ExprStmt:
			call, ok := st.X.(*Call)
			if !ok {
				continue
			}
			if attr, ok := call.Func.(*Attribute); ok {
				if x, ok := attr.X.(*Name); ok && bps[x.Id] != nil {
					switch attr.Attr {
					case "add_url_rule":
						routes = append(routes, addURLRule(sc, call, i, x.Id, e10)...)
					case "register_blueprint":
						if len(call.Args) == 0 {
							break
						}
						child, ok := call.Args[0].(*Name)
						if !ok || bps[child.Id] == nil {
							an.diags.Add(diag.E10, call.Args[0].Pos(), "register_blueprint() argument must be a Blueprint defined in this module")
							break
						}
						bps[child.Id].Parent = x.Id
						if v := argOrKw(sc, call, i, -1, "url_prefix", e10); v != nil && v.Kind == KStr {
							p := v.Str
							regPrefix[child.Id] = &p
						}
					}
					continue
				}
			}
			s := sc.symOf(call.Func, i)
			if s == nil || s.module != "deployless" {
				continue
			}
			switch s.member {
			case "configure", "shared_resource":
				if s.member == "configure" {
					if firstConfigure != nil {
						an.diags.Add(diag.E10, call.Span, "configure() is called more than once in this feature").Note(firstConfigure.Span, "first call")
						continue
					}
					firstConfigure = call
				}
				obj, err := sc.deploylessCall(s.member, call, i)
				if err != nil {
					e10(err)
					continue
				}
				if s.member == "shared_resource" {
					f.Shared = append(f.Shared, obj)
				} else {
					f.Configure = obj
				}
			}
		case *FuncDef:
			for _, dec := range st.Decorators {
				if r, ok := flaskDecorator(sc, dec, i, bps, st.Name, e10); ok {
					routes = append(routes, r...)
					continue
				}
				fn := deploylessDecorator(sc, dec, i, e10)
				if fn == nil {
					continue
				}
				if prev := fnIndex[st.Name]; prev != nil {
					an.diags.Add(diag.E10, fn.Span, "function %s has more than one deployless decorator", st.Name).Note(prev.Call.Span, "first one")
					continue
				}
				fn.Name, fn.Span = st.Name, st.Span
				fnIndex[st.Name] = fn
				f.Functions = append(f.Functions, fn)
			}
		}
	}

	// Apply prefixes: registration prefix overrides the blueprint's own, and
	// nested blueprints are joined under their parent's prefix, as Flask does.
	var prefix func(v string, depth int) string
	prefix = func(v string, depth int) string {
		bp := bps[v]
		own := bp.URLPrefix
		if p := regPrefix[v]; p != nil {
			own = *p
		}
		if bp.Parent == "" || depth > len(bps) {
			return own
		}
		return joinRule(prefix(bp.Parent, depth+1), own)
	}
	for _, r := range routes {
		rule := r.rule
		if p := prefix(r.bp, 0); p != "" {
			rule = joinRule(p, r.rule)
		}
		apigw, msg := apigwPath(rule)
		if msg != "" {
			an.diags.Add(diag.E34, r.span, "%s", msg)
			continue
		}
		route := &Route{Methods: r.methods, Rule: rule, Path: apigw, Func: r.fn, Blueprint: r.bp, Span: r.span}
		f.Routes = append(f.Routes, route)
		if fn := fnIndex[r.fn]; fn != nil {
			fn.Routes = append(fn.Routes, route)
		}
	}
	for _, fn := range f.Functions {
		switch {
		case fn.Kind == kind.Split && len(fn.Routes) == 0:
			an.diags.Add(diag.E10, fn.Call.Span, "@route() on %s, which has no Flask route decorator", fn.Name)
		case fn.Kind != kind.Split && len(fn.Routes) > 0:
			an.diags.Add(diag.E10, fn.Call.Span, "@%s() function %s must not also be a Flask route", fn.Kind, fn.Name)
		}
	}
	if len(f.Routes) == 0 && len(f.Functions) == 0 {
		if len(f.Blueprints) == 0 {
			an.diags.Add(diag.E10, source.At(f.RoutesPath, 1, 1), "no Flask Blueprint found: routes.py must define a Blueprint with at least one route (or a @cron/@lambda_function)")
		} else {
			an.diags.Add(diag.E10, f.Blueprints[0].Span, "Blueprint %s has no routes", f.Blueprints[0].Var)
		}
	}
}

// joinRule joins a prefix and a rule the way Flask's Blueprint does.
func joinRule(prefix, rule string) string {
	if rule == "" {
		return prefix
	}
	if prefix == "" {
		return rule
	}
	return strings.TrimRight(prefix, "/") + "/" + strings.TrimLeft(rule, "/")
}

// flaskDecorator recognises @bp.route(...) and @bp.get(...) etc.
func flaskDecorator(sc *scope, dec Expr, idx int, bps map[string]*Blueprint, fn string, e10 func(*evalErr)) ([]flaskRoute, bool) {
	call, ok := dec.(*Call)
	if !ok {
		return nil, false
	}
	attr, ok := call.Func.(*Attribute)
	if !ok {
		return nil, false
	}
	x, ok := attr.X.(*Name)
	if !ok || bps[x.Id] == nil {
		return nil, false
	}
	var methods []string
	switch {
	case attr.Attr == "route":
		methods = methodsKw(sc, call, idx, e10)
	case flaskShortcuts[attr.Attr] != "":
		methods = []string{flaskShortcuts[attr.Attr]}
	default:
		return nil, false
	}
	rule := argOrKw(sc, call, idx, 0, "rule", e10)
	if rule == nil {
		return nil, true
	}
	if rule.Kind != KStr {
		sc.an.diags.Add(diag.E10, rule.Span, "route rule must be a string, got %s", rule.TypeName())
		return nil, true
	}
	return []flaskRoute{{bp: x.Id, rule: rule.Str, methods: methods, fn: fn, span: call.Span}}, true
}

func addURLRule(sc *scope, call *Call, idx int, bp string, e10 func(*evalErr)) []flaskRoute {
	rule := argOrKw(sc, call, idx, 0, "rule", e10)
	if rule == nil || rule.Kind != KStr {
		if rule != nil {
			sc.an.diags.Add(diag.E10, rule.Span, "add_url_rule() rule must be a string")
		}
		return nil
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
	if fn == "" {
		if ep := argOrKw(sc, call, idx, 1, "endpoint", e10); ep != nil && ep.Kind == KStr {
			fn = ep.Str
		}
	}
	return []flaskRoute{{bp: bp, rule: rule.Str, methods: methodsKw(sc, call, idx, e10), fn: fn, span: call.Span}}
}

// methodsKw reads methods=[...]: default GET; HEAD and OPTIONS are never
// separate events (SPEC.md §2); duplicates are dropped.
func methodsKw(sc *scope, call *Call, idx int, e10 func(*evalErr)) []string {
	v := argOrKw(sc, call, idx, -1, "methods", e10)
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

// argOrKw evaluates positional argument pos (pos < 0: keyword only) or the
// keyword name; nil when absent or not evaluable (reported through e10).
func argOrKw(sc *scope, call *Call, idx, pos int, name string, e10 func(*evalErr)) *Value {
	var e Expr
	if pos >= 0 && pos < len(call.Args) {
		e = call.Args[pos]
	}
	for _, k := range call.Kwargs {
		if k.Name == name {
			e = k.Value
		}
	}
	if e == nil {
		return nil
	}
	v, err := sc.value(e, idx)
	if err != nil {
		e10(err)
		return nil
	}
	return v
}

// deploylessDecorator recognises @pc.route(...), @pc.cron(...) and
// @pc.lambda_function(...), with or without parentheses.
func deploylessDecorator(sc *scope, dec Expr, idx int, e10 func(*evalErr)) *Function {
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
		e10(err)
		return nil
	}
	return &Function{Kind: k, Call: obj}
}

// apigwPath converts a Flask rule to an API Gateway resource path:
// <x>, <string:x>, <int:x>, <float:x>, <uuid:x> → {x}; <path:x> → {x+},
// which API Gateway only allows as the last segment.
func apigwPath(rule string) (string, string) {
	if !strings.HasPrefix(rule, "/") {
		return "", "route rule " + quote(rule) + " must start with \"/\""
	}
	segs := strings.Split(rule, "/")
	for i, seg := range segs {
		if !strings.Contains(seg, "<") {
			continue
		}
		if !strings.HasPrefix(seg, "<") || !strings.HasSuffix(seg, ">") || strings.Count(seg, "<") > 1 {
			return "", "segment " + quote(seg) + " of " + quote(rule) + " mixes text and a variable, which API Gateway cannot route"
		}
		inner := seg[1 : len(seg)-1]
		conv, name, hasConv := strings.Cut(inner, ":")
		if !hasConv {
			conv, name = "default", inner
		}
		if j := strings.IndexByte(conv, '('); j >= 0 {
			conv = conv[:j]
		}
		switch conv {
		case "default", "string", "int", "float", "uuid":
			segs[i] = "{" + name + "}"
		case "path":
			if i != len(segs)-1 {
				return "", "<path:…> converter must be the last segment of " + quote(rule)
			}
			segs[i] = "{" + name + "+}"
		default:
			return "", "converter " + quote(conv) + " in " + quote(rule) + " is not supported (use string, int, float, uuid or path)"
		}
	}
	p := strings.Join(segs, "/")
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	return p, ""
}

func quote(s string) string { return "\"" + s + "\"" }
