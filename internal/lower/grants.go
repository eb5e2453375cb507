package lower

import (
	"strings"

	"github.com/deployless/deployless/internal/cfn"
	"github.com/deployless/deployless/internal/model"
)

// grant is the SAM policy template that lets a function use a resource it
// gets an env var for, as the original deployless adds: CRUD on tables and
// buckets, send and receive on queues, read on parameters. KMS keys get
// none: the seed's README says a key grants nothing until policies= does.
func grant(r *model.Resource) any {
	ref := refValue(r)
	switch r.Type {
	case "DynamoDB":
		return cfn.NewMap().Set("DynamoDBCrudPolicy", cfn.NewMap().Set("TableName", ref))
	case "S3":
		return cfn.NewMap().Set("S3CrudPolicy", cfn.NewMap().Set("BucketName", ref))
	case "SQS":
		var name any = r.Name
		if !r.Existing {
			name = cfn.GetAtt(r.LogicalID, "QueueName")
		}
		return []any{
			cfn.NewMap().Set("SQSSendMessagePolicy", cfn.NewMap().Set("QueueName", name)),
			cfn.NewMap().Set("SQSPollerPolicy", cfn.NewMap().Set("QueueName", name)),
		}
	case "SSMParameter":
		// The policy template prefixes "parameter/" itself.
		return cfn.NewMap().Set("SSMParameterReadPolicy", cfn.NewMap().Set("ParameterName", strings.TrimPrefix(r.Name, "/")))
	}
	return nil
}

// addPolicy appends the policies of p (one value or a list) that are not
// there already, comparing their encodings.
func addPolicy(policies []any, p any) []any {
	var add []any
	switch p := p.(type) {
	case nil:
		return policies
	case []any:
		add = p
	default:
		add = []any{p}
	}
	have := map[string]bool{}
	for _, x := range policies {
		have[encodeKey(x)] = true
	}
	for _, x := range add {
		if k := encodeKey(x); !have[k] {
			have[k] = true
			policies = append(policies, x)
		}
	}
	return policies
}

func encodeKey(v any) string {
	b, err := cfn.Encode(cfn.NewMap().Set("v", v))
	if err != nil {
		return ""
	}
	return string(b)
}
