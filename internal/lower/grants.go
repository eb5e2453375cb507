package lower

import (
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
)

// resourceGrants are what a function may do with a resource it gets an env
// var for, as the original deployless allows: CRUD on tables and buckets,
// send and receive on queues, read on parameters. KMS keys get none: the
// seed's README says a key grants nothing until policies= does.
func resourceGrants(r *model.Resource) []model.Grant {
	switch r.Kind {
	case kind.DynamoDB, kind.S3:
		return []model.Grant{{Resource: r, Access: kind.Crud}}
	case kind.SQS:
		return []model.Grant{{Resource: r, Access: kind.Send}, {Resource: r, Access: kind.Poll}}
	case kind.SSMParameter:
		return []model.Grant{{Resource: r, Access: kind.Read}}
	}
	return nil
}

// secureGrants are the decrypt grants of the pc.SSMParam(…, secure=True)
// values in fn's env, whose bootstrap reads them. pc.SSMParam names no KMS
// key (nor did the original's), so the key is the project's secrets_kms when
// set, else SSM's AWS managed key: kms:Decrypt is allowed on that key only.
func secureGrants(fn *model.Function, secretsKMS string) []model.Grant {
	key := secretsKMS
	if key == "" {
		key = model.AWSManagedSSMKey
	}
	var out []model.Grant
	for _, e := range fn.Env {
		if v, ok := e.Value.(model.SSMParam); ok && v.Secure {
			out = append(out, model.Grant{Parameter: v.Name, Key: key, Access: kind.Decrypt})
		}
	}
	return out
}

// addGrants appends the grants that are not there already.
func addGrants(have []model.Grant, add ...model.Grant) []model.Grant {
next:
	for _, g := range add {
		for _, h := range have {
			if h == g {
				continue next
			}
		}
		have = append(have, g)
	}
	return have
}
