import deployless as pc
from flask import Blueprint

pc.configure(memory=64, timeout=901, ephemeral_storage=256, reserved_concurrency=-1, provisioned_concurrency=0, log_retention=15, memroy=1)

bp = Blueprint("a", __name__, url_prefix="/things")


@bp.get("/<id>")
def get_thing(id):
    return {}


@bp.get("/<path:p>/meta")
def meta(p):
    return {}


@pc.cron(schedule="every day")
def tick(event, context):
    pass


@pc.lambda_function(memory=64, timeout=1000)
def worker(event, context):
    pass
