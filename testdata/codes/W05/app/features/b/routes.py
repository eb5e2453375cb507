from flask import Blueprint

bp = Blueprint("b", __name__)


@bp.get("/b")
def b():
    return "b"
