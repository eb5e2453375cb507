from flask import Blueprint
import deployless as pc

# Uses the project's Cognito authorizer; custom alarm numbers.
pc.configure(timeout=20, alarms={"errors": {"threshold": 2}, "throttles": {"threshold": 3, "period": 120}, "duration": {"threshold_pct": 50}})

bp = Blueprint("orders", __name__, url_prefix="/orders")


@bp.route("/<order_id>", methods=["GET", "DELETE"])
def order(order_id):
    return {}


@pc.route(auth=None)
@bp.get("/health")
def health():
    return {"ok": True}


@pc.cron(schedule="rate(1 hour)")
def reconcile(event, context):
    return {}
