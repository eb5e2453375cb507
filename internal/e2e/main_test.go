package e2e

import (
	"os"
	"testing"
)

// TestMain keeps the parse cache of every build these tests run (in process
// or through the binary, which inherits the variable) in a temporary folder,
// not in the user's cache folder.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "deployless-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("DEPLOYLESS_CACHE_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
