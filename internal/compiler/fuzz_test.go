package compiler_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/testenv"
)

// FuzzCompile compiles a project whose routes.py, deployless.yaml and env
// file are the fuzz input, through the public entry point: every input
// must give a result or diagnostics, never a panic, a hang or a secret of
// the env file in a diagnostic.
func FuzzCompile(f *testing.F) {
	root := testenv.RepoRoot()
	for _, dir := range []string{"secrets", "resources", "full", "minimal", "api-cognito"} {
		p := filepath.Join(root, "testdata", "projects", dir)
		yaml, _ := os.ReadFile(filepath.Join(p, "deployless.yaml"))
		routes, _ := filepath.Glob(filepath.Join(p, "app", "features", "*", "routes.py"))
		var src []byte
		if len(routes) > 0 {
			src, _ = os.ReadFile(routes[0])
		}
		env, _ := os.ReadFile(filepath.Join(p, ".env"))
		f.Add(src, yaml, env)
	}
	f.Fuzz(func(t *testing.T, routes, yaml, env []byte) {
		fsys := fstest.MapFS{
			"deployless.yaml":          {Data: append(append([]byte(nil), yaml...), "\nenv_file: .env\n"...)},
			"app/features/x/routes.py": {Data: routes},
			".env":                     {Data: env},
		}
		_, _ = compiler.Compile(context.Background(), fsys, compiler.Options{DefaultName: "fuzz",
			Getenv: func(string) (string, bool) { return "", false }})
	})
}
