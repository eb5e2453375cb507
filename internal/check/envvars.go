package check

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/deployless/deployless/internal/config"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/source"
)

// secretPrefix marks the env file's variables that go to SSM Parameter Store
// (envfile.SecretPrefix, which this stage does not import).
const secretPrefix = "SECRET_"

// MaxEnvBytes is Lambda's limit on a function's environment variables, all
// of them together ("Environment variable size: 4 KB", not adjustable).
const MaxEnvBytes = 4096

// ReservedEnvNames are the keys Lambda sets itself and refuses in a
// function's configuration (Lambda developer guide, "Defined runtime
// environment variables"; cfn-lint E3663's list). TZ used to be reserved and
// is settable today, so it is not here. Every other AWS_LAMBDA_* is treated
// as reserved too (reservedEnvName), since Lambda adds its runtime variables
// under that prefix.
var ReservedEnvNames = []string{
	"_HANDLER", "_X_AMZN_TRACE_ID",
	"AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
	"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
	"AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
}

// settableLambdaNames are the AWS_LAMBDA_* names Lambda documents for users to
// set: AWS_LAMBDA_EXEC_WRAPPER starts the runtime through a wrapper script
// ("Modifying the runtime environment"), as the Lambda Web Adapter and
// monitoring layers require.
var settableLambdaNames = []string{"AWS_LAMBDA_EXEC_WRAPPER"}

// envNameRe is the key pattern of Lambda's Environment API
// ([a-zA-Z]([a-zA-Z0-9_])+): a letter, then at least one letter, digit or
// underscore. A one-letter name is refused too.
var envNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]+$`)

// reservedEnvName reports whether Lambda reserves name.
func reservedEnvName(name string) bool {
	for _, r := range ReservedEnvNames {
		if name == r {
			return true
		}
	}
	for _, s := range settableLambdaNames {
		if name == s {
			return false
		}
	}
	return strings.HasPrefix(name, "AWS_LAMBDA_")
}

// envNameProblem says why Lambda refuses name ("is reserved …"), "" when it
// accepts it. Names are safe to print; values never are (the env file's may
// be secrets).
func envNameProblem(name string) string {
	switch {
	case reservedEnvName(name):
		return "is reserved by Lambda (the runtime sets it)"
	case !envNameRe.MatchString(name):
		return "is not accepted by Lambda (a name is a letter, then at least one more letter, digit or _)"
	}
	return ""
}

// quoteEnvName prints a name of letters, digits and _ as it is and any
// other quoted, so that spaces, dots or control characters show.
func quoteEnvName(name string) string {
	if wordRe.MatchString(name) {
		return name
	}
	return strconv.Quote(name)
}

var wordRe = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// EnvVars applies Lambda's rules on environment variables: names it
// refuses (E40) wherever they were written, SECRET_* written in plain under
// deployless.yaml's env: (W04), and each function's total size (E41).
func EnvVars(c *config.Config, p *model.Project) diag.List {
	var d diag.List
	type at struct {
		span source.Span
		name string
	}
	seen := map[at]bool{}
	name := func(v model.EnvVar, span source.Span) {
		k := at{span, v.Name}
		if seen[k] {
			return // a feature's env is copied into each of its functions
		}
		seen[k] = true
		if why := envNameProblem(v.Name); why != "" {
			d.Add(diag.E40, span, "environment variable %s %s: rename it", quoteEnvName(v.Name), why)
		}
	}

	// deployless.yaml's env: read from the config, at each key, since an
	// env_file entry of the same name replaces it in the model.
	cfgPath := c.Span("env").Path
	global := map[string]model.EnvValue{}
	for _, v := range p.Env {
		global[v.Name] = v.Value
	}
	for _, kv := range c.Env {
		span := c.KeySpan("env." + kv.Key)
		name(model.EnvVar{Name: kv.Key}, span)
		if strings.HasPrefix(kv.Key, secretPrefix) {
			if _, ssm := global[kv.Key].(model.SSMParam); ssm {
				d.Warn(diag.W04, span, "%s under env: is plaintext in deployless.yaml (the env_file's %s replaces it); remove it from env:", kv.Key, kv.Key)
			} else {
				d.Warn(diag.W04, span, "%s under env: is plaintext in template.yaml; put it in the env_file, which stores it in SSM", kv.Key)
			}
		}
	}
	// The env file's entries (and APP_STAGE); env: entries are done above.
	for _, v := range p.Env {
		if v.Span.Path != cfgPath || cfgPath == "" {
			name(v, v.Span)
		}
	}
	refused := map[*model.Resource]bool{}
	for _, fn := range p.Functions {
		for _, v := range fn.Env {
			r := injectedBy(v)
			if r == nil {
				name(v, v.Span)
				continue
			}
			k := at{v.Span, v.Name}
			if seen[k] {
				continue
			}
			seen[k] = true
			if _, done := refused[r]; !done {
				refused[r] = declarationRefused(r)
			}
			if why := envNameProblem(v.Name); why != "" && !refused[r] {
				d.Add(diag.E40, v.Span, "%s %q gives its functions the environment variable %s, which %s: %s", r.Kind, r.Name, quoteEnvName(v.Name), why, envVarHint(r))
			}
		}
	}

	// E41. Globals' variables reach every function (SAM merges them with
	// the function's own, which win on a shared name).
	if n := envSize(p.Env); n > MaxEnvBytes {
		span := c.KeySpan("env")
		if !c.Has("env") && c.Has("env_file") {
			span = c.KeySpan("env_file")
		}
		e := d.Add(diag.E41, span, "the global environment (env: and the env_file) is %s bytes, over Lambda's limit of %s for each function: move large values out of the environment (SSM parameters, files in the package)", thousands(n), thousands(MaxEnvBytes))
		largestNote(e, p.Env)
		return d
	}
	for _, fn := range p.Functions {
		env := mergedEnv(p.Env, fn.Env)
		if n := envSize(env); n > MaxEnvBytes {
			e := d.Add(diag.E41, fn.Span, "%s's environment is %s bytes, over Lambda's limit of %s: move large values out of the environment (SSM parameters, files in the package)", fn.LogicalID, thousands(n), thousands(MaxEnvBytes))
			largestNote(e, env)
		}
	}
	return d
}

// injectedBy is the resource whose declaration put v into a function's
// environment (its table name, queue URL, …), nil for a variable the user
// named.
func injectedBy(v model.EnvVar) *model.Resource {
	ref, ok := v.Value.(model.Ref)
	if !ok || ref.Resource == nil || ref.Attr != "" || ref.Resource.EnvVar != v.Name || ref.Resource.Span != v.Span {
		return nil
	}
	return ref.Resource
}

// declarationRefused reports whether r's declaration already has an E00:
// its env var name derives from the name that E00 refuses, so it is
// reported once the declaration is fixed, not as a second error on it.
func declarationRefused(r *model.Resource) bool {
	one := &model.Project{Resources: []*model.Resource{r}}
	if r.Existing {
		one = &model.Project{Existing: []*model.Resource{r}}
	}
	return len(Resources(one)) > 0
}

// envVarHint says how to get another name: KMS takes env_var=, the others
// derive it from the resource's name.
func envVarHint(r *model.Resource) string {
	if r.Kind == kind.KMS {
		return "pass another env_var="
	}
	return "rename the resource"
}

// mergedEnv is what Lambda receives: the globals, then the function's own
// variables replacing those of the same name.
func mergedEnv(global, own []model.EnvVar) []model.EnvVar {
	out := append([]model.EnvVar(nil), global...)
	for _, v := range own {
		replaced := false
		for i := range out {
			if out[i].Name == v.Name {
				out[i], replaced = v, true
				break
			}
		}
		if !replaced {
			out = append(out, v)
		}
	}
	return out
}

// largestNote points at the largest variable, by name only.
func largestNote(e *diag.Diagnostic, env []model.EnvVar) {
	best, size := -1, 0
	for i, v := range env {
		if n := jsonLen(v.Name) + jsonLen(envValueText(v.Value)); n > size {
			best, size = i, n
		}
	}
	if best >= 0 && !env[best].Span.IsZero() {
		e.Note(env[best].Span, "the largest variable is %s (%s bytes)", env[best].Name, thousands(size))
	}
}

// envSize is the size Lambda measures: the variables as a compact JSON
// object, {"NAME":"value",…}, in bytes (its refusal quotes that string as
// "String measured"). Names and values count with their quotes, the colon,
// the commas and the braces, escapes as written in JSON, other characters as
// UTF-8 bytes. A value is counted as envValueText gives it.
func envSize(env []model.EnvVar) int {
	if len(env) == 0 {
		return 0
	}
	n := 2 + len(env) - 1 // braces and commas
	for _, v := range env {
		n += jsonLen(v.Name) + 1 + jsonLen(envValueText(v.Value))
	}
	return n
}

// envValueText is the text counted for a value. Literals and SecureString
// markers are exactly what Lambda receives. For what CloudFormation resolves
// at deploy time the build does not know the result, so it counts what the
// template writes for it, which is the model's name for the reference: the
// {{resolve:ssm:…}} dynamic reference of an SSM parameter, the name of a
// table, bucket or SSM parameter (also exactly what Ref returns, since the
// template sets those names), the name of an existing queue or key, and the
// logical ID (with ".Attr") of anything else. Queue URLs, key IDs and ARNs
// are longer once resolved, so for them this is a lower bound.
func envValueText(v model.EnvValue) string {
	switch v := v.(type) {
	case model.Literal:
		return string(v)
	case model.SSMParam:
		if v.Secure {
			return model.SecureMarker + v.Selector()
		}
		s := "{{resolve:ssm:" + v.Name
		if v.Version != nil {
			s += ":" + strconv.Itoa(*v.Version)
		}
		return s + "}}"
	case model.Ref:
		r := v.Resource
		switch {
		case r == nil && v.Attr == "":
			return v.ID
		case r == nil:
			return v.ID + "." + v.Attr
		case v.Attr == "" && (r.Existing || r.Kind == kind.DynamoDB || r.Kind == kind.S3 || r.Kind == kind.SSMParameter):
			return r.Name
		case v.Attr == "":
			return r.LogicalID
		}
		return r.LogicalID + "." + v.Attr
	}
	return ""
}

// jsonLen is the length of s as a JSON string, quotes included.
func jsonLen(s string) int {
	n := 2
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t':
			n += 2
		case c < 0x20:
			n += 6 // \u00XX
		default:
			n++
		}
	}
	return n
}

// thousands formats n with comma separators (4,096).
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
