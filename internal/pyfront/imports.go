package pyfront

import (
	"sort"
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/source"
)

// checkImports is the build-time proof that every package can import what
// it ships (SPEC.md §9): a module-level import runs when its module is
// imported, and a feature's modules are shipped only in that feature's
// functions. So a module of the app package (shipped everywhere) or of
// feature f that imports, at module level, a module of another feature g
// would fail in every package but g's — unless the import asks only for
// what g's stand-in provides (its Blueprints, when the app has a factory
// and so stand-ins exist). Anything else is E42 at the import, with the
// imported module's position. Imports inside functions run only when
// called (the app factory's imports of Blueprints are the usual case) and
// are not checked here: the bootstrap's cold-start checks cover them.
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
		if proj.Factory != nil { // stand-ins exist only then (packager)
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
				m[g.Module][bp.Var] = true
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
		for _, st := range mod.Stmts {
			imp, ok := st.(*Import)
			if !ok {
				continue
			}
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
				an.diags.Add(diag.E42, imp.Span, "%s, in %s, imports %s at module level, but that is feature %s's code, which only %[4]s's functions ship%s; import it inside the function that needs it, or move it to the app package or %s",
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
	if proj.Factory != nil {
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
