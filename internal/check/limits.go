package check

import (
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/source"
)

// CloudFormation's limits per stack: resources (counted after the SAM
// transform) and outputs.
const (
	MaxStackResources = 500
	MaxStackOutputs   = 200
	// MaxLayers is Lambda's limit of layers per function.
	MaxLayers = 5
)

// Limits warns (W02) when the stack will exceed CloudFormation's output
// limit, or its resource limit once SAM has expanded it: each function adds an IAM role, each API
// event a Lambda permission, each schedule a rule and a permission, a
// provisioned function an alias and a version, the API a deployment and a
// stage. The build still succeeds: the template is valid, only too large.
func Limits(p *model.Project) diag.List {
	var d diag.List
	n := len(p.Resources) + 2 // the API's deployment and stage
	for _, r := range p.Resources {
		n += len(r.CompanionIDs())
	}
	for _, fn := range p.Functions {
		n += 3 // the function, its role, its log group
		n += len(fn.Routes)
		if fn.Schedule != "" {
			n += 2
		}
		if fn.DLQ {
			n++
		}
		if fn.Alarms != nil {
			n += 3
		}
		if fn.ProvisionedConcurrency != nil {
			n += 2
		}
	}
	// Outputs: one ARN per function, plus the API's URL, key and domain.
	outputs := len(p.Functions) + 3
	if outputs > MaxStackOutputs {
		d.Warn(diag.W02, source.Span{Path: "deployless.yaml"}, "the template has about %d outputs, over CloudFormation's limit of %d per stack: the deploy will fail; split the project into several stacks", outputs, MaxStackOutputs)
	}
	if n > MaxStackResources {
		d.Warn(diag.W02, source.Span{Path: "deployless.yaml"}, "the stack will hold about %d resources after the SAM transform, over CloudFormation's limit of %d per stack: the deploy will fail; split the project into several stacks or features into fewer functions", n, MaxStackResources)
	}
	return d
}

// MaxTemplateBytes is CloudFormation's limit on a template uploaded
// through S3 (as `sam deploy` does); larger ones are refused at deploy.
const MaxTemplateBytes = 1 << 20

// TemplateSize checks the encoded template's size (E39).
func TemplateSize(n int) diag.List {
	var d diag.List
	if n > MaxTemplateBytes {
		d.Add(diag.E39, source.Span{Path: "deployless.yaml"}, "the template is %.1f MB, over CloudFormation's limit of 1 MB (%d bytes): split the project into several stacks or shorten what repeats in every function", float64(n)/(1<<20), MaxTemplateBytes)
	}
	return d
}
