// Package model is the compiler's pure data: the project after lowering, with
// every inherited setting resolved and every name decided (SPEC.md §3, §4).
// Later stages (check, template, packager) read only this.
//
// The model says what things are, never how CloudFormation spells them
// (STYLE.md rule 14): a reference is a Ref to a model object, a permission
// is a Grant, a secret is an SSM parameter name. Only the template backend
// (packages resources and template) renders Ref, Fn::GetAtt, Fn::Sub, ARNs
// and SAM policy templates, so other backends (a local server, nested
// stacks) read the same model. This package must not import internal/cfn
// (internal/archtest enforces it).
package model

import (
	"reflect"
	"strings"

	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/source"
)

// Project is everything the template and packages are made from.
type Project struct {
	Name     string
	Provider string
	Stage    string
	NameAt   source.Span // where the name was written (deployless.yaml), for diagnostics about it
	// Framework is the project's first feature's framework ("flask" or
	// "fastapi"); each feature has its own (Feature.Framework).
	Framework string
	Runtime   string
	Memory    int // globals
	Timeout   int // globals
	Retention int // globals.log_retention
	Tags      [][2]string
	Env       []EnvVar // global env (deployless.yaml env:), APP_STAGE last
	API       API
	Features  []*Feature
	Functions []*Function
	Alarms    *Alarms // project-wide alarms from deployless.yaml (nil: off unless a feature asks)
	Resources []*Resource
	// Existing are the resources declared with existing=True (or an
	// existing_key_id): not in the template, only their env vars; `check`
	// verifies they exist.
	Existing []*Resource
	// SharedDir is the project-relative shared code folder ("app/shared"), ""
	// when the project has none.
	SharedDir string
	// AppDir is the app package's folder ("app"), "" when the features
	// folder is not inside one; FeaturesDir is the features folder
	// ("app/features"). Every package ships the app package minus the
	// other features' folders, which get stand-ins (their routers).
	AppDir      string
	FeaturesDir string
	// ExtraFiles are project modules outside the app package that shipped
	// code imports (a config.py beside app/); every package ships them.
	ExtraFiles []string
	// Factory is the app factory the HTTP bootstrap calls at cold start,
	// "module:function" ("" when the app has none); InitApp are the dotted
	// init_app hooks called with the app after it.
	Factory string
	InitApp []string
	// FactoryFramework is the framework of the factory's app ("flask",
	// "fastapi"; "" when deployless cannot tell): a feature of the other
	// framework is served without it (FactoryFor).
	FactoryFramework string
	// App is the module-level FastAPI app the HTTP bootstrap of a FastAPI
	// feature serves when there is no factory, "module:variable" ("" when
	// none).
	App          string
	Requirements string // project requirements.txt content ("" if none)
	// RequirementsFile is where Requirements come from: requirements.txt,
	// or uv.lock (its pins, by uv export).
	RequirementsFile string
	// DepLayers are the dependency layers (issue 12): one per distinct
	// (merged requirements, runtime, architecture), in the order of the
	// first function that uses each; every function has exactly one.
	DepLayers []*DepLayer
	// Secrets are the env file's SECRET_* variables, in file order: their
	// values live in SSM Parameter Store (`deployless secrets push`), and the
	// functions' env holds an SSMParam reference to each.
	Secrets []Secret
}

// API is the AWS::Serverless::Api.
type API struct {
	EndpointType           string
	CORS                   *CORS
	BinaryMediaTypes       []string
	Auth                   *Authorizer // the default authorizer; nil: routes are public
	Keys                   *APIKeys    // nil: no API key
	UsagePlan              *UsagePlan
	Domain                 *Domain
	MinimumCompressionSize *int
}

// Authorizer is api.auth.
type Authorizer struct {
	Type        string // cognito | lambda | iam
	Name        string // authorizer name (not for iam)
	UserPoolARN string
	Scopes      []string
	FunctionARN string
	TTL         *int
	Header      string
}

// APIKeys: a new key (ExistingID "") or an existing key ID.
type APIKeys struct {
	ExistingID string
}

// UsagePlan throttles (and optionally caps) requests made with the key.
type UsagePlan struct {
	Rate   float64
	Burst  int
	Quota  *int
	Period string
}

// Domain is the API's custom domain.
type Domain struct {
	Name, CertificateARN, BasePath, HostedZoneID string
}

// Auth is a function's route-level auth override (SPEC.md §3).
type Auth string

const (
	AuthInherit Auth = ""        // use api.auth
	AuthPublic  Auth = "public"  // auth=None
	AuthAPIKey  Auth = "api_key" // auth="api_key": key required, no authorizer
)

// Alarms are a function's CloudWatch alarms (nil: none).
type Alarms struct {
	ErrorsThreshold, ErrorsPeriod       int
	ThrottlesThreshold, ThrottlesPeriod int
	DurationPct, DurationPeriod         int
	SNSTopicARN                         string
}

// CORS settings (SPEC.md §8).
type CORS struct {
	AllowOrigins     []string
	OriginIsList     bool
	AllowMethods     []string
	AllowHeaders     []string
	MaxAge           *int
	AllowCredentials bool
}

// Preflight reports whether preflights must be answered by the functions:
// API Gateway's mock preflight can only carry one origin.
func (c *CORS) Preflight() bool {
	return c != nil && len(c.AllowOrigins) > 1
}

// Feature is one app/features/<name>.
type Feature struct {
	Name       string
	Framework  string // "flask" or "fastapi" (what its routes.py defines)
	Dir        string // "app/features/user"
	RoutesPath string
	Module     string   // "app.features.user.routes"
	Blueprints []string // root blueprints ("module:var"), registered by the bootstrap
	// Routers are all the feature's routers (Flask Blueprints) with their
	// routes as written: other features' packages get stand-ins built
	// from them, so the app factory can register them and url_for()
	// builds their URLs.
	Routers      []Router
	Routes       int // routes served by the feature function (splits excluded)
	Splits       int
	Requirements string // feature requirements.txt content
	// Resources are the feature's own (resources= and auto-detected);
	// AutoResources counts those found only as module-level declarations.
	Resources     []*Resource
	AutoResources int
}

// Router is one Flask Blueprint or FastAPI router (APIRouter or a FastAPI
// app of the feature). For FastAPI, RegPrefix is include_router's prefix=,
// which FastAPI adds before URLPrefix (Flask's replaces it).
type Router struct {
	Var       string  // module-level variable
	Module    string  // dotted module that defines it
	File      string  // that module's file ("app/features/user/routes.py")
	Name      string  // the blueprint's name (url_for's prefix)
	URLPrefix string  // url_prefix= of the constructor
	Parent    string  // "module:var" of the router it is registered on ("" for roots)
	RegPrefix *string // url_prefix= given at that registration, nil when none
	App       bool    // a FastAPI app defined in the feature (not an APIRouter)
	Routes    []RouterRoute
}

// RouterRoute is one URL rule of a router, as written on it.
type RouterRoute struct {
	Rule     string
	Endpoint string
	Methods  []string
}

// Function is one AWS::Serverless::Function.
type Function struct {
	LogicalID   string
	Kind        kind.Function
	Feature     *Feature
	PyName      string // decorated Python function (split, cron, standalone)
	PyModule    string // the dotted module that defines it
	Span        source.Span
	Memory      int
	Timeout     int
	Description string
	Env         []EnvVar // function-level env (feature env, resource env vars, decorator env)
	Routes      []*Route
	Schedule    string
	ScheduleAt  source.Span

	// DepLayer is the function's dependency layer, listed before Layers.
	DepLayer               *DepLayer
	Layers                 []Raw // layers= as written: ARNs or references
	Architectures          []string
	Tracing                bool
	ReservedConcurrency    *int
	ProvisionedConcurrency *int
	EphemeralStorage       *int
	DLQ                    bool
	LogRetention           int
	// Policies are policies= as written: managed policy names, SAM policy
	// templates or IAM documents, in CloudFormation's own form.
	Policies []Raw
	// Grants are what the function may do with the resources it gets (and
	// the SecureString parameters its bootstrap reads), beside Policies.
	Grants []Grant
	Auth   Auth
	Alarms *Alarms
	// At holds the source span of each setting that came from Python or YAML
	// ("memory", "timeout", "ephemeral_storage", …) for the checks.
	At map[string]source.Span
}

// Route is one API event.
type Route struct {
	Method string // GET, POST, …
	Path   string // API Gateway path
	Rule   string // framework rule
	PyFunc string
	Span   source.Span
}

// EnvVar is one environment variable.
type EnvVar struct {
	Name  string
	Value EnvValue
	Span  source.Span
}

// Resource is a resource declared from Python.
type Resource struct {
	LogicalID string
	Kind      kind.Resource
	Name      string // physical name
	EnvVar    string
	Existing  bool
	Span      source.Span
	// Spec is the typed declaration (*DynamoDB, *S3, *SQS, *KMS or
	// *SSMParameter, matching Kind).
	Spec any
}

// SameDeclaration reports whether o declares the same resource with the
// same settings as r: two declarations of one logical ID are one resource
// only then (E33 otherwise).
func (r *Resource) SameDeclaration(o *Resource) bool {
	return r.Kind == o.Kind && r.Name == o.Name && r.Existing == o.Existing && reflect.DeepEqual(r.Spec, o.Spec)
}

// DynamoDB is pc.DynamoDB(...).
type DynamoDB struct {
	PK, PKType, SK, SKType string
	GSIs                   []GSI
	BillingMode            string
	Read, Write            int
	TTL                    string
	Stream                 string
	PITR                   bool
	SSE                    bool
	DeletionPolicy         string
}

// GSI is one global secondary index.
type GSI struct {
	Name, PK, PKType, SK, SKType string
	Projection                   string
	NonKey                       []string
}

// S3 is pc.S3(...).
type S3 struct {
	Versioning, Encryption, PublicAccessBlock bool
	CORS, Lifecycle                           []Raw // CorsRule / Rule values as written, passed through
	DeletionPolicy                            string
}

// SQS is pc.SQS(...). Resource.Name already carries the .fifo suffix.
type SQS struct {
	FIFO, DLQ, Encryption          bool
	Visibility, Retention, Receive int
	DeletionPolicy                 string
	BaseName                       string // the name as written, without .fifo (for E00)
	// ContentBasedDedup is ContentBasedDeduplication of a FIFO queue
	// (content_based_deduplication=, default on for FIFO queues as in the
	// original); never set on a standard queue.
	ContentBasedDedup bool
}

// KMS is pc.KMS(...). Resource.Name is the alias without "alias/" ("" when none).
type KMS struct {
	Description    string
	KeyUsage       string
	KeySpec        string
	Rotation       bool // resolved: auto-on for SYMMETRIC_DEFAULT unless disabled
	RotationAsked  bool // enable_rotation=True was written (E00 for asymmetric keys)
	DeletionPolicy string
	ExistingKeyID  string
	AliasWritten   string // the alias as written, for E00
}

// SSMParameter is pc.SSMParameter(...).
type SSMParameter struct {
	Value, Type, Description string
	ValueSet                 bool
}

// DLQID is the logical ID of an SQS resource's dead-letter queue. It is the
// original deployless's (JobsQueue → JobsDLQueue), so a stack first deployed
// with it keeps its DLQ (and the messages in it) on our first deploy. The
// original drops every "Queue" of the ID, not only the suffix
// (QueueTasksQueue → TasksDLQueue), and so does this.
func (r *Resource) DLQID() string { return strings.ReplaceAll(r.LogicalID, "Queue", "") + "DLQueue" }

// AliasID is the logical ID of a KMS resource's alias, the original's too
// (DataKey → DataKeyAlias): like DLQID it drops every "Key" of the ID
// before adding "KeyAlias" (KeyringKey → ringKeyAlias).
func (r *Resource) AliasID() string { return strings.ReplaceAll(r.LogicalID, "Key", "") + "KeyAlias" }

// DLQID is the logical ID of a function's dead-letter queue (dlq=True), the
// original's (UserFunction → UserFunctionDLQ).
func (f *Function) DLQID() string { return f.LogicalID + "DLQ" }

// CompanionIDs are the other logical IDs a resource adds to the template.
func (r *Resource) CompanionIDs() []string {
	switch s := r.Spec.(type) {
	case *SQS:
		if s.DLQ {
			return []string{r.DLQID()}
		}
	case *KMS:
		if r.Name != "" {
			return []string{r.AliasID()}
		}
	}
	return nil
}

// DepLayer is one dependency layer: the merged requirements of the
// functions that share it, installed for their runtime and architecture.
type DepLayer struct {
	LogicalID string // DepsLayer, <Feature>DepsLayer, …Arm64DepsLayer
	// Name is the LayerName without the stack's prefix: "deps",
	// "<feature>-deps", "deps-arm64".
	Name         string
	Requirements string // requirements.txt text: project, feature, framework, adapter
	Runtime      string
	Arch         string      // x86_64 or arm64
	Span         source.Span // the requirements.txt it comes from (zero: none)
	Functions    []*Function `json:"-"` // (debug model lists the layer under each function)
}

// Arch is the function's architecture: x86_64 unless architectures= says arm64.
func (fn *Function) Arch() string {
	if len(fn.Architectures) == 1 && fn.Architectures[0] == "arm64" {
		return "arm64"
	}
	return "x86_64"
}

// FactoryFor is the app factory that serves feature f's functions: the
// project's, unless it makes an app of the other framework.
func (p *Project) FactoryFor(f *Feature) string {
	if p.FactoryFramework != "" && f != nil && p.FactoryFramework != f.Framework {
		return ""
	}
	return p.Factory
}
