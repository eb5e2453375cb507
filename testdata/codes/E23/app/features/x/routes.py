from flask import Blueprint
import deployless as pc

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}


pc.configure(alarms={"sns_topic_arn": "topic"})  # ERROR: E23
