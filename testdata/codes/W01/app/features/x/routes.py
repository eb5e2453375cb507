from flask import Blueprint
import deployless as pc

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}


import os
pc.configure(description=os.getenv("DEPLOYLESS_SURELY_UNSET"))  # ERROR: W01
