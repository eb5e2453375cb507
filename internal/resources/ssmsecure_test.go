package resources

import (
	"encoding/json"
	"testing"

	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
)

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A SecureString parameter's env value is the bootstrap's marker, with the
// version when one is pinned; never a {{resolve:ssm-secure:…}} reference.
func TestSecureSSMParamEnvValue(t *testing.T) {
	three := 3
	got := jsonOf(t, EnvVars([]model.EnvVar{
		{Name: "DB_PASSWORD", Value: model.SSMParam{Name: "/app/db/password", Secure: true}},
		{Name: "API_KEY", Value: model.SSMParam{Name: "/app/api/key", Version: &three, Secure: true}},
		{Name: "DB_HOST", Value: model.SSMParam{Name: "/app/db/host", Version: &three}},
		{Name: "PLAIN", Value: model.SSMParam{Name: "/app/plain"}},
	}))
	want := `{"DB_PASSWORD":"deployless-ssm-secure:/app/db/password","API_KEY":"deployless-ssm-secure:/app/api/key:3",` +
		`"DB_HOST":"{{resolve:ssm:/app/db/host:3}}","PLAIN":"{{resolve:ssm:/app/plain}}"}`
	if got != want {
		t.Errorf("env:\n got %s\nwant %s", got, want)
	}
}

const (
	via         = `"StringEquals":{"kms:ViaService":{"Fn::Sub":"ssm.${AWS::Region}.${AWS::URLSuffix}"}}`
	accountKeys = `{"Fn::Sub":"arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*"}`
)

func paramARN(name string) string {
	return `{"Fn::Sub":"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/` + name + `"}`
}

func decrypt(key string) model.Grant {
	return model.Grant{Parameter: "/app/db/password", Key: key, Access: kind.Decrypt}
}

// The decrypt policy: GetParameters on exactly the parameters' ARNs (each
// once), kms:Decrypt through SSM only, on the key the parameters are
// encrypted with.
func TestDecryptPolicy(t *testing.T) {
	table := &model.Resource{Kind: kind.DynamoDB, LogicalID: "OrdersTable", Name: "orders"}
	for _, tc := range []struct {
		name   string
		grants []model.Grant
		want   string
	}{
		{
			name:   "pc.SSMParam secure without secrets_kms: SSM's AWS managed key only",
			grants: []model.Grant{decrypt(model.AWSManagedSSMKey), {Resource: table, Access: kind.Crud}},
			want: `[{"Version":"2012-10-17","Statement":[` +
				`{"Effect":"Allow","Action":["ssm:GetParameters"],"Resource":[` + paramARN("app/db/password") + `]},` +
				`{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":` + accountKeys + `,"Condition":{` + via +
				`,"ForAnyValue:StringEquals":{"kms:ResourceAliases":"alias/aws/ssm"}}}]},` +
				`{"DynamoDBCrudPolicy":{"TableName":{"Ref":"OrdersTable"}}}]`,
		},
		{
			name: "env file secret and pc.SSMParam of the same parameter: one ARN, one kms statement on any key (the env file's)",
			grants: []model.Grant{
				{Parameter: "/app/SECRET_A", Access: kind.Decrypt},
				{Parameter: "/app/db/password", Access: kind.Decrypt},
				decrypt("alias/app-secrets"),
				{Parameter: "/app/other", Key: "alias/app-secrets", Access: kind.Decrypt},
			},
			want: `[{"Version":"2012-10-17","Statement":[` +
				`{"Effect":"Allow","Action":["ssm:GetParameters"],"Resource":[` + paramARN("app/SECRET_A") + `,` +
				paramARN("app/db/password") + `,` + paramARN("app/other") + `]},` +
				`{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":"*","Condition":{` + via + `}}]}]`,
		},
		{
			name:   "secrets_kms alias: the keys that carry it",
			grants: []model.Grant{decrypt("alias/app-secrets")},
			want: `[{"Version":"2012-10-17","Statement":[` +
				`{"Effect":"Allow","Action":["ssm:GetParameters"],"Resource":[` + paramARN("app/db/password") + `]},` +
				`{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":` + accountKeys + `,"Condition":{` + via +
				`,"ForAnyValue:StringEquals":{"kms:ResourceAliases":"alias/app-secrets"}}}]}]`,
		},
		{
			name:   "secrets_kms key ARN: that key",
			grants: []model.Grant{decrypt("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")},
			want: `[{"Version":"2012-10-17","Statement":[` +
				`{"Effect":"Allow","Action":["ssm:GetParameters"],"Resource":[` + paramARN("app/db/password") + `]},` +
				`{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","Condition":{` + via + `}}]}]`,
		},
		{
			name:   "secrets_kms alias ARN: the keys of that account and region that carry the alias",
			grants: []model.Grant{decrypt("arn:aws:kms:eu-west-1:111122223333:alias/app/secrets")},
			want: `[{"Version":"2012-10-17","Statement":[` +
				`{"Effect":"Allow","Action":["ssm:GetParameters"],"Resource":[` + paramARN("app/db/password") + `]},` +
				`{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":"arn:aws:kms:eu-west-1:111122223333:key/*","Condition":{` + via +
				`,"ForAnyValue:StringEquals":{"kms:ResourceAliases":"alias/app/secrets"}}}]}]`,
		},
		{
			name:   "secrets_kms key ID: that key of this account and region",
			grants: []model.Grant{decrypt("1234abcd-12ab-34cd-56ef-1234567890ab")},
			want: `[{"Version":"2012-10-17","Statement":[` +
				`{"Effect":"Allow","Action":["ssm:GetParameters"],"Resource":[` + paramARN("app/db/password") + `]},` +
				`{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":{"Fn::Sub":"arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab"},"Condition":{` + via + `}}]}]`,
		},
		{
			name:   "no decrypt grant: no policy document",
			grants: []model.Grant{{Resource: table, Access: kind.Crud}},
			want:   `[{"DynamoDBCrudPolicy":{"TableName":{"Ref":"OrdersTable"}}}]`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := jsonOf(t, policies(&model.Function{Grants: tc.grants})); got != tc.want {
				t.Errorf("policies:\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}
