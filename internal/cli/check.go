package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/deployless/deployless/internal/awsclient"
	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/deploy"
)

func (a *app) checkCmd() *cobra.Command {
	var stage, envFile string
	var verbose bool
	var aws awsFlags
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Pre-flight checks: env file, SAM CLI, AWS credentials, existing resources",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.preflight(cmd.Context(), compiler.Options{Stage: stage, EnvFile: envFile, SkipPackages: true}, aws, verbose)
		},
	}
	cmd.Flags().StringVar(&stage, "stage", "", "override the stage of deployless.yaml")
	cmd.Flags().StringVar(&envFile, "env-file", "", "read this .env file instead of deployless.yaml's env_file")
	cmd.Flags().BoolVar(&verbose, "verbose", false, "print details of passing checks too")
	aws.add(cmd)
	return cmd
}

// preflight runs every check, prints pass/fail for each and fails (exit 1)
// when any failed. The project itself must compile first.
func (a *app) preflight(ctx context.Context, opts compiler.Options, aws awsFlags, verbose bool) error {
	res, _, err := a.compile(ctx, opts)
	if err != nil {
		return err
	}
	results := []deploy.Result{envResult(res)}
	results = append(results, deploy.SAMVersion(ctx))
	clients, err := aws.clients(ctx)
	if err != nil {
		results = append(results, deploy.Result{Name: "AWS configuration", Detail: err.Error(), Fix: "set AWS_REGION and credentials"})
		return a.report(results, verbose)
	}
	results = append(results, deploy.Credentials(ctx, clients.STS, clients.Config.Region))
	results = append(results, deploy.Existing(ctx, services(clients), res.Model.Existing)...)
	return a.report(results, verbose)
}

func services(c *awsclient.Clients) deploy.Services {
	return deploy.Services{Tables: c.DynamoDB, Buckets: c.S3, Queues: c.SQS, Keys: c.KMS, Parameters: c.SSM}
}

// envResult describes the env file; compile already failed on E27/E28.
func envResult(res *compiler.Result) deploy.Result {
	if res.Config.EnvFile == "" && len(res.Env) == 0 {
		return deploy.Result{Name: "env file", OK: true, Detail: "none configured"}
	}
	plain, secret := 0, 0
	for _, e := range res.Env {
		if e.Secret() {
			secret++
		} else {
			plain++
		}
	}
	return deploy.Result{Name: "env file", OK: true, Detail: fmt.Sprintf("%d variable(s), %d secret(s), none empty", plain, secret)}
}

// report prints each result and returns exit 1 if any failed.
func (a *app) report(results []deploy.Result, verbose bool) error {
	failed := 0
	for _, r := range results {
		if r.OK {
			fmt.Fprintf(a.stdout, "PASS  %s: %s\n", r.Name, r.Detail)
			continue
		}
		failed++
		fmt.Fprintf(a.stdout, "FAIL  %s: %s\n", r.Name, r.Detail)
		if r.Fix != "" {
			fmt.Fprintf(a.stdout, "      fix: %s\n", r.Fix)
		}
	}
	if failed > 0 {
		fmt.Fprintf(a.stderr, "%d check(s) failed\n", failed)
		return exitError{1}
	}
	if verbose {
		fmt.Fprintf(a.stdout, "All %d checks passed.\n", len(results))
	}
	return nil
}
