package resources

import (
	"strings"

	"github.com/deployless/deployless/internal/cfn"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
)

// This file is where the model's references become CloudFormation: Ref and
// Fn::GetAtt for what the template declares, names and ARNs built with
// Fn::Sub for what exists outside it, dynamic references and markers for
// SSM parameters.

// refValue renders a reference. A resource declared in the template is
// Ref / Fn::GetAtt; an existing one is not in the template, so its value
// is built from its name (an existing queue's URL, an ARN).
func refValue(ref model.Ref) any {
	r := ref.Resource
	switch {
	case r == nil && ref.Attr == "":
		return cfn.Ref(ref.ID)
	case r == nil:
		return cfn.GetAtt(ref.ID, ref.Attr)
	case !r.Existing && ref.Attr == "":
		return cfn.Ref(r.LogicalID)
	case !r.Existing:
		return cfn.GetAtt(r.LogicalID, ref.Attr)
	case ref.Attr == "Arn":
		return existingARN(r)
	case ref.Attr == "QueueName", r.Kind != kind.SQS:
		return r.Name
	}
	return cfn.Sub("https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/" + r.Name)
}

// existingARN is the ARN of an existing resource, built from its name.
func existingARN(r *model.Resource) any {
	switch r.Kind {
	case kind.DynamoDB:
		return cfn.Sub("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/" + r.Name)
	case kind.S3:
		return cfn.Sub("arn:${AWS::Partition}:s3:::" + r.Name)
	case kind.SQS:
		return cfn.Sub("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:" + r.Name)
	case kind.SSMParameter:
		return parameterARN(r.Name)
	}
	if strings.HasPrefix(r.Name, "arn:") {
		return r.Name
	}
	return cfn.Sub("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/" + r.Name)
}

// parameterARN is the ARN of the SSM parameter name ("/a/b" or "a/b").
func parameterARN(name string) any {
	return cfn.Sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/" + strings.TrimPrefix(name, "/"))
}

// envValue renders an environment variable's value.
func envValue(v model.EnvValue) any {
	switch v := v.(type) {
	case model.Literal:
		return string(v)
	case model.Ref:
		return refValue(v)
	case model.SSMParam:
		if v.Secure {
			// CloudFormation resolves ssm-secure only in a few properties,
			// not in Lambda's environment: the bootstrap reads it (the
			// version, when pinned, is part of what it asks SSM for).
			return model.SecureMarker + v.Selector()
		}
		return "{{resolve:ssm:" + v.Selector() + "}}"
	}
	return nil
}

// EnvVars renders env as an Environment's Variables map.
func EnvVars(env []model.EnvVar) *cfn.Map {
	vars := cfn.NewMap()
	for _, e := range env {
		vars.Set(e.Name, envValue(e.Value))
	}
	return vars
}

// raw renders a value the user wrote in CloudFormation's form.
func raw(v model.Raw) any {
	switch v := v.(type) {
	case model.RawString:
		return string(v)
	case model.RawInt:
		return int(v)
	case model.RawFloat:
		return float64(v)
	case model.RawBool:
		return bool(v)
	case model.RawList:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = raw(x)
		}
		return out
	case model.RawMap:
		m := cfn.NewMap()
		for i, k := range v.Keys {
			m.Set(k, raw(v.Values[i]))
		}
		return m
	case model.Ref:
		return refValue(v)
	}
	return nil
}

func raws(vs []model.Raw) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = raw(v)
	}
	return out
}
