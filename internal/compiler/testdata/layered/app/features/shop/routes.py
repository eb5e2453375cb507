from flask import Blueprint

bp = Blueprint("shop", __name__, url_prefix="/shop")


@bp.get("")
def index():
    return {"items": []}
