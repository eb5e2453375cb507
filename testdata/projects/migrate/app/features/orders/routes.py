import deployless as pc
from flask import Blueprint, jsonify

# FIFO: ContentBasedDeduplication on by default, as the original sets it.
events = pc.SQS("order-events", fifo=True)
# FIFO with the override, and a DLQ (OrderJobsDLQueue, which leaves it unset).
jobs = pc.SQS("order-jobs", fifo=True, dlq=True, content_based_deduplication=False)
# Standard queue: never written.
notifications = pc.SQS("notifications", dlq=True)
# The original drops every "Queue" of the ID: TasksDLQueue.
tasks = pc.SQS("queue-tasks", dlq=True)
# No alias: AppKey. An alias with "key" in it: ringKeyAlias.
key = pc.KMS()
keyring = pc.KMS(alias="alias/keyring")

pc.configure(
    dlq=True,
    resources={"events": events, "jobs": jobs, "notifications": notifications, "tasks": tasks,
               "key": key, "keyring": keyring},
)

orders_bp = Blueprint("orders_bp", __name__, url_prefix="/orders")


@orders_bp.route("", methods=["GET"])
def list_orders():
    return jsonify([])


# A split inherits dlq=True: its own queue, with a generated name.
@pc.route(memory=1024)
@orders_bp.route("/export", methods=["POST"])
def export_orders():
    return jsonify({})
