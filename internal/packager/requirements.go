package packager

import (
	"regexp"
	"strings"

	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
)

var reqName = regexp.MustCompile(`^\s*([A-Za-z0-9][A-Za-z0-9._-]*)`)

// Requirements merges the project's requirements.txt, the feature's own and
// the adapter's. A package named again later replaces the earlier line (the
// feature may pin a different version than the project); options such as
// --index-url keep their place; comments and blank lines go.
func Requirements(p *model.Project, fn *model.Function) string {
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
	add(fn.Feature.Requirements)
	// Every package imports the feature's routes.py, a Flask module.
	if _, ok := lines["flask"]; !ok {
		add("flask")
	}
	if fn.Kind == kind.Feature || fn.Kind == kind.Split {
		add(AdapterRequirement)
	}
	var b strings.Builder
	for _, k := range order {
		b.WriteString(lines[k] + "\n")
	}
	return b.String()
}

// normalize applies PEP 503 name normalisation.
func normalize(name string) string {
	return strings.ToLower(regexp.MustCompile(`[-_.]+`).ReplaceAllString(name, "-"))
}
