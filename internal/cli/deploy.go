package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/deploy"
	"github.com/deployless/deployless/internal/output"
)

func (a *app) deployCmd() *cobra.Command {
	var stage, envFile, out string
	var guided, pushSecrets, verbose bool
	var aws awsFlags
	cmd := &cobra.Command{
		Use:   "deploy [flags] [-- sam deploy arguments]",
		Short: "Check, build, then sam deploy the built zips and layers (guided when there is no samconfig.toml)",
		Long: `Deploy the project: the pre-flight checks of "deployless check", the build of
"deployless build", --push-secrets if asked, then "sam deploy" on the built zips and layers (no
"sam build": neither Docker nor the runtime's Python is needed), run
in the project folder, streaming SAM's output. The first failing step stops
the deploy; deploy exits with that step's exit code (SAM's own for sam steps).

sam deploy runs with --guided when the project folder has no samconfig.toml
(or with --guided): the wizard asks for the settings and saves them there.
Otherwise it runs non-guided with the stack <name>-<stage>, the capabilities
CAPABILITY_IAM and CAPABILITY_AUTO_EXPAND, --resolve-s3 (--no-resolve-s3 when
samconfig.toml or the extra arguments name an s3 bucket), --no-confirm-changeset
and --no-fail-on-empty-changeset. The stage is compiled into the template, so each
stage is its own stack. The region (resolved like every AWS call of deployless:
--region, AWS_REGION, the profile's) and --profile are passed to sam, which
inherits the rest of the environment (credentials, AWS_ENDPOINT_URL, ...).
Arguments after -- are appended to sam deploy's and override deployless's.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && cmd.ArgsLenAtDash() != 0 {
				return fmt.Errorf("unexpected argument %q (put sam deploy arguments after --)", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, extra []string) error {
			ctx := cmd.Context()
			// 1. check: exit 1 when any check fails.
			if err := a.preflight(ctx, compiler.Options{Stage: stage, EnvFile: envFile, SkipPackages: true}, aws, verbose); err != nil {
				return err
			}
			// 2. build: template and .dist/, as `deployless build` does,
			// under the project's build lock held until sam deploy has read
			// them (a concurrent build would swap .dist mid-upload).
			root, err := a.root()
			if err != nil {
				return err
			}
			unlock, err := output.Lock(root, true, func() {
				fmt.Fprintln(a.stderr, "deployless: waiting for another build of this project to finish")
			})
			if err != nil {
				return exitError{reportIO(a, err)}
			}
			defer unlock()
			res, err := a.buildAndWrite(ctx, buildOptions{stage: stage, envFile: envFile, out: out, verbose: verbose, locked: true})
			if err != nil {
				return err
			}
			clients, err := aws.clients(ctx)
			if err != nil {
				return a.fail(err)
			}
			// 3. secrets first: the template resolves them from SSM at deploy time.
			if pushSecrets {
				if err := a.pushSecrets(ctx, clients, res, verbose, false, false); err != nil {
					return err
				}
			}
			dir, err := a.root()
			if err != nil {
				return err
			}
			m := res.Model
			o := deploy.SAMOptions{
				Template:           out,
				StackName:          deploy.StackName(m.Name, m.Stage),
				Region:             clients.Config.Region,
				Profile:            aws.profile,
				Guided:             guided || deploy.NeedsGuided(dir, extra),
				Extra:              extra,
				S3BucketConfigured: deploy.ConfiguresS3Bucket(dir),
			}
			if o.Guided && !guided {
				fmt.Fprintf(a.stdout, "No samconfig.toml in %s: running sam deploy --guided (it asks for the deploy settings and saves them there).\n", dir)
			}
			// 4. sam deploy on the zips and layers just built (no sam
			// build: neither Docker nor the runtime's Python is needed).
			sam := deploy.SAM{Dir: dir, Stdin: a.stdin, Stdout: a.stdout, Stderr: a.stderr}
			for _, args := range [][]string{deploy.DeployArgs(o)} {
				fmt.Fprintf(a.stdout, "Running: %s\n", deploy.CommandLine(args))
				if err := sam.Run(ctx, args...); err != nil {
					var se *deploy.StepError
					if !errors.As(err, &se) {
						return a.fail(err)
					}
					fmt.Fprintf(a.stderr, "deployless: %s failed (exit %d); deploy stopped\n", se.Step, se.Code)
					return exitError{se.Code}
				}
			}
			fmt.Fprintf(a.stdout, "Deployed %s (stage %s) as stack %s in %s.\n", m.Name, m.Stage, o.StackName, o.Region)
			return nil
		},
	}
	cmd.Flags().StringVar(&stage, "stage", "", "override the stage of deployless.yaml (it is also the stack name's suffix)")
	cmd.Flags().StringVar(&envFile, "env-file", "", "read this .env file instead of deployless.yaml's env_file")
	cmd.Flags().StringVarP(&out, "output", "o", "template.yaml", "template output `PATH` (relative to the project)")
	cmd.Flags().BoolVar(&guided, "guided", false, "run sam deploy --guided even when samconfig.toml exists")
	cmd.Flags().BoolVar(&pushSecrets, "push-secrets", false, "push the env_file's SECRET_* variables to SSM before deploying")
	cmd.Flags().BoolVar(&verbose, "verbose", false, "print details of the checks, the build and the secrets pushed")
	aws.add(cmd)
	return cmd
}
