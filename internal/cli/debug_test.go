package cli

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/deployless/deployless/internal/testenv"
)

func TestDebugStages(t *testing.T) {
	dir := filepath.Join(testenv.RepoRoot(), "testdata", "projects", "minimal")
	var facts []struct{ Name string }
	var model struct {
		Functions []struct{ LogicalID string }
	}
	var tmpl struct {
		Resources map[string]struct{ Type string }
	}
	for stage, into := range map[string]any{"facts": &facts, "model": &model, "template": &tmpl} {
		code, out, errOut := run(t, "debug", stage, "-C", dir)
		if code != 0 {
			t.Fatalf("debug %s: exit %d\n%s", stage, code, errOut)
		}
		if err := json.Unmarshal([]byte(out), into); err != nil {
			t.Fatalf("debug %s is not JSON: %v\n%s", stage, err, out)
		}
	}
	if len(facts) != 1 || facts[0].Name != "hello" {
		t.Errorf("facts = %+v", facts)
	}
	if len(model.Functions) != 1 || model.Functions[0].LogicalID != "HelloFunction" {
		t.Errorf("model functions = %+v", model.Functions)
	}
	if tmpl.Resources["HelloFunction"].Type != "AWS::Serverless::Function" {
		t.Errorf("template resources = %+v", tmpl.Resources)
	}
	if code, _, _ := run(t, "debug", "nope", "-C", dir); code != 2 {
		t.Errorf("debug nope: exit %d, want 2", code)
	}
}
