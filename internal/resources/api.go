package resources

import (
	"strconv"
	"strings"

	"github.com/deployless/deployless/internal/cfn"
	"github.com/deployless/deployless/internal/model"
)

// API builds the AWS::Serverless::Api. SAM's Cors block creates API Gateway
// mock preflights; it can carry a single origin only, so with a list of
// origins the functions answer preflights themselves (SPEC.md §8) and the
// block is left out.
func API(p *model.Project) Entry {
	props := cfn.NewMap().
		Set("StageName", p.Stage).
		Set("EndpointConfiguration", cfn.NewMap().Set("Type", p.API.EndpointType))
	if c := p.API.CORS; c != nil && !c.Preflight() {
		cors := cfn.NewMap().
			Set("AllowOrigin", quoteHeader(c.AllowOrigins[0])).
			Set("AllowMethods", quoteHeader(strings.Join(c.AllowMethods, ","))).
			Set("AllowHeaders", quoteHeader(strings.Join(c.AllowHeaders, ",")))
		if c.MaxAge != nil {
			cors.Set("MaxAge", quoteHeader(strconv.Itoa(*c.MaxAge)))
		}
		cors.SetIf(c.AllowCredentials, "AllowCredentials", true)
		props.Set("Cors", cors)
	}
	if len(p.API.BinaryMediaTypes) > 0 {
		var types []any
		for _, t := range p.API.BinaryMediaTypes {
			// API Gateway reads "/" in these values as a JSON-pointer
			// separator, so it must be written "~1".
			types = append(types, strings.ReplaceAll(t, "/", "~1"))
		}
		props.Set("BinaryMediaTypes", types)
	}
	if m := p.API.MinimumCompressionSize; m != nil {
		props.Set("MinimumCompressionSize", *m)
	}
	if a := p.API.Auth; a != nil {
		props.Set("Auth", apiAuth(a))
	}
	if d := p.API.Domain; d != nil {
		dom := cfn.NewMap().Set("DomainName", d.Name).Set("CertificateArn", d.CertificateARN).
			Set("EndpointConfiguration", p.API.EndpointType)
		if d.BasePath != "" && d.BasePath != "/" {
			dom.Set("BasePath", []any{d.BasePath})
		}
		if d.HostedZoneID != "" {
			dom.Set("Route53", cfn.NewMap().Set("HostedZoneId", d.HostedZoneID))
		}
		props.Set("Domain", dom)
	}
	props.SetIf(len(p.Tags) > 0, "Tags", cfn.TagMap(p.Tags))
	return Entry{"Api", resource("AWS::Serverless::Api").Set("Properties", props)}
}

// quoteHeader wraps a header value in the single quotes SAM's Cors expects.
func quoteHeader(s string) string { return "'" + s + "'" }
