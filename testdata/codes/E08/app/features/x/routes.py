from flask import Blueprint
import deployless as pc

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}


@pc.cron(schedule="rate(5 minute)")  # ERROR: E08
def tick(event, context):
    pass
