# A Flask feature beside the FastAPI ones: its own layer (flask,
# apig-wsgi), the others get fastapi and mangum.
from flask import Blueprint

bp = Blueprint("legacy", __name__, url_prefix="/legacy")


@bp.get("/<path:rest>")
def legacy(rest):
    return rest
