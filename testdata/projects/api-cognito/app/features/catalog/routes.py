from flask import Blueprint
import deployless as pc

# Public catalog: no authorizer; its alarms keep the project's settings.
pc.configure(auth=None)

bp = Blueprint("catalog", __name__, url_prefix="/catalog")


@bp.get("")
def index():
    return []


@pc.route(memory=1024, auth="api_key")
@bp.post("/import")
def bulk_import():
    return {}
