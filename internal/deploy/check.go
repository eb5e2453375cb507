// Package deploy holds the AWS-facing steps around a build: the pre-flight
// checks of `deployless check` (SAM CLI, credentials, existing resources)
// and the sam build / sam deploy chain of `deployless deploy`.
package deploy

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
)

// Result is one check's outcome, with what to do when it failed.
type Result struct {
	Name   string
	OK     bool
	Detail string
	Fix    string
}

// The narrow AWS APIs the checks call.
type (
	Identity interface {
		GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
	}
	Tables interface {
		DescribeTable(context.Context, *dynamodb.DescribeTableInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
	}
	Buckets interface {
		HeadBucket(context.Context, *s3.HeadBucketInput, ...func(*s3.Options)) (*s3.HeadBucketOutput, error)
	}
	Queues interface {
		GetQueueUrl(context.Context, *sqs.GetQueueUrlInput, ...func(*sqs.Options)) (*sqs.GetQueueUrlOutput, error)
	}
	Keys interface {
		DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
	}
	Parameters interface {
		GetParameter(context.Context, *ssm.GetParameterInput, ...func(*ssm.Options)) (*ssm.GetParameterOutput, error)
	}
)

// Services groups the APIs the existence checks need.
type Services struct {
	Tables     Tables
	Buckets    Buckets
	Queues     Queues
	Keys       Keys
	Parameters Parameters
}

// SAMVersion runs `sam --version`.
func SAMVersion(ctx context.Context) Result {
	out, err := exec.CommandContext(ctx, "sam", "--version").Output()
	if err != nil {
		return Result{Name: "AWS SAM CLI", Detail: "sam was not found on PATH or did not run: " + err.Error(),
			Fix: "install it (pip install aws-sam-cli, or see the AWS SAM CLI install guide) and make sure `sam` is on PATH"}
	}
	return Result{Name: "AWS SAM CLI", OK: true, Detail: strings.TrimSpace(string(out))}
}

// Credentials calls STS GetCallerIdentity.
func Credentials(ctx context.Context, c Identity, region string) Result {
	out, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Result{Name: "AWS credentials", Detail: short(err),
			Fix: "configure credentials (aws configure, AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and a region"}
	}
	return Result{Name: "AWS credentials", OK: true,
		Detail: fmt.Sprintf("account %s as %s in %s", aws.ToString(out.Account), aws.ToString(out.Arn), region)}
}

// Existing checks that every existing=True resource really exists.
func Existing(ctx context.Context, s Services, resources []*model.Resource) []Result {
	var out []Result
	for _, r := range resources {
		name := fmt.Sprintf("existing %s %s", r.Kind, r.Name)
		var err error
		switch r.Kind {
		case kind.DynamoDB:
			_, err = s.Tables.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(r.Name)})
		case kind.S3:
			_, err = s.Buckets.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(r.Name)})
		case kind.SQS:
			_, err = s.Queues.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(r.Name)})
		case kind.KMS:
			_, err = s.Keys.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(r.Name)})
		case kind.SSMParameter:
			_, err = s.Parameters.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(r.Name)})
		default:
			continue
		}
		res := Result{Name: name, OK: err == nil, Detail: "found (" + r.Span.String() + ")"}
		if err != nil {
			res.Detail = short(err) + " (declared at " + r.Span.String() + ")"
			res.Fix = "create it in this account and region, fix its name, or drop existing=True to let the stack create it"
		}
		out = append(out, res)
	}
	return out
}

// short renders an AWS error as its code and message.
func short(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode() + ": " + api.ErrorMessage()
	}
	return err.Error()
}
