import hashlib
import os

from flask import Blueprint, jsonify
import deployless as pc

pc.configure(env={
    "DB_PASSWORD": pc.SSMParam("/ledger/db/password", secure=True),
    # Pinned to version 1: the parameter has a newer version 2, which the
    # same cold start also reads unpinned.
    "API_KEY": pc.SSMParam("/ledger/api/key", secure=True, version=1),
    "API_KEY_LATEST": pc.SSMParam("/ledger/api/key", secure=True),
})

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

# Read at import time, as apps commonly do: the bootstrap must have
# resolved them before this module is imported.
DB_PASSWORD = os.environ.get("DB_PASSWORD", "")
API_KEY = os.environ.get("API_KEY", "")
API_KEY_LATEST = os.environ.get("API_KEY_LATEST", "")


def _sha(value):
    return hashlib.sha256(value.encode()).hexdigest()


@bp.get("/fingerprints")
def fingerprints():
    return jsonify({"db_password": _sha(DB_PASSWORD), "api_key": _sha(API_KEY), "api_key_latest": _sha(API_KEY_LATEST)})


@pc.cron(schedule="rate(1 day)", env={"EXPORT_TOKEN": pc.SSMParam("/ledger/export/token", secure=True)})
def export(event, context):
    return {"export_token": _sha(os.environ.get("EXPORT_TOKEN", "")), "db_password": _sha(DB_PASSWORD)}
