from flask import Blueprint
import deployless as pc

pc.configure(alarms=False)

bp = Blueprint("quiet", __name__, url_prefix="/quiet")


@bp.get("")
def index():
    return {}
