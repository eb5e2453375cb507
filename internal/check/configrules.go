// Package check holds the rules that judge values once they have been read:
// each family of rules lives in its own file and returns every problem it
// finds as diagnostics pointing at the offending value.
package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/deployless/deployless/internal/config"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/model"
)

// SupportedRuntimes are the Python runtimes Lambda accepts for new functions.
// Older ones are deprecated and cannot be created, so deploying would fail late.
var SupportedRuntimes = []string{"python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14"}

// LogRetentionValues are the only retention periods (days) CloudWatch Logs
// accepts; anything else fails the stack at deploy time, so we reject it here.
var LogRetentionValues = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// Lambda limits, shared by every rule that sets memory or timeout (E05/E06,
// E25/E26) so the ranges cannot drift apart.
const (
	MinMemory, MaxMemory   = 128, 10240
	MinTimeout, MaxTimeout = 1, 900
)

// ValidLogRetention reports whether days is a CloudWatch retention value.
func ValidLogRetention(days int) bool { return slices.Contains(LogRetentionValues, days) }

// ValidMemory reports whether mb is a Lambda memory size.
func ValidMemory(mb int) bool { return mb >= MinMemory && mb <= MaxMemory }

// ValidTimeout reports whether s is a Lambda timeout in seconds.
func ValidTimeout(s int) bool { return s >= MinTimeout && s <= MaxTimeout }

// retentionList is the set as a message fragment, for E03 and E22 alike.
func retentionList() string {
	s := make([]string, len(LogRetentionValues))
	for i, v := range LogRetentionValues {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ", ")
}

// Config applies the rules on deployless.yaml values (E01–E06, E09). Shape
// problems (unknown keys, wrong types) were reported by config.Load already.
func Config(c *config.Config) diag.List {
	var l diag.List
	if !alphanumeric(c.Stage) {
		l.Add(diag.E01, c.Span("stage"), "stage must be alphanumeric, got %q", c.Stage)
	}
	l.Append(projectName(c))
	switch c.API.EndpointType {
	case "REGIONAL", "EDGE", "PRIVATE":
	default:
		l.Add(diag.E02, c.Span("api.endpoint_type"), "api.endpoint_type must be REGIONAL, EDGE or PRIVATE, got %q", c.API.EndpointType)
	}
	g := c.Globals
	if !ValidLogRetention(g.LogRetention) {
		l.Add(diag.E03, c.Span("globals.log_retention"), "globals.log_retention must be one of %s (days), got %d", retentionList(), g.LogRetention)
	}
	if cors := c.API.CORS; cors != nil && cors.AllowCredentials {
		if i := slices.Index(cors.AllowOrigins, "*"); i >= 0 {
			// Browsers refuse credentialed responses to a wildcard origin, so
			// the API would look fine and fail in every browser.
			origin := "api.cors.allow_origin"
			if cors.OriginIsList {
				origin = fmt.Sprintf("%s.%d", origin, i)
			}
			l.Add(diag.E04, c.Span("api.cors.allow_credentials"), "allow_credentials: true is not compatible with allow_origin \"*\"").
				Note(c.Span(origin), "allow_origin \"*\" is set here; list the allowed origins instead")
		}
	}
	if !ValidMemory(g.Memory) {
		l.Add(diag.E05, c.Span("globals.memory"), "globals.memory must be %d–%d MB, got %d", MinMemory, MaxMemory, g.Memory)
	}
	if !ValidTimeout(g.Timeout) {
		l.Add(diag.E06, c.Span("globals.timeout"), "globals.timeout must be %d–%d s, got %d", MinTimeout, MaxTimeout, g.Timeout)
	}
	if !slices.Contains(SupportedRuntimes, g.Runtime) {
		l.Add(diag.E09, c.Span("globals.runtime"), "unsupported runtime %q (expected one of %s)", g.Runtime, strings.Join(SupportedRuntimes, ", "))
	}
	l.Append(apiRules(c))
	return l
}

// alphanumeric reports whether s is [A-Za-z0-9]+. The stage becomes part of
// stack, resource and SSM names, where other characters are not safe everywhere.
func alphanumeric(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// Secrets checks that the project's secrets can be stored (E37): SSM
// Parameter Store reserves names whose first segment starts with aws or
// ssm, so /<name>/SECRET_* cannot be created for such a project name.
func Secrets(p *model.Project) diag.List {
	var d diag.List
	lower := strings.ToLower(p.Name)
	if len(p.Secrets) > 0 && (strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ssm")) {
		d.Add(diag.E37, p.NameAt, "project name %q starts with %q: SSM Parameter Store reserves that prefix, so the secrets cannot be stored under /%s/; rename the project", p.Name, lower[:3], p.Name)
	}
	return d
}

// MaxStackName is CloudFormation's limit on stack names (<name>-<stage>).
const MaxStackName = 128

// projectName checks the project name (E38): it names the stack
// (<name>-<stage>: a letter, then letters, digits and hyphens, at most 128
// characters) and the SSM folder of the secrets (/<name>/), so anything
// else fails late, at deploy or at `secrets push`.
func projectName(c *config.Config) diag.List {
	var l diag.List
	at, from := c.Span("name"), ""
	if !c.Has("name") {
		// No name: in deployless.yaml: the folder name stands in.
		from = " (the folder name, since deployless.yaml sets no name:)"
	}
	switch {
	case !stackWord(c.Name):
		l.Add(diag.E38, at, "project name %q%s must start with a letter and hold only letters, digits and hyphens: it names the CloudFormation stack and the SSM folder of the secrets", c.Name, from)
	case len(c.Name)+1+len(c.Stage) > MaxStackName:
		l.Add(diag.E38, at, "project name %q%s is too long: the stack name %s-%s would exceed CloudFormation's %d characters", c.Name, from, c.Name, c.Stage, MaxStackName)
	}
	return l
}

// stackWord reports whether s is [A-Za-z][A-Za-z0-9-]*.
func stackWord(s string) bool {
	for i, r := range s {
		letter := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		if !letter && (i == 0 || !('0' <= r && r <= '9' || r == '-')) {
			return false
		}
	}
	return s != ""
}
