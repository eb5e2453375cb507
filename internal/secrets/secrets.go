// Package secrets pushes the env_file's SECRET_* variables to SSM Parameter
// Store as /{project}/{VAR} and finds and deletes the orphans of that
// prefix. It never touches a parameter outside /{project}/ nor one whose
// name does not start with SECRET_, and never prints a value.
package secrets

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/deployless/deployless/internal/envfile"
	"github.com/deployless/deployless/internal/model"
)

// SSM is the part of the SSM API this package uses.
type SSM interface {
	PutParameter(ctx context.Context, in *ssm.PutParameterInput, opts ...func(*ssm.Options)) (*ssm.PutParameterOutput, error)
	GetParametersByPath(ctx context.Context, in *ssm.GetParametersByPathInput, opts ...func(*ssm.Options)) (*ssm.GetParametersByPathOutput, error)
	DeleteParameters(ctx context.Context, in *ssm.DeleteParametersInput, opts ...func(*ssm.Options)) (*ssm.DeleteParametersOutput, error)
}

// DeleteBatch is SSM's limit of names per DeleteParameters call.
const DeleteBatch = 10

// Prefix is the folder of a project's secrets.
func Prefix(project string) string { return model.SecretPrefix(project) }

// Name is the parameter of one secret.
func Name(project, key string) string { return model.SecretParameter(project, key) }

// Push creates or overwrites every SECRET_* entry: a String, or a
// SecureString encrypted with kmsKey when one is configured. It returns the
// parameter names written, in env_file order.
func Push(ctx context.Context, client SSM, project string, entries []envfile.Entry, kmsKey string) ([]string, error) {
	var pushed []string
	for _, e := range entries {
		if !e.Secret() {
			continue
		}
		in := &ssm.PutParameterInput{
			Name:      aws.String(Name(project, e.Key)),
			Value:     aws.String(e.Value),
			Type:      types.ParameterTypeString,
			Overwrite: aws.Bool(true),
		}
		if kmsKey != "" {
			in.Type, in.KeyId = types.ParameterTypeSecureString, aws.String(kmsKey)
		}
		if _, err := client.PutParameter(ctx, in); err != nil {
			// The SDK's error names the parameter, never the value.
			return pushed, fmt.Errorf("put %s: %w", *in.Name, err)
		}
		pushed = append(pushed, *in.Name)
	}
	return pushed, nil
}

// Orphans lists the SECRET_* parameters directly under /{project}/ that the
// env_file no longer has, sorted. It pages through GetParametersByPath.
func Orphans(ctx context.Context, client SSM, project string, entries []envfile.Entry) ([]string, error) {
	keep := map[string]bool{}
	for _, e := range entries {
		if e.Secret() {
			keep[Name(project, e.Key)] = true
		}
	}
	var out []string
	in := &ssm.GetParametersByPathInput{Path: aws.String(strings.TrimSuffix(Prefix(project), "/")), Recursive: aws.Bool(false), MaxResults: aws.Int32(10)}
	for {
		page, err := client.GetParametersByPath(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", Prefix(project), err)
		}
		for _, p := range page.Parameters {
			name := aws.ToString(p.Name)
			rest, under := strings.CutPrefix(name, Prefix(project))
			if !under || strings.Contains(rest, "/") || !strings.HasPrefix(rest, envfile.SecretPrefix) || keep[name] {
				continue
			}
			out = append(out, name)
		}
		if page.NextToken == nil || *page.NextToken == "" {
			break
		}
		in.NextToken = page.NextToken
	}
	sort.Strings(out)
	return out, nil
}

// Delete removes the named parameters in batches of at most DeleteBatch
// (AWS rejects more in one call). Names outside /{project}/ are refused.
func Delete(ctx context.Context, client SSM, project string, names []string) error {
	for _, n := range names {
		if !strings.HasPrefix(n, Prefix(project)) {
			return fmt.Errorf("refusing to delete %s: it is outside %s", n, Prefix(project))
		}
	}
	for start := 0; start < len(names); start += DeleteBatch {
		end := min(start+DeleteBatch, len(names))
		out, err := client.DeleteParameters(ctx, &ssm.DeleteParametersInput{Names: names[start:end]})
		if err != nil {
			return fmt.Errorf("delete %s…: %w", names[start], err)
		}
		if len(out.InvalidParameters) > 0 {
			return fmt.Errorf("could not delete %s", strings.Join(out.InvalidParameters, ", "))
		}
	}
	return nil
}
