from flask import Blueprint

bp = Blueprint("y", __name__)


@bp.route("/x", methods=["GET"])  # ERROR: E07
def y():
    return {}
