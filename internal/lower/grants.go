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
