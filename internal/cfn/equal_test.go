package cfn

import "testing"

func TestEqual(t *testing.T) {
	policy := func(table any) *Map { return NewMap().Set("DynamoDBCrudPolicy", NewMap().Set("TableName", table)) }
	for _, c := range []struct {
		a, b any
		want bool
	}{
		{policy(Ref("T")), policy(Ref("T")), true},
		{policy(Ref("T")), policy(Ref("U")), false},
		{policy("t"), policy(Ref("t")), false},
		{NewMap().Set("a", 1).Set("b", 2), NewMap().Set("b", 2).Set("a", 1), true}, // key order carries no meaning
		{NewMap().Set("a", 1), NewMap().Set("a", 1).Set("b", 2), false},
		{[]any{"x", 1}, []any{"x", 1}, true},
		{[]any{"x", 1}, []any{1, "x"}, false},
		{[]any{"x"}, "x", false},
		{1, 1.0, false}, // an int and a float are encoded differently
		{"s", "s", true},
	} {
		if got := Equal(c.a, c.b); got != c.want {
			t.Errorf("Equal(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
