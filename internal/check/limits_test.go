package check

import (
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/model"
)

// One output per function plus three for the API: 197 functions make 200
// outputs (the limit, fine), 198 make 201 (a W02).
func TestLimitsOutputs(t *testing.T) {
	p := &model.Project{}
	for i := 0; i < 197; i++ {
		p.Functions = append(p.Functions, &model.Function{})
	}
	for _, d := range Limits(p) {
		if strings.Contains(d.Message, "outputs") {
			t.Errorf("200 outputs warned: %s", d)
		}
	}
	p.Functions = append(p.Functions, &model.Function{})
	found := false
	for _, d := range Limits(p) {
		found = found || d.Code == "W02" && strings.Contains(d.Message, "201 outputs")
	}
	if !found {
		t.Errorf("201 outputs: no W02 in %v", Limits(p))
	}
}
