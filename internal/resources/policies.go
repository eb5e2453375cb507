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
// grants, each ARN once (an env file secret and a pc.SSMParam may name the
// same parameter), and kms:Decrypt through SSM only: on the keys they are
// encrypted with, or on any key when a grant names none (the env file's
// secrets), which covers the others. nil when there are none.
func decryptPolicy(grants []model.Grant) *cfn.Map {
	var arns []any
	var keys []string
	params, named, anyKey := map[string]bool{}, map[string]bool{}, false
	for _, g := range grants {
		if g.Resource != nil || g.Access != kind.Decrypt {
			continue
		}
		if !params[g.Parameter] {
			params[g.Parameter] = true
			arns = append(arns, parameterARN(g.Parameter))
		}
		switch {
		case g.Key == "":
			anyKey = true
		case !named[g.Key]:
			named[g.Key] = true
			keys = append(keys, g.Key)
		}
	}
	if len(arns) == 0 {
		return nil
	}
	if anyKey {
		keys = []string{""}
	}
	statements := []any{cfn.NewMap().Set("Effect", "Allow").Set("Action", []any{"ssm:GetParameters"}).Set("Resource", arns)}
	for _, k := range keys {
		statements = append(statements, decryptStatement(k))
	}
	return cfn.NewMap().Set("Version", "2012-10-17").Set("Statement", statements)
}

// decryptStatement allows kms:Decrypt on key ("" any key) when SSM asks.
func decryptStatement(key string) *cfn.Map {
	resource, alias := kmsKeyResource(key)
	cond := cfn.NewMap().Set("StringEquals", cfn.NewMap().
		Set("kms:ViaService", cfn.Sub("ssm.${AWS::Region}.${AWS::URLSuffix}")))
	if alias != "" {
		cond.Set("ForAnyValue:StringEquals", cfn.NewMap().Set("kms:ResourceAliases", alias))
	}
	return cfn.NewMap().Set("Effect", "Allow").Set("Action", []any{"kms:Decrypt"}).Set("Resource", resource).Set("Condition", cond)
}

// kmsKeyResource is the Resource of a kms:Decrypt statement on key (an
// alias, key ID or ARN; "" any key) and, for an alias, the alias the key
// must carry: IAM matches keys by key ARN only (an alias ARN as Resource
// names the alias, not its key), so an alias allows the keys of the account
// and region that have it (kms:ResourceAliases). That is also how the AWS
// managed key alias/aws/ssm, whose key ID no template knows, is named.
func kmsKeyResource(key string) (resource any, alias string) {
	switch {
	case key == "":
		return "*", ""
	case strings.HasPrefix(key, "alias/"):
		return cfn.Sub("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*"), key
	case strings.HasPrefix(key, "arn:"):
		if i := strings.Index(key, ":alias/"); i >= 0 {
			return key[:i] + ":key/*", key[i+1:]
		}
		return key, ""
	}
	return cfn.Sub("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/" + key), ""
}
