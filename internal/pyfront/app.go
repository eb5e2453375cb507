package pyfront

import (
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
		case !definesFunc(sc, fn):
			an.diags.Add(diag.E32, at, "app_factory: %s defines no top-level function %s", sc.mod.File.Path, fn)
			return nil
		}
		an.checkShipped(mod, at, "app_factory "+spec)
		return &Hook{Module: mod, Func: fn, Span: at}
	}
	if app == "" {
		return nil
	}
	sc := an.module(app)
	if sc == nil || !definesFunc(sc, "create_app") {
		return nil
	}
	return &Hook{Module: app, Func: "create_app", Span: sc.lookup("create_app", -1).span}
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
// prefix — app.register_blueprint(bp, url_prefix="/auth") — where bp is a
// name the factory imports (inside its body or at module level): the
// prefix is that Blueprint's registration prefix, so the template's paths
// are the URLs the app serves. A prefix or a Blueprint it cannot evaluate
// is E10 at the call. The result maps a Blueprint's key (module:var) to
// its prefix and the call.
func (an *analyzer) factoryPrefixes(f *Hook) map[string]factoryPrefix {
	out := map[string]factoryPrefix{}
	if f == nil {
		return out
	}
	sc := an.module(f.Module)
	if sc == nil {
		return out
	}
	for _, st := range sc.mod.Stmts {
		ns, ok := st.(*Nested)
		if !ok || ns.Func != f.Func {
			continue
		}
		local := map[string][2]string{} // name → (module, member); member "" for a module
		for _, imp := range ns.Imports {
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
		for _, x := range ns.Exprs {
			call, ok := x.(*Call)
			if !ok {
				continue
			}
			attr, ok := call.Func.(*Attribute)
			if !ok || attr.Attr != "register_blueprint" {
				continue
			}
			var kw *Keyword
			for i := range call.Kwargs {
				if call.Kwargs[i].Name == "url_prefix" {
					kw = &call.Kwargs[i]
				}
			}
			if kw == nil {
				continue // no prefix: the Blueprint's own applies
			}
			v, err := sc.value(kw.Value, -1)
			if err != nil || v.Kind != KStr {
				an.diags.Add(diag.E10, kw.Value.Pos(), "%s registers a Blueprint with a url_prefix deployless cannot evaluate, so the template could not hold the URLs the app serves; write a string literal (or set url_prefix on the Blueprint itself)", f.Dotted()+"()")
				continue
			}
			key := ""
			if len(call.Args) > 0 {
				key = an.factoryBlueprint(sc, local, call.Args[0])
			}
			if key == "" {
				an.diags.Add(diag.E10, call.Span, "%s registers a Blueprint deployless cannot identify with url_prefix=%q; register a Blueprint imported by name (from app.features.x.routes import bp) so the template gets its prefix", f.Dotted()+"()", v.Str)
				continue
			}
			if prev, dup := out[key]; dup {
				an.diags.Add(diag.E10, call.Span, "%s registers %s twice", f.Dotted()+"()", strings.ReplaceAll(key, ":", ".")).Note(prev.span, "first registration")
				continue
			}
			out[key] = factoryPrefix{v.Str, call.Span}
		}
	}
	return out
}

// factoryPrefix is a url_prefix the app factory registers a Blueprint with.
type factoryPrefix struct {
	prefix string
	span   source.Span
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
