from flask import Blueprint
import deployless as pc

pc.configure(alarms=True, timeout=10)

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/stats")
def stats():
    return {}


@pc.route(auth=None)
@bp.get("/ping")
def ping():
    return "pong"
