from flask import Blueprint

bp = Blueprint("b", __name__)


def helper():
    return "b"


@bp.get("/b")
def b():
    return helper()
