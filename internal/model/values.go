package model

import (
	"strconv"

	"github.com/deployless/deployless/internal/kind"
)

// Ref is a reference to something a function or a policy needs at run time:
// a resource of the project (declared here, or existing outside the stack)
// or, when the user wrote pc.Ref("SomeId"), a logical ID of the template.
// Attr "" is the thing's primary value (a table, bucket or parameter name,
// a queue URL, a key ID); otherwise an attribute such as "Arn".
type Ref struct {
	Resource *Resource // the resource referred to; nil when ID is set
	ID       string    // a logical ID written as a string (lower checks it exists)
	Attr     string
}

// EnvValue is the value of an environment variable: a Literal, a Ref or an
// SSMParam.
type EnvValue interface{ isEnvValue() }

// Literal is a plain string value.
type Literal string

// SSMParam is the value of an SSM parameter read when the function starts:
// pc.SSMParam(name, version=) and the env file's SECRET_* variables. A
// plain parameter is resolved by CloudFormation at deploy time; a Secure
// one (a SecureString) is read and decrypted by the bootstrap at cold
// start, since CloudFormation cannot resolve SecureStrings into Lambda
// environment variables.
type SSMParam struct {
	Name    string // parameter name, starting with "/"
	Version *int   // nil: the latest version
	Secure  bool
}

// Selector names the parameter as SSM's GetParameters and CloudFormation's
// {{resolve:ssm:…}} take it: the name, then ":version" when one is pinned.
func (p SSMParam) Selector() string {
	if p.Version == nil {
		return p.Name
	}
	return p.Name + ":" + strconv.Itoa(*p.Version)
}

func (Literal) isEnvValue()  {}
func (Ref) isEnvValue()      {}
func (SSMParam) isEnvValue() {}

// Raw is a value the user wrote in CloudFormation's own form (policies=,
// layers=, S3 cors= and lifecycle_rules=): strings, numbers, booleans,
// lists and string-keyed maps, with Refs wherever pc.Ref / pc.GetAtt stood.
type Raw interface{ isRaw() }

// RawString, RawInt, RawFloat, RawBool, RawList and RawMap are the kinds of
// Raw value; Ref is one too.
type (
	RawString string
	RawInt    int
	RawFloat  float64
	RawBool   bool
	RawList   []Raw
	// RawMap keeps the keys in the order written.
	RawMap struct {
		Keys   []string
		Values []Raw
	}
)

func (RawString) isRaw() {}
func (RawInt) isRaw()    {}
func (RawFloat) isRaw()  {}
func (RawBool) isRaw()   {}
func (RawList) isRaw()   {}
func (RawMap) isRaw()    {}
func (Ref) isRaw()       {}

// Grant says that a function may use a resource (or, with Parameter set,
// read an SSM SecureString parameter) in the way Access names.
type Grant struct {
	Resource  *Resource
	Parameter string // an SSM parameter name (never a version), when Resource is nil
	// Key is the KMS key a SecureString Parameter is encrypted with, as
	// secrets_kms names one (an alias, key ID or ARN; AWSManagedSSMKey for
	// SSM's default key), so that kms:Decrypt allows only that key. ""
	// allows any key, through SSM only: the env file's secrets.
	Key    string
	Access kind.Access
}

// AWSManagedSSMKey is the AWS managed key that SSM encrypts SecureStrings
// with when no key is named.
const AWSManagedSSMKey = "alias/aws/ssm"

// Secret is one SECRET_* variable of the env file. Its value never reaches
// the model: it is pushed to Parameter by `deployless secrets push`.
type Secret struct {
	Key       string
	Parameter string // SecretParameter(project, Key)
	Secure    bool   // a SecureString (secrets_kms is set)
}

// SecretParameter is the SSM parameter name of a project's SECRET_* variable.
// The compiler, `deployless secrets` and the bootstrap all use this one name.
func SecretParameter(project, key string) string { return SecretPrefix(project) + key }

// SecretPrefix is the SSM folder that holds a project's secrets.
func SecretPrefix(project string) string { return "/" + project + "/" }

// SecureMarker prefixes the environment value of a Secure SSMParam: the
// bootstrap replaces "<marker><selector>" (the parameter name, with
// ":version" when pinned: SSMParam.Selector) by the decrypted value at cold
// start, before the app is imported.
const SecureMarker = "deployless-ssm-secure:"

// ReadsSecureParameters reports whether fn's bootstrap must read SSM
// SecureString parameters at cold start.
func (f *Function) ReadsSecureParameters() bool {
	for _, g := range f.Grants {
		if g.Access == kind.Decrypt {
			return true
		}
	}
	return false
}
