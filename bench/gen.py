#!/usr/bin/env python3
"""Generate a deployless benchmark project of N features.

Usage: python3 bench/gen.py OUT_DIR N [--requirements realistic]

Every feature f000..f{N-1} gets a Flask blueprint with five routes (GET/POST on
the collection, GET/PUT/DELETE on an item), a split route (@pc.route), a daily
cron (@pc.cron), a DynamoDB table and an S3 bucket listed in pc.configure(resources=)
with the policies that grant them, a service module and a use_cases subpackage.
The project also has app/shared/ and a project requirements.txt.

Only constructs that both the original Python deployless 0.1.5 and ours accept are
used, so the same folder can be built by both tools. Output is deterministic: the
same N gives byte-identical files. Existing OUT_DIR is replaced.

--requirements realistic writes a project requirements.txt of pinned packages a real
service would use (REALISTIC_REQUIREMENTS: flask, pydantic, requests and orjson, which
has binary wheels), for the packaging benchmark (bench/packaging.py). Without it the
requirements.txt is flask only, as the other benchmarks expect.
"""

import shutil
import sys
from pathlib import Path

# The project requirements of `--requirements realistic`: exact pins, each with manylinux
# wheels for cp313 x86_64 (orjson and pydantic-core are binary). flask stays at the version
# the other projects pin (the original deployless imports routes.py with it).
REALISTIC_REQUIREMENTS = """\
flask==3.1.3
pydantic==2.14.4
requests==2.34.2
orjson==3.13.0
"""
REQUIREMENTS = {"flask": "flask==3.1.3\n", "realistic": REALISTIC_REQUIREMENTS}

DEPLOYLESS_YAML = """\
name: bench-{n}
provider: aws
stage: dev

paths:
  features: app/features
  shared: app/shared

globals:
  runtime: python3.13
  memory: 256
  timeout: 30
  log_retention: 14

api:
  endpoint_type: REGIONAL
  cors:
    allow_origin: "*"
    allow_methods: [GET, POST, PUT, DELETE, OPTIONS]
    allow_headers: [Content-Type, Authorization]

env:
  LOG_LEVEL: INFO
"""

SHARED_UTIL = '''\
"""Helpers shared by every generated feature."""

import json


def ok(payload, status=200):
    return json.dumps(payload), status, {"Content-Type": "application/json"}


def page(items, limit=50):
    return {"items": list(items)[:limit], "count": len(items)}
'''

SERVICE = '''\
"""Business logic of feature {f} (generated)."""

_ITEMS = {{}}


def list_items(tenant_id):
    return [v for (t, _), v in sorted(_ITEMS.items()) if t == tenant_id]


def put_item(tenant_id, item_id, data):
    _ITEMS[(tenant_id, item_id)] = dict(data, id=item_id)
    return _ITEMS[(tenant_id, item_id)]


def get_item(tenant_id, item_id):
    return _ITEMS.get((tenant_id, item_id))


def delete_item(tenant_id, item_id):
    return _ITEMS.pop((tenant_id, item_id), None) is not None


def export_all():
    return {{"exported": len(_ITEMS)}}


def purge():
    n = len(_ITEMS)
    _ITEMS.clear()
    return n
'''

USE_CASES = '''\
"""Use cases of feature {f} (generated)."""

from app.features.{f}.service import get_item, put_item


def rename(tenant_id, item_id, name):
    item = get_item(tenant_id, item_id) or {{}}
    return put_item(tenant_id, item_id, dict(item, name=name))
'''

ROUTES = '''\
"""Feature {f}: CRUD on items, a split export Lambda and a nightly cron (generated)."""

import deployless as pc
from flask import Blueprint, request

from app.features.{f}.service import delete_item, export_all, get_item, list_items, purge, put_item
from app.shared.util import ok, page

items_table = pc.DynamoDB("bench-{f}-items", pk="tenant_id", sk="item_id")
uploads_bucket = pc.S3("bench-{f}-uploads")

pc.configure(
    memory={memory},
    timeout=30,
    description="Generated feature {f}",
    resources={{"items": items_table, "uploads": uploads_bucket}},
    policies=[
        {{"DynamoDBCrudPolicy": {{"TableName": pc.Ref(items_table)}}}},
        {{"S3CrudPolicy": {{"BucketName": pc.Ref(uploads_bucket)}}}},
    ],
    env={{"FEATURE_NAME": "{f}"}},
)

{f}_bp = Blueprint("{f}_bp", __name__, url_prefix="/{f}")


@{f}_bp.route("", methods=["GET"])
def list_{f}():
    return ok(page(list_items(request.args.get("tenant", "t0"))))


@{f}_bp.route("", methods=["POST"])
def create_{f}():
    data = request.get_json(silent=True) or {{}}
    return ok(put_item("t0", str(data.get("id", "new")), data), 201)


@{f}_bp.route("/<item_id>", methods=["GET"])
def get_{f}(item_id):
    item = get_item("t0", item_id)
    return ok(item or {{"error": "not found"}}, 200 if item else 404)


@{f}_bp.route("/<item_id>", methods=["PUT"])
def update_{f}(item_id):
    return ok(put_item("t0", item_id, request.get_json(silent=True) or {{}}))


@{f}_bp.route("/<item_id>", methods=["DELETE"])
def delete_{f}(item_id):
    return ok({{"deleted": delete_item("t0", item_id)}})


@pc.route(memory=1024, timeout=120, description="Export of {f}")
@{f}_bp.route("/export", methods=["POST"])
def export_{f}():
    return ok(export_all())


@pc.cron(schedule="rate(1 day)", description="Nightly purge of {f}")
def nightly_{f}(event, context):
    return {{"purged": purge()}}
'''


def feature_name(i):
    return f"f{i:03d}"


def routes_source(f, memory=512):
    return ROUTES.format(f=f, memory=memory)


def generate(out, n, requirements="flask"):
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    feats = out / "app" / "features"
    shared = out / "app" / "shared"
    feats.mkdir(parents=True)
    shared.mkdir(parents=True)
    (out / "deployless.yaml").write_text(DEPLOYLESS_YAML.format(n=n))
    (out / "requirements.txt").write_text(REQUIREMENTS[requirements])
    (out / "app" / "__init__.py").write_text("")
    (feats / "__init__.py").write_text("")
    (shared / "__init__.py").write_text("")
    (shared / "util.py").write_text(SHARED_UTIL)
    for i in range(n):
        f = feature_name(i)
        d = feats / f
        (d / "use_cases").mkdir(parents=True)
        (d / "__init__.py").write_text("")
        (d / "routes.py").write_text(routes_source(f))
        (d / "service.py").write_text(SERVICE.format(f=f))
        (d / "use_cases" / "__init__.py").write_text(USE_CASES.format(f=f))
    return out


PROBES_YAML = """\
name: probes
provider: aws
stage: dev
globals:
  runtime: python3.13
  memory: 256
  timeout: 30
  log_retention: 14
env:
  LOG_LEVEL: INFO
"""

# Constructs of the original README beyond the benchmark shape, one feature each, for the
# compatibility report only (not timed): resource kinds and their env vars, route forms,
# standalone functions, and a resource the feature declares but does not list in resources=.
PROBES = {
    "autodetect": '''\
"""A table declared at module level but not listed in configure(resources=)."""
import deployless as pc
from flask import Blueprint

orders_table = pc.DynamoDB("probe-orders", pk="order_id")
pc.configure(memory=512)

autodetect_bp = Blueprint("autodetect_bp", __name__, url_prefix="/orders")


@autodetect_bp.get("")
def list_orders():
    return []
''',
    "kinds": '''\
"""One resource of every kind, listed in resources=."""
import deployless as pc
from flask import Blueprint

jobs = pc.SQS("probe-jobs-queue", dlq=True)
key = pc.KMS(alias="probe/data")
host = pc.SSMParameter("/probe/db/host", value="localhost")
uploads = pc.S3("probe-user-uploads")
events = pc.DynamoDB("probe-events-table", pk="id", sk="ts")

pc.configure(
    resources={"jobs": jobs, "key": key, "host": host, "uploads": uploads, "events": events},
    policies=[{"SQSSendMessagePolicy": {"QueueName": pc.GetAtt(jobs, "QueueName")}}],
)

kinds_bp = Blueprint("kinds_bp", __name__, url_prefix="/kinds")


@kinds_bp.post("/jobs")
def enqueue():
    return {}


@pc.lambda_function(memory=512, timeout=120, description="Queue consumer")
def consume_jobs(event, context):
    return {"records": len(event.get("Records", []))}
''',
    "shapes": '''\
"""Route forms: converters, add_url_rule, several methods on one rule, a nested blueprint."""
import deployless as pc
from flask import Blueprint

pc.configure(description="Route shapes", env={"SHAPES": "1"})

shapes_bp = Blueprint("shapes_bp", __name__, url_prefix="/shapes")
child_bp = Blueprint("child_bp", __name__, url_prefix="/child")


@shapes_bp.route("/<int:shape_id>", methods=["GET", "PATCH"])
def shape(shape_id):
    return {}


@shapes_bp.route("/files/<path:rest>")
def shape_file(rest):
    return {}


def legacy():
    return {}


shapes_bp.add_url_rule("/legacy/<uuid:ref>", "legacy", legacy, methods=["PUT"])


@child_bp.delete("/<name>")
def drop_child(name):
    return {}


shapes_bp.register_blueprint(child_bp)


@pc.cron(schedule="cron(0 3 * * ? *)")
def rebuild_shapes(event, context):
    return {}
''',
}


def generate_probes(out):
    """The compatibility probe project (not timed)."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    feats = out / "app" / "features"
    feats.mkdir(parents=True)
    (out / "deployless.yaml").write_text(PROBES_YAML)
    (out / "requirements.txt").write_text("flask==3.1.3\n")
    (out / "app" / "__init__.py").write_text("")
    (feats / "__init__.py").write_text("")
    for name, src in PROBES.items():
        (feats / name).mkdir()
        (feats / name / "__init__.py").write_text("")
        (feats / name / "routes.py").write_text(src)
    return out


def main(argv):
    args, requirements = list(argv[1:]), "flask"
    if "--requirements" in args:
        i = args.index("--requirements")
        if i + 1 >= len(args) or args[i + 1] not in REQUIREMENTS:
            print(f"gen.py: --requirements takes one of {', '.join(REQUIREMENTS)}", file=sys.stderr)
            return 2
        requirements = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    generate(args[0], int(args[1]), requirements)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
