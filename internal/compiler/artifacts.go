package compiler

import (
	"path"

	"github.com/deployless/deployless/internal/artifact"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/source"
)

// artifacts is the compilation's output as files to write: each function's
// code zip and each dependency layer's zip as .dist/<LogicalID>.zip, and the template at opts.TemplatePath
// (default: template.yaml in opts.TemplateDir). A path the set refuses (an
// --output inside .dist, say) is E32 and yields no set.
func artifacts(res *Result, opts Options, d *diag.List) *artifact.Set {
	set := &artifact.Set{}
	for _, a := range res.Zips {
		if err := set.Add(a); err != nil {
			d.Add(diag.E32, source.Span{}, "cannot lay out the packages: %v", err)
			return nil
		}
	}
	tmpl := opts.TemplatePath
	if tmpl == "" {
		tmpl = path.Join(opts.TemplateDir, "template.yaml")
	}
	if unit, _ := artifact.Unit(tmpl); unit != "" || tmpl == artifact.DistDir {
		d.Add(diag.E32, source.Span{}, "the template cannot be written to %s: %s/ holds only the packages", tmpl, artifact.DistDir)
		return nil
	}
	if err := set.Add(artifact.Artifact{Path: tmpl, Data: res.YAML, Mode: 0o644}); err != nil {
		d.Add(diag.E32, source.Span{}, "cannot write the template there: %v", err)
		return nil
	}
	return set
}
