package resources

import (
	"encoding/json"
	"testing"

	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
)

// These pin the logical IDs and the replacement-relevant properties that a
// stack first deployed with the original deployless 0.1.5 already holds:
// another ID or QueueName/Name would replace the resource on our first
// deploy (docs/compat.md, "Migrating a stack deployed with the original").

func entryJSON(t *testing.T, e Entry) string {
	t.Helper()
	b, err := json.Marshal(e.Resource)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func ids(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func wantIDs(t *testing.T, es []Entry, want ...string) {
	t.Helper()
	got, _ := json.Marshal(ids(es))
	w, _ := json.Marshal(want)
	if string(got) != string(w) {
		t.Fatalf("logical IDs = %s, want %s", got, w)
	}
}

func wantJSON(t *testing.T, e Entry, want string) {
	t.Helper()
	if got := entryJSON(t, e); got != want {
		t.Errorf("%s:\n got %s\nwant %s", e.ID, got, want)
	}
}

func sqsQueue(logicalID, name string, s *model.SQS) *model.Resource {
	return &model.Resource{Kind: kind.SQS, LogicalID: logicalID, Name: name, Spec: s}
}

func TestSQSFIFOContentBasedDeduplication(t *testing.T) {
	p := &model.Project{}
	for _, tc := range []struct {
		name string
		r    *model.Resource
		ids  []string
		want []string
	}{
		{
			name: "FIFO: on by default, as the original; its DLQ leaves it unset",
			r: sqsQueue("OrderJobsQueue", "order-jobs.fifo", &model.SQS{FIFO: true, DLQ: true, Encryption: true,
				Visibility: 30, Retention: 345600, Receive: 3, DeletionPolicy: "Delete", BaseName: "order-jobs", ContentBasedDedup: true}),
			ids: []string{"OrderJobsQueue", "OrderJobsDLQueue"},
			want: []string{
				`{"Type":"AWS::SQS::Queue","DeletionPolicy":"Delete","UpdateReplacePolicy":"Delete","Properties":{"QueueName":"order-jobs.fifo","FifoQueue":true,"MessageRetentionPeriod":345600,"SqsManagedSseEnabled":true,"ContentBasedDeduplication":true,"VisibilityTimeout":30,"RedrivePolicy":{"deadLetterTargetArn":{"Fn::GetAtt":["OrderJobsDLQueue","Arn"]},"maxReceiveCount":3}}}`,
				`{"Type":"AWS::SQS::Queue","DeletionPolicy":"Delete","UpdateReplacePolicy":"Delete","Properties":{"QueueName":"order-jobs-dlq.fifo","FifoQueue":true,"MessageRetentionPeriod":1209600,"SqsManagedSseEnabled":true}}`,
			},
		},
		{
			name: "FIFO with content_based_deduplication=False: written as false",
			r: sqsQueue("OrderEventsQueue", "order-events.fifo", &model.SQS{FIFO: true, Encryption: true,
				Visibility: 30, Retention: 345600, Receive: 3, DeletionPolicy: "Delete", BaseName: "order-events"}),
			ids: []string{"OrderEventsQueue"},
			want: []string{
				`{"Type":"AWS::SQS::Queue","DeletionPolicy":"Delete","UpdateReplacePolicy":"Delete","Properties":{"QueueName":"order-events.fifo","FifoQueue":true,"MessageRetentionPeriod":345600,"SqsManagedSseEnabled":true,"ContentBasedDeduplication":false,"VisibilityTimeout":30}}`,
			},
		},
		{
			name: "standard queue: never written (SQS refuses it)",
			r: sqsQueue("NotificationsQueue", "notifications", &model.SQS{Encryption: true,
				Visibility: 30, Retention: 345600, Receive: 3, DeletionPolicy: "Delete", BaseName: "notifications"}),
			ids: []string{"NotificationsQueue"},
			want: []string{
				`{"Type":"AWS::SQS::Queue","DeletionPolicy":"Delete","UpdateReplacePolicy":"Delete","Properties":{"QueueName":"notifications","MessageRetentionPeriod":345600,"SqsManagedSseEnabled":true,"VisibilityTimeout":30}}`,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es := SQS(p, tc.r, tc.r.Spec.(*model.SQS))
			wantIDs(t, es, tc.ids...)
			for i, w := range tc.want {
				wantJSON(t, es[i], w)
			}
		})
	}
}

// The original drops every "Queue" / "Key" of the ID before adding the
// DLQ's or alias's suffix, not only the trailing one.
func TestCompanionIDsAreTheOriginals(t *testing.T) {
	for _, tc := range []struct{ id, dlq string }{
		{"JobsQueue", "JobsDLQueue"},
		{"EmailRetriesQueue", "EmailRetriesDLQueue"},
		{"QueueTasksQueue", "TasksDLQueue"},
		{"QueueQueue", "DLQueue"},
	} {
		r := sqsQueue(tc.id, "q", &model.SQS{DLQ: true, DeletionPolicy: "Delete"})
		if got := r.DLQID(); got != tc.dlq {
			t.Errorf("DLQID(%s) = %s, want %s", tc.id, got, tc.dlq)
		}
		es := SQS(&model.Project{}, r, r.Spec.(*model.SQS))
		wantIDs(t, es, tc.id, tc.dlq)
	}
	for _, tc := range []struct{ id, name, alias string }{
		{"OrderDataKey", "order-data", "OrderDataKeyAlias"},
		{"MiAppDatosKey", "mi-app/datos", "MiAppDatosKeyAlias"},
		{"KeyringKey", "keyring", "ringKeyAlias"},
	} {
		r := &model.Resource{Kind: kind.KMS, LogicalID: tc.id, Name: tc.name}
		k := &model.KMS{KeyUsage: "ENCRYPT_DECRYPT", KeySpec: "SYMMETRIC_DEFAULT", DeletionPolicy: "Retain"}
		es := KMS(&model.Project{}, r, k)
		wantIDs(t, es, tc.id, tc.alias)
		wantJSON(t, es[1], `{"Type":"AWS::KMS::Alias","Properties":{"AliasName":"alias/`+tc.name+`","TargetKeyId":{"Ref":"`+tc.id+`"}}}`)
	}
}

func TestAPIKeysAreTheOriginals(t *testing.T) {
	quota := 10000
	p := &model.Project{Name: "shop", Stage: "prod"}
	p.API.Keys = &model.APIKeys{}
	p.API.UsagePlan = &model.UsagePlan{Rate: 50, Burst: 10, Quota: &quota, Period: "MONTH"}
	es := APIKeys(p)
	wantIDs(t, es, "ApiKey", "UsagePlan", "UsagePlanKey")
	// No Name: the original's key has none, and a Name would replace the
	// key (and its value).
	wantJSON(t, es[0], `{"Type":"AWS::ApiGateway::ApiKey","DependsOn":["Api"],"Properties":{"Description":"API key of shop (prod), created by deployless","Enabled":true}}`)
	wantJSON(t, es[1], `{"Type":"AWS::ApiGateway::UsagePlan","Properties":{"ApiStages":[{"ApiId":{"Ref":"Api"},"Stage":{"Ref":"Api.Stage"}}],"Description":"Usage plan of shop (prod)","Throttle":{"RateLimit":50,"BurstLimit":10},"Quota":{"Limit":10000,"Period":"MONTH"}}}`)
	wantJSON(t, es[2], `{"Type":"AWS::ApiGateway::UsagePlanKey","Properties":{"KeyId":{"Ref":"ApiKey"},"KeyType":"API_KEY","UsagePlanId":{"Ref":"UsagePlan"}}}`)

	// An existing key: only the plan and the link, to the key's literal ID.
	p.API.Keys = &model.APIKeys{ExistingID: "abc123existingkeyid"}
	p.API.UsagePlan = &model.UsagePlan{Rate: 10, Burst: 5}
	es = APIKeys(p)
	wantIDs(t, es, "UsagePlan", "UsagePlanKey")
	wantJSON(t, es[1], `{"Type":"AWS::ApiGateway::UsagePlanKey","Properties":{"KeyId":"abc123existingkeyid","KeyType":"API_KEY","UsagePlanId":{"Ref":"UsagePlan"}}}`)
}

func TestFunctionDLQIsTheOriginals(t *testing.T) {
	p := &model.Project{Name: "shop", Stage: "prod", Tags: [][2]string{{"Team", "platform"}}}
	feature := &model.Feature{Name: "billing"}
	dlqOf := func(fn *model.Function) (target string, q Entry) {
		t.Helper()
		es := Function(p, fn, Options{CodeURIBase: ".dist"}, func(string) bool { return false })
		wantIDs(t, es, fn.LogicalID, fn.LogicalID+"LogGroup", fn.LogicalID+"DLQ")
		props, _ := es[0].Resource.Get("Properties")
		dlq, _ := props.(interface{ Get(string) (any, bool) }).Get("DeadLetterQueue")
		b, _ := json.Marshal(dlq)
		return string(b), es[2]
	}

	// A feature function: <Function>DLQ named ${AWS::StackName}-<feature>-dlq.
	fn := &model.Function{LogicalID: "BillingFunction", Kind: kind.Feature, Feature: feature, Memory: 256, Timeout: 30, LogRetention: 14, DLQ: true}
	if got := fn.DLQID(); got != "BillingFunctionDLQ" {
		t.Fatalf("DLQID = %s", got)
	}
	target, q := dlqOf(fn)
	if want := `{"Type":"SQS","TargetArn":{"Fn::GetAtt":["BillingFunctionDLQ","Arn"]}}`; target != want {
		t.Errorf("DeadLetterQueue = %s, want %s", target, want)
	}
	wantJSON(t, q, `{"Type":"AWS::SQS::Queue","Properties":{"QueueName":{"Fn::Sub":"${AWS::StackName}-billing-dlq"},"MessageRetentionPeriod":1209600,"SqsManagedSseEnabled":true,"Tags":[{"Key":"Team","Value":"platform"}]}}`)

	// A split inherits dlq=True (the original gives splits none): its own
	// queue, with a generated name since the feature's is taken.
	split := &model.Function{LogicalID: "ExportInvoicesFunction", Kind: kind.Split, Feature: feature, Memory: 256, Timeout: 30, LogRetention: 14, DLQ: true}
	_, q = dlqOf(split)
	wantJSON(t, q, `{"Type":"AWS::SQS::Queue","Properties":{"MessageRetentionPeriod":1209600,"SqsManagedSseEnabled":true,"Tags":[{"Key":"Team","Value":"platform"}]}}`)
}
