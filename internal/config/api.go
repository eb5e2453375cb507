package config

import (
	"github.com/goccy/go-yaml/ast"
)

// fields describes the api: block. Sub-blocks are allocated only when
// written, because their absence means "feature off" (no CORS, no auth, …).
func (a *API) fields(d *decoder) []field {
	return []field{
		{"endpoint_type", func(p string, n ast.Node) { setStr(d, p, n, &a.EndpointType) }},
		{"cors", func(p string, n ast.Node) { a.CORS = d.cors(p, n) }},
		{"auth", func(p string, n ast.Node) { a.Auth = d.auth(p, n) }},
		{"api_keys", func(p string, n ast.Node) { a.APIKeys = d.apiKeys(p, n) }},
		{"usage_plan", func(p string, n ast.Node) {
			u := &UsagePlan{}
			d.object(p, n, []field{
				{"rate", func(p string, n ast.Node) {
					if f, ok := d.number(p, n); ok {
						u.Rate = &f
					}
				}},
				{"burst", func(p string, n ast.Node) { setIntPtr(d, p, n, &u.Burst) }},
				{"quota", func(p string, n ast.Node) { setIntPtr(d, p, n, &u.Quota) }},
				{"period", func(p string, n ast.Node) { setStr(d, p, n, &u.Period) }},
			})
			a.UsagePlan = u
		}},
		{"domain", func(p string, n ast.Node) {
			dom := &Domain{}
			d.object(p, n, []field{
				{"domain_name", func(p string, n ast.Node) { setStr(d, p, n, &dom.DomainName) }},
				{"certificate_arn", func(p string, n ast.Node) { setStr(d, p, n, &dom.CertificateARN) }},
				{"base_path", func(p string, n ast.Node) { setStr(d, p, n, &dom.BasePath) }},
				{"route53", func(p string, n ast.Node) {
					d.object(p, n, []field{
						{"hosted_zone_id", func(p string, n ast.Node) { setStr(d, p, n, &dom.HostedZoneID) }},
					})
				}},
			})
			a.Domain = dom
		}},
		{"binary_media_types", func(p string, n ast.Node) { setList(d, p, n, &a.BinaryMediaTypes) }},
		{"minimum_compression_size", func(p string, n ast.Node) { setIntPtr(d, p, n, &a.MinimumCompressionSize) }},
	}
}

func (d *decoder) cors(path string, n ast.Node) *CORS {
	c := &CORS{
		AllowOrigins: []string{"*"},
		AllowMethods: append([]string(nil), DefaultCORSMethods...),
		AllowHeaders: append([]string(nil), DefaultCORSHeaders...),
	}
	d.object(path, n, []field{
		{"allow_origin", func(p string, n ast.Node) {
			vals, isList, ok := d.stringOrList(p, n)
			switch {
			case !ok:
			case len(vals) == 0:
				d.errorf(n, "%s must name at least one origin", p)
			default:
				c.AllowOrigins, c.OriginIsList = vals, isList
			}
		}},
		{"allow_methods", func(p string, n ast.Node) { setStringOrList(d, p, n, &c.AllowMethods) }},
		{"allow_headers", func(p string, n ast.Node) { setStringOrList(d, p, n, &c.AllowHeaders) }},
		{"max_age", func(p string, n ast.Node) { setIntPtr(d, p, n, &c.MaxAge) }},
		{"allow_credentials", func(p string, n ast.Node) {
			if b, ok := d.boolean(p, n); ok {
				c.AllowCredentials = b
			}
		}},
	})
	return c
}

// setStringOrList lets "allow_methods: '*'" stand for a one-item list, as
// API Gateway itself takes a comma-separated string.
func setStringOrList(d *decoder, path string, n ast.Node, dst *[]string) {
	if vals, _, ok := d.stringOrList(path, n); ok {
		*dst = vals
	}
}

func (d *decoder) auth(path string, n ast.Node) *Auth {
	a := &Auth{}
	d.object(path, n, []field{
		{"type", func(p string, n ast.Node) { setStr(d, p, n, &a.Type) }},
		{"user_pool_arn", func(p string, n ast.Node) { setStr(d, p, n, &a.UserPoolARN) }},
		{"name", func(p string, n ast.Node) { setStr(d, p, n, &a.Name) }},
		{"scopes", func(p string, n ast.Node) { setList(d, p, n, &a.Scopes) }},
		{"function_arn", func(p string, n ast.Node) { setStr(d, p, n, &a.FunctionARN) }},
		{"ttl", func(p string, n ast.Node) { setIntPtr(d, p, n, &a.TTL) }},
		{"identity", func(p string, n ast.Node) {
			d.object(p, n, []field{
				{"header", func(p string, n ast.Node) { setStr(d, p, n, &a.IdentityHeader) }},
			})
		}},
	})
	return a
}

// apiKeys reads "api_keys: true|false" or "api_keys: <existing key id>".
func (d *decoder) apiKeys(path string, n ast.Node) APIKeys {
	switch d.resolve(n).(type) {
	case *ast.BoolNode:
		on, _ := d.boolean(path, n)
		return APIKeys{Enabled: on}
	case *ast.StringNode, *ast.LiteralNode, *ast.IntegerNode:
		id, _ := d.str(path, n)
		if id == "" {
			d.errorf(n, "%s must be true, false or an existing API key ID, got an empty string", path)
			return APIKeys{}
		}
		return APIKeys{Enabled: true, ExistingID: id}
	}
	d.errorf(n, "%s must be true, false or an existing API key ID, got %s", path, d.describe(n))
	return APIKeys{}
}
