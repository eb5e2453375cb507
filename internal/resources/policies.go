package resources

import (
	"strings"

	"github.com/deployless/deployless/internal/cfn"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
)

// policies renders a function's Policies: one IAM document for the
// SecureString parameters its bootstrap reads, then policies= as written,
// then a SAM policy template per resource grant, leaving out a template
// that policies= (or an earlier grant) already holds.
func policies(fn *model.Function) []any {
	var out []any
	if doc := decryptPolicy(fn.Grants); doc != nil {
		out = append(out, doc)
	}
	user := len(out)
	out = append(out, raws(fn.Policies)...)
next:
	for _, g := range fn.Grants {
		t := grantTemplate(g)
		if t == nil {
			continue
		}
		for _, have := range out[user:] {
			if cfn.Equal(have, t) {
				continue next
			}
		}
		out = append(out, t)
	}
	return out
}

// grantTemplate is the SAM policy template of a resource grant (nil for
// parameter grants, which decryptPolicy renders).
func grantTemplate(g model.Grant) any {
	r := g.Resource
	if r == nil {
		return nil
	}
	switch {
	case r.Kind == kind.DynamoDB && g.Access == kind.Crud:
		return samPolicy("DynamoDBCrudPolicy", "TableName", refValue(model.Ref{Resource: r}))
	case r.Kind == kind.S3 && g.Access == kind.Crud:
		return samPolicy("S3CrudPolicy", "BucketName", refValue(model.Ref{Resource: r}))
	case r.Kind == kind.SQS && g.Access == kind.Send:
		return samPolicy("SQSSendMessagePolicy", "QueueName", refValue(model.Ref{Resource: r, Attr: "QueueName"}))
	case r.Kind == kind.SQS && g.Access == kind.Poll:
		return samPolicy("SQSPollerPolicy", "QueueName", refValue(model.Ref{Resource: r, Attr: "QueueName"}))
	case r.Kind == kind.SSMParameter && g.Access == kind.Read:
		// The policy template prefixes "parameter/" itself.
		return samPolicy("SSMParameterReadPolicy", "ParameterName", strings.TrimPrefix(r.Name, "/"))
	}
	panic("resources: no policy template for " + g.Access.String() + " on " + r.Kind.String())
}

func samPolicy(name, param string, v any) *cfn.Map {
	return cfn.NewMap().Set(name, cfn.NewMap().Set(param, v))
}

// decryptPolicy allows exactly the SecureString parameters of the decrypt
// grants, and decryption only through SSM; nil when there are none.
func decryptPolicy(grants []model.Grant) *cfn.Map {
	var arns []any
	for _, g := range grants {
		if g.Resource == nil && g.Access == kind.Decrypt {
			arns = append(arns, parameterARN(g.Parameter))
		}
	}
	if len(arns) == 0 {
		return nil
	}
	return cfn.NewMap().Set("Version", "2012-10-17").Set("Statement", []any{
		cfn.NewMap().Set("Effect", "Allow").Set("Action", []any{"ssm:GetParameters"}).Set("Resource", arns),
		cfn.NewMap().Set("Effect", "Allow").Set("Action", []any{"kms:Decrypt"}).Set("Resource", "*").
			Set("Condition", cfn.NewMap().Set("StringEquals", cfn.NewMap().
				Set("kms:ViaService", cfn.Sub("ssm.${AWS::Region}.${AWS::URLSuffix}")))),
	})
}
