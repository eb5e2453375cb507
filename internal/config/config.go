// Package config reads deployless.yaml into a Config that remembers where
// every value came from. It walks goccy/go-yaml's AST instead of unmarshalling
// into structs so that one run reports every unknown key, wrong type and
// duplicate (each as E30 at its own line:col) rather than stopping at the
// first, and so that later checks can point at the exact offending value.
//
// Load only checks shape (keys and types). Value rules (stage characters,
// memory range, log retention, …) live in package check, which reads the
// spans kept here.
package config

import (
	"strings"

	"github.com/deployless/deployless/internal/source"
)

// Defaults of the seed's "deployless.yaml reference".
const (
	DefaultProvider     = "aws"
	DefaultStage        = "dev"
	DefaultFeaturesDir  = "app/features"
	DefaultSharedDir    = "app/shared"
	DefaultRuntime      = "python3.13"
	DefaultMemory       = 256
	DefaultTimeout      = 30
	DefaultLogRetention = 14
	DefaultEndpointType = "REGIONAL"
)

// Default CORS lists, used when api.cors is present but does not name them.
var (
	DefaultCORSMethods = []string{"GET", "POST", "PUT", "DELETE", "OPTIONS"}
	DefaultCORSHeaders = []string{"Content-Type", "Authorization", "X-Api-Key"}
)

// Config is the whole of deployless.yaml with defaults applied.
type Config struct {
	Name       string // "" when absent: the caller fills in the project directory name
	Provider   string
	Stage      string
	Tags       []KV // file order, because the template must be byte-stable
	Paths      Paths
	Globals    Globals
	API        API
	Env        []KV // file order; values already converted to strings
	EnvFile    string
	SecretsKMS string
	Alarms     *Alarms // nil: no project-wide alarms
	// AppFactory is "module:function" (app_factory:), "" when absent: then
	// create_app in the app package, when it defines one.
	AppFactory string
	// InitApp are the dotted module.function hooks (init_app:), each
	// called with the Flask app at cold start, in order.
	InitApp []Located

	file  *source.File
	spans map[string]spanPair // dotted path → where its key and value are
}

// Located is a string value and where it is written.
type Located struct {
	Value string
	Span  source.Span
}

// KV is one entry of an ordered string map (tags, env).
type KV struct {
	Key, Value string
}

// Paths locates the project's directories, relative to the project root.
type Paths struct {
	Features string
	Shared   string
}

// Globals are the Lambda settings every function starts from.
type Globals struct {
	Runtime      string
	Memory       int
	Timeout      int
	LogRetention int
}

// API configures the API Gateway REST API.
type API struct {
	EndpointType           string
	CORS                   *CORS // nil: no CORS
	Auth                   *Auth // nil: routes are public unless a feature says otherwise
	APIKeys                APIKeys
	UsagePlan              *UsagePlan
	Domain                 *Domain
	BinaryMediaTypes       []string
	MinimumCompressionSize *int // nil: compression off
}

// CORS is api.cors. AllowOrigin may be written as one string or as a list;
// the two are kept apart because a list of several origins cannot be answered
// by an API Gateway mock preflight (SPEC §8).
type CORS struct {
	AllowOrigins     []string // always at least one entry
	OriginIsList     bool     // allow_origin was written as a YAML list
	AllowMethods     []string
	AllowHeaders     []string
	MaxAge           *int
	AllowCredentials bool
}

// Auth is api.auth. Fields stay as written (empty when absent) so that
// package check can say which required one is missing; see AuthorizerName for
// the name default.
type Auth struct {
	Type           string
	UserPoolARN    string
	Name           string
	Scopes         []string
	FunctionARN    string
	TTL            *int
	IdentityHeader string // identity.header
}

// AuthorizerName is Name, or the seed's default for the authorizer type.
func (a *Auth) AuthorizerName() string {
	switch {
	case a.Name != "":
		return a.Name
	case a.Type == "lambda":
		return "LambdaAuthorizer"
	case a.Type == "cognito":
		return "CognitoAuthorizer"
	}
	return ""
}

// APIKeys is api.api_keys: true creates a key, a string reuses an existing
// key ID. It only creates the key and usage plan; routes require a key only
// with auth="api_key" (SPEC §3).
type APIKeys struct {
	Enabled    bool
	ExistingID string // set when api_keys names an existing key
}

// UsagePlan is api.usage_plan. Pointers are nil when absent (E14/E15 need to
// know). Rate is a float because API Gateway accepts fractional rates.
type UsagePlan struct {
	Rate   *float64
	Burst  *int
	Quota  *int
	Period string
}

// Domain is api.domain.
type Domain struct {
	DomainName     string
	CertificateARN string
	BasePath       string
	HostedZoneID   string // route53.hosted_zone_id; "" leaves DNS to the user
}

// Alarms is the project-wide alarms block; absent sub-blocks take defaults,
// so "alarms: true" and an alarms mapping both enable all three alarms.
type Alarms struct {
	Errors      AlarmThreshold
	Throttles   AlarmThreshold
	Duration    DurationAlarm
	SNSTopicARN string
}

// AlarmThreshold fires when the metric's sum reaches Threshold in Period seconds.
type AlarmThreshold struct {
	Threshold int
	Period    int
}

// DurationAlarm fires when Duration exceeds ThresholdPct % of the timeout.
type DurationAlarm struct {
	ThresholdPct int
	Period       int
}

// DefaultAlarms returns the thresholds used when alarms are enabled without numbers.
func DefaultAlarms() Alarms {
	return Alarms{
		Errors:    AlarmThreshold{Threshold: 1, Period: 300},
		Throttles: AlarmThreshold{Threshold: 1, Period: 300},
		Duration:  DurationAlarm{ThresholdPct: 80, Period: 300},
	}
}

// defaults is the configuration of an empty deployless.yaml.
func defaults(file *source.File) *Config {
	return &Config{
		Provider: DefaultProvider,
		Stage:    DefaultStage,
		Paths:    Paths{Features: DefaultFeaturesDir, Shared: DefaultSharedDir},
		Globals: Globals{
			Runtime:      DefaultRuntime,
			Memory:       DefaultMemory,
			Timeout:      DefaultTimeout,
			LogRetention: DefaultLogRetention,
		},
		API:   API{EndpointType: DefaultEndpointType},
		file:  file,
		spans: map[string]spanPair{},
	}
}

type spanPair struct{ key, value source.Span }

// Span returns where the value at a dotted path ("globals.memory",
// "env.LOG_LEVEL", "api.cors.allow_origin.1" for a list item) is written.
// For a key that is absent it falls back to the nearest written ancestor, and
// finally to the file itself, so a diagnostic about a default still names
// deployless.yaml.
func (c *Config) Span(path string) source.Span {
	return c.lookup(path, func(p spanPair) source.Span { return p.value })
}

// KeySpan is like Span but returns the position of the key.
func (c *Config) KeySpan(path string) source.Span {
	return c.lookup(path, func(p spanPair) source.Span { return p.key })
}

// Has reports whether path was written in the file (with any value, even null).
func (c *Config) Has(path string) bool {
	_, ok := c.spans[path]
	return ok
}

func (c *Config) lookup(path string, pick func(spanPair) source.Span) source.Span {
	for p := path; p != ""; {
		if sp, ok := c.spans[p]; ok {
			return pick(sp)
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	if c.file == nil {
		return source.Span{}
	}
	return source.Span{Path: c.file.Path}
}

// OverrideStage applies the CLI's --stage, which wins over the file. Spans of
// "stage" then name the flag, so an E01 about it points at the flag and not
// at a line the user did not write.
func (c *Config) OverrideStage(s string) {
	c.Stage = s
	flag := source.Span{Path: "--stage"}
	if c.spans == nil {
		c.spans = map[string]spanPair{}
	}
	c.spans["stage"] = spanPair{key: flag, value: flag}
}
