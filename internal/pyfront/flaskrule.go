package pyfront

import "strings"

// Flask rules and API Gateway paths: how Blueprint prefixes join a rule and
// how Flask's <converter:name> variables become API Gateway's {name}.

// joinRule joins a prefix and a rule the way Flask's Blueprint does.
func joinRule(prefix, rule string) string {
	if rule == "" {
		return prefix
	}
	if prefix == "" {
		return rule
	}
	return strings.TrimRight(prefix, "/") + "/" + strings.TrimLeft(rule, "/")
}

// apigwPath converts a Flask rule to an API Gateway resource path:
// <x>, <string:x>, <int:x>, <float:x>, <uuid:x> → {x}; <path:x> → {x+},
// which API Gateway only allows as the last segment.
func apigwPath(rule string) (string, string) {
	return gatewayPath(rule, "route rule", '<', '>', "a variable", func(inner string, last bool) (string, string) {
		conv, name, hasConv := strings.Cut(inner, ":")
		if !hasConv {
			conv, name = "default", inner
		}
		if j := strings.IndexByte(conv, '('); j >= 0 {
			conv = conv[:j]
		}
		switch conv {
		case "default", "string", "int", "float", "uuid":
			return "{" + name + "}", ""
		case "path":
			if !last {
				return "", "<path:…> converter must be the last segment of " + quote(rule)
			}
			return "{" + name + "+}", ""
		}
		return "", "converter " + quote(conv) + " in " + quote(rule) + " is not supported (use string, int, float, uuid or path)"
	})
}

// gatewayPath converts a framework's route rule to an API Gateway
// resource path, segment by segment: a segment that is one variable
// (open … close) becomes what convert makes of its inside; a segment that
// mixes text and a variable cannot be routed. The trailing "/" goes (API
// Gateway paths never end in one). A message says why a rule cannot be.
func gatewayPath(rule, what string, open, close byte, variable string, convert func(inner string, last bool) (string, string)) (string, string) {
	if !strings.HasPrefix(rule, "/") {
		return "", what + " " + quote(rule) + " must start with \"/\""
	}
	segs := strings.Split(rule, "/")
	for i, seg := range segs {
		if !strings.ContainsAny(seg, string([]byte{open, close})) {
			continue
		}
		if seg[0] != open || seg[len(seg)-1] != close || strings.Count(seg, string(open)) > 1 {
			return "", "segment " + quote(seg) + " of " + quote(rule) + " mixes text and " + variable + ", which API Gateway cannot route"
		}
		out, msg := convert(seg[1:len(seg)-1], i == len(segs)-1)
		if msg != "" {
			return "", msg
		}
		segs[i] = out
	}
	p := strings.Join(segs, "/")
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	return p, ""
}

func quote(s string) string { return "\"" + s + "\"" }
