// Package resources builds the CloudFormation body of each kind of thing in
// the model: one file per kind (function, api, log group, DynamoDB, …). Each
// builder returns (logical ID, resource) pairs; package template orders and
// encodes them.
package resources

import "github.com/deployless/deployless/internal/cfn"

// Entry is one resource of the template.
type Entry struct {
	ID       string
	Resource *cfn.Map
}

// Options affect how resources point at the packages.
type Options struct {
	// CodeURIBase is the path from the template's folder to the .dist folder
	// (".dist" when the template sits at the project root).
	CodeURIBase string
}

func resource(typ string) *cfn.Map { return cfn.NewMap().Set("Type", typ) }

func strs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
