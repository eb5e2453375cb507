package diag

// Code identifies a kind of problem. Codes are appended, never renumbered:
// E00–E29 come from the original deployless, E30 upward are ours. Every code
// has an entry in Codes with a summary and an example; a test compiles each
// example fixture (testdata/codes/<code>/) and checks that it yields exactly
// that code, and the README table is generated from this list.
type Code string

const (
	E00 Code = "E00" // resource validation
	E01 Code = "E01" // stage not alphanumeric
	E02 Code = "E02" // api.endpoint_type invalid
	E03 Code = "E03" // globals.log_retention invalid
	E04 Code = "E04" // allow_credentials with allow_origin "*"
	E05 Code = "E05" // memory out of range
	E06 Code = "E06" // timeout out of range
	E07 Code = "E07" // duplicate route
	E08 Code = "E08" // invalid schedule expression
	E09 Code = "E09" // unsupported runtime
	E10 Code = "E10" // routes.py problem
	E11 Code = "E11" // api.auth.type invalid
	E12 Code = "E12" // cognito user_pool_arn missing
	E13 Code = "E13" // lambda authorizer function_arn missing
	E14 Code = "E14" // usage_plan rate/burst missing
	E15 Code = "E15" // usage_plan period missing with quota
	E16 Code = "E16" // usage_plan period invalid
	E17 Code = "E17" // domain name/certificate missing
	E18 Code = "E18" // minimum_compression_size invalid
	E19 Code = "E19" // ephemeral_storage out of range
	E20 Code = "E20" // reserved_concurrency < 0
	E21 Code = "E21" // provisioned_concurrency < 1
	E22 Code = "E22" // feature log_retention invalid
	E23 Code = "E23" // alarms.sns_topic_arn invalid
	E24 Code = "E24" // alarms.duration.threshold_pct out of range
	E25 Code = "E25" // lambda_function memory out of range
	E26 Code = "E26" // lambda_function timeout out of range
	E27 Code = "E27" // env_file missing
	E28 Code = "E28" // SECRET_ variable empty
	E29 Code = "E29" // secrets_kms invalid
	E30 Code = "E30" // deployless.yaml invalid (syntax, unknown key, wrong type)
	E31 Code = "E31" // Python syntax error
	E32 Code = "E32" // project layout problem
	E33 Code = "E33" // two things map to one logical ID
	E34 Code = "E34" // route rule cannot be expressed in API Gateway
	E35 Code = "E35" // api.usage_plan without api.api_keys
	E36 Code = "E36" // env_file line is not KEY=VALUE
	E37 Code = "E37" // project name reserved by SSM for secrets
	E38 Code = "E38" // project name unusable as a stack name and SSM path
	E39 Code = "E39" // template over CloudFormation's size limit
	E40 Code = "E40" // environment variable name Lambda rejects
	E41 Code = "E41" // a function's environment over Lambda's 4 KB
	E42 Code = "E42" // a shipped module imports project code its package lacks
	E43 Code = "E43" // a dependency layer cannot be built (uv missing or failing)
	E44 Code = "E44" // a requirement has no wheel for the function's Lambda platform
	E45 Code = "E45" // more layers than Lambda allows per function
	E46 Code = "E46" // a function's code and layers unzipped over Lambda's 250 MB
	W01 Code = "W01" // os.getenv/os.environ unset at build time
	W02 Code = "W02" // stack over CloudFormation's resource limit
	W03 Code = "W03" // a folder of the features folder cannot be a feature
	W04 Code = "W04" // a SECRET_* key in deployless.yaml env: (plaintext)
	W05 Code = "W05" // an app-wide hook on a feature's Blueprint
	W06 Code = "W06" // requirements not pinned to exact versions (layer not reproducible)
)

// Info documents one code.
type Info struct {
	Code    Code
	Summary string
	Example string // a one-line example of the rendered message
	Issue   string // empty when implemented; otherwise what is still to come
}

// Codes lists every code in order. Keep it in sync with the constants above.
var Codes = []Info{
	{E00, "Resource declaration invalid (DynamoDB keys/GSIs/billing/stream, S3 bucket name, SQS name and ranges, KMS alias/usage/spec/rotation, SSM name/type/value, SSMParam secure name and version)", "app/features/files/routes.py:3:8: E00 S3 \"my_bucket\": bucket name must not contain underscores (S3 names are DNS names)", ""},
	{E01, "stage may only contain letters and digits", "deployless.yaml:3:8: E01 stage must be alphanumeric, got \"dev-1\"", ""},
	{E02, "api.endpoint_type must be REGIONAL, EDGE or PRIVATE", "deployless.yaml:12:18: E02 api.endpoint_type must be REGIONAL, EDGE or PRIVATE, got \"GLOBAL\"", ""},
	{E03, "globals.log_retention must be a CloudWatch retention value", "deployless.yaml:9:18: E03 globals.log_retention must be one of 1, 3, 5, …, got 15", ""},
	{E04, "api.cors.allow_credentials: true cannot be combined with allow_origin \"*\"", "deployless.yaml:16:26: E04 allow_credentials: true is not compatible with allow_origin \"*\"", ""},
	{E05, "memory must be 128–10240 MB (globals, configure, route, cron)", "app/features/user/routes.py:4:12: E05 memory must be 128–10240 MB, got 64", ""},
	{E06, "timeout must be 1–900 s (globals, configure, route, cron)", "app/features/user/routes.py:4:12: E06 timeout must be 1–900 s, got 901", ""},
	{E07, "the same METHOD + path is routed twice in the project", "app/features/b/routes.py:8:2: E07 duplicate route GET /users (first declared at app/features/a/routes.py:6:2)", ""},
	{E08, "schedule must be rate(N unit) or cron(6 fields)", "app/features/user/routes.py:9:20: E08 invalid schedule expression \"every day\"", ""},
	{E09, "globals.runtime must be a supported Python Lambda runtime", "deployless.yaml:7:12: E09 unsupported runtime \"python2.7\"", ""},
	{E10, "routes.py problem: no Blueprint/route, unknown argument, value that cannot be evaluated statically", "app/features/user/routes.py:5:3: E10 configure() has no parameter \"memroy\"", ""},
	{E11, "api.auth.type must be cognito, lambda or iam", "deployless.yaml:14:11: E11 api.auth.type must be cognito, lambda or iam", ""},
	{E12, "api.auth (cognito): user_pool_arn is required", "deployless.yaml:13:5: E12 api.auth (cognito): user_pool_arn is required", ""},
	{E13, "api.auth (lambda): function_arn is required", "deployless.yaml:13:5: E13 api.auth (lambda): function_arn is required", ""},
	{E14, "api.usage_plan: rate and burst are required", "deployless.yaml:20:5: E14 api.usage_plan: rate and burst are required", ""},
	{E15, "api.usage_plan: period is required when quota is set", "deployless.yaml:20:5: E15 api.usage_plan: period is required if quota is set", ""},
	{E16, "api.usage_plan.period must be DAY, WEEK or MONTH", "deployless.yaml:23:13: E16 api.usage_plan.period must be DAY, WEEK or MONTH", ""},
	{E17, "api.domain: domain_name and certificate_arn are required", "deployless.yaml:25:5: E17 api.domain: certificate_arn is required", ""},
	{E18, "api.minimum_compression_size must be an integer >= 0", "deployless.yaml:30:29: E18 api.minimum_compression_size must be an integer >= 0", ""},
	{E19, "ephemeral_storage must be 512–10240 MB", "app/features/user/routes.py:12:5: E19 ephemeral_storage must be 512–10240 MB, got 256", ""},
	{E20, "reserved_concurrency must be >= 0", "app/features/user/routes.py:6:5: E20 reserved_concurrency must be >= 0, got -1", ""},
	{E21, "provisioned_concurrency must be >= 1", "app/features/user/routes.py:7:5: E21 provisioned_concurrency must be >= 1, got 0", ""},
	{E22, "log_retention in configure() must be a CloudWatch retention value", "app/features/user/routes.py:8:5: E22 log_retention must be one of 1, 3, 5, …, got 15", ""},
	{E23, "alarms.sns_topic_arn must be an ARN (arn:…)", "deployless.yaml:40:18: E23 alarms.sns_topic_arn must start with arn:", ""},
	{E24, "alarms.duration.threshold_pct must be 1–100", "deployless.yaml:44:20: E24 alarms.duration.threshold_pct must be between 1 and 100", ""},
	{E25, "lambda_function memory must be 128–10240 MB", "app/features/jobs/routes.py:5:19: E25 lambda_function memory must be 128–10240 MB, got 64", ""},
	{E26, "lambda_function timeout must be 1–900 s", "app/features/jobs/routes.py:5:31: E26 lambda_function timeout must be 1–900 s, got 1000", ""},
	{E27, "env_file does not exist", "deployless.yaml:30:11: E27 env_file \".env.prod\" does not exist", ""},
	{E28, "SECRET_ variable with an empty value", ".env:4:1: E28 SECRET_DB_PASSWORD is empty", ""},
	{E29, "secrets_kms must be an alias, key ID or ARN", "deployless.yaml:31:14: E29 invalid secrets_kms \"my key\"", ""},
	{E30, "deployless.yaml is not valid: YAML syntax, unknown key or wrong type", "deployless.yaml:8:3: E30 unknown key \"memroy\" in globals (expected one of runtime, memory, timeout, log_retention)", ""},
	{E31, "Python syntax error in a routes.py or a module it imports", "app/features/user/routes.py:14:1: E31 syntax error: unexpected \")\"", ""},
	{E32, "project layout problem: no deployless.yaml, no features directory, no features", "E32 no deployless.yaml in /path/to/project", ""},
	{E33, "two functions or resources map to the same logical ID", "app/features/b/routes.py:9:1: E33 logical ID ExportFunction is already used (by app/features/a/routes.py:7:1)", ""},
	{E34, "route rule cannot be expressed as an API Gateway path", "app/features/files/routes.py:6:10: E34 <path:…> converter must be the last segment of \"/files/<path:p>/meta\"", ""},
	{E35, "api.usage_plan without api.api_keys has no effect", "deployless.yaml:12:3: E35 api.usage_plan has no effect without api.api_keys (usage plans throttle requests made with their API keys)", ""},
	{E36, "env_file line is not KEY=VALUE (the line itself is never printed: it may hold a secret)", ".env:3:1: E36 expected KEY=VALUE (a key of letters, digits and _)", ""},
	{E37, "project name starts with aws or ssm while the env_file has secrets: SSM reserves those prefixes", "deployless.yaml:1:7: E37 project name \"aws-tools\" starts with \"aws\": SSM Parameter Store reserves that prefix, so the secrets cannot be stored under /aws-tools/; rename the project", ""},
	{E38, "project name must be a letter then letters, digits or hyphens (it names the stack and the SSM folder), and name-stage at most 128 characters", "deployless.yaml:1:7: E38 project name \"my app\" must start with a letter and hold only letters, digits and hyphens", ""},
	{E39, "template larger than CloudFormation accepts (1 MB, uploaded through S3)", "E39 the template is 1.4 MB, over CloudFormation's limit of 1 MB (1,048,576 bytes): split the project or reduce repeated settings", ""},
	{E40, "environment variable name that Lambda rejects: reserved (AWS_REGION, AWS_LAMBDA_*, _HANDLER, LAMBDA_TASK_ROOT, …) or not a letter then at least one letter, digit or _", "deployless.yaml:9:3: E40 environment variable AWS_REGION is reserved by Lambda (the runtime sets it): rename it", ""},
	{E41, "a function's environment variables exceed Lambda's 4 KB (names and values together, measured as Lambda does: as a JSON object)", "app/features/user/routes.py:4:1: E41 UserFunction's environment is 4,310 bytes, over Lambda's limit of 4,096: move large values out of the environment (SSM parameters, files in the package)", ""},
	{E42, "a packaged module imports project code its package does not ship (another feature's module), at module level or inside a function", "app/features/billing/routes.py:3:1: E42 app/features/billing/routes.py, in feature billing, imports app.features.users.models, but that is feature users's code, which only users's functions ship; move what both use to the app package or app/shared …", ""},
	{E43, "a dependency layer cannot be built: uv missing or older than the minimum, an unsupported requirement line, uv failing", "requirements.txt:1:1: E43 uv is not on PATH: install it (pip install uv==0.13.9, or https://docs.astral.sh/uv/) to build the dependency layers", ""},
	{E44, "a requirement has no wheel for the function's Lambda platform (deployless never builds sdists)", "requirements.txt:3:1: E44 numpy==1.26.4 has no wheel for python3.13 on aarch64-manylinux_2_34: pin a version that publishes one", ""},
	{E45, "a function has more layers than Lambda's 5 (layers= plus the dependency layer)", "app/features/user/routes.py:4:14: E45 layers= lists 5 layers, which with the dependency layer deployless adds (DepsLayer) makes 6; Lambda allows at most 5 per function: merge some, or put their packages in requirements.txt", ""},
	{E46, "a function's code and dependency layer unzipped exceed Lambda's 262,144,000 bytes", "app/features/ml/routes.py:1:1: E46 MlFunction unzipped is 301234567 bytes (code 20480, MlDepsLayer 301214087), over Lambda's limit of 262144000 bytes for a function's code and layers: …", ""},
	{W01, "os.getenv()/os.environ value unset at build time and without default (evaluates to None)", "app/features/auth/routes.py:5:30: W01 os.getenv(\"KEY_ID\") is unset and has no default; it evaluates to None", ""},
	{W02, "the stack will exceed CloudFormation's 500 resources (after the SAM transform) or 200 outputs (the build still succeeds)", "deployless.yaml: warning: W02 the stack will hold about 612 resources after the SAM transform, over CloudFormation's limit of 500 per stack: …", ""},
	{W03, "a folder of the features folder holds a routes.py but cannot be a feature (a dot in its name)", "app/features/v1.2/routes.py:1:1: warning: W03 folder app/features/v1.2 cannot be a feature: a dot in its name makes it no Python package (rename it)", ""},
	{W04, "a SECRET_* key written under env: in deployless.yaml is plaintext in the template: move it to the env_file", "deployless.yaml:10:3: warning: W04 SECRET_API_KEY under env: is plaintext in template.yaml; put it in the env_file, which stores it in SSM", ""},
	{W05, "an app-wide hook on a feature's Blueprint (before_app_request, app_errorhandler, app_context_processor…) runs only in that feature's functions", "app/features/main/routes.py:12:2: warning: W05 bp.before_app_request acts on the whole app but runs only in the functions of this feature (the others do not ship its code); register it in the app factory or an init_app hook so every function has it", ""},
	{W06, "requirements not pinned to exact versions: the dependency layer can change between builds", "requirements.txt:2:1: warning: W06 flask>=3 is not pinned to an exact version; pin it (uv pip compile requirements.txt …)", ""},
}
