package resources

import (
	"github.com/deployless/deployless/internal/cfn"
	"github.com/deployless/deployless/internal/model"
)

// KMS builds an AWS::KMS::Key whose policy grants the account root (so IAM
// policies decide who may use it) and, with an alias, an AWS::KMS::Alias.
// EnableKeyRotation is only written for symmetric keys, which support it.
func KMS(p *model.Project, r *model.Resource, k *model.KMS) []Entry {
	props := cfn.NewMap()
	props.SetIf(k.Description != "", "Description", k.Description)
	props.Set("Enabled", true).Set("KeyUsage", k.KeyUsage).Set("KeySpec", k.KeySpec)
	if k.KeySpec == "SYMMETRIC_DEFAULT" {
		props.Set("EnableKeyRotation", k.Rotation)
	}
	props.Set("KeyPolicy", cfn.NewMap().Set("Version", "2012-10-17").Set("Statement", []any{
		cfn.NewMap().
			Set("Sid", "EnableRootAccountPermissions").
			Set("Effect", "Allow").
			Set("Principal", cfn.NewMap().Set("AWS", cfn.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root"))).
			Set("Action", "kms:*").
			Set("Resource", "*"),
	}))
	props.SetIf(len(p.Tags) > 0, "Tags", cfn.Tags(p.Tags))
	out := []Entry{{r.LogicalID, withPolicy("AWS::KMS::Key", k.DeletionPolicy, props)}}
	if r.Name != "" {
		out = append(out, Entry{r.AliasID(), resource("AWS::KMS::Alias").Set("Properties", cfn.NewMap().
			Set("AliasName", "alias/"+r.Name).
			Set("TargetKeyId", cfn.Ref(r.LogicalID)))})
	}
	return out
}

// SSMParameter builds an AWS::SSM::Parameter (String or StringList:
// CloudFormation cannot create SecureString parameters, see check).
func SSMParameter(p *model.Project, r *model.Resource, s *model.SSMParameter) Entry {
	props := cfn.NewMap().Set("Name", r.Name).Set("Type", s.Type).Set("Value", s.Value)
	props.SetIf(s.Description != "", "Description", s.Description)
	props.SetIf(len(p.Tags) > 0, "Tags", cfn.TagMap(p.Tags))
	return Entry{r.LogicalID, resource("AWS::SSM::Parameter").Set("Properties", props)}
}
