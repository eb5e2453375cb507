from flask import Blueprint
import deployless as pc

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}


pc.configure(reserved_concurrency=-1)  # ERROR: E20
