package lower

import (
	"testing"

	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
)

func TestRequirementsMerge(t *testing.T) {
	p := &model.Project{Requirements: "# global\nFlask==3.1.3\nrequests==2.32.3  # http\n--index-url https://pypi.example/simple\n\n"}
	feat := &model.Feature{Requirements: "requests==2.32.4\npydantic==2.9.2\n"}
	got := Requirements(p, feat)
	want := "Flask==3.1.3\nrequests==2.32.4\n--index-url https://pypi.example/simple\npydantic==2.9.2\n" + AdapterRequirement + "\n"
	if got != want {
		t.Errorf("merged requirements:\n%s\nwant:\n%s", got, want)
	}
	if got := Requirements(&model.Project{}, &model.Feature{}); got != "flask\n"+AdapterRequirement+"\n" {
		t.Errorf("bare requirements = %q, want flask (routes.py imports it) and the adapter", got)
	}
}

// TestDepLayers: functions with the same set share a layer, a feature with
// its own requirements gets its own, arm64 gets its own; names are stable.
func TestDepLayers(t *testing.T) {
	p := &model.Project{Runtime: "python3.13", Requirements: "flask==3.1.3\n", RequirementsFile: "requirements.txt"}
	plain := &model.Feature{Name: "user"}
	same := &model.Feature{Name: "tenant", Requirements: "flask==3.1.3\n"} // adds nothing
	own := &model.Feature{Name: "billing_jobs", Dir: "app/features/billing_jobs", Requirements: "orjson==3.11.4\n"}
	p.Features = []*model.Feature{plain, same, own}
	fns := []*model.Function{
		{LogicalID: "UserFunction", Kind: kind.Feature, Feature: plain},
		{LogicalID: "UserCron", Kind: kind.Cron, Feature: plain},
		{LogicalID: "TenantFunction", Kind: kind.Feature, Feature: same},
		{LogicalID: "BillingJobsFunction", Kind: kind.Feature, Feature: own},
		{LogicalID: "BillingJobsArm", Kind: kind.Feature, Feature: own, Architectures: []string{"arm64"}},
		{LogicalID: "UserArm", Kind: kind.Standalone, Feature: plain, Architectures: []string{"arm64"}},
	}
	p.Functions = fns
	depLayers(p)
	want := map[string]string{
		"UserFunction": "DepsLayer", "UserCron": "DepsLayer", "TenantFunction": "DepsLayer",
		"BillingJobsFunction": "BillingJobsDepsLayer", "BillingJobsArm": "BillingJobsDepsArm64Layer", "UserArm": "DepsArm64Layer",
	}
	for _, fn := range fns {
		if fn.DepLayer == nil || fn.DepLayer.LogicalID != want[fn.LogicalID] {
			t.Errorf("%s: layer %+v, want %s", fn.LogicalID, fn.DepLayer, want[fn.LogicalID])
		}
	}
	if len(p.DepLayers) != 4 {
		t.Fatalf("%d layers, want 4", len(p.DepLayers))
	}
	names := []string{}
	for _, l := range p.DepLayers {
		names = append(names, l.Name+"/"+l.Arch+"/"+l.Span.Path)
	}
	wantNames := []string{"deps/x86_64/requirements.txt", "billing_jobs-deps/x86_64/app/features/billing_jobs/requirements.txt", "billing_jobs-deps-arm64/arm64/app/features/billing_jobs/requirements.txt", "deps-arm64/arm64/requirements.txt"}
	for i := range wantNames {
		if names[i] != wantNames[i] {
			t.Errorf("layer %d = %s, want %s", i, names[i], wantNames[i])
		}
	}
}
