from flask import Blueprint
import deployless as pc

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}


pc.configure(alarms={"duration": {"threshold_pct": 0}})  # ERROR: E24
