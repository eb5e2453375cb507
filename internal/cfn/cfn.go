// Package cfn holds CloudFormation values: an insertion-ordered map, the
// long-form intrinsic functions (Ref, Fn::GetAtt, Fn::Sub) and the YAML
// encoding of a template. Only the template backend (packages resources and
// template) builds these values; the model never holds them.
package cfn

import (
	"encoding/json"
	"reflect"
)

// Map is a mapping that remembers insertion order, so the template's key
// order is part of the code rather than of a sort or of map iteration.
type Map struct {
	keys []string
	vals map[string]any
}

// NewMap returns an empty ordered map.
func NewMap() *Map { return &Map{vals: map[string]any{}} }

// Set adds or replaces key (a replaced key keeps its position).
func (m *Map) Set(key string, v any) *Map {
	if _, ok := m.vals[key]; !ok {
		m.keys = append(m.keys, key)
	}
	m.vals[key] = v
	return m
}

// SetIf sets key only when cond holds.
func (m *Map) SetIf(cond bool, key string, v any) *Map {
	if cond {
		m.Set(key, v)
	}
	return m
}

// Get returns the value of key.
func (m *Map) Get(key string) (any, bool) {
	v, ok := m.vals[key]
	return v, ok
}

// Keys returns the keys in insertion order.
func (m *Map) Keys() []string { return append([]string(nil), m.keys...) }

// Len is the number of keys.
func (m *Map) Len() int { return len(m.keys) }

// Ref is {"Ref": id}.
func Ref(id string) *Map { return NewMap().Set("Ref", id) }

// GetAtt is {"Fn::GetAtt": [id, attr]}.
func GetAtt(id, attr string) *Map { return NewMap().Set("Fn::GetAtt", []any{id, attr}) }

// Sub is {"Fn::Sub": s}.
func Sub(s string) *Map { return NewMap().Set("Fn::Sub", s) }

// Tags converts ordered key/value pairs to CloudFormation's list form.
func Tags(kv [][2]string) []any {
	out := make([]any, 0, len(kv))
	for _, p := range kv {
		out = append(out, NewMap().Set("Key", p[0]).Set("Value", p[1]))
	}
	return out
}

// TagMap converts ordered key/value pairs to SAM's map form.
func TagMap(kv [][2]string) *Map {
	m := NewMap()
	for _, p := range kv {
		m.Set(p[0], p[1])
	}
	return m
}

// MarshalJSON keeps the insertion order (for `deployless debug`).
func (m *Map) MarshalJSON() ([]byte, error) {
	var b []byte
	b = append(b, '{')
	for i, k := range m.keys {
		if i > 0 {
			b = append(b, ',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := json.Marshal(m.vals[k])
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, kb...), ':'), vb...)
	}
	return append(b, '}'), nil
}

// Equal reports whether two values are the same CloudFormation value:
// scalars equal, lists equal item by item, maps with the same keys (in any
// order: their meaning does not depend on it) and equal values.
func Equal(a, b any) bool {
	switch a := a.(type) {
	case *Map:
		b, ok := b.(*Map)
		if !ok || a.Len() != b.Len() {
			return false
		}
		for _, k := range a.keys {
			bv, ok := b.vals[k]
			if !ok || !Equal(a.vals[k], bv) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !Equal(a[i], b[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b) // scalars (string, int, float64, bool, nil)
}
