package packager

import (
	"testing"

	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
)

func TestRequirementsMerge(t *testing.T) {
	p := &model.Project{Requirements: "# global\nFlask==3.1.3\nrequests==2.32.3  # http\n--index-url https://pypi.example/simple\n\n"}
	feat := &model.Feature{Requirements: "requests==2.32.4\npydantic==2.9.2\n"}
	http := Requirements(p, &model.Function{Kind: kind.Feature, Feature: feat})
	want := "Flask==3.1.3\nrequests==2.32.4\n--index-url https://pypi.example/simple\npydantic==2.9.2\n" + AdapterRequirement + "\n"
	if http != want {
		t.Errorf("HTTP function requirements:\n%s\nwant:\n%s", http, want)
	}
	cron := Requirements(&model.Project{}, &model.Function{Kind: kind.Cron, Feature: &model.Feature{}})
	if cron != "flask\n" {
		t.Errorf("cron requirements = %q, want only flask (routes.py imports it; no WSGI adapter)", cron)
	}
}
