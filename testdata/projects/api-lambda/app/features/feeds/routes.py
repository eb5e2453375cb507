from flask import Blueprint
import deployless as pc

pc.configure(auth="api_key", alarms=True)

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


@bp.get("/<feed_id>")
def feed(feed_id):
    return {}
