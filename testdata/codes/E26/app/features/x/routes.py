from flask import Blueprint
import deployless as pc

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}


@pc.lambda_function(timeout=901)  # ERROR: E26
def work(event, context):
    pass
