import os

import deployless as pc
from deployless import DynamoDB as Table
from flask import Blueprint, jsonify

orders = Table(
    "orders-table",
    pk="tenant_id",
    sk="order_id",
    gsi=[
        {"name": "StatusIndex", "pk": "status", "sk": "created_at"},
        {"name": "CustomerIndex", "pk": "customer_id", "projection": "INCLUDE", "non_key_attributes": ["total", "status"]},
        {"name": "TotalIndex", "pk": "total", "pk_type": "N", "projection": "KEYS_ONLY"},
    ],
    billing_mode="PROVISIONED",
    read_capacity=10,
    write_capacity=4,
    ttl_attribute="expires_at",
    stream="NEW_AND_OLD_IMAGES",
    point_in_time_recovery=True,
    deletion_policy="Retain",
)
legacy = pc.DynamoDB("legacy_orders_table", existing=True)

pc.shared_resource("audit", pc.DynamoDB("audit-log", pk="event_id", sk="timestamp"))

REGION = os.getenv("DEPLOYLESS_FIXTURE_REGION", "us-east-1")

pc.configure(
    memory=1024,
    timeout=25,
    description="Orders API",
    env={
        "REGION": REGION,
        "PAGE_SIZE": 50,
        "STRICT": True,
        "DB_HOST": pc.SSMParam("/shop/db/host"),
        "DB_PASS": pc.SSMParam("/shop/db/password", version=3),
        "ORDERS_ARN": pc.GetAtt(orders, "Arn"),
    },
    layers=["arn:aws:lambda:eu-west-1:123456789012:layer:deps:4"],
    resources={"orders": orders, "legacy": legacy},
    policies=[
        "AWSXRayDaemonWriteAccess",
        {"DynamoDBCrudPolicy": {"TableName": pc.Ref(orders)}},
        {"DynamoDBReadPolicy": {"TableName": pc.Ref("AuditLogTable")}},
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["dynamodb:Query"], "Resource": pc.GetAtt(orders, "Arn")},
            ],
        },
    ],
    architectures=["arm64"],
    tracing=True,
    reserved_concurrency=20,
    provisioned_concurrency=2,
    ephemeral_storage=1024,
    dlq=True,
    log_retention=90,
)

orders_bp = Blueprint("orders", __name__, url_prefix="/orders")
items_bp = Blueprint("items", __name__, url_prefix="/ignored")


@orders_bp.route("", methods=["GET", "POST", "HEAD"])
def list_or_create():
    return jsonify([])


@orders_bp.get("/<uuid:order_id>")
def get_order(order_id):
    return jsonify({})


@orders_bp.delete("/<uuid:order_id>")
def delete_order(order_id):
    return "", 204


@items_bp.route("/<int:n>", methods=["PUT", "PATCH"])
def put_item(n):
    return jsonify({})


def receipt(order_id, path):
    return jsonify({})


orders_bp.add_url_rule("/<uuid:order_id>/receipt/<path:path>", "receipt", receipt)
orders_bp.register_blueprint(items_bp, url_prefix="/<uuid:order_id>/items")


@pc.route(memory=2048, timeout=120, description="PDF invoices")
@orders_bp.route("/<uuid:order_id>/invoice", methods=["GET"])
def render_invoice(order_id):
    return b"%PDF-1.7"


@pc.cron("cron(0 3 * * ? *)", env={"BATCH": 500})
def nightly_rollup(event, context):
    return {"ok": True}


@pc.lambda_function(memory=256, timeout=60, description="Consumes the orders queue", env={"MODE": "queue"})
def process_order_queue(event, context):
    return {"processed": len(event.get("Records", []))}
