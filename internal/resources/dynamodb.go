package resources

import (
	"github.com/deployless/deployless/internal/cfn"
	"github.com/deployless/deployless/internal/model"
)

// DynamoDB builds an AWS::DynamoDB::Table (never SimpleTable, so adding a
// sort key or an index later does not replace the table).
func DynamoDB(p *model.Project, r *model.Resource, t *model.DynamoDB) Entry {
	attrs := cfn.NewMap() // attribute name → type, each once, in first-use order
	keySchema := func(pk, pkType, sk, skType string) []any {
		attrs.SetIf(!has(attrs, pk), pk, pkType)
		ks := []any{cfn.NewMap().Set("AttributeName", pk).Set("KeyType", "HASH")}
		if sk != "" {
			attrs.SetIf(!has(attrs, sk), sk, skType)
			ks = append(ks, cfn.NewMap().Set("AttributeName", sk).Set("KeyType", "RANGE"))
		}
		return ks
	}
	throughput := func() *cfn.Map {
		return cfn.NewMap().Set("ReadCapacityUnits", t.Read).Set("WriteCapacityUnits", t.Write)
	}
	props := cfn.NewMap().Set("TableName", r.Name).Set("BillingMode", t.BillingMode)
	tableKeys := keySchema(t.PK, t.PKType, t.SK, t.SKType)
	var gsis []any
	for _, g := range t.GSIs {
		proj := cfn.NewMap().Set("ProjectionType", g.Projection)
		if g.Projection == "INCLUDE" {
			proj.Set("NonKeyAttributes", strs(g.NonKey))
		}
		gm := cfn.NewMap().Set("IndexName", g.Name).Set("KeySchema", keySchema(g.PK, g.PKType, g.SK, g.SKType)).Set("Projection", proj)
		if t.BillingMode == "PROVISIONED" {
			gm.Set("ProvisionedThroughput", throughput())
		}
		gsis = append(gsis, gm)
	}
	var defs []any
	for _, name := range attrs.Keys() {
		typ, _ := attrs.Get(name)
		defs = append(defs, cfn.NewMap().Set("AttributeName", name).Set("AttributeType", typ))
	}
	props.Set("AttributeDefinitions", defs).Set("KeySchema", tableKeys)
	props.SetIf(len(gsis) > 0, "GlobalSecondaryIndexes", gsis)
	if t.BillingMode == "PROVISIONED" {
		props.Set("ProvisionedThroughput", throughput())
	}
	if t.TTL != "" {
		props.Set("TimeToLiveSpecification", cfn.NewMap().Set("AttributeName", t.TTL).Set("Enabled", true))
	}
	if t.Stream != "" {
		props.Set("StreamSpecification", cfn.NewMap().Set("StreamViewType", t.Stream))
	}
	if t.PITR {
		props.Set("PointInTimeRecoverySpecification", cfn.NewMap().Set("PointInTimeRecoveryEnabled", true))
	}
	props.Set("SSESpecification", cfn.NewMap().Set("SSEEnabled", t.SSE))
	props.SetIf(len(p.Tags) > 0, "Tags", cfn.Tags(p.Tags))
	res := resource("AWS::DynamoDB::Table").
		Set("DeletionPolicy", t.DeletionPolicy).
		Set("UpdateReplacePolicy", t.DeletionPolicy).
		Set("Properties", props)
	return Entry{r.LogicalID, res}
}

func has(m *cfn.Map, k string) bool { _, ok := m.Get(k); return ok }
