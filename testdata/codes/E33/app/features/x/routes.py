from flask import Blueprint
import deployless as pc

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}


@pc.cron(schedule="rate(1 day)")
def x_job(event, context):
    pass


@pc.lambda_function()
def XJob(event, context):  # ERROR: E33
    pass
