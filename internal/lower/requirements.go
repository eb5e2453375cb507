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

var reqName = regexp.MustCompile(`^\s*([A-Za-z0-9][A-Za-z0-9._-]*)`)

var separators = regexp.MustCompile(`[-_.]+`)

// Requirements merges the project's requirements.txt, the feature's own,
// the framework (flask, when neither names it) and the adapter: the
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
	// Every package imports the feature's routes.py, a Flask module.
	if _, ok := lines["flask"]; !ok {
		add("flask")
	}
	add(AdapterRequirement)
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
		project = Requirements(p, &model.Feature{})
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
			if k.reqs != project {
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
