package check

import (
	"strings"

	"github.com/deployless/deployless/internal/config"
	"github.com/deployless/deployless/internal/diag"
)

// apiRules checks api.auth, api.usage_plan, api.domain,
// api.minimum_compression_size and alarms (E11–E18, E23, E24, E35).
func apiRules(c *config.Config) diag.List {
	var l diag.List
	if a := c.API.Auth; a != nil {
		switch a.Type {
		case "cognito":
			if a.UserPoolARN == "" {
				l.Add(diag.E12, c.KeySpan("api.auth"), "api.auth (cognito): user_pool_arn is required")
			}
		case "lambda":
			if a.FunctionARN == "" {
				l.Add(diag.E13, c.KeySpan("api.auth"), "api.auth (lambda): function_arn is required")
			}
			if a.TTL != nil && (*a.TTL < 0 || *a.TTL > 3600) {
				l.Add(diag.E13, c.Span("api.auth.ttl"), "api.auth (lambda): ttl must be 0–3600 s, got %d", *a.TTL)
			}
		case "iam":
		default:
			l.Add(diag.E11, c.Span("api.auth.type"), "api.auth.type must be cognito, lambda or iam, got %q", a.Type)
		}
	}
	if u := c.API.UsagePlan; u != nil {
		if u.Rate == nil || u.Burst == nil {
			l.Add(diag.E14, c.KeySpan("api.usage_plan"), "api.usage_plan: rate and burst are required")
		}
		if u.Quota != nil && u.Period == "" {
			l.Add(diag.E15, c.Span("api.usage_plan.quota"), "api.usage_plan: period is required if quota is set")
		}
		if u.Period != "" && u.Period != "DAY" && u.Period != "WEEK" && u.Period != "MONTH" {
			l.Add(diag.E16, c.Span("api.usage_plan.period"), "api.usage_plan.period must be DAY, WEEK or MONTH, got %q", u.Period)
		}
		if !c.API.APIKeys.Enabled && c.API.APIKeys.ExistingID == "" {
			// A usage plan only applies to requests made with one of its keys.
			l.Add(diag.E35, c.KeySpan("api.usage_plan"), "api.usage_plan has no effect without api.api_keys (usage plans throttle requests made with their API keys)")
		}
	}
	if d := c.API.Domain; d != nil {
		var missing []string
		if d.DomainName == "" {
			missing = append(missing, "domain_name")
		}
		if d.CertificateARN == "" {
			missing = append(missing, "certificate_arn")
		}
		if len(missing) > 0 {
			l.Add(diag.E17, c.KeySpan("api.domain"), "api.domain: %s required", strings.Join(missing, " and ")+map[bool]string{true: " is", false: " are"}[len(missing) == 1])
		}
	}
	if m := c.API.MinimumCompressionSize; m != nil && (*m < 0 || *m > 10485760) {
		l.Add(diag.E18, c.Span("api.minimum_compression_size"), "api.minimum_compression_size must be an integer 0–10485760, got %d", *m)
	}
	if k := c.SecretsKMS; k != "" && !validKMSRef(k) {
		l.Add(diag.E29, c.Span("secrets_kms"), "invalid secrets_kms %q: expected an alias (alias/name or name: letters, digits, -, _, /), a key ID or a KMS key ARN", k)
	}
	if a := c.Alarms; a != nil {
		if a.SNSTopicARN != "" && !strings.HasPrefix(a.SNSTopicARN, "arn:") {
			l.Add(diag.E23, c.Span("alarms.sns_topic_arn"), "alarms.sns_topic_arn must be an ARN (arn:…), got %q", a.SNSTopicARN)
		}
		if p := a.Duration.ThresholdPct; p < 1 || p > 100 {
			l.Add(diag.E24, c.Span("alarms.duration.threshold_pct"), "alarms.duration.threshold_pct must be between 1 and 100, got %d", p)
		}
	}
	return l
}

var (
	kmsAliasRe = lazyRegexp(`^(alias/)?[A-Za-z0-9/_-]+$`)
	kmsARNRe   = lazyRegexp(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+)$`)
)

// validKMSRef accepts what KMS takes as a key id: an alias (with or without
// "alias/"), a key ID or a key/alias ARN.
func validKMSRef(s string) bool {
	if strings.HasPrefix(s, "arn:") {
		return kmsARNRe().MatchString(s)
	}
	return kmsAliasRe().MatchString(s)
}
