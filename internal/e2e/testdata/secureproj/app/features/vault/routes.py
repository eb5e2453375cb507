import hashlib
import os

from flask import Blueprint, jsonify

bp = Blueprint("vault", __name__, url_prefix="/vault")

# Read at import time, as apps commonly do: the bootstrap must have
# resolved it before this module is imported.
SIGNING_KEY = os.environ.get("SECRET_SIGNING_KEY", "")


@bp.get("/fingerprint")
def fingerprint():
    return jsonify({"sha256": hashlib.sha256(SIGNING_KEY.encode()).hexdigest(), "plain": os.environ.get("PLAIN")})
