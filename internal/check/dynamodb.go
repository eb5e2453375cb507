package check

import (
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/model"
)

// DynamoDB validates pc.DynamoDB declarations (E00 at the call).
func DynamoDB(p *model.Project) diag.List {
	var d diag.List
	for _, r := range p.Resources {
		t, ok := r.Spec.(*model.DynamoDB)
		if !ok {
			continue
		}
		bad := func(format string, args ...any) {
			d.Add(diag.E00, r.Span, "DynamoDB %q: "+format, append([]any{r.Name}, args...)...)
		}
		types := map[string]string{}
		key := func(attr, typ, what string) {
			if typ != "S" && typ != "N" && typ != "B" {
				bad("%s type must be S, N or B, got %q", what, typ)
			}
			if prev, ok := types[attr]; ok && prev != typ {
				bad("attribute %q is declared as %s and as %s", attr, prev, typ)
			}
			types[attr] = typ
		}
		key(t.PK, t.PKType, "pk")
		if t.SK != "" {
			key(t.SK, t.SKType, "sk")
		}
		names := map[string]bool{}
		for _, g := range t.GSIs {
			if names[g.Name] {
				bad("gsi %q is declared twice", g.Name)
			}
			names[g.Name] = true
			key(g.PK, g.PKType, "gsi "+g.Name+" pk")
			if g.SK != "" {
				key(g.SK, g.SKType, "gsi "+g.Name+" sk")
			}
			switch g.Projection {
			case "ALL", "KEYS_ONLY":
				if len(g.NonKey) > 0 {
					bad("gsi %q: non_key_attributes only apply to projection INCLUDE", g.Name)
				}
			case "INCLUDE":
				if len(g.NonKey) == 0 {
					bad("gsi %q: projection INCLUDE needs non_key_attributes", g.Name)
				}
			default:
				bad("gsi %q: projection must be ALL, KEYS_ONLY or INCLUDE, got %q", g.Name, g.Projection)
			}
		}
		switch t.BillingMode {
		case "PAY_PER_REQUEST":
		case "PROVISIONED":
			if t.Read < 1 || t.Write < 1 {
				bad("read_capacity and write_capacity must be >= 1")
			}
		default:
			bad("billing_mode must be PAY_PER_REQUEST or PROVISIONED, got %q", t.BillingMode)
		}
		switch t.Stream {
		case "", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY":
		default:
			bad("stream must be NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES or KEYS_ONLY, got %q", t.Stream)
		}
		switch t.DeletionPolicy {
		case "Delete", "Retain":
		case "Snapshot":
			// The seed lists Snapshot, but CloudFormation rejects it for
			// DynamoDB tables; use point_in_time_recovery for backups.
			bad("deletion_policy Snapshot is not supported by CloudFormation for DynamoDB tables (use Retain, with point_in_time_recovery=True for backups)")
		default:
			bad("deletion_policy must be Delete or Retain, got %q", t.DeletionPolicy)
		}
		if len(r.Name) < 3 || len(r.Name) > 255 {
			bad("table name must be 3–255 characters")
		}
		for _, c := range r.Name {
			if !(c == '_' || c == '-' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				bad("table name may only contain letters, digits, '_', '-' and '.'")
				break
			}
		}
	}
	return d
}
