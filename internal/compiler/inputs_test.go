package compiler_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/deployless/deployless/internal/compiler"
)

const helloRoutes = "from flask import Blueprint\n\nbp = Blueprint(\"x\", __name__)\n\n\n@bp.get(\"/x\")\ndef x():\n    return {}\n"

// deniedFS refuses to read one file, as a file without read permission does.
type deniedFS struct {
	fs.FS
	name string
}

func (d deniedFS) Open(name string) (fs.File, error) {
	if name == d.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.FS.Open(name)
}

func compileDiags(t *testing.T, fsys fs.FS) string {
	t.Helper()
	_, d := compiler.Compile(context.Background(), fsys, compiler.Options{DefaultName: "demo"})
	var b strings.Builder
	for _, x := range d.Sorted() {
		b.WriteString(x.String() + "\n")
	}
	return b.String()
}

// An unreadable deployless.yaml is not reported as a missing one.
func TestUnreadableConfig(t *testing.T) {
	fsys := deniedFS{fstest.MapFS{
		"deployless.yaml":          {Data: []byte("name: shop\n")},
		"app/features/x/routes.py": {Data: []byte(helloRoutes)},
	}, "deployless.yaml"}
	if got := compileDiags(t, fsys); got != "deployless.yaml: E32 cannot read deployless.yaml: permission denied\n" {
		t.Errorf("got %q", got)
	}
}

// app/shared that is a file is an error, not a project without shared code.
func TestSharedIsAFile(t *testing.T) {
	fsys := fstest.MapFS{
		"deployless.yaml":          {Data: []byte("name: shop\n")},
		"app/features/x/routes.py": {Data: []byte(helloRoutes)},
		"app/shared":               {Data: []byte("oops\n")},
	}
	if got := compileDiags(t, fsys); got != "deployless.yaml: E32 the shared folder \"app/shared\" is a file, not a folder (paths.shared)\n" {
		t.Errorf("got %q", got)
	}
}

// An unreadable routes.py fails the build: skipping it would drop its
// function, and a deploy would delete it.
func TestUnreadableRoutes(t *testing.T) {
	fsys := deniedFS{fstest.MapFS{
		"deployless.yaml":              {Data: []byte("name: shop\n")},
		"app/features/x/routes.py":     {Data: []byte(helloRoutes)},
		"app/features/other/routes.py": {Data: []byte(strings.ReplaceAll(helloRoutes, "x", "y"))},
	}, "app/features/x/routes.py"}
	if got := compileDiags(t, fsys); got != "app/features/x/routes.py: E32 cannot read app/features/x/routes.py: permission denied\n" {
		t.Errorf("got %q", got)
	}
}
