package lower

import (
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/pyfront"
)

var dynamoParams = []string{"table_name", "pk", "pk_type", "sk", "sk_type", "gsi", "billing_mode",
	"read_capacity", "write_capacity", "ttl_attribute", "stream", "point_in_time_recovery",
	"sse_enabled", "deletion_policy", "existing"}

// dynamoDB lowers pc.DynamoDB(...) with the seed's defaults. Value checks
// (key types, projections, …) are E00 rules in package check.
func (l *lowerer) dynamoDB(obj *pyfront.Object) *model.Resource {
	a := bind(obj, dynamoParams, 1, &l.d)
	name := a.str("table_name", "")
	if name == "" {
		l.d.Add(diag.E00, obj.Span, "DynamoDB() needs a table name")
		return nil
	}
	spec := &model.DynamoDB{
		PK: a.str("pk", "id"), PKType: a.str("pk_type", "S"),
		SK: a.str("sk", ""), SKType: a.str("sk_type", "S"),
		BillingMode: a.str("billing_mode", "PAY_PER_REQUEST"),
		TTL:         a.str("ttl_attribute", ""), Stream: a.str("stream", ""),
		PITR: a.boolean("point_in_time_recovery", false), SSE: a.boolean("sse_enabled", true),
		DeletionPolicy: a.str("deletion_policy", "Delete"),
	}
	if spec.BillingMode == "PROVISIONED" {
		spec.Read, spec.Write = a.intOr("read_capacity", 5), a.intOr("write_capacity", 5)
	}
	for _, g := range a.list("gsi") {
		if g.Kind != pyfront.KDict {
			a.typeErr("gsi item", "a dict", g)
			continue
		}
		spec.GSIs = append(spec.GSIs, l.gsi(g))
	}
	r := &model.Resource{
		Kind: kind.DynamoDB, Name: name, Existing: a.boolean("existing", false), Span: obj.Span, Spec: spec,
		LogicalID: pascal(trimSuffixes(name, "-table", "_table")) + "Table",
		EnvVar:    upperSnake(trimSuffixes(name, "-table", "_table")) + "_TABLE",
	}
	return l.finish(a, r)
}

func (l *lowerer) gsi(g *pyfront.Value) model.GSI {
	str := func(key, def string) string {
		v := g.Get(key)
		if v == nil {
			return def
		}
		if v.Kind != pyfront.KStr {
			l.d.Add(diag.E00, v.Span, "gsi %q must be a str, got %s", key, v.TypeName())
			return def
		}
		return v.Str
	}
	known := map[string]bool{"name": true, "pk": true, "pk_type": true, "sk": true, "sk_type": true, "projection": true, "non_key_attributes": true}
	for _, k := range g.Keys {
		if k.Kind != pyfront.KStr || !known[k.Str] {
			l.d.Add(diag.E00, k.Span, "unknown gsi key %s (expected name, pk, pk_type, sk, sk_type, projection, non_key_attributes)", k.Repr())
		}
	}
	out := model.GSI{Name: str("name", ""), PK: str("pk", ""), PKType: str("pk_type", "S"), SK: str("sk", ""),
		SKType: str("sk_type", "S"), Projection: str("projection", "ALL")}
	if v := g.Get("non_key_attributes"); v != nil {
		if v.Kind != pyfront.KList {
			l.d.Add(diag.E00, v.Span, "gsi non_key_attributes must be a list of str")
		} else {
			for _, it := range v.Items {
				if it.Kind == pyfront.KStr {
					out.NonKey = append(out.NonKey, it.Str)
				} else {
					l.d.Add(diag.E00, it.Span, "gsi non_key_attributes must be a list of str")
				}
			}
		}
	}
	if out.Name == "" || out.PK == "" {
		l.d.Add(diag.E00, g.Span, "gsi needs a name and a pk")
	}
	return out
}
