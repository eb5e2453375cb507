package lower

import (
	"path"
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/pyfront"
)

var kmsParams = []string{"alias", "description", "key_usage", "key_spec", "enable_rotation",
	"deletion_policy", "existing_key_id", "env_var"}

// kms lowers pc.KMS(...): a key (Retain by default) plus, with an alias, an
// AWS::KMS::Alias. Rotation defaults to on for SYMMETRIC_DEFAULT only.
func (l *lowerer) kms(obj *pyfront.Object) *model.Resource {
	a := bind(obj, kmsParams, 1, &l.d)
	alias := a.str("alias", "")
	spec := &model.KMS{
		Description: a.str("description", ""), KeyUsage: a.str("key_usage", "ENCRYPT_DECRYPT"),
		KeySpec: a.str("key_spec", "SYMMETRIC_DEFAULT"), DeletionPolicy: a.str("deletion_policy", "Retain"),
		ExistingKeyID: a.str("existing_key_id", ""), AliasWritten: alias,
	}
	symmetric := spec.KeySpec == "SYMMETRIC_DEFAULT"
	spec.Rotation = a.boolean("enable_rotation", symmetric) && symmetric
	spec.RotationAsked = a.has("enable_rotation") && a.boolean("enable_rotation", false)
	short := strings.TrimPrefix(alias, "alias/")
	// Without an alias the key is the original's AppKey.
	r := &model.Resource{Kind: kind.KMS, Name: short, Existing: spec.ExistingKeyID != "", Span: obj.Span, Spec: spec,
		LogicalID: "AppKey", EnvVar: "KMS_KEY_ID"}
	if short != "" {
		r.LogicalID, r.EnvVar = pascal(short)+"Key", upperSnake(short)+"_KEY_ID"
	}
	if v := a.str("env_var", ""); v != "" {
		r.EnvVar = v
	}
	if r.Existing {
		// An existing key injects its literal ID; its env var and identity
		// come from the ID, so two features can share it.
		r.Name = spec.ExistingKeyID
		if short == "" {
			r.LogicalID = "KmsKey" + pascal(path.Base(spec.ExistingKeyID))
		}
	}
	return l.finish(a, r)
}

var ssmParams = []string{"name", "value", "type", "description", "existing"}

// ssmParameter lowers pc.SSMParameter(...); its env var is the last path
// segment in UPPER_SNAKE and holds the parameter name.
func (l *lowerer) ssmParameter(obj *pyfront.Object) *model.Resource {
	a := bind(obj, ssmParams, 2, &l.d)
	name := a.str("name", "")
	if name == "" {
		l.d.Add(diag.E00, obj.Span, "SSMParameter() needs a name")
		return nil
	}
	spec := &model.SSMParameter{Value: a.str("value", ""), Type: a.str("type", "String"),
		Description: a.str("description", ""), ValueSet: a.has("value")}
	r := &model.Resource{Kind: kind.SSMParameter, Name: name, Existing: a.boolean("existing", false), Span: obj.Span, Spec: spec,
		LogicalID: pascal(name) + "Parameter", EnvVar: upperSnake(path.Base(name))}
	return l.finish(a, r)
}
