from flask import Blueprint

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")


@bp.post("/<partner>")
def receive(partner):
    return {}
