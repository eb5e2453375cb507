package resources

import (
	"github.com/deployless/deployless/internal/cfn"
	"github.com/deployless/deployless/internal/model"
)

// withPolicy sets DeletionPolicy and, the same, UpdateReplacePolicy: data
// kept on delete should also be kept when an update replaces the resource.
func withPolicy(typ, policy string, props *cfn.Map) *cfn.Map {
	return resource(typ).Set("DeletionPolicy", policy).Set("UpdateReplacePolicy", policy).Set("Properties", props)
}

// S3 builds an AWS::S3::Bucket.
func S3(p *model.Project, r *model.Resource, s *model.S3) Entry {
	props := cfn.NewMap().Set("BucketName", r.Name)
	if s.Versioning {
		props.Set("VersioningConfiguration", cfn.NewMap().Set("Status", "Enabled"))
	}
	if s.Encryption {
		props.Set("BucketEncryption", cfn.NewMap().Set("ServerSideEncryptionConfiguration", []any{
			cfn.NewMap().Set("ServerSideEncryptionByDefault", cfn.NewMap().Set("SSEAlgorithm", "AES256")),
		}))
	}
	if len(s.CORS) > 0 {
		props.Set("CorsConfiguration", cfn.NewMap().Set("CorsRules", raws(s.CORS)))
	}
	if len(s.Lifecycle) > 0 {
		props.Set("LifecycleConfiguration", cfn.NewMap().Set("Rules", raws(s.Lifecycle)))
	}
	if s.PublicAccessBlock {
		props.Set("PublicAccessBlockConfiguration", cfn.NewMap().
			Set("BlockPublicAcls", true).Set("BlockPublicPolicy", true).
			Set("IgnorePublicAcls", true).Set("RestrictPublicBuckets", true))
	}
	props.SetIf(len(p.Tags) > 0, "Tags", cfn.Tags(p.Tags))
	return Entry{r.LogicalID, withPolicy("AWS::S3::Bucket", s.DeletionPolicy, props)}
}

// SQS builds an AWS::SQS::Queue and, with dlq=True, its dead-letter queue
// (FIFO like the main queue, 14-day retention) wired by a redrive policy.
// A FIFO main queue states ContentBasedDeduplication either way (on by
// default, as the original sets it); its DLQ only receives redriven
// messages and leaves it unset, as the original does.
func SQS(p *model.Project, r *model.Resource, s *model.SQS) []Entry {
	queue := func(name string, retention int) *cfn.Map {
		m := cfn.NewMap().Set("QueueName", name)
		m.SetIf(s.FIFO, "FifoQueue", true)
		m.Set("MessageRetentionPeriod", retention).Set("SqsManagedSseEnabled", s.Encryption)
		return m
	}
	props := queue(r.Name, s.Retention)
	props.SetIf(s.FIFO, "ContentBasedDeduplication", s.ContentBasedDedup)
	props.Set("VisibilityTimeout", s.Visibility)
	var dlqEntry *Entry
	if s.DLQ {
		dlqName := s.BaseName + "-dlq"
		if s.FIFO {
			dlqName += ".fifo"
		}
		dlq := queue(dlqName, 1209600)
		dlq.SetIf(len(p.Tags) > 0, "Tags", cfn.Tags(p.Tags))
		props.Set("RedrivePolicy", cfn.NewMap().
			Set("deadLetterTargetArn", cfn.GetAtt(r.DLQID(), "Arn")).
			Set("maxReceiveCount", s.Receive))
		dlqEntry = &Entry{r.DLQID(), withPolicy("AWS::SQS::Queue", s.DeletionPolicy, dlq)}
	}
	props.SetIf(len(p.Tags) > 0, "Tags", cfn.Tags(p.Tags))
	out := []Entry{{r.LogicalID, withPolicy("AWS::SQS::Queue", s.DeletionPolicy, props)}}
	if dlqEntry != nil {
		out = append(out, *dlqEntry)
	}
	return out
}
