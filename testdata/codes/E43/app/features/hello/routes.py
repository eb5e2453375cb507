from flask import Blueprint

bp = Blueprint("hello", __name__)


@bp.get("/")
def index():
    return {"ok": True}
