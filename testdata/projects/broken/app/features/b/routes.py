import deployless as pc
from flask import Blueprint

bp = Blueprint("b", __name__)


@bp.route("/things/<thing_id>", methods=["GET"])
def dup(thing_id):
    return {}


@pc.cron(schedule="rate(1 days)")
def worker(event, context):
    pass
