package resources

import (
	"path"

	"github.com/deployless/deployless/internal/cfn"
	"github.com/deployless/deployless/internal/model"
)

// DepLayer builds the AWS::Serverless::LayerVersion of a dependency layer
// (docs/packaging-design.md F4). Every property is part of the hash SAM's
// transform appends to the logical ID, so each is a function of the
// layer's identity only: a change to which functions use it must not
// create a new layer version. LayerName is explicit because SAM's default
// (the logical ID) would clash between stacks in one account;
// RetentionPolicy Delete removes the previous version once no stack
// resource refers to it (functions keep the version they run).
func DepLayer(p *model.Project, l *model.DepLayer, opts Options) Entry {
	props := cfn.NewMap().
		Set("LayerName", cfn.Sub("${AWS::StackName}-"+l.Name)).
		Set("Description", "Python dependencies for "+l.Runtime+" on "+l.Arch+" (deployless)").
		Set("ContentUri", path.Join(opts.CodeURIBase, l.LogicalID+".zip")).
		Set("CompatibleRuntimes", []any{l.Runtime}).
		Set("CompatibleArchitectures", []any{l.Arch}).
		Set("RetentionPolicy", "Delete")
	return Entry{l.LogicalID, resource("AWS::Serverless::LayerVersion").Set("Properties", props)}
}
