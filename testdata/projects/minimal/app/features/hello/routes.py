from flask import Blueprint

bp = Blueprint("hello", __name__)


@bp.route("/")
def index():
    return {"hello": "world"}
