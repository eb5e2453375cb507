package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deployless/deployless/internal/awsclient"
	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/secrets"
)

// awsFlags are the AWS settings of the AWS-facing commands; everything else
// (credentials, AWS_ENDPOINT_URL, …) comes from the standard SDK sources.
type awsFlags struct{ profile, region string }

func (f *awsFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.profile, "profile", "", "AWS profile (default: AWS_PROFILE or the default profile)")
	cmd.Flags().StringVar(&f.region, "region", "", "AWS region (default: AWS_REGION or the profile's)")
}

func (f *awsFlags) clients(ctx context.Context) (*awsclient.Clients, error) {
	return awsclient.Load(ctx, f.profile, f.region)
}

func (a *app) secretsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "secrets", Short: "Push the env_file's SECRET_* variables to SSM Parameter Store"}
	cmd.AddCommand(a.secretsPushCmd(false), a.secretsPushCmd(true))
	return cmd
}

func (a *app) secretsPushCmd(sync bool) *cobra.Command {
	var stage, envFile string
	var verbose, yes bool
	var aws awsFlags
	use, short := "push", "Create or overwrite /{name}/{VAR} for every SECRET_* variable"
	if sync {
		use, short = "sync", "Push, then delete the SECRET_* parameters under /{name}/ that the env_file no longer has"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, _, err := a.compile(cmd.Context(), compiler.Options{Stage: stage, EnvFile: envFile, SkipPackages: true})
			if err != nil {
				return err
			}
			clients, err := aws.clients(cmd.Context())
			if err != nil {
				return a.fail(err)
			}
			return a.pushSecrets(cmd.Context(), clients, res, verbose, sync, yes)
		},
	}
	cmd.Flags().StringVar(&stage, "stage", "", "override the stage of deployless.yaml")
	cmd.Flags().StringVar(&envFile, "env-file", "", "read this .env file instead of deployless.yaml's env_file")
	cmd.Flags().BoolVar(&verbose, "verbose", false, "list every parameter written (names only)")
	if sync {
		cmd.Flags().BoolVarP(&yes, "yes", "y", false, "delete orphans without asking")
	}
	aws.add(cmd)
	return cmd
}

// pushSecrets pushes, and with sync deletes orphans after confirmation.
func (a *app) pushSecrets(ctx context.Context, c *awsclient.Clients, res *compiler.Result, verbose, sync, yes bool) error {
	name, kms := res.Config.Name, res.Config.SecretsKMS
	n := 0
	for _, e := range res.Env {
		if e.Secret() {
			n++
		}
	}
	if res.Config.EnvFile == "" && n == 0 && len(res.Env) == 0 {
		fmt.Fprintln(a.stdout, "No env_file configured (deployless.yaml env_file, or --env-file): nothing to push.")
	}
	pushed, err := secrets.Push(ctx, c.SSM, name, res.Env, kms)
	if verbose {
		for _, p := range pushed {
			kind := "String"
			if kms != "" {
				kind = "SecureString"
			}
			fmt.Fprintf(a.stdout, "  pushed %s (%s)\n", p, kind)
		}
	}
	if err != nil {
		return a.fail(err)
	}
	fmt.Fprintf(a.stdout, "Pushed %d secret(s) to %s in %s.\n", len(pushed), secrets.Prefix(name), c.Config.Region)
	if !sync {
		return nil
	}
	orphans, err := secrets.Orphans(ctx, c.SSM, name, res.Env)
	if err != nil {
		return a.fail(err)
	}
	if len(orphans) == 0 {
		fmt.Fprintln(a.stdout, "No orphaned parameters.")
		return nil
	}
	fmt.Fprintf(a.stdout, "%d orphaned parameter(s) no longer in the env file:\n", len(orphans))
	for _, o := range orphans {
		fmt.Fprintf(a.stdout, "  %s\n", o)
	}
	if !yes && !a.confirm("Delete them? [y/N] ") {
		fmt.Fprintln(a.stdout, "Kept them (pass --yes to delete without asking).")
		return nil
	}
	if err := secrets.Delete(ctx, c.SSM, name, orphans); err != nil {
		return a.fail(err)
	}
	fmt.Fprintf(a.stdout, "Deleted %d orphaned parameter(s).\n", len(orphans))
	return nil
}

// confirm asks on stdout and reads one answer from stdin (no stdin: no).
func (a *app) confirm(prompt string) bool {
	fmt.Fprint(a.stdout, prompt)
	line, _ := bufio.NewReader(a.stdin).ReadString('\n')
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes"
}

// fail prints an operational error and exits 1.
func (a *app) fail(err error) error {
	fmt.Fprintf(a.stderr, "deployless: %v\n", err)
	return exitError{1}
}
