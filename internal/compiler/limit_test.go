package compiler

import (
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/layers"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/source"
)

// TestUnzippedLimit: E46 fires above Lambda's 262,144,000 bytes, not at
// it, and gives the numbers.
func TestUnzippedLimit(t *testing.T) {
	fn := &model.Function{LogicalID: "MlFunction", Span: source.Span{Path: "app/features/ml/routes.py", Line: 1, Col: 1},
		DepLayer: &model.DepLayer{LogicalID: "MlDepsLayer"}}
	for _, c := range []struct {
		code, layer int64
		want        bool
	}{{20_480, MaxUnzipped - 20_480, false}, {20_480, MaxUnzipped - 20_479, true}, {MaxUnzipped + 1, 0, true}} {
		var d diag.List
		dep := Deployable{LogicalID: "MlFunction", Code: c.code, Unzipped: c.code + c.layer, Layers: []layers.Layer{{Unzipped: c.layer}}}
		unzippedLimit(&d, fn, dep)
		if got := len(d) == 1 && d[0].Code == diag.E46; got != c.want {
			t.Errorf("code %d + layer %d: E46 = %v, want %v (%v)", c.code, c.layer, got, c.want, d)
		}
		if c.want && !strings.Contains(d[0].Message, "MlDepsLayer") {
			t.Errorf("message lacks the numbers: %s", d[0].Message)
		}
	}
}
