from flask import Blueprint
import deployless as pc

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}


@bp.get("/files/<path:p>/meta")  # ERROR: E34
def meta(p):
    return {}


@bp.get("/items/<item_id>")
def get_item(item_id):
    return {}


@bp.delete("/items/<id>")  # ERROR: E34
def delete_item(id):
    return {}
