"""DynamoDB repositories. Imported only when a table is configured, so boto3
(present in the Lambda runtime, not in requirements.txt) is never needed
locally. AWS_ENDPOINT_URL is honoured by boto3 itself (e.g. moto_server).

Tables (see pc.configure in ../routes.py):
  ums-users     pk tenant_id (S), sk user_id (S), GSI EmailIndex on email (S)
  ums-sessions  pk session_id (S), TTL attribute expires_at
"""

import boto3
from boto3.dynamodb.conditions import Attr, Key

_resource = None


def _table(name):
    global _resource
    if _resource is None:
        _resource = boto3.resource("dynamodb")
    return _resource.Table(name)


def _plain(item):
    """DynamoDB returns numbers as Decimal; our items hold none but sets/lists."""
    out = dict(item)
    if "scopes" in out:
        out["scopes"] = list(out["scopes"])
    return out


class DynamoUserRepository:
    backend = "dynamodb"

    def __init__(self, table_name):
        self.table = _table(table_name)

    def create(self, item):
        self.table.put_item(Item=item, ConditionExpression=Attr("user_id").not_exists())

    def get(self, tenant_id, user_id):
        resp = self.table.get_item(Key={"tenant_id": tenant_id, "user_id": user_id}, ConsistentRead=True)
        item = resp.get("Item")
        return _plain(item) if item else None

    def find_by_email(self, tenant_id, email):
        kwargs = {
            "IndexName": "EmailIndex",
            "KeyConditionExpression": Key("email").eq(email),
            "FilterExpression": Attr("tenant_id").eq(tenant_id),
        }
        while True:
            resp = self.table.query(**kwargs)
            if resp.get("Items"):
                return _plain(resp["Items"][0])
            if "LastEvaluatedKey" not in resp:
                return None
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]

    def list(self, tenant_id):
        items = []
        kwargs = {"KeyConditionExpression": Key("tenant_id").eq(tenant_id), "ConsistentRead": True}
        while True:
            resp = self.table.query(**kwargs)
            items.extend(_plain(i) for i in resp.get("Items", []))
            if "LastEvaluatedKey" not in resp:
                return items
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]

    def put(self, item):
        self.table.put_item(Item=item)

    def delete(self, tenant_id, user_id):
        resp = self.table.delete_item(
            Key={"tenant_id": tenant_id, "user_id": user_id},
            ReturnValues="ALL_OLD",
        )
        return "Attributes" in resp


class DynamoSessionRepository:
    backend = "dynamodb"

    def __init__(self, table_name):
        self.table = _table(table_name)

    def put(self, item):
        self.table.put_item(Item=item)

    def delete_expired(self, now):
        # DynamoDB's own TTL deletes expired items eventually (up to ~48 h
        # later); this sweep makes the cleanup prompt.
        deleted = 0
        kwargs = {
            "FilterExpression": Attr("expires_at").lt(now),
            "ProjectionExpression": "session_id",
        }
        while True:
            resp = self.table.scan(**kwargs)
            for item in resp.get("Items", []):
                self.table.delete_item(Key={"session_id": item["session_id"]})
                deleted += 1
            if "LastEvaluatedKey" not in resp:
                return deleted
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
