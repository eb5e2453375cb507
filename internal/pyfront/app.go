package pyfront

import (
	"sort"
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/source"
)

// The app package: the top-level package that holds the features folder
// (app/ for app/features). Its modules ship in every package (the app as
// its author wrote it), so its factory and the init_app hooks can run at
// cold start; this file finds the factory and checks the hooks.

// Hook is a dotted Python callable named in deployless.yaml (or found).
type Hook struct {
	Module string      // "app"
	Func   string      // "create_app"
	Span   source.Span // where it is named (deployless.yaml) or defined
	// Framework is, for the app factory, the framework of the app it makes
	// ("flask", "fastapi"; "" when unknown: see factoryFramework).
	Framework string
}

// Dotted is module.func.
func (h Hook) Dotted() string { return h.Module + "." + h.Func }

// appDir is the app package's folder: the first segment of the features
// folder when that is nested (app/features → app), else "".
func appDir(featuresDir string) string {
	first, rest, ok := strings.Cut(featuresDir, "/")
	if !ok || rest == "" || first == "." || first == ".." {
		return ""
	}
	return first
}

// findFactory returns the app factory: the configured module:function,
// which must exist, or create_app in the app package when it defines one.
func (an *analyzer) findFactory(app string) *Hook {
	if spec := an.opts.AppFactory; spec != "" {
		mod, fn, _ := strings.Cut(spec, ":")
		at := an.opts.AppFactoryAt
		sc := an.module(mod)
		switch {
		case sc == nil:
			an.diags.Add(diag.E32, at, "app_factory: module %s is not a module of the project (no %s.py or %s/__init__.py)", mod, modulePath(mod), modulePath(mod))
			return nil
		case !definesFunc(sc, fn) && isAppAssign(sc, fn):
			// app_factory: app.main:app names a module-level FastAPI app.
			an.checkShipped(mod, at, "app_factory "+spec)
			an.app = &Hook{Module: mod, Func: fn, Span: at}
			return nil
		case !definesFunc(sc, fn):
			an.diags.Add(diag.E32, at, "app_factory: %s defines no top-level function %s (or module-level FastAPI app)", sc.mod.File.Path, fn)
			return nil
		}
		an.checkShipped(mod, at, "app_factory "+spec)
		return &Hook{Module: mod, Func: fn, Span: at, Framework: an.factoryFramework(sc, fn)}
	}
	if app == "" {
		return nil
	}
	sc := an.module(app)
	if sc == nil || !definesFunc(sc, "create_app") {
		an.app = an.findApp(app)
		return nil
	}
	return &Hook{Module: app, Func: "create_app", Span: sc.lookup("create_app", -1).span, Framework: an.factoryFramework(sc, "create_app")}
}

// isAppAssign reports whether the module's final binding of name is
// `name = FastAPI(...)`.
func isAppAssign(sc *scope, name string) bool {
	b := sc.lookup(name, -1)
	if b == nil || b.assign == nil {
		return false
	}
	c, ok := b.assign.Value.(*Call)
	if !ok || !importRooted(sc, c.Func, b.idx) {
		return false
	}
	s := sc.symOf(c.Func, b.idx)
	return s != nil && isFastAPIApp(s.String())
}

// findApp returns the module-level FastAPI app of the app package (`app =
// FastAPI(...)` in any of its modules outside the features' folders), nil
// when there is none; two are an E32 (which one would a function serve?).
// A FastAPI app serves its features' routers with its middleware,
// exception handlers and lifespan, as a factory's app does.
func (an *analyzer) findApp(app string) *Hook {
	var paths []string
	for p := range an.parsed {
		if strings.HasPrefix(p, app+"/") && !an.inFeature(p) && an.parsed[p].mod != nil {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths) // sorted for determinism
	var found *Hook
	for _, p := range paths {
		sc := an.module(an.parsed[p].mod.Name)
		if sc == nil {
			continue
		}
		for _, st := range sc.mod.Stmts {
			a, ok := st.(*Assign)
			if !ok {
				continue
			}
			for _, t := range a.Targets {
				if !isAppAssign(sc, t) || sc.lookup(t, -1).assign != a {
					continue
				}
				if found != nil {
					an.diags.Add(diag.E32, a.Span, "the app package defines more than one FastAPI app (%s and %s.%s); name the one every function serves with app_factory: module:name in deployless.yaml", found.Dotted(), sc.mod.Name, t).Note(found.Span, "the first")
					return found
				}
				found = &Hook{Module: sc.mod.Name, Func: t, Span: a.Span}
			}
		}
	}
	return found
}

// inFeature reports whether a project file lies in a feature's folder.
func (an *analyzer) inFeature(p string) bool {
	rest, ok := strings.CutPrefix(p, an.opts.FeaturesDir+"/")
	if !ok {
		return false
	}
	feature, _, ok := strings.Cut(rest, "/")
	return ok && an.featureSet[feature]
}

// checkHooks checks that each init_app hook names a function of a module
// every package ships.
func (an *analyzer) checkHooks() []Hook {
	var out []Hook
	for _, h := range an.opts.InitApp {
		sc := an.module(h.Module)
		switch {
		case sc == nil:
			an.diags.Add(diag.E32, h.Span, "init_app: %s is not a module of the project (no %s.py or %s/__init__.py)", h.Module, modulePath(h.Module), modulePath(h.Module))
			continue
		case sc.lookup(h.Func, -1) == nil:
			an.diags.Add(diag.E32, h.Span, "init_app: %s has no top-level name %s", sc.mod.File.Path, h.Func)
			continue
		}
		if an.checkShipped(h.Module, h.Span, "init_app hook "+h.Dotted()) {
			out = append(out, h)
		}
	}
	return out
}

// checkShipped reports E42 when module lives in a feature's folder: only
// that feature's functions ship it, but what is named here runs in all.
func (an *analyzer) checkShipped(module string, at source.Span, what string) bool {
	rest, ok := strings.CutPrefix(modulePath(module), an.opts.FeaturesDir+"/")
	if !ok {
		return true
	}
	feature, _, _ := strings.Cut(rest, "/")
	if !an.featureSet[feature] {
		return true // a folder of helpers beside the features: shipped
	}
	an.diags.Add(diag.E42, at, "%s is in feature %s, whose code the other features' functions do not ship; move it to the app package or %s", what, feature, orDefault(an.opts.SharedDir, "app/shared"))
	return false
}

// definesFunc reports whether the module's final binding of name is a def.
func definesFunc(sc *scope, name string) bool {
	b := sc.lookup(name, -1)
	return b != nil && b.assign == nil && b.imp == nil && b.class == nil && b.memoSym != nil
}

// modulePath is a dotted module's path without extension.
func modulePath(module string) string { return strings.ReplaceAll(module, ".", "/") }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// factoryPrefixes reads the app factory's body for registrations with a
// prefix — app.register_blueprint(bp, url_prefix="/auth"), FastAPI's
// app.include_router(router, prefix="/auth") — where bp is a name the
// factory imports (inside its body or at module level): the prefix is that
// router's registration prefix, so the template's paths are the URLs the
// app serves. A module-level FastAPI app's include_router calls are read
// the same way. A prefix or a router it cannot evaluate is E10 at the
// call. The result maps a router's key (module:var) to its prefix and the
// call.
func (an *analyzer) factoryPrefixes(f, app *Hook) map[string]factoryPrefix {
	out := map[string]factoryPrefix{}
	var sc *scope
	var calls []Expr
	local := map[string][2]string{} // name → (module, member); member "" for a module
	what := ""
	switch {
	case f != nil:
		if sc = an.module(f.Module); sc == nil {
			return out
		}
		what = f.Dotted() + "()"
		for _, st := range sc.mod.Stmts {
			ns, ok := st.(*Nested)
			if !ok || ns.Func != f.Func {
				continue
			}
			an.localImports(sc, ns.Imports, local)
			calls = append(calls, ns.Exprs...)
		}
	case app != nil:
		if sc = an.module(app.Module); sc == nil {
			return out
		}
		what = app.Dotted()
		for _, st := range sc.mod.Stmts {
			if es, ok := st.(*ExprStmt); ok {
				if attr, ok := callee(es.X); ok {
					if n, ok := attr.X.(*Name); ok && n.Id == app.Func {
						calls = append(calls, es.X)
					}
				}
			}
		}
	default:
		return out
	}
	for _, x := range calls {
		call, ok := x.(*Call)
		if !ok {
			continue
		}
		attr, ok := call.Func.(*Attribute)
		if !ok {
			continue
		}
		kwName, word, example := "url_prefix", "Blueprint", "bp"
		switch attr.Attr {
		case "register_blueprint":
		case "include_router":
			kwName, word, example = "prefix", "APIRouter", "router"
		default:
			continue
		}
		var kw *Keyword
		for i := range call.Kwargs {
			if call.Kwargs[i].Name == kwName {
				kw = &call.Kwargs[i]
			}
		}
		if kw == nil {
			continue // no prefix: the router's own applies
		}
		v, err := sc.value(kw.Value, -1)
		if err != nil || v.Kind != KStr {
			an.diags.Add(diag.E10, kw.Value.Pos(), "%s registers a %s with a %s deployless cannot evaluate, so the template could not hold the URLs the app serves; write a string literal (or set %[3]s on the %[2]s itself)", what, word, kwName)
			continue
		}
		key := ""
		if len(call.Args) > 0 {
			key = an.factoryBlueprint(sc, local, call.Args[0])
		}
		if key == "" {
			an.diags.Add(diag.E10, call.Span, "%s registers a %s deployless cannot identify with %s=%q; register a %[2]s imported by name (from app.features.x.routes import %[5]s) so the template gets its prefix", what, word, kwName, v.Str, example)
			continue
		}
		if prev, dup := out[key]; dup {
			an.diags.Add(diag.E10, call.Span, "%s registers %s twice", what, strings.ReplaceAll(key, ":", ".")).Note(prev.span, "first registration")
			continue
		}
		out[key] = factoryPrefix{v.Str, call.Span, attr.Attr == "include_router"}
	}
	return out
}

// callee is the attribute a call expression calls (app.include_router).
func callee(x Expr) (*Attribute, bool) {
	c, ok := x.(*Call)
	if !ok {
		return nil, false
	}
	a, ok := c.Func.(*Attribute)
	return a, ok
}

// localImports adds the names a function body's imports bind to local.
func (an *analyzer) localImports(sc *scope, imps []*Import, local map[string][2]string) {
	for _, imp := range imps {
		if !imp.From {
			if imp.Alias != "" {
				local[imp.Alias] = [2]string{imp.Module, ""}
			}
			continue
		}
		base := resolveFrom(sc.mod, imp)
		for _, n := range imp.Names {
			name := n.Alias
			if name == "" {
				name = n.Name
			}
			if an.moduleFile(base+"."+n.Name) != "" {
				local[name] = [2]string{base + "." + n.Name, ""}
			} else {
				local[name] = [2]string{base, n.Name}
			}
		}
	}
}

// factoryPrefix is a url_prefix the app factory registers a Blueprint with.
type factoryPrefix struct {
	prefix  string
	span    source.Span
	include bool // FastAPI's include_router (Flask's register_blueprint otherwise)
}

// factoryBlueprint resolves the factory's register_blueprint argument to
// the key (module:var) of the assignment that defines it, following
// from-imports, without evaluating anything.
func (an *analyzer) factoryBlueprint(sc *scope, local map[string][2]string, arg Expr) string {
	var module, name string
	switch x := arg.(type) {
	case *Name:
		if l, ok := local[x.Id]; ok && l[1] != "" {
			module, name = l[0], l[1]
		} else if !ok {
			module, name = sc.mod.Name, x.Id
		}
	case *Attribute: // views.bp with views a module
		if n, ok := x.X.(*Name); ok {
			if l, ok := local[n.Id]; ok && l[1] == "" {
				module, name = l[0], x.Attr
			} else if !ok {
				if s := sc.symOf(n, -1); s != nil && s.member == "" {
					module, name = s.module, x.Attr
				}
			}
		}
	}
	if module == "" {
		return ""
	}
	msc := an.module(module)
	if msc == nil {
		return ""
	}
	dsc, def, b := msc.definition(name, -1)
	if b == nil || b.assign == nil {
		return ""
	}
	return dsc.mod.Name + ":" + def
}

// checkAppIncludes reports an include_router(router, prefix=...) of the app
// (factory or module-level) whose router is no feature's root router — a
// router of the app package that gathers the features' (FastAPI's
// "bigger applications" api_router), or a feature's nested one: its prefix
// would reach no path of the template, whose paths would then differ from
// the URLs the app serves.
func (an *analyzer) checkAppIncludes() {
	keys := make([]string, 0, len(an.factoryPrefix))
	for k, fp := range an.factoryPrefix {
		if fp.include && !an.prefixUsed[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys) // sorted for determinism
	for _, k := range keys {
		an.diags.Add(diag.E10, an.factoryPrefix[k].span, "the app includes %s with prefix=%q, but it is no feature's root router, so the template's paths would not carry the prefix; include each feature's router in the app itself, with its full prefix (app.include_router(items_router, prefix=\"/api/v1\"))", strings.ReplaceAll(k, ":", "."), an.factoryPrefix[k].prefix)
	}
}

// factoryFramework is the framework of the app a factory makes: "fastapi"
// when its body calls FastAPI(...), "flask" when it calls Flask(...), ""
// when deployless cannot tell (the app is made elsewhere). A feature of the
// other framework is served without the factory (its routers on a bare
// app), never by an app that cannot serve it.
func (an *analyzer) factoryFramework(sc *scope, fn string) string {
	local := map[string][2]string{}
	found := ""
	for _, st := range sc.mod.Stmts {
		ns, ok := st.(*Nested)
		if !ok || ns.Func != fn {
			continue
		}
		an.localImports(sc, ns.Imports, local)
		for _, x := range ns.Exprs {
			walkCalls(x, func(c *Call) {
				name := ""
				switch f := c.Func.(type) {
				case *Name:
					if l, ok := local[f.Id]; ok {
						name = l[0] + "." + l[1]
					} else if s := sc.symOf(f, -1); s != nil && importRooted(sc, f, -1) {
						name = s.String()
					}
				case *Attribute:
					if n, ok := f.X.(*Name); ok && local[n.Id][0] != "" && local[n.Id][1] == "" {
						name = local[n.Id][0] + "." + f.Attr // import fastapi inside the body
					} else if importRooted(sc, f, -1) {
						if s := sc.symOf(f, -1); s != nil {
							name = s.String()
						}
					}
				}
				switch {
				case found != "":
				case name == "flask.Flask":
					found = "flask"
				case isFastAPIApp(name):
					found = "fastapi"
				}
			})
		}
	}
	return found
}
