import base64

from flask import Blueprint, Response, jsonify

bp = Blueprint("media", __name__, url_prefix="/media")

# A 1x1 transparent PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@bp.get("/pixel")
def pixel():
    return Response(PIXEL, mimetype="image/png")


@bp.get("/info")
def info():
    return jsonify({"service": "media"})
