from flask import Blueprint
import deployless as pc

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}


@pc.lambda_function(memory=100)  # ERROR: E25
def work(event, context):
    pass
