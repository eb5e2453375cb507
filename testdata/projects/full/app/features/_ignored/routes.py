# A folder of the features folder whose name starts with "_" is never a
# feature (the seed's rule), although it holds a routes.py: if it were read
# as one, this Blueprint's route would clash with orders' (E07) and the
# template would gain an IgnoredFunction. As part of the app package it is
# shipped, so it must be valid Python.
from flask import Blueprint

bp = Blueprint("ignored", __name__)


@bp.get("/orders")
def shadow():
    return "never routed"
