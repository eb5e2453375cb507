package artifact

import (
	"strings"
	"testing"
)

func TestSetSortsAndLooksUp(t *testing.T) {
	var s Set
	for _, p := range []string{"template.yaml", ".dist/B/bootstrap.py", ".dist/A/app/x.py", "../infra/template.yaml"} {
		if err := s.Add(Artifact{Path: p, Data: []byte(p), Mode: 0o644}); err != nil {
			t.Fatalf("Add(%q): %v", p, err)
		}
	}
	var got []string
	for _, a := range s.Files() {
		got = append(got, a.Path)
	}
	if want := "../infra/template.yaml .dist/A/app/x.py .dist/B/bootstrap.py template.yaml"; strings.Join(got, " ") != want {
		t.Errorf("Files() = %v, want %s", got, want)
	}
	if a, ok := s.Lookup(".dist/B/bootstrap.py"); !ok || string(a.Data) != ".dist/B/bootstrap.py" {
		t.Errorf("Lookup = %+v, %v", a, ok)
	}
	if _, ok := s.Lookup(".dist/B"); ok {
		t.Error("Lookup found a folder")
	}
	if s.Len() != 4 {
		t.Errorf("Len = %d", s.Len())
	}
	var none *Set
	if none.Len() != 0 || none.Files() != nil {
		t.Error("a nil set is not empty")
	}
}

func TestSetRefuses(t *testing.T) {
	for _, c := range []struct {
		a    Artifact
		want string
	}{
		{Artifact{Path: "", Mode: 0o644}, "not a clean"},
		{Artifact{Path: ".", Mode: 0o644}, "not a clean"},
		{Artifact{Path: "/abs/template.yaml", Mode: 0o644}, "not a clean"},
		{Artifact{Path: "a//b", Mode: 0o644}, "not a clean"},
		{Artifact{Path: "a/../b", Mode: 0o644}, "not a clean"},
		{Artifact{Path: "./a", Mode: 0o644}, "not a clean"},
		{Artifact{Path: "..", Mode: 0o644}, "not a clean"},
		{Artifact{Path: "../..", Mode: 0o644}, "not a clean"},
		{Artifact{Path: "a/", Mode: 0o644}, "not a clean"},
		{Artifact{Path: "a/..", Mode: 0o644}, "not a clean"},
		{Artifact{Path: "a/./b", Mode: 0o644}, "not a clean"},
		{Artifact{Path: "template.yaml/x", Mode: 0o644}, "inside the artifact"},
		{Artifact{Path: ".dist", Mode: 0o644}, "not a unit"},
		{Artifact{Path: "t.yaml", Mode: 0o600}, "mode"},
		{Artifact{Path: "t.yaml", Mode: 0o644, Data: []byte{}, Source: "/x"}, "both"},
		{Artifact{Path: "template.yaml", Mode: 0o644}, "twice"},
		{Artifact{Path: ".dist/A", Mode: 0o644}, "also a folder"},
		{Artifact{Path: ".dist/A/app", Mode: 0o644}, "also a folder"},
		{Artifact{Path: ".dist/A/bootstrap.py/x", Mode: 0o644}, "inside the artifact"},
	} {
		var s Set
		for _, p := range []string{"template.yaml", ".dist/A/app/x.py", ".dist/A/bootstrap.py"} {
			if err := s.Add(Artifact{Path: p, Mode: 0o644}); err != nil {
				t.Fatal(err)
			}
		}
		err := s.Add(c.a)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Add(%+v) = %v, want an error about %q", c.a, err, c.want)
		}
		if s.Len() != 3 {
			t.Errorf("Add(%+v) failed but changed the set", c.a)
		}
	}
}

// The sort order does not depend on the order of Adds.
func TestSetOrderOfAdds(t *testing.T) {
	paths := []string{"b", "a/x", "a/y", "c"}
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 2, 0, 3}} {
		var s Set
		for _, i := range order {
			if err := s.Add(Artifact{Path: paths[i], Mode: 0o644}); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		for _, a := range s.Files() {
			got = append(got, a.Path)
		}
		if strings.Join(got, " ") != "a/x a/y b c" {
			t.Errorf("adds in order %v: Files() = %v", order, got)
		}
		for _, i := range order {
			if a, ok := s.Lookup(paths[i]); !ok || a.Path != paths[i] {
				t.Errorf("Lookup(%q) = %+v, %v", paths[i], a, ok)
			}
		}
	}
}

func TestUnit(t *testing.T) {
	for p, want := range map[string][2]string{
		".dist/UserFunction/app/x.py": {"UserFunction", "app/x.py"},
		"template.yaml":               {"", "template.yaml"},
		".distx/a":                    {"", ".distx/a"},
	} {
		if u, r := Unit(p); u != want[0] || r != want[1] {
			t.Errorf("Unit(%q) = %q, %q, want %q", p, u, r, want)
		}
	}
}
