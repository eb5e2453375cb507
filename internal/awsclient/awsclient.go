// Package awsclient loads the AWS SDK configuration the standard way
// (environment, shared config and credentials files, profile, region, and
// AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> for local endpoints such as
// moto_server) and builds the service clients the AWS-facing commands use.
// Consumers declare the narrow interfaces they need; these clients satisfy them.
package awsclient

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Clients are the service clients of one configuration.
type Clients struct {
	Config   aws.Config
	SSM      *ssm.Client
	STS      *sts.Client
	DynamoDB *dynamodb.Client
	S3       *s3.Client
	SQS      *sqs.Client
	KMS      *kms.Client
}

// Load reads the standard SDK configuration; profile and region override
// it when set.
func Load(ctx context.Context, profile, region string) (*Clients, error) {
	var opts []func(*config.LoadOptions) error
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, fmt.Errorf("no AWS region: set AWS_REGION (or a region in your profile)")
	}
	return &Clients{
		Config:   cfg,
		SSM:      ssm.NewFromConfig(cfg),
		STS:      sts.NewFromConfig(cfg),
		DynamoDB: dynamodb.NewFromConfig(cfg),
		// Path-style addressing works with every endpoint, local ones included.
		S3:  s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
		SQS: sqs.NewFromConfig(cfg),
		KMS: kms.NewFromConfig(cfg),
	}, nil
}
