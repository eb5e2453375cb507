from werkzeug.exceptions import HTTPException
from app.features.api import bp
from app.errors.responses import error_response, bad_request  # noqa: F401


@bp.errorhandler(HTTPException)
def handle_exception(e):
    return error_response(e.code)
