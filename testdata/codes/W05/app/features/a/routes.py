from flask import Blueprint, g

bp = Blueprint("a", __name__)


@bp.before_app_request  # ERROR: W05
def set_locale():
    g.locale = "es"


@bp.app_errorhandler(404)  # ERROR: W05
def not_found(error):
    return "no", 404


@bp.before_request  # only this Blueprint's requests: fine
def mine():
    pass


bp.app_context_processor(lambda: {})  # ERROR: W05


@bp.get("/a")
def a():
    return g.locale
