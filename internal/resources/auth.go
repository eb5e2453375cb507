package resources

import (
	"github.com/deployless/deployless/internal/cfn"
	"github.com/deployless/deployless/internal/model"
)

// apiAuth is the Api's Auth block: the default authorizer from api.auth.
// Preflights never require auth (browsers send no credentials with them).
func apiAuth(a *model.Authorizer) *cfn.Map {
	auth := cfn.NewMap()
	switch a.Type {
	case "iam":
		auth.Set("DefaultAuthorizer", "AWS_IAM")
	case "cognito":
		c := cfn.NewMap().Set("UserPoolArn", a.UserPoolARN)
		if len(a.Scopes) > 0 {
			c.Set("AuthorizationScopes", strs(a.Scopes))
		}
		auth.Set("DefaultAuthorizer", a.Name).Set("Authorizers", cfn.NewMap().Set(a.Name, c))
	case "lambda":
		id := cfn.NewMap().Set("Header", orDefault(a.Header, "Authorization"))
		if a.TTL != nil {
			id.Set("ReauthorizeEvery", *a.TTL)
		}
		l := cfn.NewMap().Set("FunctionArn", a.FunctionARN).Set("FunctionPayloadType", "TOKEN").Set("Identity", id)
		auth.Set("DefaultAuthorizer", a.Name).Set("Authorizers", cfn.NewMap().Set(a.Name, l))
	}
	auth.Set("AddDefaultAuthorizerToCorsPreflight", false)
	return auth
}

// eventAuth is an Api event's Auth override, nil when it inherits.
func eventAuth(p *model.Project, auth model.Auth, preflight bool) *cfn.Map {
	hasDefault := p.API.Auth != nil
	switch {
	case preflight || auth == model.AuthPublic:
		if hasDefault {
			return cfn.NewMap().Set("Authorizer", "NONE")
		}
	case auth == model.AuthAPIKey:
		m := cfn.NewMap()
		m.SetIf(hasDefault, "Authorizer", "NONE")
		return m.Set("ApiKeyRequired", true)
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// APIKeys builds the API key (unless an existing one is named), its usage
// plan on the API's stage (throttle and optional quota) and the link between
// them. Keys do not make routes require a key; auth="api_key" does.
//
// The logical IDs are the original's (ApiKey, UsagePlan, UsagePlanKey) and
// the key has no Name, as the original's has none: a new logical ID or a
// Name would replace the key on the first deploy over a stack the original
// made, and a replaced key has a new value every client must be given.
func APIKeys(p *model.Project) []Entry {
	k := p.API.Keys
	if k == nil {
		return nil
	}
	var out []Entry
	keyID := any(k.ExistingID)
	if k.ExistingID == "" {
		out = append(out, Entry{"ApiKey", resource("AWS::ApiGateway::ApiKey").
			Set("DependsOn", []any{"Api"}).
			Set("Properties", cfn.NewMap().
				Set("Description", "API key of "+p.Name+" ("+p.Stage+"), created by deployless").
				Set("Enabled", true))})
		keyID = cfn.Ref("ApiKey")
	}
	plan := cfn.NewMap().Set("ApiStages", []any{cfn.NewMap().Set("ApiId", cfn.Ref("Api")).Set("Stage", cfn.Ref("Api.Stage"))}).
		Set("Description", "Usage plan of "+p.Name+" ("+p.Stage+")")
	if u := p.API.UsagePlan; u != nil {
		plan.Set("Throttle", cfn.NewMap().Set("RateLimit", u.Rate).Set("BurstLimit", u.Burst))
		if u.Quota != nil {
			plan.Set("Quota", cfn.NewMap().Set("Limit", *u.Quota).Set("Period", u.Period))
		}
	}
	plan.SetIf(len(p.Tags) > 0, "Tags", cfn.Tags(p.Tags))
	out = append(out,
		Entry{"UsagePlan", resource("AWS::ApiGateway::UsagePlan").Set("Properties", plan)},
		Entry{"UsagePlanKey", resource("AWS::ApiGateway::UsagePlanKey").Set("Properties", cfn.NewMap().
			Set("KeyId", keyID).Set("KeyType", "API_KEY").Set("UsagePlanId", cfn.Ref("UsagePlan")))})
	return out
}
