package check

import (
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/model"
)

// Resources runs the E00 rules of every declared resource (existing ones
// included: a bad name is bad either way), each at its pc.*(...) call.
func Resources(p *model.Project) diag.List {
	var d diag.List
	d.Append(DynamoDB(p))
	for _, r := range append(append([]*model.Resource(nil), p.Resources...), p.Existing...) {
		bad := func(format string, args ...any) {
			d.Add(diag.E00, r.Span, "%s %q: "+format, append([]any{r.Kind, r.Name}, args...)...)
		}
		switch s := r.Spec.(type) {
		case *model.S3:
			s3Rules(r.Name, s, bad)
		case *model.SQS:
			sqsRules(r.Name, s, bad)
		case *model.KMS:
			kmsRules(s, bad)
		case *model.SSMParameter:
			ssmRules(r.Name, s, r.Existing, bad)
		}
	}
	return d
}

var (
	s3NameRe  = lazyRegexp(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`)
	sqsNameRe = lazyRegexp(`^[A-Za-z0-9_-]+$`)
	aliasRe   = lazyRegexp(`^[A-Za-z0-9/_-]+$`)
	ssmNameRe = lazyRegexp(`^/[A-Za-z0-9./_-]*$`)
)

func oneOf(v string, allowed ...string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

func deletionPolicy(policy string, bad func(string, ...any)) {
	if !oneOf(policy, "Delete", "Retain") {
		bad("deletion_policy must be Delete or Retain, got %q", policy)
	}
}

// s3Rules: DNS-compliant bucket names (3–63 characters, lowercase letters,
// digits, hyphens and dots, starting and ending alphanumeric, no "_").
func s3Rules(name string, s *model.S3, bad func(string, ...any)) {
	switch {
	case len(name) < 3 || len(name) > 63:
		bad("bucket name must be 3–63 characters, got %d", len(name))
	case strings.Contains(name, "_"):
		bad("bucket name must not contain underscores (S3 names are DNS names)")
	case !s3NameRe().MatchString(name) || strings.Contains(name, ".."):
		bad("bucket name may only hold lowercase letters, digits, '-' and '.', and must start and end with a letter or digit")
	}
	deletionPolicy(s.DeletionPolicy, bad)
}

func sqsRules(name string, s *model.SQS, bad func(string, ...any)) {
	if len(name) > 80 {
		bad("queue name must be at most 80 characters (with .fifo), got %d", len(name))
	}
	if !sqsNameRe().MatchString(s.BaseName) {
		bad("queue name may only hold letters, digits, '-' and '_'")
	}
	if s.Visibility < 0 || s.Visibility > 43200 {
		bad("visibility_timeout must be 0–43200 s, got %d", s.Visibility)
	}
	if s.Retention < 60 || s.Retention > 1209600 {
		bad("message_retention must be 60–1209600 s, got %d", s.Retention)
	}
	if s.Receive < 1 || s.Receive > 1000 {
		bad("max_receive_count must be 1–1000, got %d", s.Receive)
	}
	deletionPolicy(s.DeletionPolicy, bad)
}

var keySpecs = []string{"SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256",
	"ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"}

func kmsRules(k *model.KMS, bad func(string, ...any)) {
	if k.ExistingKeyID != "" {
		return // nothing is created; check verifies the key exists
	}
	alias := strings.TrimPrefix(k.AliasWritten, "alias/")
	if k.AliasWritten != "" && !aliasRe().MatchString(alias) {
		bad("alias may only hold letters, digits, '-', '_' and '/', got %q", k.AliasWritten)
	}
	if strings.HasPrefix(alias, "aws/") {
		bad("alias/aws/ is reserved for AWS managed keys")
	}
	if !oneOf(k.KeyUsage, "ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC") {
		bad("key_usage must be ENCRYPT_DECRYPT, SIGN_VERIFY or GENERATE_VERIFY_MAC, got %q", k.KeyUsage)
	}
	if !oneOf(k.KeySpec, keySpecs...) {
		bad("key_spec must be one of %s, got %q", strings.Join(keySpecs, ", "), k.KeySpec)
	}
	ecc, hmac := strings.HasPrefix(k.KeySpec, "ECC_"), strings.HasPrefix(k.KeySpec, "HMAC_")
	switch {
	case k.RotationAsked && k.KeySpec != "SYMMETRIC_DEFAULT":
		bad("enable_rotation=True is not supported for %s keys (only SYMMETRIC_DEFAULT rotates)", k.KeySpec)
	case ecc && k.KeyUsage == "ENCRYPT_DECRYPT":
		bad("ECC key_spec %s cannot be used with key_usage ENCRYPT_DECRYPT", k.KeySpec)
	case k.KeySpec == "SYMMETRIC_DEFAULT" && k.KeyUsage == "SIGN_VERIFY":
		bad("key_spec SYMMETRIC_DEFAULT cannot be used with key_usage SIGN_VERIFY")
	case hmac != (k.KeyUsage == "GENERATE_VERIFY_MAC") && oneOf(k.KeySpec, keySpecs...):
		bad("HMAC key specs go with key_usage GENERATE_VERIFY_MAC and only they do, got %s with %s", k.KeySpec, k.KeyUsage)
	}
	deletionPolicy(k.DeletionPolicy, bad)
}

func ssmRules(name string, s *model.SSMParameter, existing bool, bad func(string, ...any)) {
	if !strings.HasPrefix(name, "/") {
		bad("name must start with \"/\"")
	} else if !ssmNameRe().MatchString(name) {
		bad("name may only hold letters, digits, '.', '-', '_' and '/'")
	}
	if existing {
		return // nothing is created: its name is all that matters
	}
	switch s.Type {
	case "String", "StringList":
		if s.Value == "" {
			bad("value must not be empty")
		}
	case "SecureString":
		// CloudFormation's AWS::SSM::Parameter cannot create SecureString.
		bad("type SecureString cannot be created by CloudFormation: create it outside the stack (aws ssm put-parameter --type SecureString) and read it at run time with boto3 (get_parameter WithDecryption=True)")
	default:
		bad("type must be String, StringList or SecureString, got %q", s.Type)
	}
}
