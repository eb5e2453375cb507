// Package testenv locates the Python test tools (cfn-lint, samtranslator,
// uv, moto_server) in the virtualenv made by scripts/testenv.sh, and the AWS
// SAM CLI in its second virtualenv (.venv-sam). Tests that need them skip
// when they are missing, unless DEPLOYLESS_REQUIRE_TOOLS=1 (set by
// scripts/test.sh and so by CI), where a missing tool is a failure.
package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"testing/fstest"
)

// RepoRoot is the repository root (the folder holding go.mod).
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Venv returns the test virtualenv's folder.
func Venv(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("DEPLOYLESS_TEST_VENV")
	if dir == "" {
		dir = filepath.Join(RepoRoot(), ".venv")
	}
	if _, err := os.Stat(filepath.Join(dir, "bin", "python")); err != nil {
		if os.Getenv("DEPLOYLESS_REQUIRE_TOOLS") == "1" {
			t.Fatalf("test virtualenv %s is missing: run scripts/testenv.sh", dir)
		}
		t.Skipf("test virtualenv %s is missing (run scripts/testenv.sh, or scripts/test.sh)", dir)
	}
	return dir
}

// Tool returns the path of an executable of the test virtualenv.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(Venv(t), "bin", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s is not installed in the test virtualenv: rerun scripts/testenv.sh", name)
	}
	return p
}

// SAMVenv returns the AWS SAM CLI's virtualenv folder (<repo>/.venv-sam, or
// DEPLOYLESS_SAM_VENV), made by scripts/testenv.sh apart from the test venv
// because SAM pins boto3/botocore versions the test tools conflict with.
func SAMVenv(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("DEPLOYLESS_SAM_VENV")
	if dir == "" {
		dir = filepath.Join(RepoRoot(), ".venv-sam")
	}
	if _, err := os.Stat(filepath.Join(dir, "bin", "sam")); err != nil {
		if os.Getenv("DEPLOYLESS_REQUIRE_TOOLS") == "1" {
			t.Fatalf("SAM CLI virtualenv %s is missing or has no sam: run scripts/testenv.sh", dir)
		}
		t.Skipf("SAM CLI virtualenv %s is missing (run scripts/testenv.sh, or scripts/test.sh)", dir)
	}
	return dir
}

// SAM returns the path of the SAM virtualenv's sam executable.
func SAM(t testing.TB) string {
	t.Helper()
	return filepath.Join(SAMVenv(t), "bin", "sam")
}

// RunWithTempCache runs a package's tests with DEPLOYLESS_CACHE_DIR set to
// a temporary folder (inherited by the binaries they start), so builds made
// by tests never write the parse, layer or bytecode caches into the user's
// cache folder, and with the test virtualenv's bin/ first on PATH, so that
// builds find its pinned uv as a user's would find theirs. Call it from
// TestMain: os.Exit(testenv.RunWithTempCache(m)).
func RunWithTempCache(m *testing.M) int {
	dir, err := os.MkdirTemp("", "deployless-cache-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	os.Setenv("DEPLOYLESS_CACHE_DIR", dir)
	venv := os.Getenv("DEPLOYLESS_TEST_VENV")
	if venv == "" {
		venv = filepath.Join(RepoRoot(), ".venv")
	}
	if _, err := os.Stat(filepath.Join(venv, "bin", "uv")); err == nil {
		os.Setenv("PATH", filepath.Join(venv, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	return m.Run()
}

// GeneratedProject is an in-memory project of n features for benchmarks:
// deployless.yaml, and per feature a routes.py (a table, configure, a
// blueprint with five routes, a @pc.route split and a @pc.cron) and a
// service.py.
func GeneratedProject(n int) fstest.MapFS {
	fsys := fstest.MapFS{"deployless.yaml": {Data: []byte("name: bench\n")}}
	for i := 0; i < n; i++ {
		src := fmt.Sprintf(`from flask import Blueprint
import deployless as pc

table = pc.DynamoDB("f%[1]d-items", pk="id", sk="ts", gsi=[{"name": "ByOwner", "pk": "owner"}])
pc.configure(memory=512, resources={"items": table}, policies=[{"DynamoDBCrudPolicy": {"TableName": pc.Ref(table)}}])

bp = Blueprint("f%[1]d", __name__, url_prefix="/f%[1]d")


@bp.route("", methods=["GET", "POST"])
def collection():
    return []


@bp.route("/<item_id>", methods=["GET", "PUT", "DELETE"])
def item(item_id):
    return {}


@pc.route(memory=1024, timeout=60)
@bp.post("/export")
def export_f%[1]d():
    return {}


@pc.cron(schedule="rate(1 day)")
def nightly_f%[1]d(event, context):
    return {}
`, i)
		fsys[fmt.Sprintf("app/features/f%d/routes.py", i)] = &fstest.MapFile{Data: []byte(src)}
		fsys[fmt.Sprintf("app/features/f%d/service.py", i)] = &fstest.MapFile{Data: []byte("def run(x):\n    return [y * 2 for y in x if y]\n")}
	}
	return fsys
}
