# The seed's DynamoDB examples, one table each.
from flask import Blueprint
import deployless as pc

sessions = pc.DynamoDB("sessions-table", pk="session_id", ttl_attribute="expires_at")
orders = pc.DynamoDB(
    "orders-table",
    pk="tenant_id",
    sk="order_id",
    gsi=[
        {"name": "StatusIndex", "pk": "status", "sk": "created_at"},
        {"name": "CustomerIndex", "pk": "customer_id", "projection": "INCLUDE", "non_key_attributes": ["total", "status"]},
    ],
    ttl_attribute="expires_at",
    point_in_time_recovery=True,
    deletion_policy="Retain",
)
hot = pc.DynamoDB("high-traffic-table", pk="pk", sk="sk", billing_mode="PROVISIONED", read_capacity=100, write_capacity=50)
events = pc.DynamoDB("events-table", pk="event_id", stream="NEW_AND_OLD_IMAGES")
prod_users = pc.DynamoDB("prod-users-table", existing=True)

pc.shared_resource("audit_log", pc.DynamoDB("audit-log", pk="event_id", sk="timestamp"))

pc.configure(
    resources={"sessions": sessions, "orders": orders, "hot": hot, "events": events, "prod_users": prod_users},
    policies=[
        {"DynamoDBCrudPolicy": {"TableName": pc.Ref(orders)}},
        {"DynamoDBReadPolicy": {"TableName": pc.Ref(prod_users)}},
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": pc.GetAtt(prod_users, "Arn")},
                {"Effect": "Allow", "Action": ["dynamodb:GetRecords"], "Resource": pc.GetAtt(events, "StreamArn")},
            ],
        },
    ],
)

bp = Blueprint("data", __name__, url_prefix="/data")


@bp.get("")
def index():
    return {}
