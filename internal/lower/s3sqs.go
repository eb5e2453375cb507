package lower

import (
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/pyfront"
)

var s3Params = []string{"bucket_name", "versioning", "encryption", "cors", "lifecycle_rules",
	"public_access_block", "deletion_policy", "existing"}

// s3 lowers pc.S3(...) with the seed's defaults.
func (l *lowerer) s3(obj *pyfront.Object) *model.Resource {
	a := bind(obj, s3Params, 1, &l.d)
	name := a.str("bucket_name", "")
	if name == "" {
		l.d.Add(diag.E00, obj.Span, "S3() needs a bucket name")
		return nil
	}
	spec := &model.S3{
		Versioning: a.boolean("versioning", false), Encryption: a.boolean("encryption", true),
		PublicAccessBlock: a.boolean("public_access_block", true),
		CORS:              l.passThrough(a, "cors"), Lifecycle: l.passThrough(a, "lifecycle_rules"),
		DeletionPolicy: a.str("deletion_policy", "Delete"),
	}
	base := trimSuffixes(name, "-bucket", "_bucket")
	r := &model.Resource{Kind: kind.S3, Name: name, Existing: a.boolean("existing", false), Span: obj.Span, Spec: spec,
		LogicalID: pascal(base) + "Bucket", EnvVar: upperSnake(base) + "_BUCKET"}
	return l.finish(a, r)
}

var sqsParams = []string{"queue_name", "fifo", "dlq", "visibility_timeout", "message_retention",
	"max_receive_count", "encryption", "deletion_policy", "existing", "content_based_deduplication"}

// sqs lowers pc.SQS(...): FIFO queues get ".fifo" appended and, as in the
// original, content-based deduplication unless
// content_based_deduplication=False; the env var holds the queue URL.
func (l *lowerer) sqs(obj *pyfront.Object) *model.Resource {
	a := bind(obj, sqsParams, 1, &l.d)
	written := a.str("queue_name", "")
	if written == "" {
		l.d.Add(diag.E00, obj.Span, "SQS() needs a queue name")
		return nil
	}
	base := strings.TrimSuffix(written, ".fifo")
	spec := &model.SQS{
		FIFO: a.boolean("fifo", false), DLQ: a.boolean("dlq", false), Encryption: a.boolean("encryption", true),
		Visibility: a.intOr("visibility_timeout", 30), Retention: a.intOr("message_retention", 345600),
		Receive: a.intOr("max_receive_count", 3), DeletionPolicy: a.str("deletion_policy", "Delete"), BaseName: base,
	}
	spec.ContentBasedDedup = a.boolean("content_based_deduplication", spec.FIFO)
	if spec.ContentBasedDedup && !spec.FIFO {
		// SQS refuses the attribute on a standard queue (FIFO only).
		l.d.Add(diag.E00, a.span("content_based_deduplication"),
			"SQS %q: content_based_deduplication=True needs a FIFO queue (fifo=True)", base)
	}
	name := base
	if spec.FIFO {
		name += ".fifo"
	}
	short := trimSuffixes(base, "-queue", "_queue")
	r := &model.Resource{Kind: kind.SQS, Name: name, Existing: a.boolean("existing", false), Span: obj.Span, Spec: spec,
		LogicalID: pascal(short) + "Queue", EnvVar: upperSnake(short) + "_QUEUE_URL"}
	return l.finish(a, r)
}

// passThrough converts a list parameter given in CloudFormation form.
func (l *lowerer) passThrough(a *args, name string) []model.Raw {
	var out []model.Raw
	for _, it := range a.list(name) {
		if it.Kind != pyfront.KDict {
			a.typeErr(name+" item", "a dict in CloudFormation form", it)
			continue
		}
		if v, ok := l.policyValue(it); ok {
			out = append(out, v)
		}
	}
	return out
}

// finish drops invalid calls; two declarations of one logical ID are
// compared later (model.Resource.SameDeclaration).
func (l *lowerer) finish(a *args, r *model.Resource) *model.Resource {
	if !a.valid {
		return nil
	}
	return r
}
