from flask import Blueprint
import deployless as pc
import orjson

pc.configure(architectures=["arm64"])

bp = Blueprint("edge", __name__, url_prefix="/edge")


@bp.get("")
def index():
    return orjson.dumps({"edge": True})
