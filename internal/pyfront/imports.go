package pyfront

import (
	"io/fs"
	"sort"
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/source"
)

// checkImports is the build-time proof that every package can import what
// it ships (SPEC.md §9): a feature's modules are shipped only in that
// feature's functions, so an import of them elsewhere fails, at module
// level when the module is imported, inside a function when it runs. So a module of the app package (shipped everywhere) or of
// feature f that imports, at module level, a module of another feature g
// would fail in every package but g's — unless the import asks only for
// what g's stand-in provides (its Blueprints, when the app has a factory
// and so stand-ins exist: the factory's imports inside its body are the
// usual case). Anything else is E42 at the import, with the imported
// module's position.
func (an *analyzer) checkImports(proj *Project) {
	if proj.AppDir == "" {
		return
	}
	features := map[string]*Feature{}
	for _, f := range proj.Features {
		features[f.Name] = f
	}
	owner := func(p string) *Feature { // p: a file or module path
		rest, ok := strings.CutPrefix(p, an.opts.FeaturesDir+"/")
		if !ok {
			return nil
		}
		name, _, _ := strings.Cut(rest, "/")
		return features[name]
	}
	provided := map[*Feature]map[string]map[string]bool{} // feature → module → names its stand-in defines
	standinOf := func(g *Feature) map[string]map[string]bool {
		if m, ok := provided[g]; ok {
			return m
		}
		m := map[string]map[string]bool{}
		if proj.Factory != nil || proj.App != nil { // stand-ins exist only then (packager)
			pkg := moduleName(g.Dir + "/__init__.py")
			m[pkg], m[g.Module] = map[string]bool{}, map[string]bool{}
			for _, bp := range g.Blueprints {
				if !strings.HasPrefix(bp.Span.Path, g.Dir+"/") {
					continue // a shared module's Blueprint ships for real
				}
				if m[bp.Module] == nil {
					m[bp.Module] = map[string]bool{}
				}
				m[bp.Module][bp.Var] = true
				m[g.Module][bp.Var] = true // routes.py re-exports each
				m[pkg][bp.Var] = true      // and so does the package
			}
			// A stand-in module is also a name of its parent package.
			for mod := range m {
				if i := strings.LastIndexByte(mod, '.'); i > 0 && m[mod[:i]] != nil {
					m[mod[:i]][mod[i+1:]] = true
				}
			}
		}
		provided[g] = m
		return m
	}
	paths := make([]string, 0, len(an.parsed))
	for p, r := range an.parsed {
		if r.mod != nil {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		mod := an.parsed[p].mod
		from := owner(p)
		for _, imp := range allImports(mod) {
			// check reports target unless every package can import it:
			// whole is an import of the module itself, names the names
			// taken from it.
			check := func(target string, names []ImportName, whole bool) {
				g := owner(modulePath(target))
				if g == nil || g == from {
					return
				}
				file := an.moduleFile(target)
				if file == "" {
					return // not a module of the project: Python reports it
				}
				what := target
				stand := standinOf(g)[target]
				if stand != nil {
					missing := ""
					for _, n := range names {
						if n.Name != "*" && !stand[n.Name] {
							missing = n.Name
							break
						}
					}
					if missing == "" && (whole || len(names) > 0) {
						return // only what the stand-in defines
					}
					if missing != "" {
						what = missing + " from " + target
					}
				}
				where := "the app package (shipped in every function)"
				if from != nil {
					where = "feature " + from.Name
				}
				an.diags.Add(diag.E42, imp.Span, "%s, in %s, imports %s, but that is feature %s's code, which only %[4]s's functions ship%s; move what both use to the app package or %s (importing it inside a function would fail the same way when the function runs)",
					p, where, what, g.Name, standinNote(proj), orDefault(an.opts.SharedDir, "app/shared")).
					Note(source.At(file, 1, 1), "the imported module")
			}
			if !imp.From {
				check(imp.Module, nil, true)
				continue
			}
			base := resolveFrom(mod, imp)
			var plain []ImportName // names that are not submodules
			for _, n := range imp.Names {
				if sub := base + "." + n.Name; an.moduleFile(sub) != "" {
					check(sub, nil, true)
					if g := owner(modulePath(sub)); g != nil && g != from && standinOf(g)[sub] != nil {
						continue
					}
				}
				plain = append(plain, n)
			}
			if len(plain) > 0 || len(imp.Names) == 0 {
				check(base, plain, false)
			}
		}
	}
}

// standinNote says what other functions have of a feature.
func standinNote(proj *Project) string {
	if proj.Factory != nil || proj.App != nil {
		return " (the others get a stand-in that defines only its Blueprints)"
	}
	return ""
}

// moduleFile is the file of a module of the app package ("" when there is
// none). Every .py file of the app package is parsed up front, so this
// reads nothing (and a failed lookup is not retried on the file system).
func (an *analyzer) moduleFile(module string) string {
	base := modulePath(module)
	for _, p := range []string{base + ".py", base + "/__init__.py"} {
		if _, ok := an.parsed[p]; ok {
			return p
		}
	}
	return ""
}

// resolveFrom turns `from ..x import y` in mod into an absolute module name.
func resolveFrom(mod *Module, st *Import) string {
	if st.Level == 0 {
		return st.Module
	}
	parts := strings.Split(mod.Name, ".")
	if !mod.IsPkg {
		parts = parts[:len(parts)-1]
	}
	up := min(st.Level-1, len(parts))
	parts = parts[:len(parts)-up]
	if st.Module != "" {
		parts = append(parts, st.Module)
	}
	return strings.Join(parts, ".")
}

// extraModules finds the project modules outside the app package (and the
// shared folder) that shipped code imports — a config.py beside app/, as
// `from config import Config` in the factory — and the modules those
// import in turn. Every package ships them at their own paths, so the
// import works as in development. It returns their files, sorted; each is
// parsed like the app's own (E31 on a syntax error).
func (an *analyzer) extraModules(proj *Project) []string {
	if proj.AppDir == "" {
		return nil
	}
	inside := func(p, dir string) bool { return dir != "" && (p == dir || strings.HasPrefix(p, dir+"/")) }
	shipped := func(p string) bool { return inside(p, proj.AppDir) || inside(p, an.opts.SharedDir) }
	found := map[string]bool{}
	tried := map[string]string{} // module → its file ("" when none), so nothing is looked up twice
	lookup := func(module string) string {
		if f, ok := tried[module]; ok {
			return f
		}
		tried[module] = ""
		base := modulePath(module)
		if base == "" || strings.HasPrefix(base, ".") || shipped(base) {
			return ""
		}
		for _, p := range []string{base + ".py", base + "/__init__.py"} {
			if st, err := fs.Stat(an.fsys, p); err == nil && st.Mode().IsRegular() {
				tried[module] = p
				return p
			}
		}
		return ""
	}
	var queue []*Module
	for _, r := range an.parsed {
		if r.mod != nil {
			queue = append(queue, r.mod)
		}
	}
	sort.Slice(queue, func(i, j int) bool { return queue[i].File.Path < queue[j].File.Path })
	for len(queue) > 0 {
		mod := queue[0]
		queue = queue[1:]
		for _, imp := range allImports(mod) {
			base := imp.Module
			if imp.From {
				base = resolveFrom(mod, imp)
			}
			candidates := []string{}
			// a.b.c imports a, a.b and a.b.c; from a.b import c may be a module.
			parts := strings.Split(base, ".")
			for i := 1; i <= len(parts); i++ {
				candidates = append(candidates, strings.Join(parts[:i], "."))
			}
			if imp.From {
				for _, n := range imp.Names {
					candidates = append(candidates, base+"."+n.Name)
				}
			}
			for _, c := range candidates {
				p := lookup(c)
				if p == "" || found[p] {
					continue
				}
				found[p] = true
				file := an.read(p)
				if file == nil {
					continue
				}
				r := an.parse(file, c)
				an.parsed[p] = r
				if r.mod != nil {
					queue = append(queue, r.mod)
				}
			}
		}
	}
	var out []string
	for p := range found {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// allImports are a module's import statements: at module level, and
// inside its functions, classes and blocks, in source order by kind.
func allImports(mod *Module) []*Import {
	var out []*Import
	for _, st := range mod.Stmts {
		switch st := st.(type) {
		case *Import:
			out = append(out, st)
		case *Nested:
			out = append(out, st.Imports...)
		}
	}
	return out
}

// checkAppRoutes refuses routes added to a Flask or FastAPI app object
// itself (app = Flask(__name__) with @app.route or app.add_url_rule, anywhere in
// the app package): such a route belongs to no feature, so no function's
// template entry would ever send it a request, and the single-file Flask
// layout would otherwise build a template without it, silently. Routes a
// factory adds inside its body are caught at cold start by the bootstrap.
func (an *analyzer) checkAppRoutes() {
	// (FastAPI: app.get/post/…/api_route/add_api_route; include_router is
	// how the app takes the features' routers, mount serves files that no
	// template path reaches and the bootstrap ignores.)
	paths := make([]string, 0, len(an.parsed))
	for p, r := range an.parsed {
		if r.mod != nil {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		mod := an.parsed[p].mod
		sc := an.module(mod.Name)
		if sc == nil || sc.mod != mod {
			continue
		}
		apps := map[string]string{} // app variable → framework
		inFeature := an.inFeature(p)
		for i, st := range mod.Stmts {
			if a, ok := st.(*Assign); ok {
				if c, ok := a.Value.(*Call); ok && importRooted(sc, c.Func, i) {
					s := sc.symOf(c.Func, i)
					// A FastAPI app in a feature's folder is that feature's
					// router (fastapi.go), not the project's app.
					if s != nil && (s.String() == "flask.Flask" || isFastAPIApp(s.String()) && !inFeature) {
						for _, t := range a.Targets {
							apps[t] = s.module
						}
					}
					// An APIRouter of the app package (not a feature's, not
					// the shared folder's, which features read as theirs):
					// what it gathers belongs to no feature.
					if s != nil && !inFeature && !insideDir(p, an.opts.SharedDir) && (fastapiFramework{}).constructor(s.String()) && !isFastAPIApp(s.String()) {
						for _, t := range a.Targets {
							apps[t] = "router"
						}
					}
				}
			}
		}
		if len(apps) == 0 {
			continue
		}
		check := func(x Expr) {
			walkCalls(x, func(c *Call) {
				attr, ok := c.Func.(*Attribute)
				if !ok {
					return
				}
				n, ok := attr.X.(*Name)
				if !ok || apps[n.Id] == "" {
					return
				}
				if apps[n.Id] == "flask" && flaskRegistrations[attr.Attr] && attr.Attr != "register_blueprint" {
					an.diags.Add(diag.E10, c.Span, "%s.%s(...) adds a route to the Flask app itself, which belongs to no feature, so no function would ever be sent its requests; define it on a feature's Blueprint (app/features/<name>/routes.py)", n.Id, attr.Attr)
				}
				if apps[n.Id] == "router" && fastapiRegistrations[attr.Attr] {
					an.diags.Add(diag.E10, c.Span, "%s.%s(...) adds to %s, a router of the app package, which belongs to no feature: its routes would be served by no function, and the features' routers it gathers would be served without its prefix; include each feature's router in the app itself, with its full prefix (app.include_router(items_router, prefix=\"/api/v1\"))", n.Id, attr.Attr, n.Id)
				}
				if apps[n.Id] == "fastapi" && fastapiRegistrations[attr.Attr] && attr.Attr != "include_router" && attr.Attr != "mount" {
					an.diags.Add(diag.E10, c.Span, "%s.%s(...) adds a route to the FastAPI app itself, which belongs to no feature, so no function would ever be sent its requests; define it on a feature's APIRouter (app/features/<name>/routes.py)", n.Id, attr.Attr)
				}
			})
		}
		for _, st := range mod.Stmts {
			switch st := st.(type) {
			case *FuncDef:
				for _, d := range st.Decorators {
					check(d)
				}
			case *ExprStmt:
				check(st.X)
			case *Nested:
				for _, x := range st.Exprs {
					check(x)
				}
			}
		}
	}
}

// insideDir reports whether path p lies in dir ("" is no folder).
func insideDir(p, dir string) bool { return dir != "" && strings.HasPrefix(p, dir+"/") }
