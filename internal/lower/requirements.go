package lower

import (
	"path"
	"regexp"
	"strings"

	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/source"
)

// AdapterRequirement is the WSGI adapter every Flask function's layer holds
// (SPEC.md §8: apig-wsgi, since aws-wsgi is archived).
const AdapterRequirement = "apig-wsgi==2.20.0"

// ASGIAdapterRequirement is the ASGI adapter every FastAPI function's layer
// holds (SPEC.md §8: Mangum; 0.22.0 is its latest release, LAMBDA-FACTS.md).
const ASGIAdapterRequirement = "mangum==0.22.0"

// frameworkRequirements are, per framework, the package every function of
// such a feature imports (added unpinned when no requirements file names
// it: the user's pin wins) and the adapter deployless's bootstrap uses
// (always added, pinned). pydantic and its binary core come with fastapi.
var frameworkRequirements = map[string][2]string{
	"flask":   {"flask", AdapterRequirement},
	"fastapi": {"fastapi", ASGIAdapterRequirement},
}

var reqName = regexp.MustCompile(`^\s*([A-Za-z0-9][A-Za-z0-9._-]*)`)

var separators = regexp.MustCompile(`[-_.]+`)

// Requirements merges the project's requirements.txt, the feature's own,
// the feature's framework (flask or fastapi, when neither names it) and
// its adapter (apig-wsgi or mangum; never the other framework's): the
// dependency set of every function of the feature. HTTP, cron and
// standalone functions share it, so they share one layer (the adapter is
// 30 KB; a set per kind would double the layers). A package named again
// later replaces the earlier line (the feature may pin a different
// version than the project); options such as --index-url keep their
// place; comments and blank lines go.
func Requirements(p *model.Project, f *model.Feature) string {
	var order []string
	lines := map[string]string{}
	add := func(text string) {
		for _, line := range strings.Split(text, "\n") {
			if i := strings.Index(line, " #"); i >= 0 {
				line = line[:i]
			}
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			key := line
			if m := reqName.FindStringSubmatch(line); m != nil && !strings.HasPrefix(line, "-") {
				key = normalize(m[1])
			}
			if _, seen := lines[key]; !seen {
				order = append(order, key)
			}
			lines[key] = line
		}
	}
	add(p.Requirements)
	add(f.Requirements)
	// Every package imports the feature's routes.py, a module of its
	// framework.
	fw := frameworkRequirements[f.Framework]
	if fw[0] == "" {
		fw = frameworkRequirements["flask"]
	}
	if _, ok := lines[fw[0]]; !ok {
		add(fw[0])
	}
	// The app package ships in every function, so the framework its app
	// is made with is imported in every function too (a Flask factory in
	// app/__init__.py, a FastAPI app module), whatever the feature's own.
	if app := appFramework(p); app != "" && app != f.Framework {
		if pkg := frameworkRequirements[app][0]; lines[pkg] == "" {
			add(pkg)
		}
	}
	add(fw[1])
	var b strings.Builder
	for _, k := range order {
		b.WriteString(lines[k] + "\n")
	}
	return b.String()
}

// normalize applies PEP 503 name normalisation.
func normalize(name string) string {
	return strings.ToLower(separators.ReplaceAllString(name, "-"))
}

// depLayers gives every function its dependency layer: one per distinct
// (merged requirements, runtime, architecture), in the order of the first
// function using each. The project's own set is DepsLayer ("deps"); a set
// that a feature's requirements.txt changes is named after the first
// feature with it (<Feature>DepsLayer, "<feature>-deps"); arm64 adds Arm64
// ("deps-arm64"). The names depend only on the project, never on what uv
// resolves, so the template is known before any layer is built.
func depLayers(p *model.Project) {
	type key struct{ reqs, runtime, arch string }
	byKey := map[key]*model.DepLayer{}
	project := ""
	if p.Requirements != "" || len(p.Features) > 0 {
		project = Requirements(p, &model.Feature{Framework: p.Framework})
	}
	// A project that mixes frameworks: the other framework's own set (the
	// project's requirements with it) is named after the framework.
	base := map[string]string{}
	for _, f := range p.Features {
		if f.Framework != p.Framework && base[f.Framework] == "" {
			base[f.Framework] = Requirements(p, &model.Feature{Framework: f.Framework})
		}
	}
	for _, fn := range p.Functions {
		f := fn.Feature
		k := key{Requirements(p, f), p.Runtime, fn.Arch()}
		l := byKey[k]
		if l == nil {
			id, name := "Deps", "deps"
			span := source.Span{}
			if p.Requirements != "" {
				span = source.Span{Path: p.RequirementsFile, Line: 1, Col: 1}
			}
			switch {
			case k.reqs == project:
			case k.reqs == base[f.Framework]:
				id, name = "Deps"+pascal(f.Framework), "deps-"+f.Framework
			default:
				id, name = pascal(f.Name)+"Deps", f.Name+"-deps"
				span = source.Span{Path: path.Join(f.Dir, "requirements.txt"), Line: 1, Col: 1}
			}
			if k.arch == "arm64" {
				id, name = id+"Arm64", name+"-arm64"
			}
			l = &model.DepLayer{LogicalID: id + "Layer", Name: name, Requirements: k.reqs, Runtime: k.runtime, Arch: k.arch, Span: span}
			byKey[k] = l
			p.DepLayers = append(p.DepLayers, l)
		}
		l.Functions = append(l.Functions, fn)
		fn.DepLayer = l
	}
}

// appFramework is the framework of the project's app: its factory's, or
// FastAPI for a module-level FastAPI app; "" when none or unknown.
func appFramework(p *model.Project) string {
	switch {
	case p.Factory != "":
		return p.FactoryFramework
	case p.App != "":
		return "fastapi"
	}
	return ""
}
