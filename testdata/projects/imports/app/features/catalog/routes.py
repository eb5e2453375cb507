from flask import Blueprint
from deployless import configure, DynamoDB, route as split

from app.shared import settings
from app.shared.settings import BIG, TABLE
from app.shared.tables import EVENTS
from .constants import BASE
from .services import table_name

items = DynamoDB(TABLE, pk="sku")
# Declared but not listed in resources=: auto-detected.
audit = DynamoDB("catalog-audit", pk="id", sk="at")

configure(memory=BIG, env={"TABLE_NAME": TABLE, "APP": settings.APP}, resources={"items": items})

bp = Blueprint("catalog", __name__, url_prefix=BASE)


@bp.route("/items/<sku>", methods=["GET"])
def get_item(sku):
    return {"sku": sku, "table": table_name()}


@split(timeout=90)
@bp.post("/import")
def bulk_import():
    return {"ok": True}
