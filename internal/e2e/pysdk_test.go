package e2e

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/deployless/deployless/internal/cli"
	"github.com/deployless/deployless/internal/packager"
	"github.com/deployless/deployless/internal/testenv"
)

// TestPySDK installs the wheel of `deployless python-sdk` into a fresh
// virtualenv with uv, as a user would, and checks that the API imports and
// behaves as a no-op there, that mypy --strict accepts a module using every
// pc.* call and reports each misuse of a second one, and that plain mypy
// accepts examples/ums-api's routes.py files only once the wheel is there.
func TestPySDK(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: builds a virtualenv and runs Python; skipped with -short")
	}
	testenv.Venv(t)
	mypy := testenv.Tool(t, "mypy")

	var wheel string
	var wheels [][]byte
	for i := 0; i < 2; i++ {
		var out, errb bytes.Buffer
		if code := cli.Main([]string{"python-sdk", "--out", t.TempDir()}, strings.NewReader(""), &out, &errb); code != 0 {
			t.Fatalf("python-sdk: exit %d\n%s", code, errb.String())
		}
		wheel = strings.TrimSpace(out.String())
		data, err := os.ReadFile(wheel)
		if err != nil {
			t.Fatal(err)
		}
		wheels = append(wheels, data)
	}
	if !bytes.Equal(wheels[0], wheels[1]) {
		t.Fatal("two python-sdk runs wrote different wheels")
	}

	// The example's requirements.txt is its Flask pin; the wheel comes on top.
	python := projectVenv(t, exampleDir(), wheel)

	t.Run("runtime", func(t *testing.T) {
		version, err := packager.PyVersion(cli.Version)
		if err != nil {
			t.Fatal(err)
		}
		script := filepath.Join(t.TempDir(), "use_api.py")
		writeFile(t, script, sdkRuntimeScript)
		out, code := sdkRun(t, t.TempDir(), python, script, version)
		if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), "ok") {
			t.Fatalf("the API in a virtualenv: exit %d\n%s", code, out)
		}
		module, _ := sdkRun(t, t.TempDir(), python, "-c", "import deployless; print(deployless.__file__)")
		got, err := os.ReadFile(strings.TrimSpace(module))
		if err != nil || !bytes.Equal(got, packager.RuntimeModule()) {
			t.Errorf("the installed module %s is not the runtime the packages ship (err %v)", module, err)
		}
	})

	cache := t.TempDir() // one mypy cache for every run: typeshed is parsed once
	check := func(t *testing.T, dir string, args ...string) (string, int) {
		t.Helper()
		return sdkRun(t, dir, mypy, append([]string{"--cache-dir", cache, "--no-error-summary", "--show-absolute-path"}, args...)...)
	}

	t.Run("module is strict-clean", func(t *testing.T) {
		src := filepath.Join(testenv.RepoRoot(), "internal", "packager", "runtime", "deployless.py")
		for _, v := range []string{"3.10", "3.13"} {
			if out, code := check(t, t.TempDir(), "--strict", "--python-version", v, src); code != 0 {
				t.Errorf("mypy --strict --python-version %s on the runtime module: exit %d\n%s", v, code, out)
			}
		}
	})

	t.Run("strict use of every call", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "every_call.py"), sdkTypedUse)
		if out, code := check(t, dir, "--strict", "--python-executable", python, "every_call.py"); code != 0 {
			t.Errorf("mypy --strict on a module using every pc.* call: exit %d\n%s", code, out)
		}
	})

	t.Run("misuses are errors", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "misuse.py"), sdkMisuse)
		out, code := check(t, dir, "--strict", "--python-executable", python, "misuse.py")
		want := markedLines(sdkMisuse, "# error")
		got := errorLines(out, filepath.Join(dir, "misuse.py"))
		if code != 1 || !equalInts(got, want) {
			t.Errorf("mypy --strict on misuse.py: exit %d, errors on lines %v, want exit 1 and lines %v\n%s", code, got, want, out)
		}
	})

	t.Run("example routes", func(t *testing.T) {
		dir := t.TempDir()
		copyProject(t, exampleDir(), dir)
		routes, err := filepath.Glob(filepath.Join(dir, "app", "features", "*", "routes.py"))
		if err != nil || len(routes) == 0 {
			t.Fatalf("no routes.py in the example (%v)", err)
		}
		for i, r := range routes {
			routes[i], _ = filepath.Rel(dir, r)
		}
		// Only routes.py is reported on; the modules it imports are read
		// for their types (their own errors, boto3 stubs, are not ours).
		args := append([]string{"--follow-imports=silent"}, routes...)
		if out, code := check(t, dir, append([]string{"--python-executable", python}, args...)...); code != 0 {
			t.Errorf("mypy on the example's routes.py with the wheel installed: exit %d\n%s", code, out)
		}
		// Without the wheel (the test venv has Flask but no deployless),
		// the same check must fail on the import.
		out, code := check(t, dir, append([]string{"--python-executable", filepath.Join(testenv.Venv(t), "bin", "python")}, args...)...)
		if code == 0 || !strings.Contains(out, `"deployless"`) {
			t.Errorf("mypy without the wheel: exit %d, want a missing-module error for deployless\n%s", code, out)
		}
	})
}

// sdkRun runs a command in dir and returns its combined output and exit code.
func sdkRun(t *testing.T, dir, name string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out), 0
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// markedLines returns the 1-based numbers of the lines of src ending in mark.
func markedLines(src, mark string) []int {
	var out []int
	for i, line := range strings.Split(src, "\n") {
		if strings.HasSuffix(line, mark) {
			out = append(out, i+1)
		}
	}
	return out
}

// errorLines returns the sorted, distinct lines of file that mypy's output
// reports an error on.
func errorLines(out, file string) []int {
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(file) + `:(\d+): error: `)
	seen := map[int]bool{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			n, _ := strconv.Atoi(m[1])
			seen[n] = true
		}
	}
	var lines []int
	for n := range seen {
		lines = append(lines, n)
	}
	sort.Ints(lines)
	return lines
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sdkRuntimeScript calls every decorator and constructor the way routes.py
// does and checks what they return; argv[1] is the wheel's version.
const sdkRuntimeScript = `import sys

import deployless as pc
from deployless import DynamoDB as Table, configure

assert pc.__version__ == sys.argv[1], pc.__version__

users = Table("ums-users", pk="tenant_id", sk="user_id", gsi=[{"name": "EmailIndex", "pk": "email"}])
assert users.table_name == "ums-users" and users.name == "ums-users" and users.pk == "tenant_id"
assert users.sk_type == "S" and users.billing_mode == "PAY_PER_REQUEST" and users.params["sk"] == "user_id"
assert users == Table("ums-users", pk="tenant_id", sk="user_id", gsi=[{"name": "EmailIndex", "pk": "email"}])
assert users != Table("ums-users") and Table("t") == Table("t", pk="id")
assert repr(Table("t", pk="k")) == "DynamoDB('t', pk='k')", repr(Table("t", pk="k"))
assert {users: 1}[users] == 1

bucket = pc.S3("user-uploads", versioning=True)
queue = pc.SQS("jobs", fifo=True, content_based_deduplication=True, dlq=True)
key = pc.KMS(alias="myapp/data", key_usage="SIGN_VERIFY", key_spec="RSA_2048")
bare_key = pc.KMS()
host = pc.SSMParameter("/myapp/db/host", "db.internal", description="host")
legacy = pc.SSMParameter("/legacy/db/host", existing=True)
param = pc.SSMParam("/prod/db/host", version=3)
assert bucket.name == "user-uploads" and bucket.versioning and bucket.encryption
assert queue.name == "jobs" and queue.fifo and queue.visibility_timeout == 30
assert key.name == "myapp/data" and key.deletion_policy == "Retain" and bare_key.name is None
assert repr(bare_key) == "KMS()", repr(bare_key)
assert host.name == "/myapp/db/host" and host.value == "db.internal" and host.type == "String"
assert legacy.existing and legacy.value is None
assert param.name == "/prod/db/host" and param.version == 3 and not param.secure
for r in (users, bucket, queue, key, host):
    assert isinstance(r, pc.Resource), r

assert pc.shared_resource("audit", bucket) is bucket
ref, att = pc.Ref(users), pc.GetAtt("UmsUsersTable", "Arn")
assert ref.target is users and ref == pc.Ref(users) and att.target == "UmsUsersTable" and att.attr == "Arn"
assert att == pc.GetAtt("UmsUsersTable", "Arn") and att != pc.GetAtt("UmsUsersTable", "StreamArn")
assert configure(memory=512, env={"T": ref, "P": param}, resources={"users": users}, policies=[{"A": att}],
                 alarms=True, auth=None) is None


def view():
    return "ok"


def handler(event, context):
    return event


assert pc.route(view) is view and pc.route()(view) is view
assert pc.route(memory=1024, timeout=120, description="d", auth="api_key")(view) is view
assert pc.cron("rate(1 hour)")(handler) is handler
assert pc.cron(schedule="cron(0 9 * * ? *)", memory=128, env={"A": "1"})(handler) is handler
assert pc.lambda_function(handler) is handler and pc.lambda_function()(handler) is handler
assert pc.lambda_function(memory=512, description="d")(handler) is handler
assert handler({"x": 1}, None) == {"x": 1} and view() == "ok"

# A name this version does not know is a no-op, not an ImportError.
assert pc.not_yet_known(handler) is handler and pc.not_yet_known(x=1)(handler) is handler
try:
    pc._private
except AttributeError:
    pass
else:
    raise AssertionError("private names must not be no-ops")

for name in pc.__all__:
    assert hasattr(pc, name), name
print("ok")
`

// sdkTypedUse uses every pc.* call and parameter with precise types;
// mypy --strict must accept it. The last lines check that the decorated
// functions keep their signatures.
const sdkTypedUse = `"""Every pc.* call, typed."""

from __future__ import annotations

import os
from typing import Any

from flask import Blueprint

import deployless as pc
from deployless import GSI, Alarms

gsi: list[GSI] = [
    {"name": "EmailIndex", "pk": "email"},
    {"name": "ByDate", "pk": "tenant", "pk_type": "S", "sk": "created", "sk_type": "N",
     "projection": "INCLUDE", "non_key_attributes": ["email"]},
]
users = pc.DynamoDB("ums-users", pk="tenant_id", pk_type="S", sk="user_id", sk_type="S", gsi=gsi,
                    billing_mode="PROVISIONED", read_capacity=5, write_capacity=5, ttl_attribute="expires_at",
                    stream="NEW_AND_OLD_IMAGES", point_in_time_recovery=True, sse_enabled=True,
                    deletion_policy="Retain", existing=False)
sessions = pc.DynamoDB(table_name="ums-sessions", gsi=[{"name": "ByUser", "pk": "user_id"}])
uploads = pc.S3("user-uploads", versioning=True, encryption=True,
                cors=[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAge": 3600}],
                lifecycle_rules=[{"Id": "tmp", "Status": "Enabled", "ExpirationInDays": 7}],
                public_access_block=True, deletion_policy="Delete", existing=False)
jobs = pc.SQS("jobs", fifo=True, content_based_deduplication=True, dlq=True, visibility_timeout=60,
              message_retention=86400, max_receive_count=5, encryption=True, deletion_policy="Delete",
              existing=False)
key = pc.KMS("myapp/data", description="data", key_usage="SIGN_VERIFY", key_spec="RSA_2048",
             enable_rotation=None, deletion_policy="Retain", existing_key_id=None, env_var="DATA_KEY")
old_key = pc.KMS(existing_key_id=os.getenv("KEY_ID"))
host = pc.SSMParameter("/myapp/db/host", "db.internal", type="String", description="host", existing=False)
legacy = pc.SSMParameter("/legacy/db/host", existing=True)
audit = pc.shared_resource("audit", pc.DynamoDB("audit-log", pk="event_id", sk="ts"))
alarms: Alarms = {"errors": {"threshold": 1, "period": 300}, "throttles": {"threshold": 1},
                  "duration": {"threshold_pct": 80, "period": 300}, "sns_topic_arn": "arn:aws:sns:us-east-1:1:a"}

pc.configure(
    memory=512,
    timeout=30,
    description="users",
    env={"A": "1", "N": 3, "F": 1.5, "B": True, "UNSET": os.getenv("UNSET"), "T": pc.Ref(users),
         "ARN": pc.GetAtt(users, "Arn"), "HOST": pc.SSMParam("/prod/db/host", version=3)},
    layers=["arn:aws:lambda:us-east-1:1:layer:x:1", pc.Ref("LayerX")],
    policies=[
        "AmazonDynamoDBReadOnlyAccess",
        {"DynamoDBCrudPolicy": {"TableName": pc.Ref(users)}},
        {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["kms:Sign"], "Resource": pc.GetAtt(key, "Arn")}]},
    ],
    resources={"users": users, "sessions": sessions, "uploads": uploads, "jobs": jobs, "key": key,
               "old_key": old_key, "host": host, "legacy": legacy},
    architectures=["arm64"],
    tracing=True,
    reserved_concurrency=10,
    provisioned_concurrency=1,
    ephemeral_storage=1024,
    dlq=True,
    log_retention=30,
    alarms=alarms,
    auth=None,
)
pc.configure(alarms=False, auth="api_key")

bp = Blueprint("users", __name__, url_prefix="/users")


@pc.route(memory=1024, timeout=120, description="export", auth="api_key")
@bp.route("/export", methods=["POST"])
def export_users() -> dict[str, str]:
    return {"status": "ok"}


@pc.route
@bp.get("/<user_id>")
def get_user(user_id: str) -> dict[str, str]:
    return {"id": user_id}


@pc.route()
@bp.delete("/<user_id>")
def delete_user(user_id: str) -> tuple[str, int]:
    return "", 204


@pc.cron("rate(24 hours)", memory=128, timeout=60, env={"X": "1"}, description="cleanup")
def cleanup(event: dict[str, Any], context: object) -> dict[str, int]:
    return {"deleted": 0}


@pc.cron(schedule="cron(0 9 * * ? *)")
def morning(event: object, context: object) -> None:
    return None


@pc.lambda_function(memory=512, timeout=60, env={"QUEUE": pc.Ref(jobs)}, description="consumer")
def consume(event: dict[str, Any], context: object) -> int:
    return len(event.get("Records", []))


@pc.lambda_function
def plain(event: dict[str, Any], context: object) -> str:
    return "ok"


@pc.lambda_function()
def other(event: object, context: object) -> None:
    return None


n: int = consume({"Records": []}, None)
d: dict[str, int] = cleanup({}, None)
s: str = plain({}, None)
e: dict[str, str] = export_users()
u: dict[str, str] = get_user("u1")
table_name: str = users.table_name
name: str = users.name
alias: str | None = key.name
target: pc.Resource | str = pc.Ref(users).target
attr: str = pc.GetAtt("UmsUsersTable", "Arn").attr
params: dict[str, Any] = uploads.params
version: str = pc.__version__
`

// sdkMisuse holds one misuse per line marked "# error" (a value outside a
// closed set, a keyword passed by position, a refused option, a handler
// without (event, context), a lost signature would hide the last three);
// mypy --strict must report errors on exactly those lines.
const sdkMisuse = `from __future__ import annotations

from typing import Any

import deployless as pc

t = pc.DynamoDB("t", billing_mode="ON_DEMAND")  # error
pc.DynamoDB("t", "tenant_id")  # error
pc.DynamoDB("t", pk_type="X")  # error
pc.DynamoDB("t", deletion_policy="Snapshot")  # error
pc.DynamoDB("t", gsi=[{"name": "A"}])  # error
pc.DynamoDB("t", gsi=[{"name": "A", "pk": "p", "projection": "SOME"}])  # error
pc.DynamoDB(table="t")  # error
pc.S3()  # error
pc.SQS("q", visibility_timeout="30")  # error
pc.KMS(key_spec="RSA_1024")  # error
pc.SSMParameter("/a", "v", type="SecureString")  # error
pc.SSMParam("/a", secure="yes")  # error
pc.GetAtt(t)  # error
pc.Ref(42)  # error
pc.configure(512)  # error
pc.configure(memroy=512)  # error
pc.configure(log_retention=15)  # error
pc.configure(architectures=["sparc"])  # error
pc.configure(auth="cognito")  # error
pc.configure(alarms={"errors": {"treshold": 1}})  # error
pc.configure(alarms=None)  # error
pc.configure(env={"A": [1]})  # error
pc.configure(resources={"a": "not-a-resource"})  # error
pc.configure(policies=[None])  # error
pc.shared_resource("k", "not-a-resource")  # error
pc.confgure(memory=1)  # error


@pc.cron("rate(1 hour)")  # error
def tick() -> None: ...


@pc.lambda_function  # error
def nothing() -> None: ...


@pc.route(memory="big")  # error
def view() -> str:
    return ""


@pc.cron("rate(1 hour)")
def job(event: dict[str, Any], context: object) -> int:
    return 1


job({}, None, 3)  # error
s: str = job({}, None)  # error


@pc.route
def v2(x: int) -> int:
    return x


v2("a")  # error
`
