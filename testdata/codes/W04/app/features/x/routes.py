from flask import Blueprint
import deployless as pc

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}
