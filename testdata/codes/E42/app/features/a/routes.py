from flask import Blueprint

from app.features.b.models import Thing  # ERROR: E42
from app.features.b import routes  # a stand-in module: every package has it

bp = Blueprint("a", __name__)


@bp.get("/a")
def a():
    return Thing.name + routes.bp.name


def later():
    from app.features.b.hooks import setup  # ERROR: E42

    return setup
