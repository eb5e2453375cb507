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
	if !strings.HasPrefix(rule, "/") {
		return "", "route rule " + quote(rule) + " must start with \"/\""
	}
	segs := strings.Split(rule, "/")
	for i, seg := range segs {
		if !strings.Contains(seg, "<") {
			continue
		}
		if !strings.HasPrefix(seg, "<") || !strings.HasSuffix(seg, ">") || strings.Count(seg, "<") > 1 {
			return "", "segment " + quote(seg) + " of " + quote(rule) + " mixes text and a variable, which API Gateway cannot route"
		}
		inner := seg[1 : len(seg)-1]
		conv, name, hasConv := strings.Cut(inner, ":")
		if !hasConv {
			conv, name = "default", inner
		}
		if j := strings.IndexByte(conv, '('); j >= 0 {
			conv = conv[:j]
		}
		switch conv {
		case "default", "string", "int", "float", "uuid":
			segs[i] = "{" + name + "}"
		case "path":
			if i != len(segs)-1 {
				return "", "<path:…> converter must be the last segment of " + quote(rule)
			}
			segs[i] = "{" + name + "+}"
		default:
			return "", "converter " + quote(conv) + " in " + quote(rule) + " is not supported (use string, int, float, uuid or path)"
		}
	}
	p := strings.Join(segs, "/")
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	return p, ""
}

func quote(s string) string { return "\"" + s + "\"" }
